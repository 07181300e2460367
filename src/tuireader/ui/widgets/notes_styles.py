"""A note's text with the panel's styles: its label, links, entities, highlights, the
selection being made, search hits and the clickable "↩" labels (Rich only, no Textual)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from ...core.model import Footnote
from .notes_layout import NoteText, citation_labels

# The panel's component classes and their default look: colours are blended over what is behind
# them and kept readable by ``styling``, so theme colours with alpha or ``auto`` are fine here.
NOTES_COMPONENTS = {
    "notes--text",
    "notes--visible",
    "notes--current",
    "notes--flash",
    "notes--gutter-visible",
    "notes--gutter-current",
    "notes--label",
    "notes--link",
    "notes--hit",
    "notes--hit-current",
    # annotations (ui/annotating.py), as in the article
    "notes--highlight-yellow",
    "notes--highlight-green",
    "notes--highlight-blue",
    "notes--highlight-pink",
    "notes--selection",
    "notes--back",
    "notes--empty",
    "notes--link-number",
    "notes--entity-person",
    "notes--entity-org",
    "notes--entity-place",
    "notes--entity-group",
}

# Colours are blended over what is behind them and kept readable by ``styling``.
NOTES_CSS = """
NotesPanel > .notes--text { color: $foreground-muted; }
NotesPanel > .notes--visible { color: $foreground; }
NotesPanel > .notes--current { background: $accent 15%; }
NotesPanel > .notes--flash { background: $accent 35%; }
NotesPanel > .notes--gutter-visible { color: $accent 50%; }
NotesPanel > .notes--gutter-current { color: $accent; }
NotesPanel > .notes--label { text-style: bold; }
NotesPanel > .notes--link { text-style: underline; }
NotesPanel > .notes--hit { background: $warning 40%; color: $foreground; }
NotesPanel > .notes--highlight-yellow { background: $warning 35%; }
NotesPanel > .notes--highlight-green { background: $success 35%; }
NotesPanel > .notes--highlight-blue { background: $primary 40%; }
NotesPanel > .notes--highlight-pink { background: $error 30%; }
NotesPanel > .notes--selection { background: $accent 55%; text-style: underline; }
NotesPanel > .notes--hit-current { background: $warning; color: auto; text-style: bold; }
NotesPanel > .notes--back { color: $foreground-muted; }
NotesPanel > .notes--empty { color: $foreground-muted; text-style: italic; }
NotesPanel > .notes--link-number { text-style: bold; }
NotesPanel > .notes--entity-person { color: $text-success; }
NotesPanel > .notes--entity-org { color: $text-primary; }
NotesPanel > .notes--entity-place { color: $text-error; }
NotesPanel > .notes--entity-group { color: $text-secondary; text-style: italic; }
"""


@dataclass
class NoteMarks:
    """What is drawn over the notes' texts, each by note key, in the note's own text positions."""

    hits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    current_hit: tuple[str, int] | None = None
    highlights: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # (start, end, colour)
    entities: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # (start, end, type)
    selection: tuple[str, int, int] | None = None  # a passage being selected by keys: (key, start, end)


def style_note(i: int, note: Footnote, layout: NoteText, marks: NoteMarks, style: Callable[[str], Style]) -> Text:
    """Note ``i`` styled; ``style`` resolves a component class of the panel."""
    text = Text(layout.plain, end="")

    def over(name: str | Style, a: int, b: int) -> None:  # a span of the note's text, [a, b)
        if b > a:
            text.stylize(style(name) if isinstance(name, str) else name, layout.shift(a), layout.shift(b - 1) + 1)

    text.stylize(style("notes--label"), 0, layout.body_start)
    if not note.defined:
        text.stylize("italic", layout.body_start, layout.back_start)
    else:
        link_style, number_style = style("notes--link"), style("notes--link-number")
        numbered = iter(layout.inserts)
        for n, link in enumerate(note.links):
            start = note.content.text_position(link.source_start)
            last = note.content.text_position(link.source_end - 1)
            if start is None or last is None:
                continue
            at, label = next(numbered)
            label_start = layout.shift(at) - len(label)
            text.stylize(number_style, label_start, label_start + len(label))
            end = layout.shift(max(last, start)) + 1
            text.stylize(link_style + Style(meta={"note": i, "link": n}), layout.shift(start), end)
        for a, b, etype in marks.entities.get(note.key, []):
            if etype != "DATE":
                over(f"notes--entity-{etype.lower()}", a, b)
        for a, b, colour in marks.highlights.get(note.key, []):
            over(f"notes--highlight-{colour}", a, b)
        if marks.selection is not None and marks.selection[0] == note.key:
            over("notes--selection", marks.selection[1], marks.selection[2])
        for n, (a, b) in enumerate(marks.hits.get(note.key, [])):
            over("notes--hit-current" if marks.current_hit == (note.key, n) else "notes--hit", a, b)
    back = style("notes--back")
    if not note.cited_at:
        text.stylize(back, layout.back_start, len(layout.plain))
    else:  # each citation's label a link back to it, between "↩" and "cited …" in the muted style
        pos = layout.back_start + len("\n    ↩ ")
        text.stylize(back, layout.back_start, pos)
        for c, label in enumerate(citation_labels(note)):
            text.stylize(Style(bold=True, meta={"note": i, "cite": c}), pos, pos + len(label))
            pos += len(label) + 1
        text.stylize(back, pos, len(layout.plain))
    return text
