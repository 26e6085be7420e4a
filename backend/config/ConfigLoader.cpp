#include "backend/config/ConfigLoader.h"

#include "backend/common/BoundedJson.h"
#include "backend/common/JsonFieldReader.h"
#include "backend/config/ConfigWriter.h"
#include "backend/config/ServiceConfigReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>
#include <QStandardPaths>

namespace querydeck {

namespace {

struct Position
{
    qsizetype line = 1;
    qsizetype column = 1; // in code points
};

Position positionAt(const QByteArray& data, qsizetype offset)
{
    Position position;
    offset = std::min(offset, data.size());
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(data[i]);
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((byte & 0xC0) != 0x80) {
            ++position.column;
        }
    }
    return position;
}

// Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF), or -1.
qsizetype firstInvalidUtf8(const QByteArray& data)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.constData());
    const qsizetype size = data.size();
    qsizetype i = 0;
    while (i < size) {
        const unsigned char lead = bytes[i];
        int length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            return i;
        }
        if (i + length > size)
            return i;
        if (bytes[i + 1] < low || bytes[i + 1] > high)
            return i;
        for (int k = 2; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80)
                return i;
        }
        i += length;
    }
    return -1;
}

} // namespace

std::optional<QByteArray> ConfigLoader::readSectionFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxFileBytes) {
        *error = QStringLiteral("%1: larger than %2 bytes").arg(path).arg(kMaxFileBytes);
        return std::nullopt;
    }
    return file.readAll();
}

std::optional<QJsonObject>
ConfigLoader::parseSectionDocument(const QByteArray& json, const QString& section, QString* error)
{
    const BoundedJson::Result parsed =
        BoundedJson::parse(json, BoundedJson::fileLimits(kMaxFileBytes), QString());
    if (!parsed.ok() && parsed.error != BoundedJson::Error::Invalid) {
        *error = section + QStringLiteral(": the config file: ") + parsed.detail;
        return std::nullopt;
    }
    if (!parsed.ok() || !parsed.document.isObject()) {
        *error =
            section + QStringLiteral(": the config file is not a JSON object") +
            (parsed.ok()
                 ? QString()
                 : QStringLiteral(" (%1 at byte %2)").arg(parsed.parserError).arg(parsed.offset));
        return std::nullopt;
    }
    return parsed.document.object();
}

ConfigLoadResult ConfigLoader::loadFile(const QString& path)
{
    ConfigLoadResult result;
    if (path.isEmpty()) {
        result.errors << QStringLiteral("config file: no path given");
        return result;
    }
    const QString quoted = QStringLiteral("config file \"%1\"").arg(path);
    const QFileInfo info(path);
    if (!info.exists()) {
        result.errors << quoted + QStringLiteral(": does not exist");
        return result;
    }
    // Directories, FIFOs and devices would block or never end.
    if (!info.isFile()) {
        result.errors << quoted + QStringLiteral(": is not a regular file");
        return result;
    }
    if (info.size() > kMaxFileBytes) {
        result.errors << quoted + QStringLiteral(": is %1 bytes; the limit is %2 bytes (1 MiB)")
                                      .arg(info.size())
                                      .arg(kMaxFileBytes);
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors << quoted + QStringLiteral(": cannot be read: ") + file.errorString();
        return result;
    }
    // Read one byte past the limit: files in /proc report size 0, others grow.
    const QByteArray data = file.read(kMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        result.errors << quoted + QStringLiteral(": cannot be read: ") + file.errorString();
        return result;
    }
    if (data.size() > kMaxFileBytes) {
        result.errors << quoted + QStringLiteral(": is larger than the limit of %1 bytes (1 MiB)")
                                      .arg(kMaxFileBytes);
        return result;
    }
    return loadJson(data, quoted);
}

ConfigLoadResult ConfigLoader::loadJson(const QByteArray& json, const QString& sourceName)
{
    ConfigLoadResult result;
    const QString prefix =
        (sourceName.isEmpty() ? QStringLiteral("config") : sourceName) + QStringLiteral(": ");
    if (json.size() > kMaxFileBytes) {
        result.errors << prefix + QStringLiteral("is %1 bytes; the limit is %2 bytes (1 MiB)")
                                      .arg(json.size())
                                      .arg(kMaxFileBytes);
        return result;
    }
    if (json.trimmed().isEmpty()) {
        result.errors << prefix + QStringLiteral("is empty; write {} to use every default");
        return result;
    }
    const qsizetype badByte = firstInvalidUtf8(json);
    if (badByte >= 0) {
        const Position at = positionAt(json, badByte);
        result.errors << prefix + QStringLiteral("invalid UTF-8 at line %1, column %2 (offset %3)")
                                      .arg(at.line)
                                      .arg(at.column)
                                      .arg(badByte);
        return result;
    }
    const BoundedJson::Result parsed =
        BoundedJson::parse(json, BoundedJson::fileLimits(kMaxFileBytes), QString());
    if (parsed.error == BoundedJson::Error::TooDeep) {
        // Worded as the syntax errors are (line, column, offset), plus the limit.
        const Position at = positionAt(json, parsed.offset);
        result.errors << prefix + QStringLiteral("JSON syntax error at line %1, column %2 "
                                                 "(offset %3): nested deeper than %4 levels")
                                      .arg(at.line)
                                      .arg(at.column)
                                      .arg(parsed.offset)
                                      .arg(BoundedJson::kFileDepth);
        return result;
    }
    if (parsed.error == BoundedJson::Error::Invalid) {
        const Position at = positionAt(json, parsed.offset);
        result.errors << prefix + QStringLiteral("JSON syntax error at line %1, column %2 "
                                                 "(offset %3): %4")
                                      .arg(at.line)
                                      .arg(at.column)
                                      .arg(parsed.offset)
                                      .arg(parsed.parserError);
        return result;
    }
    if (!parsed.ok()) { // size and emptiness were checked above; kept for safety
        result.errors << prefix + parsed.detail;
        return result;
    }
    const QJsonDocument& document = parsed.document;
    if (!document.isObject()) {
        result.errors << prefix + QStringLiteral("the top level must be a JSON object, got %1")
                                      .arg(document.isArray() ? QStringLiteral("an array")
                                                              : QStringLiteral("a scalar"));
        return result;
    }
    ConfigDiagnostics diagnostics;
    ServiceConfigReader::read(JsonFieldReader(document.object(), {}, &diagnostics), result.value);
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    return result;
}

QByteArray ConfigLoader::toJson(const ServiceConfig& config)
{
    return ConfigWriter::toJson(config);
}

QString ConfigLoader::saveFile(const ServiceConfig& config, const QString& path)
{
    const QString quoted = QStringLiteral("config file \"%1\"").arg(path);
    if (path.isEmpty())
        return QStringLiteral("config file: no path given");
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return quoted + QStringLiteral(": cannot create folder \"%1\"").arg(info.absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return quoted + QStringLiteral(": cannot be written: ") + file.errorString();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(toJson(config));
    if (!file.commit())
        return quoted + QStringLiteral(": cannot be written: ") + file.errorString();
    return {};
}

QString ConfigLoader::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/querydeck/config.json");
}

} // namespace querydeck
