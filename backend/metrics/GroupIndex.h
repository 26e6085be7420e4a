#pragma once

#include <QHash>
#include <QString>
#include <vector>

namespace querydeck {

// Maps group ids (label-value strings) to dense indexes for the evaluator.
// Expressions usually produce a handful of groups per step, where a linear
// scan over a few short strings beats hashing each one (qHash showed up as
// the top cost of histogram_quantile); past a few dozen it switches to a
// hash. Not thread-safe; one per evaluation step.
class GroupIndex
{
public:
    // The index of `id`, inserting it as `next` when absent; second: inserted.
    std::pair<std::size_t, bool> findOrInsert(const QString& id, std::size_t next);

private:
    static constexpr std::size_t kLinearLimit = 24;

    std::vector<std::pair<QString, std::size_t>> m_small;
    QHash<QString, std::size_t> m_large;
};

} // namespace querydeck
