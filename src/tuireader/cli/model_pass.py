"""``tuireader index --entities-model [NAME]``: after the fast index, the optional spaCy
model over the library, resumable (a document read before, unchanged, is not read again).

Progress goes to stderr (a bar on a terminal, else a line every few seconds); Ctrl-C stops
after the document being read, and what was read stays in the index."""

from __future__ import annotations

import signal
import sys
import threading
import time

from ..services.entities import ModelError, model_name_for, run_model_pass
from ..workspace import Workspace
from .commands import CliError

PROGRESS_SECONDS = 5.0


class _ProgressLines:
    """Progress on stderr: redrawn in place on a terminal, else one line at the start, every
    PROGRESS_SECONDS and at the end (a log keeps a few lines, not one per document)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.tty:
            sys.stderr.write(f"\r{self.label}: {done}/{total} documents")
        elif done in (1, total) or now - self.last >= PROGRESS_SECONDS:
            sys.stderr.write(f"{self.label}: {done}/{total} documents\n")
        else:
            return
        self.last = now
        sys.stderr.flush()

    def finish(self) -> None:
        if self.tty and self.last:
            sys.stderr.write("\n")


def run_entities_model(workspace: Workspace, asked: str | None) -> int:
    """Exit 0 when every document was read (now or before), 1 when some failed, 130 when stopped."""
    try:
        name = model_name_for(workspace, asked)
        stop = threading.Event()
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set()) if main_thread else None
        progress = _ProgressLines(f"entities ({name})")
        try:
            report = run_model_pass(workspace, name, progress=progress, cancelled=stop.is_set)
        finally:
            progress.finish()
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
    except ModelError as exc:
        raise CliError(str(exc)) from None
    for doc_id, why in report.failed:
        print(f"tuireader: entities model: {doc_id}: {why}", file=sys.stderr)
    line = f"entities ({name}): {report.done} documents read, {report.already} read before"
    if report.failed:
        line += f", {len(report.failed)} failed"
    if report.cancelled:
        print(line + "; stopped: run it again to go on", file=sys.stderr)
        return 130
    print(line)
    return 1 if report.failed else 0
