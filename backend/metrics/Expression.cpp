#include "backend/metrics/Expression.h"

#include "backend/metrics/ExpressionEvaluator.h"
#include "backend/metrics/ExpressionParser.h"
#include "backend/metrics/GroupIndex.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <algorithm>

namespace querydeck {

namespace {

// Prometheus refuses more than 11,000 points per series; we widen the step
// instead so a hostile range cannot stall the telemetry thread.
constexpr qint64 kMaxSteps = 11000;

QString legendFor(const SeriesKey& key, const QString& legendTemplate, const QString& text)
{
    if (legendTemplate.isEmpty()) {
        if (key.name.isEmpty() && key.labels.isEmpty())
            return text;
        return key.toString();
    }
    QString out;
    qsizetype pos = 0;
    while (pos < legendTemplate.size()) {
        const qsizetype open = legendTemplate.indexOf(QLatin1String("{{"), pos);
        const qsizetype close =
            open < 0 ? -1 : legendTemplate.indexOf(QLatin1String("}}"), open + 2);
        if (open < 0 || close < 0) {
            out += QStringView(legendTemplate).mid(pos);
            break;
        }
        out += QStringView(legendTemplate).mid(pos, open - pos);
        const QString label = legendTemplate.mid(open + 2, close - open - 2).trimmed();
        out += label == u"__name__" ? key.name : key.label(label);
        pos = close + 2;
    }
    return out;
}

} // namespace

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

Expression Expression::parse(const QString& text)
{
    Expression expression;
    expression.m_text = text;
    ExpressionParser parser(expression.m_text);
    expression.m_root = parser.parse();
    expression.m_error = parser.error();
    if (!expression.m_root && expression.m_error.isEmpty())
        expression.m_error = QStringLiteral("at 0: could not parse the expression");
    return expression;
}

std::vector<std::pair<SeriesKey, double>> Expression::instant(const TimeSeriesStore& store,
                                                              qint64 t) const
{
    if (!isValid())
        return {};
    ExpressionEvaluator evaluator(store, t, t);
    ExpressionEvaluator::Value value = evaluator.evaluate(*m_root, t);
    if (value.isScalar)
        return {{SeriesKey{}, value.scalar}};
    return std::move(value.vector);
}

QString Expression::legend(const SeriesKey& key, const QString& legendTemplate) const
{
    return legendFor(key, legendTemplate, m_text);
}

std::vector<EvaluatedSeries> Expression::range(const TimeSeriesStore& store, qint64 from, qint64 to,
                                               qint64 stepMs, const QString& legendTemplate) const
{
    std::vector<EvaluatedSeries> out;
    if (!isValid() || stepMs <= 0 || to < from)
        return out;
    stepMs = std::max(stepMs, (to - from) / kMaxSteps + 1);

    ExpressionEvaluator evaluator(store, from, to);
    std::vector<SeriesKey> keys;
    GroupIndex index;
    for (qint64 t = from; t <= to; t += stepMs) {
        ExpressionEvaluator::Value value = evaluator.evaluate(*m_root, t);
        if (value.isScalar)
            value.vector.emplace_back(SeriesKey{}, value.scalar);
        for (auto& [key, v] : value.vector) {
            const QString id = key.toString();
            const auto [slot, inserted] = index.findOrInsert(id, out.size());
            if (inserted) {
                out.emplace_back();
                keys.push_back(key);
            }
            out[slot].points.push_back({t, v});
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].legend = legendFor(keys[i], legendTemplate, m_text);
    // Stable order for panels and tests: by legend, then first appearance.
    std::vector<std::size_t> order(out.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return out[a].legend < out[b].legend; });
    std::vector<EvaluatedSeries> sorted;
    sorted.reserve(out.size());
    for (std::size_t i : order)
        sorted.push_back(std::move(out[i]));
    return sorted;
}

} // namespace querydeck
