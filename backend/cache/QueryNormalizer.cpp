#include "backend/cache/QueryNormalizer.h"

#include "backend/common/Sha256.h"

#include <array>

namespace querydeck {

namespace {

enum class CharClass : char
{
    Keep,
    Drop,
    Space
};

bool isPunctuation(QChar::Category category)
{
    return category >= QChar::Punctuation_Connector && category <= QChar::Punctuation_Other;
}

CharClass classify(char32_t ucs4)
{
    if (QChar::isSpace(ucs4))
        return CharClass::Space;
    const auto category = QChar::category(ucs4);
    if (isPunctuation(category))
        return CharClass::Drop;
    // A control character between two words must not glue them together.
    if (category == QChar::Other_Control)
        return CharClass::Space;
    return CharClass::Keep;
}

// ASCII decisions precomputed from the same Unicode rules, so the fast path
// cannot disagree with the general one.
struct AsciiTable
{
    AsciiTable()
    {
        for (char32_t c = 0; c < 128; ++c) {
            cls[c] = classify(c);
            folded[c] = char16_t(QChar::toCaseFolded(c));
        }
    }
    std::array<CharClass, 128> cls{};
    std::array<char16_t, 128> folded{};
};

const AsciiTable& asciiTable()
{
    static const AsciiTable table;
    return table;
}

bool isAscii(const QString& text)
{
    const auto* p = reinterpret_cast<const char16_t*>(text.constData());
    const char16_t* end = p + text.size();
    char16_t bits = 0;
    for (; p != end; ++p)
        bits |= *p;
    return bits < 0x80;
}

// Collapses whitespace and drops punctuation; `text` is already NFKC and
// case folded.
QString filter(const QString& text)
{
    const auto& table = asciiTable();
    QString out(text.size(), Qt::Uninitialized);
    char16_t* dst = reinterpret_cast<char16_t*>(out.data());
    char16_t* const begin = dst;
    bool pendingSpace = false;
    const auto* p = reinterpret_cast<const char16_t*>(text.constData());
    const char16_t* const end = p + text.size();
    while (p != end) {
        char32_t ucs4 = *p;
        int units = 1;
        if (QChar::isHighSurrogate(ucs4) && p + 1 != end && QChar::isLowSurrogate(p[1])) {
            ucs4 = QChar::surrogateToUcs4(char16_t(ucs4), p[1]);
            units = 2;
        }
        CharClass cls;
        char16_t asciiFolded = 0;
        if (ucs4 < 128) {
            cls = table.cls[ucs4];
            asciiFolded = table.folded[ucs4];
        } else {
            cls = classify(ucs4);
        }
        if (cls == CharClass::Space) {
            pendingSpace = dst != begin;
        } else if (cls == CharClass::Keep) {
            if (pendingSpace) {
                *dst++ = u' ';
                pendingSpace = false;
            }
            if (ucs4 < 128) {
                *dst++ = asciiFolded;
            } else {
                *dst++ = p[0];
                if (units == 2)
                    *dst++ = p[1];
            }
        }
        p += units;
    }
    out.truncate(dst - begin);
    return out;
}

} // namespace

QString QueryNormalizer::normalize(const QString& query)
{
    if (isAscii(query))
        return filter(query); // ASCII is already NFKC; folding is in the table
    // NFKC_Casefold order (NFKC, fold, NFKC); the final pass also recomposes
    // marks that punctuation removal brought next to a base letter.
    const QString folded = query.normalized(QString::NormalizationForm_KC).toCaseFolded();
    return filter(folded).normalized(QString::NormalizationForm_KC);
}

QByteArray QueryNormalizer::key(const QString& normalized, const QByteArray& namespaceTag)
{
    return Sha256::hexDigest({namespaceTag, QByteArrayView("\n", 1), normalized.toUtf8()});
}

} // namespace querydeck
