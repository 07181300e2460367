"""The reader's library kept in step with its folder: saved files appear, an edited open document
reloads at the same place, a deleted one says so.  The watching and indexing run on a thread."""

from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..search import IndexError_
from ..services.live_library import LibraryChanges, LibraryWatcher, same_place
from .screens.reader_documents import read_document

if TYPE_CHECKING:
    from .app import ReaderApp

BUSY_RETRY_SECONDS = 1.0  # another tuireader holds the index's update lock: try again shortly
BUSY_TRIES = 20


class LiveLibrary:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.watcher: LibraryWatcher | None = None

    def start(self) -> None:
        """Watch the library folder (once the first index update is done: it saw everything until then)."""
        root = self.app.library.root
        if self.watcher is not None or not root.is_dir() or self.app.closing_down():
            return
        self.watcher = LibraryWatcher(root)
        if self.watcher.polling:
            self.app.reader.say("library on a network file system: checking it for changes every second", passing=True)
        # A thread of its own, not a Textual worker: it runs as long as the app, and waiting for
        # the workers to finish (tests, a quit) must not wait for it.
        threading.Thread(target=self._watch, args=(self.watcher,), name="library-watch", daemon=True).start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def _watch(self, watcher: LibraryWatcher) -> None:
        try:
            watcher.run(self._changed)
        except Exception as exc:  # the reader goes on without live updates, and says why
            if not watcher.stopped:
                self._call(partial(self.app.problem, f"Not watching the library folder for changes: {exc}"))

    def _call(self, callback, *args) -> None:
        """Run ``callback`` on the UI thread, unless the app has gone meanwhile."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass  # the app closed between the change and now

    def _changed(self, changes: LibraryChanges) -> None:
        """On the watcher's thread: index what changed, then show it."""
        index = self.app.index
        for _ in range(BUSY_TRIES):
            try:
                report = index.update()
            except IndexError_ as exc:
                self._call(partial(self.app.problem, str(exc), title="Index not updated"))
                return
            if not report.busy or self.watcher is None or self.watcher.stopped:
                break
            time.sleep(BUSY_RETRY_SECONDS)
        if self.watcher is not None and not self.watcher.stopped:
            self._call(self._show, changes, report)

    def _show(self, changes: LibraryChanges, report) -> None:
        app = self.app
        if app.closing_down():
            return
        app.index_done(report)  # the list refreshed, problems said
        reader = app.reader
        doc, ref = reader.pane.document, reader.pane.doc_ref
        if doc is None or ref is None:
            return
        here = _resolved(doc.path)
        if here in {_resolved(p) for p in changes.deleted} and not doc.path.exists():
            reader.status.about_document = (
                "this document was deleted from the library folder: what is shown is the last text read"
            )
            reader.say("")
        elif here in {_resolved(p) for p in changes.modified | changes.added}:
            offset = reader.pane.article.top_source_offset()
            app.run_worker(
                lambda: self._reload(ref, doc, offset),
                thread=True,
                group="reload",
                exclusive=True,
                exit_on_error=False,
            )

    def _reload(self, ref: str, old, offset: int) -> None:
        opened = read_document(self.app, ref, quiet_missing=True)
        if opened is None:
            return
        place = same_place(old, offset, opened.doc)
        self._call(self._show_reloaded, opened, old, place)

    def _show_reloaded(self, opened, old, offset: int) -> None:
        """The new text at the same place, with no step in the history."""
        reader = self.app.reader
        if reader.closing_down() or reader.pane.document is not old:
            return  # another document was opened meanwhile
        reader._show_document(opened, offset, None, None, None)
        reader.say("the file changed on disk: reloaded", passing=True)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path
