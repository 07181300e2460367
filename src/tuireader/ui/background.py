"""The reader's work in the background: bringing the index in line with the library at start,
then the optional entities model's pass over it; progress and outcome in the status line."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ..catalog.progress import Rate
from ..search import IndexError_, IndexReport

if TYPE_CHECKING:
    from ..entities.background import PassReport
    from .app import ReaderApp


class BackgroundWork:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self._started = False
        self._deferred = False

    def _progress(self, what: str, *, every: float) -> Callable[[int, int], None]:
        """A progress callback for a worker thread: "WHAT ▕██  ▏ done/total · N docs/s · M:SS left" in the status line,
        at most once every ``every`` seconds (each update waits for the UI thread), and at the end."""
        last_shown = 0.0
        rate = Rate()

        def progress(done: int, total: int) -> None:
            nonlocal last_shown
            now = time.monotonic()
            described = rate.describe(done, total)  # every call: the rate counts from the first
            if now - last_shown >= every or done == total:
                last_shown = now
                width, filled = 20, int(20 * done / max(1, total))
                bar = f"▕{'█' * filled}{' ' * (width - filled)}▏"
                self.app.call_from_thread(self.app.say_status, f"{what} {bar} {described}")

        return progress

    def start(self) -> None:
        if self.app.closing_down() or self._started:
            return
        if self.app.reader.openings.count:
            # the index build would parse the document being opened a second time, at the same
            # time, both threads taking turns at the GIL: it starts once the document is shown
            self._deferred = True
            return
        self._started = True
        if self.app.library.root.is_dir():  # no index folder for a library folder that is not there
            self.app.run_worker(self._index_library, thread=True, exclusive=True, group="index", exit_on_error=False)
        # the gazetteers, loaded now so that the first document opened doesn't wait
        self.app.run_worker(lambda: self.app.workspace.extractor, thread=True, group="warm-up", exit_on_error=False)

    def resume(self) -> None:
        """The document being opened is shown: start what ``start`` held back."""
        if self._deferred:
            self._deferred = False
            self.start()

    def _index_library(self) -> None:
        """The list and search work from the catalog at once; here every file is checked
        against it (a stat each), and only when one changed is the index brought in line."""
        index = self.app.index
        started = time.perf_counter()
        if index.has_index and index.unchanged(self._progress("checking files", every=0.25)):
            report = IndexReport(unchanged=len(self.app.reader.library_items))
            report.seconds = time.perf_counter() - started
            index.warm_up()
            self.app.call_from_thread(self.index_done, report)
            self.app.call_from_thread(self.app.live_library.start)
            return
        self.app.call_from_thread(self.app.say_status, "indexing the library…")
        try:
            report = index.update(self._progress("indexing", every=0.1))
        except IndexError_ as exc:
            self.app.call_from_thread(
                self.app.notify, str(exc), title="Search unavailable", severity="error", markup=False, timeout=15
            )
            self.app.call_from_thread(self.app.say_status, "search unavailable: the index folder cannot be written")
            return
        self.app.index.warm_up()
        self.app.call_from_thread(self.index_done, report)
        self.app.call_from_thread(self.app.live_library.start)

    def index_done(self, report: IndexReport) -> None:
        if self.app.closing_down():
            return
        for message in self.app.index.messages:
            self.app.problem(message)
        self.app.index.messages.clear()
        if report.busy:
            self.app.say_status("another tuireader is updating the index; search uses its last state")
        elif report.changed or report.rebuilt:
            self.app.say_status(f"index: {report.summary()}", passing=True)
        elif self.app.reader.status.text.startswith(
            ("indexing ", "checking files ")
        ):  # its own progress: not other news
            self.app.say_status("")
        for doc_id, message in report.skipped:
            self.app.problem(f"{doc_id}: {message}", title="Not indexed")
        self.app.reader.refresh_library()
        if self.app.workspace.model_name and not report.busy:
            doc = self.app.reader.document
            first = doc.id if doc is not None else None
            self.app.run_worker(
                lambda: self._model_pass(first), thread=True, exclusive=True, group="model", exit_on_error=False
            )

    def _model_pass(self, first: str | None) -> None:
        """The optional model (entities.model) over the library after the fast index, the open
        document first; its progress in the status line. Resumes where an earlier session stopped."""
        worker = get_current_worker()
        name = self.app.workspace.model_name
        report = self.app.workspace.run_model_pass(
            first=first,
            progress=self._progress(f"entities ({name})", every=0.5),
            cancelled=lambda: worker.is_cancelled,
            on_stored=lambda doc_ids: self.app.call_from_thread(self._entities_stored, doc_ids),
        )
        self.app.call_from_thread(self._model_pass_done, report)

    def _entities_stored(self, doc_ids: list[str]) -> None:
        if not self.app.closing_down():
            self.app.reader.entities.changed(doc_ids)

    def _model_pass_done(self, report: PassReport | None) -> None:
        if self.app.closing_down():
            return
        for message in self.app.workspace.problems:
            self.app.problem(message, title="Entities model")
        self.app.workspace.problems.clear()
        if report is None:
            self.app.say_status("")
            return
        for doc_id, message in report.failed:
            self.app.problem(f"{doc_id}: {message}", title="Entities model")
        if report.done:
            self.app.say_status(
                f"entities ({self.app.workspace.model_name}): {report.done} documents read", passing=True
            )
        elif self.app.reader.status.text.startswith("entities ("):
            self.app.say_status("")
