// The fleet's packaging files: the systemd units (systemd-analyze verify, and
// the keys that matter), the Kubernetes manifests (the fields that matter,
// read with a structural flattener), and the nginx template (rendered and
// checked with the real `nginx -t`).
#include "YamlPaths.h"
#include "backend/fleet/NginxTemplate.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using namespace querydeck::test;

namespace {

QString readSource(const QString& relative)
{
    QFile file(QStringLiteral(QUERYDECK_SOURCE_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// "[Service]ExecStart" → value, for the unit's key=value lines.
QMap<QString, QString> unitKeys(const QString& text)
{
    QMap<QString, QString> keys;
    QString section;
    for (const QString& raw : text.split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            section = line;
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            keys[section + line.left(eq).trimmed()] = line.mid(eq + 1).trimmed();
    }
    return keys;
}

} // namespace

class TestFleetPackaging : public QObject
{
    Q_OBJECT

private slots:
    void systemdUnits_data();
    void systemdUnits();
    void deployment();
    void serviceAndHpa();
    void yamlFlattener();
    void nginxTemplateRenders();
    void nginxTemplateRejectsBadInput();
};

void TestFleetPackaging::systemdUnits_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("command");
    QTest::newRow("serve") << "packaging/systemd/querydeck-serve.service"
                           << "serve";
    QTest::newRow("fleet") << "packaging/systemd/querydeck-fleet.service"
                           << "fleet";
}

void TestFleetPackaging::systemdUnits()
{
    QFETCH(QString, file);
    QFETCH(QString, command);
    const QString text = readSource(file);
    QVERIFY2(!text.isEmpty(), qPrintable(file));
    const QMap<QString, QString> keys = unitKeys(text);
    QVERIFY(keys.value("[Service]ExecStart").startsWith("/usr/bin/querydeck " + command + ' '));
    QCOMPARE(keys.value("[Service]KillSignal"), QStringLiteral("SIGTERM"));
    QCOMPARE(keys.value("[Service]Restart"), QStringLiteral("on-failure"));
    QCOMPARE(keys.value("[Install]WantedBy"), QStringLiteral("multi-user.target"));
    // Room for the drain (http.drain_timeout_ms, 20 s) before systemd's SIGKILL.
    QVERIFY(keys.value("[Service]TimeoutStopSec").toInt() > 20);
    QVERIFY(!keys.value("[Service]User").isEmpty());
    if (command == QLatin1String("fleet")) {
        QVERIFY(keys.value("[Service]ExecStart").contains("--runtime-dir ${RUNTIME_DIRECTORY}"));
        QVERIFY(!keys.value("[Service]RuntimeDirectory").isEmpty());
        QCOMPARE(keys.value("[Service]KillMode"), QStringLiteral("mixed"));
    }

    // systemd's own checker, on a copy that runs the binary just built (the
    // packaged path does not exist on a build machine).
    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    QVERIFY2(!analyze.isEmpty(), "systemd-analyze is needed (package systemd)");
    QTemporaryDir dir;
    const QString unitPath = dir.filePath(file.section(QLatin1Char('/'), -1));
    QFile unit(unitPath);
    QVERIFY(unit.open(QIODevice::WriteOnly));
    unit.write(QString(text)
                   .replace(QStringLiteral("/usr/bin/querydeck"), QStringLiteral(QUERYDECK_BIN))
                   .toUtf8());
    unit.close();
    QProcess verify;
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(analyze, {QStringLiteral("verify"), QStringLiteral("--man=no"), unitPath});
    QVERIFY(verify.waitForFinished(30000));
    const QString output = QString::fromUtf8(verify.readAll());
    // Only complaints about this unit count (the host's own units are not ours).
    const QString name = unitPath.section(QLatin1Char('/'), -1);
    QStringList ours;
    for (const QString& line : output.split(QLatin1Char('\n')))
        if (line.contains(name))
            ours << line;
    QVERIFY2(ours.isEmpty(), qPrintable(ours.join(QLatin1Char('\n'))));
}

void TestFleetPackaging::deployment()
{
    const QMap<QString, QString> d =
        YamlPaths::flatten(readSource(QStringLiteral("packaging/kubernetes/deployment.yaml")));
    QCOMPARE(d.value("apiVersion"), QStringLiteral("apps/v1"));
    QCOMPARE(d.value("kind"), QStringLiteral("Deployment"));
    const QString pod = QStringLiteral("spec.template.spec.");
    const QString c = pod + QStringLiteral("containers[0].");
    QCOMPARE(d.value(c + "readinessProbe.httpGet.path"), QStringLiteral("/ready"));
    QCOMPARE(d.value(c + "livenessProbe.httpGet.path"), QStringLiteral("/health"));
    QCOMPARE(d.value(c + "args[0]"), QStringLiteral("serve"));
    QCOMPARE(d.value(c + "ports[0].name"), QStringLiteral("http"));
    QCOMPARE(d.value(c + "readinessProbe.httpGet.port"), QStringLiteral("http"));
    QCOMPARE(d.value("spec.selector.matchLabels.app.kubernetes.io/name"),
             d.value("spec.template.metadata.labels.app.kubernetes.io/name"));

    // preStop: sleep first, then the drain; the grace period covers both plus
    // the service's own drain timeout (20 s) after SIGTERM.
    const QString preStop = d.value(c + "lifecycle.preStop.exec.command[2]");
    const QRegularExpressionMatch sleep =
        QRegularExpression(QStringLiteral("^sleep (\\d+)")).match(preStop);
    QVERIFY2(sleep.hasMatch(), qPrintable(preStop));
    QVERIFY2(preStop.indexOf(QLatin1String("/admin/drain")) > 0, qPrintable(preStop));
    const int grace = d.value(pod + "terminationGracePeriodSeconds").toInt();
    QVERIFY2(grace > sleep.captured(1).toInt() + 20, qPrintable(QString::number(grace)));
    QCOMPARE(d.value("spec.strategy.rollingUpdate.maxUnavailable"), QStringLiteral("0"));
}

void TestFleetPackaging::serviceAndHpa()
{
    const QMap<QString, QString> s =
        YamlPaths::flatten(readSource(QStringLiteral("packaging/kubernetes/service.yaml")));
    const QMap<QString, QString> d =
        YamlPaths::flatten(readSource(QStringLiteral("packaging/kubernetes/deployment.yaml")));
    QCOMPARE(s.value("kind"), QStringLiteral("Service"));
    QCOMPARE(s.value("spec.selector.app.kubernetes.io/name"),
             d.value("spec.template.metadata.labels.app.kubernetes.io/name"));
    QCOMPARE(s.value("spec.ports[0].targetPort"), QStringLiteral("http"));

    const QMap<QString, QString> h =
        YamlPaths::flatten(readSource(QStringLiteral("packaging/kubernetes/hpa.yaml")));
    QCOMPARE(h.value("apiVersion"), QStringLiteral("autoscaling/v2"));
    QCOMPARE(h.value("kind"), QStringLiteral("HorizontalPodAutoscaler"));
    QCOMPARE(h.value("spec.scaleTargetRef.kind"), QStringLiteral("Deployment"));
    QCOMPARE(h.value("spec.scaleTargetRef.name"), d.value("metadata.name"));
    QCOMPARE(h.value("spec.minReplicas"), QStringLiteral("2"));
    QCOMPARE(h.value("spec.maxReplicas"), QStringLiteral("10"));
    QCOMPARE(h.value("spec.metrics[0].resource.name"), QStringLiteral("cpu"));
    QCOMPARE(h.value("spec.metrics[0].resource.target.type"), QStringLiteral("Utilization"));
    QCOMPARE(h.value("spec.metrics[0].resource.target.averageUtilization"), QStringLiteral("70"));
    QCOMPARE(h.value("spec.behavior.scaleUp.stabilizationWindowSeconds"), QStringLiteral("0"));
    QCOMPARE(h.value("spec.behavior.scaleDown.stabilizationWindowSeconds"), QStringLiteral("300"));
}

void TestFleetPackaging::yamlFlattener()
{
    const QMap<QString, QString> y = YamlPaths::flatten(QStringLiteral(
        "# comment\na:\n  b: \"1\"\n  list:\n    - x\n    - k: v\n      m: n\n    - k: w\n"
        "  text: >-\n    one\n    two\n  cmd:\n    - sh\n    - >-\n      a: b\n      c\nc: 3\n"));
    QCOMPARE(y.value("a.b"), QStringLiteral("1"));
    QCOMPARE(y.value("a.list[0]"), QStringLiteral("x"));
    QCOMPARE(y.value("a.list[1].k"), QStringLiteral("v"));
    QCOMPARE(y.value("a.list[1].m"), QStringLiteral("n"));
    QCOMPARE(y.value("a.list[2].k"), QStringLiteral("w"));
    QCOMPARE(y.value("a.text"), QStringLiteral("one two"));
    QCOMPARE(y.value("a.cmd[1]"), QStringLiteral("a: b c"));
    QCOMPARE(y.value("c"), QStringLiteral("3"));
}

void TestFleetPackaging::nginxTemplateRenders()
{
    const QString text = readSource(QStringLiteral("packaging/nginx/querydeck-upstream.conf.in"));
    for (const char* needed :
         {"least_conn", "keepalive 32", "proxy_http_version 1.1",
          "proxy_next_upstream error timeout http_503 non_idempotent", "client_max_body_size",
          "proxy_read_timeout", "/ready", "/health", "limit_conn_zone $binary_remote_addr",
          "limit_conn per_address", "proxy_set_header X-Forwarded-For $remote_addr",
          "proxy_set_header X-Real-IP $remote_addr"})
        QVERIFY2(text.contains(QLatin1String(needed)), needed);

    QTemporaryDir dir;
    NginxTemplateValues values;
    values.prefix = dir.path();
    values.listen = QStringLiteral("127.0.0.1:1");
    values.servers = {QStringLiteral("127.0.0.1:8101"), QStringLiteral("127.0.0.1:8102")};
    values.generation = 7;
    QString error;
    const QString rendered = NginxTemplate::render(text, values, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(rendered.contains("server 127.0.0.1:8102 max_fails=3 fail_timeout=30s;"));
    QVERIFY(rendered.contains("return 200 \"7\""));
    QVERIFY(!rendered.contains(QLatin1Char('@')));
    // The defaults, as nginx directives.
    for (const char* directive :
         {"client_max_body_size 65536;", "client_header_timeout 10000ms;",
          "client_body_timeout 10000ms;", "send_timeout 30000ms;", "keepalive_timeout 30000ms;",
          "limit_conn per_address 32;", "limit_conn_status 429;", "proxy_bind 127.0.0.1;"})
        QVERIFY2(rendered.contains(QLatin1String(directive)), directive);

    // Non-default limits from the fleet's options land where they belong.
    LocalFleetOptions options;
    options.host = QStringLiteral("0.0.0.0"); // nginx then binds upstream connections to loopback
    options.frontPort = 1;
    options.maxBodyBytes = 131072;
    options.frontDoor = {1500, 2500, 3500, 4500, 9, 503};
    NginxTemplateValues tuned = NginxTemplateValues::fromOptions(options, dir.path());
    tuned.servers = values.servers;
    const QString tunedText = NginxTemplate::render(text, tuned, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const char* directive :
         {"listen 0.0.0.0:1;", "client_max_body_size 131072;", "client_header_timeout 1500ms;",
          "client_body_timeout 2500ms;", "send_timeout 3500ms;", "keepalive_timeout 4500ms;",
          "limit_conn per_address 9;", "limit_conn_status 503;", "proxy_bind 127.0.0.1;"})
        QVERIFY2(tunedText.contains(QLatin1String(directive)), directive);

    // The real nginx accepts it (with an empty upstream too, and tuned).
    for (int round = 0; round < 3; ++round) {
        values.servers = round == 1 ? QStringList() : values.servers;
        QFile conf(dir.filePath(QStringLiteral("nginx.conf")));
        QVERIFY(conf.open(QIODevice::WriteOnly | QIODevice::Truncate));
        conf.write((round == 2 ? tunedText : NginxTemplate::render(text, values, &error)).toUtf8());
        conf.close();
        for (const char* sub : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
            QDir(dir.path()).mkpath(QString::fromLatin1(sub));
        QProcess nginx;
        nginx.setProcessChannelMode(QProcess::MergedChannels);
        nginx.start(QStringLiteral("/usr/sbin/nginx"),
                    {QStringLiteral("-t"), QStringLiteral("-p"), dir.path() + '/',
                     QStringLiteral("-e"), dir.filePath(QStringLiteral("error.log")),
                     QStringLiteral("-c"), conf.fileName()});
        QVERIFY2(nginx.waitForFinished(10000), "nginx -t did not run");
        QVERIFY2(nginx.exitCode() == 0, nginx.readAll().constData());
    }
}

void TestFleetPackaging::nginxTemplateRejectsBadInput()
{
    const QString text = readSource(QStringLiteral("packaging/nginx/querydeck-upstream.conf.in"));
    NginxTemplateValues values;
    values.prefix = QStringLiteral("/tmp/x");
    values.listen = QStringLiteral("127.0.0.1:8000");
    QString error;
    QVERIFY(NginxTemplate::render(QString(text).remove(QStringLiteral("@UPSTREAM_SERVERS@")),
                                  values, &error)
                .isEmpty());
    QVERIFY2(error.contains(QLatin1String("@UPSTREAM_SERVERS@")), qPrintable(error));

    values.servers = {QStringLiteral("127.0.0.1:1; } evil {")};
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("evil")), qPrintable(error));

    values.servers = {};
    values.prefix = QStringLiteral("/tmp/with space");
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY(error.contains(QLatin1String("with space")));

    values.prefix = QStringLiteral("/tmp/x");
    values.maxBodyBytes = 0;
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY(error.contains(QLatin1String("body size")));
    values.maxBodyBytes = 1024;

    values.limits.sendTimeoutMs = 0;
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("send timeout must be positive")), qPrintable(error));
    values.limits = {};
    values.limits.connectionsPerAddress = 0;
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("connections per address")), qPrintable(error));
    values.limits = {};
    values.limits.limitStatus = 200;
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("429 or 503, got 200")), qPrintable(error));
    values.limits = {};
    values.proxyBind = QStringLiteral("127.0.0.1; evil");
    QVERIFY(NginxTemplate::render(text, values, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("evil")), qPrintable(error));

    QVERIFY(NginxTemplate::readFile(QStringLiteral("/nonexistent/t.conf.in"), &error).isEmpty());
    QVERIFY(error.contains(QLatin1String("/nonexistent/t.conf.in")));
}

QTEST_GUILESS_MAIN(TestFleetPackaging)
#include "tst_fleetpackaging.moc"
