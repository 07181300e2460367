"""Whoosh's parallel writer (a full build's worker processes), made to fail instead of hang.

Whoosh's parent process waits on its workers without looking at them: when one
died (a full disk: ENOSPC), the parent blocked forever putting the next batch
on a full queue, or committed without that worker's documents; a cancelled
build left the workers waiting for jobs, and the interpreter's exit waited on
them.  Here the parent polls while it waits, raises what killed a worker, and a
cancel ends the workers.
"""

from __future__ import annotations

import os
import queue
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask, finish_subsegment
from whoosh.writing import SegmentWriter

from .segment_writer import TermPostingsWriter

POLL_SECONDS = 0.2
# A worker that met an OSError exits with this plus its errno, so the parent can raise it again.
_ERRNO_EXIT = 100


class _Task(SubWriterTask):
    def run(self) -> None:
        try:
            self._run()
        except OSError as exc:  # no traceback from here: the parent reports it, once
            errno = exc.errno if exc.errno and 0 < exc.errno < 256 - _ERRNO_EXIT else 0
            os._exit(_ERRNO_EXIT + errno)

    def _run(self) -> None:
        """Whoosh's SubWriterTask.run with our segment writer (Whoosh's names SegmentWriter)."""
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = TermPostingsWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
        elif self.multisegment:
            fieldnames = set(writer._fields) | writer.pool.fieldnames
            self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)
        else:  # the parent merges the workers' pools: ours go there too
            writer._spill_into_pool()
            self.resultqueue.put(finish_subsegment(writer, self.kwargs.get("k", 64)), timeout=5)


def _failure(exitcode: int) -> OSError:
    if _ERRNO_EXIT < exitcode < 256:
        errno = exitcode - _ERRNO_EXIT
        return OSError(errno, f"{os.strerror(errno)} (in an index writer process)")
    if exitcode < 0:
        return ChildProcessError(f"an index writer process was killed (signal {-exitcode})")
    return ChildProcessError(f"an index writer process failed (exit status {exitcode})")


class _WatchedQueue:
    """The parent's end of a queue shared with the workers: it never waits on a dead one."""

    def __init__(self, inner, writer: ParallelWriter) -> None:
        self._inner = inner
        self._writer = writer

    def put(self, item, block: bool = True, timeout: float | None = None) -> None:
        while True:
            self._writer.check_workers()
            try:
                self._inner.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue

    def get(self, block: bool = True, timeout: float | None = None):
        self._writer.check_workers()  # a worker that died sends no result
        return self._inner.get(block, timeout)


class ParallelWriter(MpWriter):
    jobqueue: Any  # MpWriter's multiprocessing queues, wrapped below
    resultqueue: Any

    def __init__(self, ix, procs: int, **kwargs) -> None:
        super().__init__(ix, procs=procs, **kwargs)
        self._jobs, self._results = self.jobqueue, self.resultqueue
        self.jobqueue = _WatchedQueue(self._jobs, self)
        self.resultqueue = _WatchedQueue(self._results, self)

    def _new_task(self):
        task = _Task(self.storage, self.indexname, self._jobs, self._results, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def check_workers(self) -> None:
        for task in self.tasks:
            if task.exitcode not in (None, 0):
                raise _failure(task.exitcode)

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(5)
        SegmentWriter.cancel(self)
