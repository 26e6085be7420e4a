#include "backend/metrics/ExpositionParser.h"

#include "backend/logging/Logging.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace querydeck {

namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// Parses one line; every failure names what was wrong for the debug log.
class LineParser
{
public:
    explicit LineParser(std::string_view line)
        : m_line(line)
    {
    }

    void skipSpaces()
    {
        while (m_pos < m_line.size() && isSpace(m_line[m_pos]))
            ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return atEnd() ? '\0' : m_line[m_pos]; }

    // Metric and label names; label names may not contain ':' but we are
    // lenient there, as Prometheus's own parser is for metric names.
    std::string_view name()
    {
        const std::size_t start = m_pos;
        if (atEnd() || !isNameStart(m_line[m_pos]))
            return {};
        ++m_pos;
        while (m_pos < m_line.size() && isNameChar(m_line[m_pos]))
            ++m_pos;
        return m_line.substr(start, m_pos - start);
    }

    std::string_view word()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_line.size() && !isSpace(m_line[m_pos]))
            ++m_pos;
        return m_line.substr(start, m_pos - start);
    }

    // A quoted label value with \\ \" \n escapes; false with m_error set.
    bool quoted(QString& out)
    {
        if (peek() != '"')
            return fail("expected '\"' to open a label value");
        ++m_pos;
        const std::size_t start = m_pos;
        bool escaped = false;
        while (m_pos < m_line.size() && m_line[m_pos] != '"') {
            if (m_line[m_pos] == '\\') {
                escaped = true;
                ++m_pos;
            }
            ++m_pos;
        }
        if (m_pos >= m_line.size())
            return fail("unterminated label value");
        const std::string_view raw = m_line.substr(start, m_pos - start);
        ++m_pos;
        if (!escaped) {
            out = QString::fromUtf8(raw.data(), qsizetype(raw.size()));
            return true;
        }
        std::string unescaped;
        unescaped.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\') {
                unescaped += raw[i];
                continue;
            }
            const char next = raw[++i];
            if (next == '\\' || next == '"')
                unescaped += next;
            else if (next == 'n')
                unescaped += '\n';
            else
                return fail("invalid escape sequence in label value");
        }
        out = QString::fromUtf8(unescaped.data(), qsizetype(unescaped.size()));
        return true;
    }

    bool fail(const char* what)
    {
        m_error = what;
        return false;
    }

    std::string_view m_line;
    std::size_t m_pos = 0;
    const char* m_error = nullptr;
};

bool parseValue(std::string_view text, double& out)
{
    if (text.empty())
        return false;
    // from_chars takes "inf"/"nan" in any case but not a leading '+'.
    if (text.front() == '+')
        text.remove_prefix(1);
    if (text.empty() || text.front() == '+')
        return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

bool parseTimestamp(std::string_view text, qint64& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

std::optional<MetricType> parseType(std::string_view type)
{
    if (type == "counter")
        return MetricType::Counter;
    if (type == "gauge")
        return MetricType::Gauge;
    if (type == "histogram")
        return MetricType::Histogram;
    if (type == "summary")
        return MetricType::Summary;
    if (type == "untyped")
        return MetricType::Untyped;
    return std::nullopt;
}

QString toQString(std::string_view text)
{
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}

// Names repeat line after line (a family's series, the same label names):
// reusing the last QString shares its data instead of converting again.
class NameCache
{
public:
    const QString& get(std::string_view text)
    {
        for (Entry& entry : m_entries) {
            if (entry.raw == text)
                return entry.value;
        }
        Entry& entry = m_entries[m_next];
        m_next = (m_next + 1) % m_entries.size();
        entry.raw.assign(text);
        entry.value = toQString(text);
        return entry.value;
    }

private:
    struct Entry
    {
        std::string raw;
        QString value;
    };
    std::array<Entry, 8> m_entries;
    std::size_t m_next = 0;
};

} // namespace

SourceResult ExpositionParser::parse(QByteArrayView text, qint64 nowMs, const QString& instance)
{
    static const QString instanceLabel = QStringLiteral("instance");
    SourceResult result;
    result.timestampMs = nowMs;
    if (text.size() > kMaxTextBytes) {
        result.error = QStringLiteral("exposition text is %1 bytes; the limit is %2 bytes")
                           .arg(text.size())
                           .arg(kMaxTextBytes);
        return result;
    }
    result.samples.reserve(std::size_t(text.size() / 48));

    NameCache metricNames;
    NameCache labelNames;
    int firstBadLine = 0;
    const char* firstBadReason = nullptr;
    const auto malformed = [&](int lineNo, const char* reason) {
        if (result.malformedLines++ == 0) {
            firstBadLine = lineNo;
            firstBadReason = reason;
        }
    };

    const std::string_view all(text.data(), std::size_t(text.size()));
    std::size_t lineStart = 0;
    int lineNo = 0;
    while (lineStart < all.size()) {
        std::size_t lineEnd = all.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = all.size();
        std::string_view line = all.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);

        LineParser p(line);
        p.skipSpaces();
        if (p.atEnd())
            continue;
        if (p.peek() == '#') {
            ++p.m_pos;
            p.skipSpaces();
            const std::string_view keyword = p.word();
            if (keyword != "TYPE")
                continue; // HELP and free comments carry nothing we store
            p.skipSpaces();
            const std::string_view family = p.name();
            p.skipSpaces();
            const std::string_view type = p.word();
            p.skipSpaces();
            const std::optional<MetricType> parsed = parseType(type);
            if (family.empty() || !parsed || !p.atEnd()) {
                malformed(lineNo, "invalid TYPE line");
                continue;
            }
            result.types.insert(toQString(family), *parsed);
            continue;
        }

        const std::string_view name = p.name();
        if (name.empty()) {
            malformed(lineNo, "expected a metric name");
            continue;
        }
        QList<QPair<QString, QString>> labels;
        bool hasInstance = false;
        bool ok = true;
        p.skipSpaces();
        if (p.peek() == '{') {
            ++p.m_pos;
            while (true) {
                p.skipSpaces();
                if (p.peek() == '}') {
                    ++p.m_pos;
                    break;
                }
                const std::string_view labelName = p.name();
                if (labelName.empty()) {
                    ok = p.fail("expected a label name or '}'");
                    break;
                }
                p.skipSpaces();
                if (p.peek() != '=') {
                    ok = p.fail("expected '=' after label name");
                    break;
                }
                ++p.m_pos;
                p.skipSpaces();
                QString value;
                if (!p.quoted(value)) {
                    ok = false;
                    break;
                }
                static_assert(kMaxLabels == 256, "the message below names the limit");
                if (labels.size() >= kMaxLabels) {
                    ok = p.fail("more than 256 labels");
                    break;
                }
                const QString& labelKey = labelNames.get(labelName);
                for (const auto& existing : labels) {
                    if (existing.first == labelKey) {
                        ok = p.fail("duplicate label name");
                        break;
                    }
                }
                if (!ok)
                    break;
                hasInstance = hasInstance || labelName == "instance";
                labels.append({labelKey, std::move(value)});
                p.skipSpaces();
                if (p.peek() == ',') {
                    ++p.m_pos;
                } else if (p.peek() != '}') {
                    ok = p.fail("expected ',' or '}' after a label");
                    break;
                }
            }
            if (!ok) {
                malformed(lineNo, p.m_error);
                continue;
            }
        }
        p.skipSpaces();
        double value = 0.0;
        if (!parseValue(p.word(), value)) {
            malformed(lineNo, "expected a sample value");
            continue;
        }
        p.skipSpaces();
        qint64 timestamp = nowMs;
        if (!p.atEnd()) {
            if (!parseTimestamp(p.word(), timestamp)) {
                malformed(lineNo, "expected an integer timestamp in milliseconds");
                continue;
            }
            p.skipSpaces();
            if (!p.atEnd()) {
                malformed(lineNo, "unexpected text after the timestamp");
                continue;
            }
        }
        if (!instance.isEmpty() && !hasInstance)
            labels.append({instanceLabel, instance});
        Sample& sample = result.samples.emplace_back();
        sample.key = SeriesKey::make(metricNames.get(name), std::move(labels));
        sample.value = value;
        sample.timestampMs = timestamp;
    }

    if (result.malformedLines > 0) {
        log::get("telemetry")
            ->debug("exposition{}{}: skipped {} malformed line(s); first at line {}: {}",
                    instance.isEmpty() ? "" : " from ", instance.toStdString(),
                    result.malformedLines, firstBadLine, firstBadReason);
    }
    return result;
}

} // namespace querydeck
