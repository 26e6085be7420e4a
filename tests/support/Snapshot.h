#pragma once

// Screenshots a person can look at after a test run. They are written only
// when QUERYDECK_SNAPSHOT_DIR names a directory, never to a fixed path, so
// parallel runs and other users' files are left alone.
//
// Header-only on purpose: the support library links no Qt Widgets, and only
// the widget tests include this. Call from the GUI thread.

#include <QDir>
#include <QFile>
#include <QPixmap>
#include <QString>
#include <QWidget>

namespace querydeck::test {

// The directory screenshots go to, or an empty string when none is set.
inline QString snapshotDir()
{
    return qEnvironmentVariable("QUERYDECK_SNAPSHOT_DIR");
}

// Grabs `widget` (always, so it is painted as a person would see it) and, when
// QUERYDECK_SNAPSHOT_DIR is set, saves it there as `fileName`. False only when
// a save was asked for and failed.
inline bool saveSnapshot(QWidget* widget, const QString& fileName)
{
    const QPixmap pixmap = widget->grab();
    if (pixmap.isNull())
        return false;
    const QString dir = snapshotDir();
    if (dir.isEmpty())
        return true;
    QDir().mkpath(dir);
    return pixmap.save(QDir(dir).filePath(fileName));
}

// Copies a screenshot file (e.g. one the console binary wrote into a temporary
// directory) into QUERYDECK_SNAPSHOT_DIR as `fileName`, replacing an older one.
// Does nothing when the variable is not set. False only when a copy failed.
inline bool keepSnapshotFile(const QString& path, const QString& fileName)
{
    const QString dir = snapshotDir();
    if (dir.isEmpty())
        return true;
    QDir().mkpath(dir);
    const QString target = QDir(dir).filePath(fileName);
    QFile::remove(target);
    return QFile::copy(path, target);
}

} // namespace querydeck::test
