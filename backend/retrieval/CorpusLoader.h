#pragma once

#include "backend/common/LoadResult.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace querydeck {

struct CorpusDocument
{
    QString path; // relative to the corpus root, '/'-separated
    QString text;
};

struct SkippedFile
{
    QString path; // relative to the corpus root
    QString reason;
};

struct Corpus
{
    std::vector<CorpusDocument> documents; // sorted by path
    std::vector<SkippedFile> skipped;      // sorted by path
};

// An error: the root is missing or unreadable, and nothing was loaded.
using CorpusLoadResult = LoadResult<Corpus>;

// Reads the text documents of a corpus folder (a real directory or a Qt
// resource path such as ":/corpus"), recursively. Loads .md/.markdown, .txt
// and .html/.htm (HTML reduced to plain text by HtmlText); files with other
// extensions and hidden files are ignored without a report. Candidate files
// that are too large, unreadable, empty, binary or not UTF-8 are skipped with
// a logged reason. Symlinked directories are followed once (loops are cut).
// Stateless and thread-safe.
class CorpusLoader
{
public:
    // One file's bytes as a document's text (UTF-8, line ends made \n, HTML
    // reduced to its text), or nullopt and *reason it is skipped (empty,
    // binary, not UTF-8, nothing but whitespace or markup). load() reads each
    // file through it; the fuzzer feeds it bytes.
    static std::optional<QString> fileText(const QByteArray& bytes, bool html, QString* reason);

    static CorpusLoadResult load(const QString& rootDir, qint64 maxFileBytes);
};

} // namespace querydeck
