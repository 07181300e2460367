"""Checks a user's key remapping (settings.yaml ``keys:``) against the bindings the reader declares.

Two mistakes are easy to make and silent in Textual: an id that names no binding (a typo), and
a key given to a binding that another binding active at the same time already uses -- the
focused widget's binding wins and the other one is lost there (the README's own example once
took ``n`` from next-hit that way).  The defaults shadow a few keys on purpose (``c`` in the
library pane compares the highlighted document, not the open one); only conflicts the settings
add are reported.
"""

from __future__ import annotations

from difflib import get_close_matches

from textual.binding import Binding


def _scopes() -> dict[str, list[Binding]]:
    from textual.dom import DOMNode

    from .app import ReaderApp
    from .screens.compare import CompareScreen
    from .screens.help import HelpScreen
    from .screens.reader import ReaderScreen
    from .screens.search import SearchScreen
    from .screens.timeline import EntityChartScreen, TimelineScreen
    from .widgets.annotations_panel import AnnotationsPanel
    from .widgets.article import ArticleView
    from .widgets.entities import EntitiesPanel
    from .widgets.library import LibraryPane
    from .widgets.notes import NotesPanel
    from .widgets.selection_bar import SelectionBar

    classes: dict[str, type[DOMNode]] = {
        "app": ReaderApp,
        "reader": ReaderScreen,
        "article": ArticleView,
        "notes": NotesPanel,
        "library": LibraryPane,
        "entities": EntitiesPanel,
        "compare": CompareScreen,
        "search": SearchScreen,
        "help": HelpScreen,
        "timeline": TimelineScreen,
        "chart": EntityChartScreen,
        "selection": SelectionBar,
        "annotations": AnnotationsPanel,
    }
    return {name: [b for b in cls.BINDINGS if isinstance(b, Binding)] for name, cls in classes.items()}


# Scopes whose bindings are active at the same time: the focused widget's, its screen's, the app's.
ACTIVE_TOGETHER = (
    ("article", "reader", "app"),
    ("notes", "reader", "app"),
    ("library", "reader", "app"),
    ("entities", "reader", "app"),
    ("article", "compare", "app"),
    ("notes", "compare", "app"),
    ("compare", "app"),
    ("search",),
    ("help",),
    ("timeline", "app"),
    ("chart", "app"),
    ("selection", "reader", "app"),
    ("annotations",),
)


def binding_ids() -> set[str]:
    return {b.id for bindings in _scopes().values() for b in bindings if b.id}


def _keys(spec: str) -> list[str]:
    return [k.strip() for k in spec.split(",") if k.strip()]


def _conflicts(keymap: dict[str, str]) -> set[tuple[str, tuple[str, ...]]]:
    """(key, binding ids) for every key two or more bindings active together would take."""
    scopes = _scopes()
    found: set[tuple[str, tuple[str, ...]]] = set()
    for group in ACTIVE_TOGETHER:
        owners: dict[str, list[str]] = {}
        for scope in group:
            for binding in scopes[scope]:
                spec = keymap.get(binding.id, binding.key) if binding.id else binding.key
                for key in _keys(spec):
                    ids = owners.setdefault(key, [])
                    name = binding.id or f"{scope}.{binding.action}"
                    if name not in ids:
                        ids.append(name)
        found.update((key, tuple(ids)) for key, ids in owners.items() if len(ids) > 1)
    return found


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """One line per problem with the user's ``keys:`` settings (none: an empty list)."""
    problems = []
    known = binding_ids()
    for binding_id in keymap:
        if binding_id not in known:
            close = get_close_matches(binding_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (? lists the ids)"
            problems.append(f"keys: unknown binding id {binding_id!r}{hint}; ignored")
    usable = {k: v for k, v in keymap.items() if k in known}
    by_key: dict[str, list[str]] = {}
    for key, taken in sorted(_conflicts(usable) - _conflicts({})):
        merged = by_key.setdefault(key, [])
        merged.extend(i for i in taken if i not in merged)
    for key, ids in by_key.items():
        listed = ", ".join(ids[:-1]) + f" and {ids[-1]}"
        problems.append(
            f"keys: {key!r} is bound to {listed} at once: where they meet, {ids[0]} wins and the others lose the key"
        )
    return problems
