"""Component styles for the line-API widgets (article, notes), made opaque and readable.

``Widget.get_component_rich_style`` turns a Textual colour into a Rich one by dropping
its alpha, and resolves ``auto`` colours against nothing: ``background: $boost``
(white at 4 %) came out as pure white, ``color: $text`` (auto 87 %) as white in light
themes — white text on a white current note.  Here every colour is blended over what
is really behind it, and text that would still read poorly against its background
(an accent colour on a light theme's surface) is moved towards black or white until
it reaches the WCAG AA contrast ratio.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from textual.app import App
from textual.color import BLACK, WHITE, Color
from textual.widget import Widget

# WCAG AA for body text is 4.5:1; aim a little above so rounding to 8-bit colours keeps it.
MINIMUM_CONTRAST = 4.5
_TARGET = MINIMUM_CONTRAST + 0.1


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(color: Color, background: Color, minimum: float = _TARGET) -> Color:
    """``color``, moved towards black or white (away from ``background``) just far enough to read."""
    if color.ansi is not None or background.ansi is not None:
        return color  # the terminal's palette decides what these look like
    if contrast(color, background) >= minimum:
        return color
    towards = WHITE if contrast(WHITE, background) > contrast(BLACK, background) else BLACK
    for step in range(1, 21):
        moved = color.blend(towards, step / 20, 1.0)
        if contrast(moved, background) >= minimum:
            return moved
    return towards


def component_style(widget: Widget, *names: str, readable_text: bool = True) -> Style:
    """The partial Rich style of component classes ``names`` layered in order over ``widget``.

    Backgrounds are composed over the widget's own background; the text colour is
    resolved over the resulting background (``auto`` included) and, unless
    ``readable_text`` is false, kept readable against it.  A component that sets
    no colour or background leaves it unset, so styles still combine with ``+``.
    """
    under = widget.background_colors[1]
    background: Color | None = None
    color: Color | None = None
    auto_alpha: float | None = None
    text_style = Style()
    for name in names:
        styles = widget.get_component_styles(name)
        if styles.has_rule("background"):
            background = (background or under) + styles.background
        if styles.has_rule("color"):
            color = styles.color.multiply_alpha(styles.text_opacity)
            auto_alpha = color.a if styles.has_rule("auto_color") and styles.auto_color else None
        text_style += styles.text_style
    behind = background or under
    if color is not None:
        if auto_alpha is not None:
            color = behind.get_contrast_text(auto_alpha)
        color = behind + color
        if readable_text:
            color = readable(color, behind)
    return (
        Style(
            color=color.rich_color if color is not None else None,
            bgcolor=background.rich_color if background is not None else None,
        )
        + text_style
    )


def keep_readable(style: Style) -> Style:
    """``style`` with its text colour made readable on its own background.

    Spans are styled one over another (an entity inside a search hit, a muted line
    in the current note): the pair that ends up on screen is only known here.
    """
    fg, bg = style.color, style.bgcolor
    if fg is None or bg is None or fg.triplet is None or bg.triplet is None:
        return style
    fixed = _readable_rich(fg.triplet.hex, bg.triplet.hex)
    return style if fixed is None else style + Style(color=fixed)


@lru_cache(maxsize=4096)
def _readable_rich(fg: str, bg: str) -> str | None:
    color, background = Color.parse(fg), Color.parse(bg)
    if contrast(color, background) >= MINIMUM_CONTRAST:
        return None
    return readable(color, background).hex


def variable_style(app: App, name: str) -> Style:
    """A Rich style with theme variable ``name`` (a colour) as its text colour."""
    value = app.theme_variables.get(name)
    return Style(color=Color.parse(value).rich_color) if value else Style()
