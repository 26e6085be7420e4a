# What `cmake --graphviz` draws (packaging/architecture-graph.sh): QueryDeck's
# own libraries and the executable, without Qt, tests, benchmarks or resources.
set(GRAPHVIZ_GRAPH_NAME "QueryDeck")
set(GRAPHVIZ_EXTERNAL_LIBS FALSE)
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_CUSTOM_TARGETS FALSE)
set(GRAPHVIZ_OBJECT_LIBS FALSE)
set(GRAPHVIZ_UNKNOWN_LIBS FALSE)
set(GRAPHVIZ_IGNORE_TARGETS "^tst_" "^bench_" "^fuzz_" "testsupport" "resources" "_autogen"
    "^Qt6::" "^QueryDeck::")
