// The console's operator-state files: silences and acknowledgements
// ({"<key>": [...]} through JsonListFile) and the alert history (one JSON
// object per line). One target with a leading selector byte because they are
// siblings of one format: small JSON objects of the same kinds of fields
// (ids, label matchers, times in ms, names) read with the same helpers, so a
// corpus entry for one is a good mutation start for the others.
//   byte 0 % 3: 0 silences, 1 acknowledgements, 2 history lines.
#include "FuzzSupport.h"
#include "backend/alerting/AlertAcknowledgements.h"
#include "backend/alerting/AlertHistory.h"
#include "backend/alerting/AlertSilence.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace querydeck;
    if (size < 1)
        return 0;
    const QByteArray input = fuzz::bytes(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0: {
        const AlertSilences::LoadResult loaded = AlertSilences::parse(input);
        QMap<QString, QString> labels{{QStringLiteral("alertname"), QStringLiteral("X")},
                                      {QStringLiteral("instance"), QStringLiteral("r1")}};
        for (const AlertSilence& silence : loaded.value) {
            silence.validate();
            silence.matches(labels, silence.startsMs);
        }
        if (loaded.errors.isEmpty())
            AlertSilences::parse(AlertSilences::serialize(loaded.value));
        break;
    }
    case 1: {
        const AlertAcknowledgements::LoadResult loaded = AlertAcknowledgements::parse(input);
        if (loaded.errors.isEmpty())
            AlertAcknowledgements::parse(AlertAcknowledgements::serialize(loaded.value));
        break;
    }
    default:
        for (const QByteArray& line : input.split('\n')) {
            QString error;
            if (const auto entry = AlertHistory::fromLine(line, &error))
                AlertHistory::fromLine(AlertHistory::toLine(*entry), &error);
        }
        break;
    }
    return 0;
}
