"""What the reading screen's workers do off the UI thread: read a document (a library id or a
path), find its entities; the documents being opened meanwhile; and following a link from a note."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...core.model import Document
from ...core.textio import DocumentError
from ...core.visible import visible_name
from ...entities.extract import Mention
from ...entities.model import BYLINE, TITLE, EntitySpan
from ...services.documents import NoSuchDocument, open_document
from ...workspace import Workspace

if TYPE_CHECKING:
    from ..app import ReaderApp
    from .reader import ReaderScreen


@dataclass
class Opened:
    doc: Document
    doc_ref: str  # what reopens it: a library id, or a path outside the library
    mentions: list[Mention] | None  # stored in the index with the text, so it is laid out once


def read_document(app: ReaderApp, ref: str, *, quiet_missing: bool) -> Opened | None:
    """In a worker: the document ``ref`` names, or None after telling the user why not."""
    try:
        opened = open_document(app.library, ref)  # the CLI resolves and parses the same way
    except NoSuchDocument:  # an unknown id, or a file outside the library no format reads
        if not quiet_missing:
            app.call_from_thread(app.notify, f"No document '{ref}' in the library.", severity="error", markup=False)
        return None
    except DocumentError as exc:
        app.call_from_thread(
            app.notify,
            f"{exc.message}. Check the file, or remove it from the library.",
            title="Cannot open",
            severity="error",
            markup=False,
            timeout=10,
        )
        return None
    doc, doc_ref = opened.document, opened.ref
    return Opened(doc, doc_ref, app.workspace.stored_mentions(doc, doc_ref if doc_ref == doc.id else None))


class Openings:
    """Documents being read in a worker: the status line says so (a big document takes a
    while, and keys still work meanwhile), and the start-up index build waits for them."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.count = 0

    def begin(self, ref: str) -> None:
        self.count += 1
        self.screen.say(f"opening {visible_name(PurePath(ref).name)}…")

    def end(self) -> None:
        """An open finished (shown or not): the index build held back meanwhile may run."""
        self.count -= 1
        if self.screen.status.text.startswith("opening "):
            self.screen.say("")
        if not self.count and not self.screen.closing_down():
            self.screen.reader_app.background.resume()


@dataclass
class Entities:
    mentions: list[Mention]
    descriptions: dict[str, str]
    in_notes: dict[str, list[tuple[int, int, str]]]  # note key -> (start, end, type) in its text
    in_header: dict[str, list[tuple[int, int, str, str]]]  # "title"/"byline" -> (start, end, type, canonical)


def find_entities(workspace: Workspace, opened: Opened) -> Entities:
    """In a worker: mentions (unless the index had them) and descriptions; the gazetteer may have to load."""
    doc = opened.doc
    doc_id = opened.doc_ref if opened.doc_ref == doc.id else None
    mentions = opened.mentions if opened.mentions is not None else workspace.mentions(doc, doc_id)
    descriptions = {m.canonical: workspace.describe(m.canonical) for m in mentions}
    in_notes: dict[str, list[tuple[int, int, str]]] = {}
    in_header: dict[str, list[tuple[int, int, str, str]]] = {}
    everywhere = workspace.all_mentions(doc) if doc.footnotes else workspace.extractor.extract_header(doc)
    for m in everywhere:
        if m.note:
            in_notes.setdefault(m.note, []).append((m.start, m.end, m.type))
        elif m.part in (TITLE, BYLINE):
            in_header.setdefault(m.part, []).append((m.start, m.end, m.type, m.canonical))
            descriptions.setdefault(m.canonical, workspace.describe(m.canonical))
    return Entities(mentions, descriptions, in_notes, in_header)


def entity_spans(mentions: list[Mention]) -> list[EntitySpan]:
    return [m.span for m in mentions]


def follow_link(screen: ReaderScreen, url: str, *, copy: bool = False) -> None:
    """A note's link: copied (``y``), a library document opened, or an http(s) page in the browser."""
    app = screen.reader_app
    if copy:
        app.copy_to_clipboard(url)
        screen.notify(f"Copied {url}", markup=False)
        return
    target = app.index.find_by_url(url)
    if target is None and "://" not in url:
        entry = app.library.find(url)
        target = entry.id if entry else None
    if target is not None:
        screen.open_document(target)
        return
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        screen.notify(f"Not opened: only http and https links are opened ({url}).", severity="warning", markup=False)
        return
    app.open_url(url)  # the system browser, through Python's webbrowser: no shell involved
    screen.notify(f"Opening {url}", markup=False)
