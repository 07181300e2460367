"""How the reader's panes share the width: the article keeps a readable measure, the others give way."""

from __future__ import annotations

from dataclasses import dataclass

NARROW = 100  # below this the panes stack: each gets the whole width
LIBRARY_WIDTH = 34  # as in app.tcss
SIDE_SHARE, SIDE_MIN, SIDE_MAX = 0.38, 30, 70  # the notes / entities panel, as in app.tcss
EMPTY_NOTES_WIDTH = 26  # "No footnotes." beside the gutter, inside the border and padding
# ~50 columns of text: the border, padding, scroll bar and wrap margin take 7 of these
MIN_ARTICLE = 56


@dataclass(frozen=True, slots=True)
class PaneFit:
    side_width: int | None  # None: the stylesheet's width
    hide: str | None = None  # "side" or "library": the pane that gives way


def fit_panes(width: int, *, library: bool, side: bool, side_empty: bool = False, keep: str = "library") -> PaneFit:
    """Widths beside the article at terminal ``width``.

    The side panel shrinks first (down to SIDE_MIN); when the article would still be
    narrower than MIN_ARTICLE, one pane goes: the one not in ``keep`` (the pane the
    reader asked for last stays).
    """
    if width < NARROW or not side:
        return PaneFit(None)
    wanted = EMPTY_NOTES_WIDTH if side_empty else min(SIDE_MAX, max(SIDE_MIN, int(width * SIDE_SHARE)))
    room = width - (LIBRARY_WIDTH if library else 0) - MIN_ARTICLE
    if room >= wanted:
        return PaneFit(wanted if side_empty else None)
    if room >= min(SIDE_MIN, wanted):
        return PaneFit(room)
    if not library:
        return PaneFit(None)  # an article beside one panel at >= 100 columns always has room
    return PaneFit(None, "side" if keep == "library" else "library")
