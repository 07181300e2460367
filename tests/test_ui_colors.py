"""Colours as the reader sees them: every text cell readable (WCAG AA, 4.5:1) in every built-in theme."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from textual.color import Color

from tuireader.ui.widgets.entities import TYPE_ORDER
from tuireader.ui.widgets.notes import NotesPanel
from tuireader.ui.widgets.styling import contrast, readable

from .conftest import LIBRARY, write
from .contrast import poor_contrast, screen_rows, text_cells
from .test_ui import ISW_ID, app_for, article, settle

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")

# ANSI themes draw with the terminal's own palette: no colour in the screenshot to judge.
ANSI_THEMES = ("ansi-dark", "ansi-light", "textual-ansi")


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("#ffffff", "#000000", 21.0),  # the extremes
        ("#ffffff", "#ffffff", 1.0),  # the white-on-white current note of the issue
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white (WebAIM)
        ("#777777", "#ffffff", 4.48),  # one step lighter fails
    ],
)
def test_contrast_ratio_matches_wcag(fg, bg, expected):
    assert contrast(Color.parse(fg), Color.parse(bg)) == pytest.approx(expected, abs=0.01)


def test_readable_moves_a_colour_only_as_far_as_needed():
    surface = Color.parse("#d8d8d8")  # textual-light's surface
    accent = Color.parse("#fea62b")  # its accent: 1.38:1 there
    fixed = readable(accent, surface)
    assert 4.5 <= contrast(fixed, surface) < 5.5
    assert fixed.r > fixed.b  # still an orange, darker
    ok = Color.parse("#1f1f1f")
    assert readable(ok, surface) == ok


def _highlight_every_paragraph() -> None:
    """Four words at the start of every paragraph highlighted, the colours in turn: some are on screen wherever it is."""
    from tuireader import paths
    from tuireader.annotations import AnnotationStore
    from tuireader.annotations.model import BOOKMARK, COLOURS
    from tuireader.annotations.service import new_annotation
    from tuireader.core.library import Library

    library = Library(LIBRARY)
    doc = library.parse(library.find(ISW_ID))
    store = AnnotationStore(paths.annotations_file())
    for i, block in enumerate(b for b in doc.blocks if len(b.text.split()) > 4):
        words = " ".join(block.text.split()[:4])
        store.add(new_annotation(doc, block.source_start, block.content.to_source(len(words)), colour=COLOURS[i % 4]))
        if i % 3 == 0:  # a bookmark's mark, too, beside some of the lines
            store.add(new_annotation(doc, block.source_start, block.source_start, kind=BOOKMARK))


@pytest.mark.long
async def test_every_text_cell_is_readable_in_every_builtin_theme():
    _highlight_every_paragraph()
    app = app_for(doc=ISW_ID)
    # Small enough to be quick (each theme repaints the whole screen), wide enough for three panes.
    async with app.run_test(size=(130, 32)) as pilot:
        await settle(pilot)
        await pilot.press("l")  # the library, with the open document's row highlighted
        await pilot.press("ctrl+f", *"Erdogan")
        await settle(pilot)
        await pilot.press("enter")  # hits in the text (one current) and in the notes
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "enter")
        await settle(pilot)
        # What the screen holds: the current note in the focused panel, search hits, the
        # library with the open document's row highlighted, entities of every type, the footer.
        assert isinstance(app.focused, NotesPanel) and app.focused.current_note is not None
        view = article(app)
        first, last = view.visible_line_range()
        assert any(first <= view.line_of_char(b, s) < last for b, s, _ in view.hits)
        shown_types = {sp.type for sp in view.entity_spans if first <= view.line_of_char(sp.block, sp.start) < last}
        assert shown_types == set(TYPE_ORDER)
        assert app.query_one("#library-list").highlighted_option.id == ISW_ID
        await pilot.press("v", "j")  # a selection being made in the current note, and the bar that says what it does
        await settle(pilot)
        assert app.query_one(NotesPanel).selection is not None and app.query_one("#selection").display
        shown = {name for b, s, _, name in view.annotation_spans if first <= view.line_of_char(b, s) < last}
        # the colours go in turn by paragraph: which two are on screen depends on where the view is
        assert len({n for n in shown if n.startswith("article--highlight-")}) >= 2
        assert any(first <= line < last for line in view.bookmark_lines())
        themes = sorted(name for name in app.available_themes if name not in ANSI_THEMES)
        assert len(themes) >= 19
        failures = {}
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            await pilot.pause()  # the line widgets restyle after the refresh that follows
            svg = app.export_screenshot()
            cells = text_cells(svg)
            assert len(cells) > 1500  # the whole screen was read
            bad = poor_contrast(cells)
            if bad:
                rows = screen_rows(svg)
                worst = min(bad, key=lambda c: c.ratio)
                pairs = Counter((c.fg, c.bg) for c in bad).most_common(3)
                failures[theme] = (
                    f"{len(bad)} cells, worst {worst.ratio:.2f} {worst.fg} on {worst.bg} in row "
                    f"{worst.row}: {rows[worst.row].strip()[:70]!r}; most common {pairs}"
                )
        assert not failures, "\n".join(f"{t}: {why}" for t, why in failures.items())


async def pick_theme_in_palette(pilot, name: str) -> None:
    await pilot.press("ctrl+p", *"switch theme")
    await settle(pilot)
    await pilot.press("enter")  # our "Switch theme" command: Textual's theme list
    await settle(pilot)
    await pilot.press(*name)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.long
async def test_theme_picked_in_the_palette_is_used_at_the_next_start(isolated_user_dirs):
    from tuireader.paths import state_file, user_settings_file

    library_files = sorted(p.name for p in LIBRARY.iterdir())
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pick_theme_in_palette(pilot, "solarized-light")
        assert app.theme == "solarized-light"
        await pilot.press("q")
    assert json.loads(state_file().read_text(encoding="utf-8"))["theme"] == "solarized-light"
    assert sorted(p.name for p in LIBRARY.iterdir()) == library_files  # nothing written beside the documents
    assert not list(state_file().parent.glob("*.tmp"))  # written through a temporary file, renamed

    again = app_for(doc=ISW_ID)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "solarized-light"

    # A theme written into settings.yaml after that choice is the newer wish: it wins.
    write(user_settings_file(), "theme: nord\n")
    third = app_for(doc=ISW_ID)
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert third.theme == "nord"


async def test_cosmetics_library_rows_help_columns_and_title_ellipsis():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = screen_rows(app.export_screenshot())
        assert rows[0].rstrip().endswith("…")  # the title bar says it is cut (before: cut mid-word)
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = str(app.screen.query_one("#help-dialog Static").render())
        lines = [ln for ln in help_text.splitlines() if ln.startswith("  ") and ("app." in ln or "article." in ln)]
        back = next(ln for ln in lines if ln.strip().startswith("backspace, alt+left"))
        top = next(ln for ln in lines if ln.strip().startswith("g "))
        # the description column starts at one place for every key (before: shifted after the long one)
        assert back.index("Back") == top.index("Top")
    wide = app_for()
    async with wide.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        rows = screen_rows(wide.export_screenshot())
        row = next(r for r in rows.values() if "The Turkic military" in r)
        assert "│ The Turkic military" in row  # a space off the border, as the filter's text (before: "│The")


@pytest.mark.long
async def test_the_note_box_and_the_annotations_panel_are_readable_in_every_builtin_theme():
    """Inside the two annotation dialogs (the passage quoted, the note being written, the tags'
    placeholder, the colours, the help line; the filter and the listed annotations), in each theme."""
    from tuireader import paths
    from tuireader.annotations import AnnotationStore
    from tuireader.annotations.model import Annotation, TextQuote

    _highlight_every_paragraph()
    # an orphan (its words are in no version of the file): listed with its mark
    orphan = Annotation(ISW_ID, 0, 5, TextQuote("Words that were never in this report at all."), "sha256:old")
    AnnotationStore(paths.annotations_file()).add(orphan)
    app = app_for(doc=ISW_ID)
    themes = sorted(name for name in app.available_themes if name not in ANSI_THEMES)
    failures: dict[str, str] = {}

    def check(theme: str, dialog_id: str) -> None:
        svg = app.export_screenshot()
        box = app.screen.query_one(dialog_id).region
        rows = screen_rows(svg)
        # a radio button's "●" that is off is drawn faint on purpose (Textual's toggle look): a state, not text
        cells = [
            c
            for c in text_cells(svg)
            if box.contains(c.col, c.row) and rows[c.row][max(0, c.col - 1) : c.col + 2] != "▐●▌"
        ]
        assert len(cells) > 150, dialog_id  # the dialog's text was read
        bad = poor_contrast(cells)
        if bad:
            worst = min(bad, key=lambda c: c.ratio)
            failures[f"{theme} {dialog_id}"] = (
                f"{len(bad)} cells, worst {worst.ratio:.2f} {worst.fg} on {worst.bg}: {rows[worst.row].strip()[:70]!r}"
            )

    async with app.run_test(size=(80, 24)) as pilot:  # each theme repaints the screen: small is quick
        await settle(pilot)
        await pilot.press("v", "j", "a")
        await settle(pilot)
        await pilot.press(*"A note in **Markdown**", "enter", *"its second line")
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            check(theme, "#annotate-dialog")
        await pilot.press("escape", "escape", "A")
        await settle(pilot)
        await pilot.press(*"never")  # the filter keeps the orphan alone... then a wider one
        await settle(pilot)
        assert "[orphaned" in "".join(screen_rows(app.export_screenshot()).values())
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            check(theme, "#annotations-dialog")
    assert not failures, "\n".join(f"{t}: {why}" for t, why in failures.items())
