#pragma once

#include "backend/common/BoundedJson.h"
#include "backend/common/LoadResult.h"
#include "backend/service/ServiceConfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// value: defaults for every field that was absent or rejected; errors name the
// dotted field, the problem and the value; warnings: unknown keys, with a
// suggestion when one is close.
using ConfigLoadResult = LoadResult<ServiceConfig>;

// Loads, validates and saves the service config file (JSON, version 1).
// Every field is optional; all problems are collected, not just the first.
// Secrets appear only as references ({"keychain": ...} / {"env": ...}); a
// secret written in plain text is an error whose message never repeats it.
//
// Thread rules: stateless and reentrant; call from any thread.
class ConfigLoader
{
public:
    static constexpr qint64 kMaxFileBytes = BoundedJson::kMaxConfigFileBytes;
    static constexpr int kVersion = 1;

    // Missing, unreadable, oversized (> 1 MiB) or non-regular file: an error naming the path.
    static ConfigLoadResult loadFile(const QString& path);
    // sourceName prefixes file-level messages (syntax errors); field errors carry the dotted path.
    static ConfigLoadResult loadJson(const QByteArray& json, const QString& sourceName = {});
    // The full document with every field; unset secrets and options as null.
    // Round-trips through loadJson.
    static QByteArray toJson(const ServiceConfig& config);
    // Writes toJson(config) atomically (owner read/write only), creating the
    // folder. Returns an error naming the path, or an empty string.
    static QString saveFile(const ServiceConfig& config, const QString& path);
    // For the loaders of one section of the same file (console, fleet): the
    // file's bytes, or nullopt and an error naming the path (unreadable, > 1 MiB).
    static std::optional<QByteArray> readSectionFile(const QString& path, QString* error);
    // The document as an object, or nullopt and "<section>: the config file is
    // not a JSON object" (loadJson reports the syntax in detail).
    static std::optional<QJsonObject> parseSectionDocument(const QByteArray& json,
                                                           const QString& section, QString* error);
    // <XDG config dir>/querydeck/config.json, e.g. ~/.config/querydeck/config.json.
    static QString defaultPath();
};

} // namespace querydeck
