"""The theme colours tuireader draws with: Textual's, with the few that read poorly made readable.

Some themes fall short of WCAG AA with their own colours: solarized-light's text on
its surface is 4.39:1, textual-light's footer keys 2.9:1.  Each theme keeps its look;
only a colour below 4.5:1 against the backgrounds it is drawn on is moved towards
black or white, as little as it takes (the same rule as the article's highlights).
"""

from __future__ import annotations

from textual.color import Color, ColorParseError

from .widgets.styling import contrast, readable

_TARGET = 4.6


def _most_readable(color: Color, backgrounds: list[Color]) -> Color:
    """``color`` made readable against every one of ``backgrounds``."""
    for _ in range(len(backgrounds) + 1):
        worst = min(backgrounds, key=lambda bg: contrast(color, bg))
        if contrast(color, worst) >= _TARGET:
            break
        color = readable(color, worst, _TARGET)
    return color


def most_readable(color: Color, backgrounds: list[Color]) -> Color:
    """``color`` moved as little as it takes to read on each of ``backgrounds`` (4.6:1)."""
    return _most_readable(color, backgrounds)


# (text colour, the layers it may be drawn on, each over the background): Textual's
# variables that carry text in our screens.  A list may sit on the screen or on a surface.
_PAIRS = (
    ("footer-key-foreground", (("footer-background",),)),
    ("footer-description-foreground", (("footer-background",),)),
    ("footer-foreground", (("footer-background",),)),
    (
        "block-cursor-blurred-foreground",
        (("block-cursor-blurred-background",), ("surface", "block-cursor-blurred-background")),
    ),
    ("block-cursor-foreground", (("block-cursor-background",), ("surface", "block-cursor-background"))),
)
MUTED = 0.3  # how far muted text goes towards the background, when contrast allows


def readable_variables(variables: dict[str, str]) -> dict[str, str]:
    """The theme's CSS ``variables`` with its text colours readable on its own backgrounds,
    and ``$reader-muted`` added.

    ``$reader-muted`` is the theme's text colour faded towards its background as far as it
    stays readable on the background, the surface and the panel (Textual's ``$text-muted``
    is 60 % of the text colour, below 4.5:1 in several light themes).
    """
    colors = {name: Color.parse(value) for name, value in variables.items() if _is_plain_colour(value)}
    if any(c.ansi is not None for c in colors.values()):
        # ANSI colours: the terminal's palette decides
        return {**variables, "reader-muted": variables["foreground"]}
    background = colors["background"]
    backgrounds = [background, *(background + colors[n] for n in ("surface", "panel") if n in colors)]
    foreground = _most_readable(background + colors["foreground"], backgrounds)
    fixed = {**variables, "foreground": foreground.hex}
    for name, layers in _PAIRS:
        if name not in colors:
            continue  # "auto": Textual picks black or white against the real background
        behind = []
        for stack in layers:
            colour = background
            for layer in stack:
                colour = colour + colors.get(layer, Color(0, 0, 0, 0))
            behind.append(colour)
        fixed[name] = _most_readable(behind[0] + colors[name], behind).hex
    fixed["reader-muted"] = _most_readable(foreground.blend(background, MUTED, 1.0), backgrounds).hex
    return fixed


def _is_plain_colour(value: str) -> bool:
    try:
        Color.parse(value)
    except ColorParseError:  # "auto 87%", text styles: not a colour to check
        return False
    return True
