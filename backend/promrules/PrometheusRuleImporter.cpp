#include "backend/promrules/PrometheusRuleImporter.h"

#include "backend/metrics/Expression.h"
#include "backend/metrics/PromDuration.h"
#include "backend/promrules/PrometheusRuleMapper.h"
#include "backend/promrules/YamlReader.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace querydeck::PrometheusRuleImporter {

namespace {

// Prometheus's own default for groups without an interval (global
// evaluation_interval); the file cannot tell us the server's setting.
constexpr qint64 kDefaultIntervalMs = 60 * 1000;

bool isIdentStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c == u':';
}

bool isIdentChar(QChar c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

std::optional<double> parseNumber(const QString& text)
{
    QString t = text.trimmed();
    bool negative = false;
    if (t.startsWith(u'+') || t.startsWith(u'-')) {
        negative = t.startsWith(u'-');
        t = t.mid(1).trimmed();
    }
    bool ok = false;
    double value = 0;
    if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        value = double(t.mid(2).toLongLong(&ok, 16));
    else if (!t.isEmpty() && (t[0].isDigit() || t[0] == u'.'))
        value = t.toDouble(&ok);
    else if (t.compare(QLatin1String("inf"), Qt::CaseInsensitive) == 0 ||
             t.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0)
        return t.startsWith(u'n', Qt::CaseInsensitive) ? std::nan("")
                                                       : (negative ? -HUGE_VAL : HUGE_VAL);
    if (!ok)
        return std::nullopt;
    return negative ? -value : value;
}

// Removes one pair of parentheses that encloses the whole text.
QString stripOuterParentheses(QString text)
{
    text = text.trimmed();
    if (!text.startsWith(u'(') || !text.endsWith(u')'))
        return text;
    int depth = 0;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == u'\\' && quote != u'`')
                ++i;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'"' || c == u'\'' || c == u'`')
            quote = c;
        else if (c == u'(')
            ++depth;
        else if (c == u')' && --depth == 0 && i != text.size() - 1)
            return text; // "(a) / (b)": the first pair closes early
    }
    return text.mid(1, text.size() - 2).trimmed();
}

bool fail(QString* error, const QString& message)
{
    *error = message;
    return false;
}

struct Comparison
{
    qsizetype position;
    QString op;
};

// Finds the comparisons outside parentheses, brackets and label matchers,
// refusing the PromQL that has no QueryDeck equivalent.
bool scan(const QString& expr, std::vector<Comparison>* comparisons, QString* error)
{
    static const QSet<QString> setOperators{QStringLiteral("and"), QStringLiteral("or"),
                                            QStringLiteral("unless")};
    static const QSet<QString> matching{QStringLiteral("on"), QStringLiteral("ignoring"),
                                        QStringLiteral("group_left"),
                                        QStringLiteral("group_right")};
    int parens = 0;
    int braces = 0;
    int brackets = 0;
    for (qsizetype i = 0; i < expr.size(); ++i) {
        const QChar c = expr[i];
        if (c == u'"' || c == u'\'' || c == u'`') {
            const qsizetype start = i;
            for (++i; i < expr.size() && expr[i] != c; ++i) {
                if (expr[i] == u'\\' && c != u'`')
                    ++i;
            }
            if (i >= expr.size())
                return fail(error, QStringLiteral("unterminated string at %1").arg(start));
            continue;
        }
        if (c == u'#')
            return fail(error, QStringLiteral("comments inside expr are not supported"));
        if (c == u'[' && braces == 0) {
            const qsizetype close = expr.indexOf(u']', i);
            if (close > 0 && expr.mid(i, close - i).contains(u':'))
                return fail(error, QStringLiteral("subqueries ([range:step]) are not supported"));
        }
        if (c == u'(' || c == u'{' || c == u'[') {
            (c == u'(' ? parens : c == u'{' ? braces : brackets)++;
            continue;
        }
        if (c == u')' || c == u'}' || c == u']') {
            int& depth = c == u')' ? parens : c == u'}' ? braces : brackets;
            if (--depth < 0)
                return fail(error, QStringLiteral("unbalanced '%1' at %2").arg(c).arg(i));
            continue;
        }
        if (braces > 0)
            continue; // label matchers: = != =~ !~ are not comparisons there
        if (c == u'@')
            return fail(error, QStringLiteral("the @ modifier is not supported"));
        if (isIdentStart(c)) {
            const qsizetype start = i;
            while (i + 1 < expr.size() && isIdentChar(expr[i + 1]))
                ++i;
            const QString word = expr.mid(start, i - start + 1);
            const QString lower = word.toLower();
            if (setOperators.contains(lower))
                return fail(error, QStringLiteral("set operator '%1' is not supported: a QueryDeck "
                                                  "rule is one condition")
                                       .arg(word));
            if (lower == u"bool")
                return fail(error, QStringLiteral("'bool' comparisons give 0 or 1 for every series "
                                                  "instead of selecting the breaching ones"));
            if (lower == u"offset")
                return fail(error, QStringLiteral("the offset modifier is not supported"));
            if (matching.contains(lower))
                return fail(error,
                            QStringLiteral("vector matching with '%1' is not supported").arg(word));
            if (lower == u"without")
                return fail(error, QStringLiteral("aggregation 'without (...)' is not supported; "
                                                  "use 'by (...)'"));
            continue;
        }
        if (parens > 0 || brackets > 0)
            continue;
        const QChar next = i + 1 < expr.size() ? expr[i + 1] : QChar();
        if ((c == u'=' || c == u'!') && next == u'=') {
            comparisons->push_back({i, expr.mid(i, 2)});
            ++i;
        } else if ((c == u'>' || c == u'<') && next == u'=') {
            comparisons->push_back({i, expr.mid(i, 2)});
            ++i;
        } else if (c == u'>' || c == u'<') {
            comparisons->push_back({i, QString(c)});
        }
    }
    if (parens != 0 || braces != 0 || brackets != 0)
        return fail(error, QStringLiteral("unbalanced parentheses or brackets"));
    return true;
}

AlertComparator mirrored(AlertComparator comparator)
{
    switch (comparator) {
    case AlertComparator::Greater:
        return AlertComparator::Less;
    case AlertComparator::GreaterOrEqual:
        return AlertComparator::LessOrEqual;
    case AlertComparator::Less:
        return AlertComparator::Greater;
    case AlertComparator::LessOrEqual:
        return AlertComparator::GreaterOrEqual;
    }
    return comparator;
}

QString scalarText(const YamlNode* node)
{
    return node && node->isScalar() ? node->scalar : QString();
}

} // namespace

std::optional<Condition> splitCondition(const QString& expr, QString* error)
{
    std::vector<Comparison> comparisons;
    if (!scan(expr, &comparisons, error))
        return std::nullopt;
    if (comparisons.empty()) {
        fail(error, QStringLiteral("no comparison: QueryDeck rules have the shape "
                                   "\"<expression> <op> <number>\""));
        return std::nullopt;
    }
    if (comparisons.size() > 1) {
        fail(error, QStringLiteral("more than one comparison ('%1' and '%2')")
                        .arg(comparisons[0].op, comparisons[1].op));
        return std::nullopt;
    }
    const Comparison& comparison = comparisons.front();
    Condition condition;
    if (!parseComparator(comparison.op, &condition.comparator)) {
        fail(
            error,
            QStringLiteral("comparison '%1' is not supported (only > >= < <=)").arg(comparison.op));
        return std::nullopt;
    }
    QString left = expr.left(comparison.position).trimmed();
    QString right = expr.mid(comparison.position + comparison.op.size()).trimmed();
    std::optional<double> threshold = parseNumber(right);
    if (!threshold) {
        if (const auto leftNumber = parseNumber(left)) { // "10 < x" is "x > 10"
            threshold = leftNumber;
            std::swap(left, right);
            condition.comparator = mirrored(condition.comparator);
        }
    }
    if (!threshold) {
        fail(error, QStringLiteral("one side of '%1' must be a number, found \"%2\"")
                        .arg(comparison.op, right));
        return std::nullopt;
    }
    if (!std::isfinite(*threshold)) {
        fail(error, QStringLiteral("the threshold must be a finite number"));
        return std::nullopt;
    }
    condition.threshold = *threshold;
    condition.expression = stripOuterParentheses(left);
    const Expression parsed = Expression::parse(condition.expression);
    if (!parsed.isValid()) {
        fail(error, QStringLiteral("\"%1\" is not in QueryDeck's expression language: %2")
                        .arg(condition.expression, parsed.error()));
        return std::nullopt;
    }
    return condition;
}

QString fromGoTemplate(const QString& text, double threshold, QString* note)
{
    static const QRegularExpression action(QStringLiteral(R"(\{\{-?\s*(.*?)\s*-?\}\})"));
    static const QRegularExpression label(
        QStringLiteral(R"(^(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*)(\s*\|.*)?$)"));
    static const QRegularExpression value(QStringLiteral(R"(^(?:\$value|\.Value)(\s*\|.*)?$)"));
    QString out;
    QStringList kept;
    qsizetype last = 0;
    auto it = action.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += text.mid(last, match.capturedStart() - last);
        last = match.capturedEnd();
        const QString inner = match.captured(1);
        if (inner == QLatin1String("\"{{\"")) {
            out += QLatin1String("{{");
        } else if (const auto v = value.match(inner); v.hasMatch()) {
            out += QLatin1String("{{value}}");
            if (!v.captured(1).isEmpty())
                kept << match.captured(0);
        } else if (const auto l = label.match(inner); l.hasMatch()) {
            out += QStringLiteral("{{labels.%1}}").arg(l.captured(1));
            if (!l.captured(2).isEmpty())
                kept << match.captured(0);
        } else if (const auto number = parseNumber(inner)) {
            out += *number == threshold ? QStringLiteral("{{threshold}}") : inner;
        } else {
            out += match.captured(0);
            kept << match.captured(0);
        }
    }
    out += text.mid(last);
    if (!kept.isEmpty())
        *note = QStringLiteral("template %1 simplified or kept as text")
                    .arg(kept.join(QStringLiteral(", ")));
    return out;
}

Result importRules(const QByteArray& yaml)
{
    Result result;
    const YamlReader::Result document = YamlReader::parse(yaml);
    if (!document.error.isEmpty()) {
        result.errors << document.error;
        return result;
    }
    const YamlNode& root = document.root;
    const YamlNode* groups = root.value(QStringLiteral("groups"));
    if (root.kind != YamlNode::Kind::Mapping || !groups ||
        (groups->kind != YamlNode::Kind::Sequence && groups->kind != YamlNode::Kind::Null)) {
        result.errors << QStringLiteral("not a Prometheus rules file: expected \"groups:\" with a "
                                        "list of groups");
        return result;
    }
    for (const auto& [key, value] : root.mapping) {
        if (key != u"groups")
            result.errors
                << QStringLiteral("%1: unknown top-level field \"%2\"").arg(value.position(), key);
    }
    QSet<QString> groupNames;
    QSet<QString> ruleNames;
    for (const YamlNode& group : groups->sequence) {
        const QString name = scalarText(group.value(QStringLiteral("name")));
        if (group.kind != YamlNode::Kind::Mapping || name.isEmpty()) {
            result.errors << QStringLiteral("line %1: a group needs a name").arg(group.line);
            continue;
        }
        if (groupNames.contains(name))
            result.errors << QStringLiteral("line %1: group \"%2\" is defined twice")
                                 .arg(group.line)
                                 .arg(name);
        groupNames.insert(name);
        qint64 intervalMs = kDefaultIntervalMs;
        for (const auto& [key, value] : group.mapping) {
            if (key == u"interval") {
                QString error;
                const auto ms = PromDuration::parse(value.scalar, &error);
                if (!ms)
                    result.errors << QStringLiteral("%1: group \"%2\" interval: %3")
                                         .arg(value.position(), name, error);
                else
                    intervalMs = *ms;
            } else if (key == u"limit") {
                result.notes << QStringLiteral("line %1: group \"%2\": limit is not imported")
                                    .arg(value.line)
                                    .arg(name);
            } else if (key != u"name" && key != u"rules") {
                result.errors << QStringLiteral("%1: group \"%2\": unknown field \"%3\"")
                                     .arg(value.position(), name, key);
            }
        }
        const YamlNode* rules = group.value(QStringLiteral("rules"));
        if (!rules ||
            (rules->kind != YamlNode::Kind::Sequence && rules->kind != YamlNode::Kind::Null)) {
            result.errors << QStringLiteral("line %1: group \"%2\" needs a list of rules")
                                 .arg(group.line)
                                 .arg(name);
            continue;
        }
        for (const YamlNode& node : rules->sequence) {
            AlertRule rule;
            QString why;
            QStringList notes;
            const QString label = QStringLiteral("line %1: rule \"%2\"")
                                      .arg(node.line)
                                      .arg(scalarText(node.value(QStringLiteral("alert"))));
            if (!PrometheusRuleMapper::toAlertRule(node, intervalMs, &rule, &why, &notes)) {
                result.skipped << QStringLiteral("%1: %2").arg(label, why);
                continue;
            }
            if (ruleNames.contains(rule.name)) {
                result.skipped
                    << QStringLiteral("%1: the name is already used by another rule").arg(label);
                continue;
            }
            ruleNames.insert(rule.name);
            for (const QString& note : notes)
                result.notes << QStringLiteral("%1: %2").arg(label, note);
            result.rules.push_back(std::move(rule));
        }
    }
    if (!result.errors.isEmpty())
        result.rules.clear();
    return result;
}

Result importFile(const QString& path)
{
    Result result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors << QStringLiteral("%1: %2").arg(path, file.errorString());
        return result;
    }
    if (file.size() > YamlReader::kMaxBytes) {
        result.errors << QStringLiteral("%1: larger than %2 MiB")
                             .arg(path)
                             .arg(YamlReader::kMaxBytes / (1024 * 1024));
        return result;
    }
    result = importRules(file.read(YamlReader::kMaxBytes + 1));
    for (QString& error : result.errors)
        error.prepend(path + QStringLiteral(": "));
    return result;
}

} // namespace querydeck::PrometheusRuleImporter
