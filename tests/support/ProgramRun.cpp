#include "ProgramRun.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace querydeck::test {

QString ProgramRun::describe() const
{
    return QStringLiteral("`%1 %2` exited %3: %4%5")
        .arg(program, arguments.join(QLatin1Char(' ')))
        .arg(exitCode)
        .arg(QString::fromUtf8(err), QString::fromUtf8(out.left(2000)));
}

ProgramRun runProgram(const QString& program, const QStringList& arguments,
                      const QStringList& environment, int timeoutMs)
{
    ProgramRun run;
    run.program = program;
    run.arguments = arguments;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& entry : environment) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = "timed out after " + QByteArray::number(timeoutMs) + " ms\n";
        run.err += process.readAllStandardError();
        return run;
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    if (process.exitStatus() == QProcess::NormalExit)
        run.exitCode = process.exitCode();
    return run;
}

} // namespace querydeck::test
