#pragma once

#include <QByteArrayView>
#include <QJsonDocument>
#include <QString>
#include <QStringView>

namespace querydeck {

// The one way QueryDeck turns outside bytes into a QJsonDocument.
//
// Qt 6.4's JSON parser recurses once per nesting level, and so do the
// QCborValue conversions and the destructor of the resulting tree. Measured
// (fromJson of `[[…]]` on a QThread with a set stack): ~140 bytes of stack per
// level, so a 100 KiB worker stack dies between 600 and 700 levels (issue 12:
// a 2 KB `[[[[…]]]]` request body killed the process). BoundedJson first
// walks the bytes iteratively — strings and escapes understood, so brackets
// inside strings do not count — and refuses input that is larger or deeper
// than the caller's limits before Qt sees it. Only then does it call
// QJsonDocument::fromJson.
//
// Every error names what was read (the caller's `what`, e.g. "request body",
// "dashboard file /etc/…"), the limit and the byte offset:
//   "request body: JSON nested deeper than 64 levels at byte 130"
//
// Thread rules: stateless; safe from any thread. Callers pick limits by who
// produces the bytes (see the constants below).
struct JsonLimits
{
    int maxDepth = 128; // `[]` and `{}` are depth 1
    qsizetype maxBytes = 16 * 1024 * 1024;
};

class BoundedJson
{
public:
    // A client's request body: flat objects; anything deeper is hostile.
    static constexpr int kRequestDepth = 64;
    // Files we or an operator wrote (config, dashboards, rules, silences):
    // a handful of levels in practice; 128 leaves room without risk.
    static constexpr int kFileDepth = 128;
    // Replies from servers whose schemas we do not own (Kubernetes objects,
    // Prometheus, Ollama/OpenAI): Kubernetes managedFields nest ~20 deep;
    // 256 levels cost ~36 KiB of stack, safe even on a 100 KiB thread.
    static constexpr int kReplyDepth = 256;

    enum class Error
    {
        None,
        Empty,    // nothing but whitespace
        TooLarge, // more than maxBytes
        TooDeep,  // more than maxDepth nested arrays/objects
        Invalid,  // Qt's parser refused it (syntax, UTF-8, truncation)
    };

    struct Result
    {
        QJsonDocument document;
        Error error = Error::None;
        qsizetype offset = -1; // byte the problem was found at; -1 for None
        QString detail;        // the problem without the `what` prefix
        QString message;       // "<what>: <detail>"
        QString parserError;   // Invalid only: Qt's QJsonParseError::errorString()
        bool ok() const { return error == Error::None; }
    };

    // Bounds only: size, emptiness and nesting. Cheap; never calls Qt's parser.
    static Result check(QByteArrayView bytes, const JsonLimits& limits, QStringView what);
    // check(), then QJsonDocument::fromJson.
    static Result parse(QByteArrayView bytes, const JsonLimits& limits, QStringView what);

    // Config files (service, console, Prometheus source) are read whole: 1 MiB.
    static constexpr qsizetype kMaxConfigFileBytes = 1024 * 1024;

    static JsonLimits requestLimits(qsizetype maxBytes) { return {kRequestDepth, maxBytes}; }
    static JsonLimits fileLimits(qsizetype maxBytes) { return {kFileDepth, maxBytes}; }
    static JsonLimits replyLimits(qsizetype maxBytes) { return {kReplyDepth, maxBytes}; }
};

} // namespace querydeck
