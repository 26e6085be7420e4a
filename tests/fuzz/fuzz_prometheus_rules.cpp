// Prometheus rule files (YAML) imported into alert rules: YamlReader, then
// PrometheusRuleImporter (condition split, Go templates, durations).
#include "FuzzSupport.h"
#include "backend/promrules/PrometheusRuleImporter.h"
#include "backend/promrules/YamlReader.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    querydeck::PrometheusRuleImporter::importRules(querydeck::fuzz::bytes(data, size));
    return 0;
}
