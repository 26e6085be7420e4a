#include "backend/retrieval/CorpusLoader.h"

#include "backend/retrieval/HtmlText.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStringDecoder>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

// Deeper than any sane corpus; a guard in case canonical paths cannot be
// resolved (e.g. inside resources) and a loop slips through.
constexpr int kMaxDepth = 32;

enum class Kind
{
    Unsupported,
    Text,
    Html
};

Kind kindOf(const QFileInfo& info)
{
    const QString suffix = info.suffix().toLower();
    if (suffix == u"md" || suffix == u"markdown" || suffix == u"txt")
        return Kind::Text;
    if (suffix == u"html" || suffix == u"htm")
        return Kind::Html;
    return Kind::Unsupported;
}

QString identity(const QFileInfo& info)
{
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

class Walker
{
public:
    Walker(qint64 maxFileBytes, Corpus& corpus)
        : m_maxFileBytes(maxFileBytes)
        , m_corpus(corpus)
    {
    }

    void walk(const QString& dirPath, const QString& relPrefix, int depth)
    {
        const QFileInfo dirInfo(dirPath);
        if (depth > kMaxDepth) {
            skip(relPrefix,
                 QStringLiteral("directory nested deeper than %1 levels").arg(kMaxDepth));
            return;
        }
        if (m_visitedDirs.contains(identity(dirInfo))) {
            spdlog::debug("corpus: not re-entering {} (symlink loop or duplicate)",
                          relPrefix.toStdString());
            return;
        }
        m_visitedDirs.insert(identity(dirInfo));

        const QDir dir(dirPath);
        const auto entries = dir.entryInfoList(
            QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo& entry : entries) {
            const QString rel =
                relPrefix.isEmpty() ? entry.fileName() : relPrefix + u'/' + entry.fileName();
            if (entry.isDir()) {
                if (!entry.isReadable())
                    skip(rel, QStringLiteral("directory is not readable"));
                else
                    walk(entry.filePath(), rel, depth + 1);
            } else {
                loadFile(entry, rel);
            }
        }
    }

private:
    void skip(const QString& rel, const QString& reason)
    {
        spdlog::warn("corpus: skipping {}: {}", rel.toStdString(), reason.toStdString());
        m_corpus.skipped.push_back({rel, reason});
    }

    void loadFile(const QFileInfo& info, const QString& rel)
    {
        const Kind kind = kindOf(info);
        if (kind == Kind::Unsupported) {
            spdlog::debug("corpus: ignoring {} (unsupported extension)", rel.toStdString());
            return;
        }
        if (info.isSymLink() && !info.exists()) {
            skip(rel, QStringLiteral("broken symbolic link"));
            return;
        }
        // FIFOs, sockets and devices would block or never end.
        if (!info.isFile()) {
            skip(rel, QStringLiteral("not a regular file"));
            return;
        }
        // Decide on size before reading a byte: a huge file must not be loaded.
        if (info.size() > m_maxFileBytes) {
            skip(rel, QStringLiteral("larger than the limit of %1 bytes (%2 bytes)")
                          .arg(m_maxFileBytes)
                          .arg(info.size()));
            return;
        }
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly)) {
            skip(rel, QStringLiteral("unreadable: %1").arg(file.errorString()));
            return;
        }
        // The file may have grown since stat(); never read past the limit.
        const QByteArray bytes = file.read(m_maxFileBytes + 1);
        if (bytes.size() > m_maxFileBytes) {
            skip(rel, QStringLiteral("larger than the limit of %1 bytes").arg(m_maxFileBytes));
            return;
        }
        if (file.error() != QFileDevice::NoError) {
            skip(rel, QStringLiteral("unreadable: %1").arg(file.errorString()));
            return;
        }
        QString reason;
        std::optional<QString> text = CorpusLoader::fileText(bytes, kind == Kind::Html, &reason);
        if (!text) {
            skip(rel, reason);
            return;
        }
        m_corpus.documents.push_back({rel, std::move(*text)});
    }

    qint64 m_maxFileBytes;
    Corpus& m_corpus;
    QSet<QString> m_visitedDirs;
};

} // namespace

std::optional<QString> CorpusLoader::fileText(const QByteArray& bytes, bool html, QString* reason)
{
    if (bytes.isEmpty()) {
        *reason = QStringLiteral("empty file");
        return std::nullopt;
    }
    if (const auto nul = bytes.indexOf('\0'); nul >= 0) {
        *reason = QStringLiteral("binary file (NUL byte at offset %1)").arg(nul);
        return std::nullopt;
    }
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        *reason = QStringLiteral("not valid UTF-8");
        return std::nullopt;
    }
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    if (html)
        text = HtmlText::toPlainText(text);
    if (text.trimmed().isEmpty()) {
        *reason = html ? QStringLiteral("no text outside the markup")
                       : QStringLiteral("empty file (only whitespace)");
        return std::nullopt;
    }
    return text;
}

CorpusLoadResult CorpusLoader::load(const QString& rootDir, qint64 maxFileBytes)
{
    CorpusLoadResult result;
    const QFileInfo root(rootDir);
    if (rootDir.isEmpty()) {
        result.errors << QStringLiteral("corpus path is empty");
    } else if (!root.exists()) {
        result.errors << QStringLiteral("corpus directory %1 does not exist").arg(rootDir);
    } else if (!root.isDir()) {
        result.errors << QStringLiteral("corpus path %1 is not a directory").arg(rootDir);
    } else if (!root.isReadable()) {
        result.errors << QStringLiteral("corpus directory %1 is not readable").arg(rootDir);
    }
    if (!result.ok()) {
        spdlog::error("corpus: {}", result.errors.join(QStringLiteral("; ")).toStdString());
        return result;
    }

    Walker(std::max<qint64>(0, maxFileBytes), result.value).walk(rootDir, QString(), 0);

    // Directory listings are sorted per level; sort the whole list so the
    // order does not depend on how names and '/' interleave.
    std::sort(result.value.documents.begin(), result.value.documents.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    std::sort(result.value.skipped.begin(), result.value.skipped.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    spdlog::info("corpus: loaded {} documents from {} ({} skipped)", result.value.documents.size(),
                 rootDir.toStdString(), result.value.skipped.size());
    return result;
}

} // namespace querydeck
