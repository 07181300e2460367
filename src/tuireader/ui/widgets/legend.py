"""The line that says which entity types are highlighted, in their own colours."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from .entities import TYPE_ORDER
from .styling import component_style, variable_style


def filter_name(types: frozenset[str] | None) -> str:
    """ "all", "off" or "place only"."""
    if types is None:
        return "all"
    return next(iter(types)).lower() + " only" if types else "off"


class EntityLegend(Static):
    entity_filter: var[frozenset[str] | None] = var(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def watch_entity_filter(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Drawn in the article's entity colours (again when the theme changes)."""
        from .article import ArticleView

        article = self.screen.query_one("#article", ArticleView)
        muted = variable_style(self.app, "reader-muted")
        text = Text(end="")
        text.append("entities: ", style=muted)
        for etype in TYPE_ORDER:
            shown = self.entity_filter is None or etype in self.entity_filter
            style = (
                component_style(article, f"article--entity-{etype.lower()}") if shown else muted + Style(strike=True)
            )
            text.append(f"● {etype.lower()}  ", style=style)
        text.append(f"({filter_name(self.entity_filter)}; e: change, E: list)", style=muted)
        self.update(text)
