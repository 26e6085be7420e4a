#pragma once

#include <QMap>
#include <QString>

namespace querydeck::test {

// Flattens the block-style YAML subset our Kubernetes manifests use (maps,
// lists of scalars or maps, `>-`/`|` block scalars, comments) into
// "spec.template.spec.containers[0].readinessProbe.httpGet.path" → "/ready",
// so tests can check the fields that matter without a YAML library.
// Quotes around scalars are removed. Not a general YAML parser.
class YamlPaths
{
public:
    static QMap<QString, QString> flatten(const QString& text);
};

} // namespace querydeck::test
