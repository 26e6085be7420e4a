#include "ui/common/Theme.h"

#include <QApplication>
#include <QStyleFactory>

namespace querydeck {

namespace {

Theme::Mode g_mode = Theme::Mode::Dark;

} // namespace

void Theme::apply(QApplication& app, Mode mode)
{
    g_mode = mode;
    // Fusion draws from the palette everywhere, so both modes look the same on every platform.
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        app.setStyle(fusion);
    app.setPalette(palette(mode));
    app.setStyleSheet(styleSheet(mode));
}

Theme::Mode Theme::current()
{
    return g_mode;
}

QColor Theme::color(Role role)
{
    return color(role, g_mode);
}

QColor Theme::color(Role role, Mode mode)
{
    const bool dark = mode == Mode::Dark;
    switch (role) {
    case Role::Background:
        return dark ? QColor(0x11, 0x12, 0x17) : QColor(0xf4, 0xf5, 0xf5);
    case Role::Panel:
        return dark ? QColor(0x18, 0x1b, 0x1f) : QColor(0xff, 0xff, 0xff);
    case Role::PanelBorder:
        return dark ? QColor(0x2a, 0x2d, 0x33) : QColor(0xdc, 0xde, 0xe1);
    case Role::Text:
        return dark ? QColor(0xcc, 0xcc, 0xdc) : QColor(0x24, 0x29, 0x2e);
    case Role::MutedText:
        return dark ? QColor(0x9f, 0xa1, 0xab) : QColor(0x5f, 0x63, 0x6b);
    case Role::Grid:
        return dark ? QColor(0x26, 0x29, 0x2f) : QColor(0xea, 0xeb, 0xed);
    case Role::Track:
        return dark ? QColor(0x2c, 0x30, 0x36) : QColor(0xe4, 0xe6, 0xe9);
    case Role::Tooltip:
        return dark ? QColor(0x22, 0x25, 0x2b) : QColor(0xff, 0xff, 0xff);
    case Role::Focus:
        return dark ? QColor(0x57, 0x94, 0xf2) : QColor(0x3d, 0x71, 0xd9);
    }
    return {};
}

QColor Theme::color(const QString& name)
{
    const bool dark = g_mode == Mode::Dark;
    const QString key = name.trimmed().toLower();
    if (key.startsWith('#')) {
        const QColor parsed = QColor::fromString(key);
        if (parsed.isValid())
            return parsed;
    }
    // Light mode uses deeper shades so thin lines keep their contrast on white.
    if (key == u"green")
        return dark ? QColor(0x73, 0xbf, 0x69) : QColor(0x56, 0xa6, 0x4b);
    if (key == u"amber" || key == u"yellow")
        return dark ? QColor(0xf2, 0xcc, 0x0c) : QColor(0xd9, 0xa4, 0x00);
    if (key == u"red")
        return dark ? QColor(0xf2, 0x49, 0x5c) : QColor(0xe0, 0x2f, 0x44);
    if (key == u"blue")
        return dark ? QColor(0x57, 0x94, 0xf2) : QColor(0x32, 0x74, 0xd9);
    if (key == u"orange")
        return dark ? QColor(0xff, 0x98, 0x30) : QColor(0xfa, 0x64, 0x00);
    if (key == u"purple")
        return dark ? QColor(0xb8, 0x77, 0xd9) : QColor(0x8f, 0x3b, 0xb8);
    return dark ? QColor(0x8e, 0x8e, 0x96) : QColor(0x8e, 0x92, 0x9a);
}

QColor Theme::seriesColor(int index)
{
    static const char* const names[] = {"green", "amber", "blue", "orange", "red", "purple"};
    static const QColor extraDark[] = {QColor(0x8a, 0xb8, 0xff), QColor(0x96, 0xd9, 0x8d)};
    static const QColor extraLight[] = {QColor(0x1f, 0x60, 0xc4), QColor(0x37, 0x87, 0x2d)};
    const int count = int(std::size(names)) + 2;
    const int slot = ((index % count) + count) % count;
    if (slot < int(std::size(names)))
        return color(QString::fromLatin1(names[slot]));
    return g_mode == Mode::Dark ? extraDark[slot - std::size(names)]
                                : extraLight[slot - std::size(names)];
}

QPalette Theme::palette(Mode mode)
{
    const bool dark = mode == Mode::Dark;
    const QColor text = color(Role::Text, mode);
    const QColor muted = color(Role::MutedText, mode);
    const QColor panel = color(Role::Panel, mode);
    const QColor window = color(Role::Background, mode);
    const QColor button = dark ? QColor(0x22, 0x25, 0x2b) : QColor(0xf0, 0xf1, 0xf3);
    const QColor highlight = dark ? QColor(0x3d, 0x71, 0xd9) : QColor(0x3d, 0x71, 0xd9);

    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, panel);
    p.setColor(QPalette::AlternateBase, dark ? QColor(0x1f, 0x22, 0x27) : QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, dark ? Qt::white : Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, color(Role::Tooltip, mode));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Link, dark ? QColor(0x6e, 0x9f, 0xff) : QColor(0x1f, 0x62, 0xe0));
    p.setColor(QPalette::Light, dark ? QColor(0x34, 0x38, 0x3f) : Qt::white);
    p.setColor(QPalette::Midlight, dark ? QColor(0x2c, 0x30, 0x36) : QColor(0xe4, 0xe6, 0xe9));
    p.setColor(QPalette::Mid, color(Role::PanelBorder, mode));
    p.setColor(QPalette::Dark, dark ? QColor(0x0b, 0x0c, 0x0e) : QColor(0xb8, 0xbc, 0xc2));
    p.setColor(QPalette::Shadow, dark ? Qt::black : QColor(0x9a, 0x9e, 0xa5));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role,
                   dark ? QColor(0x6e, 0x70, 0x78) : QColor(0xa0, 0xa4, 0xaa));
    return p;
}

QString Theme::styleSheet(Mode mode)
{
    // Kept small: panels paint themselves from Theme::color(); this only
    // tunes the chrome that Fusion draws (menus, tool tips, panel menu buttons).
    const QString text = color(Role::Text, mode).name();
    const QString border = color(Role::PanelBorder, mode).name();
    const QString tooltip = color(Role::Tooltip, mode).name();
    const QString focus = color(Role::Focus, mode).name();
    const QString hover =
        mode == Mode::Dark ? QStringLiteral("#2c3036") : QStringLiteral("#e9ebee");
    return QStringLiteral(
               "QToolTip { color: %1; background-color: %3; border: 1px solid %2; padding: 4px; }\n"
               "QMenu { background-color: %3; border: 1px solid %2; padding: 4px 0; }\n"
               "QMenu::item { padding: 0.3em 1.6em 0.3em 1em; color: %1; }\n"
               "QMenu::item:selected { background-color: %5; }\n"
               "QToolButton#panelMenuButton { border: 1px solid transparent; border-radius: 2px;"
               " padding: 0 0.2em; }\n"
               "QToolButton#panelMenuButton:hover { background-color: %5; }\n"
               "QToolButton#panelMenuButton[keyboardFocus=\"true\"] { border-color: %4; }\n"
               "QToolButton#panelMenuButton::menu-indicator { image: none; width: 0; }\n")
        .arg(text, border, tooltip, focus, hover);
}

} // namespace querydeck
