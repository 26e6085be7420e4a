// PromQL expressions (panel targets, alert rules, the console's query box):
// ExpressionParser through Expression::parse; what parses is written back
// as PromQL (PromQlWriter, used by the rule exporter).
#include "FuzzSupport.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/PromQlWriter.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const querydeck::Expression expression =
        querydeck::Expression::parse(QString::fromUtf8(querydeck::fuzz::bytes(data, size)));
    if (expression.isValid())
        querydeck::PromQlWriter::write(expression);
    return 0;
}
