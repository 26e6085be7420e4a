#include "app/Commands.h"
#include "app/ServiceOptions.h"
#include "backend/logging/Logging.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryPipeline.h"
#include "backend/service/QueryRequest.h"
#include "backend/service/QueryService.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

namespace querydeck {

int runQuery(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Ask one question through the in-process pipeline (no HTTP) and print "
                       "the JSON answer on stdout, exactly as POST /v1/query would return it."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("text"), QStringLiteral("The question."));
    QCommandLineOption topK(
        QStringLiteral("top-k"),
        QStringLiteral("Chunks to retrieve, 1-20. Default: retrieval.default_top_k (4)."),
        QStringLiteral("N"));
    parser.addOption(topK);
    const ServiceOptions options(ServiceOptions::QueryOptions);
    options.addTo(parser);
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "querydeck query: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QLatin1String("[options]"),
                                                        QLatin1String("query [options]"))),
                   stdout);
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "querydeck query: expected exactly one question, e.g. "
                             "querydeck query \"how do I drain a replica?\"\n");
        return 2;
    }
    ServiceOptions::Result resolved = options.resolve(parser);
    if (!resolved.error.isEmpty()) {
        std::fprintf(stderr, "querydeck query: %s\n", qPrintable(resolved.error));
        return 2;
    }
    if (const QString error = LoggingSetup::apply(resolved.config.logging); !error.isEmpty()) {
        std::fprintf(stderr, "querydeck query: logging: %s\n", qPrintable(error));
        return 2;
    }

    // The same validation as the HTTP API, so the CLI refuses what the API refuses.
    QJsonObject body{{QStringLiteral("query"), parser.positionalArguments().first()}};
    if (parser.isSet(topK))
        body.insert(QStringLiteral("top_k"), parser.value(topK).toDouble());
    QueryRequest::Parsed parsed = QueryRequest::parse(
        QJsonDocument(body).toJson(QJsonDocument::Compact), resolved.config.retrieval.defaultTopK);
    if (parsed.error) {
        std::fprintf(stdout, "%s\n", parsed.error->body().constData());
        return 2;
    }

    QueryService service(resolved.config, std::make_shared<KeychainSecretStore>());
    if (const QString error = service.startInProcess(); !error.isEmpty()) {
        std::fprintf(stderr, "querydeck query: %s\n", qPrintable(error));
        return 1;
    }
    const QueryOutcome outcome =
        service.pipeline().run(parsed.request, std::chrono::steady_clock::now());
    service.stop();
    if (!outcome.ok()) {
        std::fprintf(stdout, "%s\n", outcome.error->body().constData());
        return 1;
    }
    std::fprintf(stdout, "%s\n", outcome.body.constData());
    return 0;
}

} // namespace querydeck
