#pragma once

#include <QString>
#include <QStringList>

namespace querydeck {

// Scalar decoding for YamlReader (internal): quoted scalars with YAML's line
// folding and escapes, and the content of | and > block scalars. Problems
// throw YamlError; YamlReader::parse turns it into its "line L, column C"
// message, so no exception leaves the reader. Pure functions.
namespace YamlScalars {

struct YamlError
{
    int line;   // 1-based
    int column; // 1-based
    QString message;
};

// A quoted scalar whose opening quote is at lines[line][column]; on return
// (line, column) is just past the closing quote.
QString quoted(const QStringList& lines, int& line, qsizetype& column, QChar quote);
// The content of a block scalar from its lines (block indentation removed),
// folded for '>', with the chomping indicator ('-', '+' or none) applied.
QString block(QStringList lines, bool folded, QChar chomp);

} // namespace YamlScalars

} // namespace querydeck
