"""A block's display text with the article's styles: its kind, inline spans, entities,
annotations, search hits and footnote markers (Rich only, no Textual).  Made when one of
its lines is first drawn: styling every block of a long document at each open (and again
when entities or hits arrive) took seconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from ...core.model import CODE, HEADING, QUOTE, SIGNATURE, TABLE, Block
from ...entities.model import EntitySpan
from .article_layout import BlockLayout, Line
from .wrap import word_wrap

# The panel's component classes and their default look: colours are blended over what is behind
# them and kept readable by ``styling``, so theme colours with alpha or ``auto`` are fine here.
ARTICLE_COMPONENTS = {
    "article--title",
    "article--meta",
    "article--heading",
    "article--marker",
    "article--marker-current",
    "article--hit",
    "article--hit-current",
    "article--bold",
    "article--italic",
    "article--code",
    "article--link",
    "article--quote",
    "article--signature",
    "article--list-marker",
    "article--entity-person",
    "article--entity-org",
    "article--entity-place",
    "article--entity-group",
    "article--entity-date",
    "article--entity-selected",
    "article--dim",
    # annotations (ui/annotating.py): a highlight in each colour, and a selection being made
    "article--highlight-yellow",
    "article--highlight-green",
    "article--highlight-blue",
    "article--highlight-pink",
    "article--selection",
    "article--bookmark",
}

# Colours are blended over the article's background and kept readable by ``styling``:
# theme colours with alpha or ``auto`` are fine here.
ARTICLE_CSS = """
ArticleView { padding: 0 1; background: $surface; }
ArticleView > .article--title { text-style: bold; color: $foreground; }
ArticleView > .article--meta { color: $foreground-muted; }
ArticleView > .article--heading { text-style: bold; color: $text-accent; }
ArticleView > .article--marker { color: $text-accent; text-style: bold; }
ArticleView > .article--marker-current { background: $accent; color: auto; text-style: bold; }
ArticleView > .article--hit { background: $warning 40%; color: $foreground; }
ArticleView > .article--hit-current { background: $warning; color: auto; }
ArticleView > .article--bold { text-style: bold; }
ArticleView > .article--italic { text-style: italic; }
ArticleView > .article--code { color: $foreground-muted; background: $boost; }
ArticleView > .article--link { text-style: underline; }
ArticleView > .article--quote { color: $foreground-muted; }
ArticleView > .article--signature { text-style: italic; color: $foreground-muted; }
ArticleView > .article--list-marker { color: $foreground-muted; }
ArticleView > .article--entity-person { color: $text-success; }
ArticleView > .article--entity-org { color: $text-primary; }
ArticleView > .article--entity-place { color: $text-error; }
ArticleView > .article--entity-group { color: $text-secondary; text-style: italic; }
ArticleView > .article--entity-date { color: $foreground-muted; text-style: underline; }
ArticleView > .article--entity-selected { text-style: bold reverse; }
ArticleView > .article--dim { color: $foreground-muted; }
ArticleView > .article--highlight-yellow { background: $warning 35%; }
ArticleView > .article--highlight-green { background: $success 35%; }
ArticleView > .article--highlight-blue { background: $primary 40%; }
ArticleView > .article--highlight-pink { background: $error 30%; }
ArticleView > .article--selection { background: $accent 55%; text-style: underline; }
ArticleView > .article--bookmark { color: $accent; text-style: bold; }
"""

_KIND_STYLES = {
    HEADING: "article--heading",
    SIGNATURE: "article--signature",
    QUOTE: "article--quote",
    CODE: "article--code",
    TABLE: "article--code",
}
_SPAN_STYLES = {
    "bold": "article--bold",
    "italic": "article--italic",
    "code": "article--code",
    "math": "article--code",  # a formula set apart as code is: its ^ and _ are notation, not prose
    "link": "article--link",
}


@dataclass
class BlockMarks:
    """Hits, entities and annotation spans grouped by block: a block is styled alone."""

    hits: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    entities: dict[int, list[EntitySpan]] = field(default_factory=dict)
    annotations: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # (start, end, class)

    @classmethod
    def group(
        cls,
        hits: list[tuple[int, int, int]],
        entities: list[EntitySpan],
        entity_filter: set[str] | None,
        annotations: list[tuple[int, int, int, str]],
    ) -> BlockMarks:
        marks = cls()
        for b, s, e in hits:
            marks.hits.setdefault(b, []).append((s, e))
        for ent in entities:
            if entity_filter is None or ent.type in entity_filter or ent.dimmed:
                marks.entities.setdefault(ent.block, []).append(ent)
        for b, s, e, name in annotations:
            marks.annotations.setdefault(b, []).append((s, e, name))
        return marks


def style_block(
    block: Block, layout: BlockLayout, marks: BlockMarks, selected_entity: str | None, style: Callable[[str], Style]
) -> Text:
    """``layout``'s display text styled; ``style`` resolves one of the article's component classes."""
    bi, prefix = layout.block, layout.prefix_len
    text = Text(layout.plain, no_wrap=True, end="")
    if prefix:
        text.stylize(style("article--quote" if block.kind == QUOTE else "article--list-marker"), 0, prefix)
        if block.kind != QUOTE and "│" in layout.plain[:prefix]:  # the bars of the quotes around an item
            for i, ch in enumerate(layout.plain[:prefix]):
                if ch == "│":
                    text.stylize(style("article--quote"), i, i + 1)
    kind_style = _KIND_STYLES.get(block.kind)
    if kind_style:
        text.stylize(style(kind_style), prefix, len(text))
    for span in block.spans:
        name = _SPAN_STYLES.get(span.kind)
        if name:
            text.stylize(style(name), layout.display(span.start), layout.display(span.end))
    for ent in marks.entities.get(bi, []):
        name = "article--dim" if ent.dimmed else f"article--entity-{ent.type.lower()}"
        ent_style = style(name) + Style(meta={"entity": ent.canonical})
        if ent.canonical == selected_entity:
            ent_style += style("article--entity-selected")
        text.stylize(ent_style, layout.display(ent.start), layout.display(ent.end))
    for s, e, name in marks.annotations.get(bi, []):
        text.stylize(style(name), layout.display(s), layout.display(e))
    for s, e in marks.hits.get(bi, []):
        text.stylize(style("article--hit"), layout.display(s), layout.display(e))
    for place in layout.refs:
        text.stylize(
            style("article--marker") + Style(meta={"ref": place.index}), place.display_start, place.display_end
        )
    return text


# (start, end, type, canonical) of each mention in a header part's text, by part ("title", "byline")
HeaderEntities = dict[str, list[tuple[int, int, str, str]]]


def header_lines(
    parts: list[tuple[str, str, str]],
    width: int,
    entities: HeaderEntities,
    entity_filter: set[str] | None,
    selected_entity: str | None,
    style: Callable[[str], Style],
) -> list[Line]:
    """The lines above the first block: each of ``parts`` (part name, text, component class)
    wrapped, its entities styled as the body's are. The title is drawn even when empty."""
    lines: list[Line] = []
    for part, text, name in parts:
        if not text and part != "title":
            continue
        for a, b in word_wrap(text, width, 0) or [(0, 0)]:
            piece = Text(text[a:b].rstrip(), style=style(name), end="")
            for s, e, etype, canonical in entities.get(part, []):
                if (entity_filter is None or etype in entity_filter) and s < b and a < e:
                    ent_style = style(f"article--entity-{etype.lower()}") + Style(meta={"entity": canonical})
                    if canonical == selected_entity:
                        ent_style += style("article--entity-selected")
                    piece.stylize(ent_style, max(s, a) - a, min(e, b) - a)
            lines.append(Line(-1, 0, 0, 0, piece))
    return lines
