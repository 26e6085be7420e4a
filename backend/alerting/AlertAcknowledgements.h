#pragma once

#include "backend/common/LoadResult.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace querydeck {

// An operator's acknowledgement of one alert instance (AlertInstance::key()),
// kept until the instance resolves.
struct AlertAcknowledgement
{
    QString alert; // AlertInstance::key(), e.g. ReplicaDown{instance="r2"}
    QString by;
    qint64 atMs = 0;
};

// The acknowledgements file, so an acknowledged firing alert stays
// acknowledged across a restart: {"acknowledgements": [{"alert", "by", "at"
// (RFC 3339)}]}. Loading keeps every valid entry and names each bad one; a
// file with any problem is copied aside (keepAside) before it is rewritten,
// so nothing an operator wrote is lost. Stateless functions, any thread.
namespace AlertAcknowledgements {

// Each error names the entry and field: "acknowledgements[2].by: ...".
using LoadResult = querydeck::LoadResult<std::vector<AlertAcknowledgement>>;

LoadResult parse(const QByteArray& json);
QByteArray serialize(const std::vector<AlertAcknowledgement>& acknowledgements);
LoadResult loadFile(const QString& path); // a missing file is an empty set, not an error
bool saveFile(const QString& path, const std::vector<AlertAcknowledgement>& acknowledgements,
              QString* error);
// Copies `path` to `path.corrupt-<UTC time>`; returns the copy's path, empty on failure.
QString keepAside(const QString& path, qint64 nowMs);

} // namespace AlertAcknowledgements

} // namespace querydeck
