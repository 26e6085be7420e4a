#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace querydeck::test {

// What a finished program printed and how it ended.
struct ProgramRun
{
    int exitCode = -1; // -1: could not start, crashed, or timed out
    QByteArray out;
    QByteArray err;

    // "`program args` exited N: <stderr>" for failure messages.
    QString describe() const;
    QString program;
    QStringList arguments;
};

// Runs a command-line program to completion (querydeck itself, cpack,
// dpkg-deb, the validators) and keeps its output. `environment` holds
// NAME=value entries added to the current environment. Blocks the calling
// thread for at most `timeoutMs`, then kills the program.
ProgramRun runProgram(const QString& program, const QStringList& arguments,
                      const QStringList& environment = {}, int timeoutMs = 60000);

} // namespace querydeck::test
