// Renders the four panel types in a 2x2 grid at 1200x700 in both themes to
// PNGs (under QUERYDECK_SNAPSHOT_DIR, when set) for people to look at,
// and checks the renders are not blank.
#include "Snapshot.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/PanelWidget.h"

#include <QApplication>
#include <QDir>
#include <QGridLayout>
#include <QImage>
#include <QTest>
#include <QtMath>
#include <cmath>

using namespace querydeck;

namespace {

constexpr qint64 End = 1795000000000; // fixed so renders are reproducible
constexpr qint64 Span = 15 * 60 * 1000;
constexpr qint64 Step = 5000;

EvaluatedSeries wave(const QString& legend, double base, double amplitude, double noise, int seed)
{
    EvaluatedSeries series;
    series.legend = legend;
    quint32 state = quint32(seed) * 2654435761u + 1;
    for (qint64 t = End - Span; t <= End; t += Step) {
        state = state * 1664525u + 1013904223u;
        const double jitter = (double(state >> 8) / double(1 << 24) - 0.5) * 2 * noise;
        const double phase = double(t - (End - Span)) / double(Span) * 2 * M_PI;
        series.points.push_back({t, base + amplitude * std::sin(phase * 1.5 + seed) + jitter});
    }
    return series;
}

PanelData dataFor(const QString& id, std::vector<EvaluatedSeries> series)
{
    PanelData data;
    data.panelId = id;
    data.from = End - Span;
    data.to = End;
    data.series = std::move(series);
    return data;
}

std::vector<Threshold> steps(double amber, double red)
{
    return {Threshold{-std::numeric_limits<double>::infinity(), "green"}, Threshold{amber, "amber"},
            Threshold{red, "red"}};
}

QWidget* buildGrid()
{
    auto* page = new QWidget;
    page->setAutoFillBackground(true);
    auto* grid = new QGridLayout(page);
    const int gap = page->fontMetrics().height() / 2;
    grid->setContentsMargins(gap, gap, gap, gap);
    grid->setSpacing(gap);

    PanelDefinition cpu;
    cpu.id = "cpu";
    cpu.title = "CPU usage";
    cpu.unit = "percent";
    cpu.thresholds = steps(70, 80);
    PanelWidget* cpuPanel = PanelWidget::create(cpu, page);
    cpuPanel->setData(dataFor("cpu", {wave("cpu", 62, 16, 6, 1)}));

    PanelDefinition requests;
    requests.id = "requests";
    requests.title = "Requests / min";
    requests.type = PanelType::Stat;
    requests.unit = "reqpm";
    requests.thresholds = steps(500, 800);
    PanelWidget* stat = PanelWidget::create(requests, page);
    stat->setData(dataFor("requests", {wave("requests", 320, 60, 25, 2)}));

    PanelDefinition memory;
    memory.id = "memory";
    memory.title = "Memory used";
    memory.type = PanelType::Gauge;
    memory.unit = "percent";
    memory.thresholds = steps(70, 85);
    PanelWidget* gauge = PanelWidget::create(memory, page);
    EvaluatedSeries mem = wave("memory", 60, 3, 1, 3);
    mem.points.back().v = 63.0;
    gauge->setData(dataFor("memory", {mem}));

    PanelDefinition latency;
    latency.id = "latency";
    latency.title = "P95 latency by route";
    latency.type = PanelType::Table;
    latency.unit = "s";
    latency.thresholds = steps(0.5, 1.0);
    PanelWidget* table = PanelWidget::create(latency, page);
    table->setData(dataFor("latency", {wave("/v1/query", 0.42, 0.05, 0.02, 4),
                                       wave("/v1/query (cache hit)", 0.012, 0.002, 0.001, 5),
                                       wave("/v1/ingest", 1.35, 0.1, 0.05, 6),
                                       wave("/healthz", 0.0008, 0.0001, 0.0001, 7),
                                       wave("/metrics", 0.65, 0.05, 0.01, 8)}));

    grid->addWidget(cpuPanel, 0, 0);
    grid->addWidget(stat, 0, 1);
    grid->addWidget(gauge, 1, 0);
    grid->addWidget(table, 1, 1);
    return page;
}

} // namespace

class TestPanelGallery : public QObject
{
    Q_OBJECT

private slots:
    void render_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("dark") << int(Theme::Mode::Dark);
        QTest::newRow("light") << int(Theme::Mode::Light);
    }

    void render()
    {
        QFETCH(int, mode);
        Theme::apply(*qApp, Theme::Mode(mode));
        std::unique_ptr<QWidget> page(buildGrid());
        page->resize(1200, 700);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        const QImage image = page->grab().toImage();
        QCOMPARE(image.size(), QSize(1200, 700) * page->devicePixelRatio());

        if (const QString dir = querydeck::test::snapshotDir(); !dir.isEmpty()) {
            const QString path =
                QDir(dir).filePath(QStringLiteral("panels-%1.png").arg(QTest::currentDataTag()));
            QVERIFY2(image.save(path), qPrintable("cannot save " + path));
        }

        // Not blank: the panels draw far more than the background colour.
        const QRgb background = Theme::color(Theme::Role::Background).rgb();
        int other = 0;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                other += image.pixel(x, y) != background;
        QVERIFY2(other > 1000, qPrintable(QString("only %1 sampled pixels differ").arg(other)));
    }

    // A busy chart (4 series x 1000 points) takes frame after frame. What a
    // refresh costs on the GUI thread is a figure, not a pass or fail on a
    // shared machine: build/bin/bench_console prints it.
    void timeSeriesRefreshes()
    {
        PanelDefinition def;
        def.id = "busy";
        def.title = "Busy";
        def.unit = "percent";
        def.thresholds = steps(70, 80);
        std::unique_ptr<PanelWidget> panel(PanelWidget::create(def));
        panel->resize(600, 300);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        std::vector<PanelData> frames;
        for (int f = 0; f < 20; ++f) {
            std::vector<EvaluatedSeries> list;
            for (int s = 0; s < 4; ++s) {
                EvaluatedSeries series = wave(QString("s%1").arg(s), 50, 20, 10, s + f);
                while (series.points.size() < 1000)
                    series.points.push_back({series.points.back().t + 900, 50});
                list.push_back(series);
            }
            frames.push_back(dataFor("busy", list));
        }
        for (const PanelData& frame : frames) {
            panel->setData(frame);
            panel->repaint();
        }
        QVERIFY(!panel->grab().isNull());
    }

    // A multi-series chart (legend shown) and a wall-mode stat, for the eye.
    void renderLegendAndWall()
    {
        Theme::apply(*qApp, Theme::Mode::Dark);
        auto* page = new QWidget;
        std::unique_ptr<QWidget> owner(page);
        page->setAutoFillBackground(true);
        auto* grid = new QGridLayout(page);

        PanelDefinition io;
        io.id = "io";
        io.title = "Disk I/O";
        io.unit = "bytes/s";
        PanelWidget* chart = PanelWidget::create(io, page);
        chart->setData(
            dataFor("io", {wave("read", 40e6, 30e6, 8e6, 1), wave("write", 20e6, 10e6, 4e6, 2),
                           wave("network rx", 60e6, 20e6, 10e6, 3)}));

        PanelDefinition users;
        users.id = "users";
        users.title = "Active users";
        users.type = PanelType::Stat;
        users.unit = "short";
        PanelWidget* stat = PanelWidget::create(users, page);
        stat->setWallMode(true);
        stat->setData(dataFor("users", {wave("users", 1250, 200, 50, 4)}));

        grid->addWidget(chart, 0, 0);
        grid->addWidget(stat, 0, 1);
        page->resize(1200, 400);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page));
        QVERIFY(querydeck::test::saveSnapshot(page, QStringLiteral("panels-legend-wall.png")));
    }
};

QTEST_MAIN(TestPanelGallery)
#include "tst_ui_panelgallery.moc"
