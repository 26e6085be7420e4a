#pragma once

#include <QString>

namespace querydeck {

// Turns an HTML page into plain text for the corpus: tags stripped, <script>,
// <style> and comments dropped, the common entities and numeric references
// decoded, runs of whitespace collapsed, and block elements (p, div, li, h1…,
// br, tr…) turned into line breaks so paragraphs survive for the chunker.
// Not a conforming HTML parser: it is tolerant of broken markup and never
// fails. Stateless and thread-safe.
class HtmlText
{
public:
    static QString toPlainText(const QString& html);
};

} // namespace querydeck
