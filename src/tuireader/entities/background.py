"""The optional model's pass over a library, after the fast index exists.

The statistical model (``entities.model``) costs ~300 ms per 1,000 words: far too slow for
the index build, which keeps to the rules. This pass runs it afterwards, one document at a
time (the open document first), and keeps what it found in a ``ModelMentionStore``: one
small file per document, recording the model's name and the content hash of the file it
read. That record is what makes the pass resumable (a document whose file still has the
same hash is not read again, for the same model) and what the index reads back when it
indexes the document again, so that its entity fields hold the merged mentions.

Nothing here knows the index or the reader: ``run_model_pass`` is given how to parse an
item, how to extract its mentions and what to call when a batch of documents is stored
(the workspace re-indexes them); progress and cancelling are callbacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Document
from .extract import Mention

STORE_VERSION = 1


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PassItem:
    """A document the pass may read: its id and its file."""

    doc_id: str
    path: str


@dataclass(slots=True)
class PassReport:
    done: int = 0  # documents the model read in this run
    already: int = 0  # documents done before (same model, same file content)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, why)
    cancelled: bool = False


def _mention_row(m: Mention) -> list:
    return [m.block, m.start, m.end, m.text, m.canonical, m.type, m.source_start, m.source_end, m.rule, m.part, m.note]


class ModelMentionStore:
    """The merged mentions of each document, per model name and file content hash.

    ``folder/<model>/<hash of the doc id>.json`` holds ``{"version", "model", "doc",
    "sha256", "mentions": [[block, start, end, text, canonical, type, source_start,
    source_end, rule, part, note], ...]}``, written atomically: a pass killed half-way
    leaves whole records only."""

    def __init__(self, folder: Path, model: str) -> None:
        self.model = model
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", model).strip("._") or "model"
        self.dir = folder / f"{safe[:40]}-{hashlib.sha256(model.encode()).hexdigest()[:8]}"

    def _file(self, doc_id: str) -> Path:
        return self.dir / f"{hashlib.sha256(doc_id.encode()).hexdigest()[:24]}.json"

    def _record(self, doc_id: str) -> dict | None:
        try:
            data = json.loads(self._file(doc_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing, or a file that is not ours: the document is simply not done
        ok = isinstance(data, dict) and data.get("version") == STORE_VERSION and data.get("doc") == doc_id
        return data if ok and data.get("model") == self.model else None

    def is_done(self, doc_id: str, sha256: str) -> bool:
        record = self._record(doc_id)
        return record is not None and record.get("sha256") == sha256

    def get(self, doc_id: str, sha256: str) -> list[Mention] | None:
        """The stored mentions when they were found in the file as it is now (same hash), else None."""
        record = self._record(doc_id)
        if record is None or record.get("sha256") != sha256:
            return None
        try:
            return [Mention(*row) for row in record["mentions"]]
        except (TypeError, KeyError):
            return None

    def put(self, doc_id: str, sha256: str, mentions: Iterable[Mention]) -> None:
        record = {
            "version": STORE_VERSION,
            "model": self.model,
            "doc": doc_id,
            "sha256": sha256,
            "mentions": [_mention_row(m) for m in mentions],
        }
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
            os.replace(tmp, self._file(doc_id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


Progress = Callable[[int, int], None]  # (documents dealt with, documents in the library)


def run_model_pass(
    items: Sequence[PassItem],
    store: ModelMentionStore,
    *,
    parse: Callable[[PassItem], Document],
    extract_all: Callable[[Document], list[Mention]],
    stored: Callable[[list[str]], object] | None = None,
    first: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_seconds: float = 2.0,
) -> PassReport:
    """Run the model over every item not done yet, ``first`` (the open document) before the rest.

    ``stored`` is called with the ids of the documents stored since its last call: for the
    first document at once (the reader shows it), then about every ``batch_seconds``, and at
    the end (also when cancelled), so the caller re-indexes a few documents at a time."""
    report = PassReport()
    ordered = sorted(items, key=lambda item: item.doc_id != first)  # stable: the rest keep their order
    pending: list[str] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        if pending and stored is not None:
            stored(list(pending))
        pending.clear()
        last_flush = time.monotonic()

    total = len(ordered)
    for n, item in enumerate(ordered, 1):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        try:
            sha = file_sha256(item.path)
        except OSError as exc:
            report.failed.append((item.doc_id, f"cannot read: {exc.strerror or exc}"))
            continue
        if store.is_done(item.doc_id, sha):
            report.already += 1
        else:
            try:
                mentions = extract_all(parse(item))
            except Exception as exc:  # one document the model or the parser cannot read must not end the pass
                report.failed.append((item.doc_id, f"{type(exc).__name__}: {exc}"))
            else:
                store.put(item.doc_id, sha, mentions)
                report.done += 1
                pending.append(item.doc_id)
                if item.doc_id == first or time.monotonic() - last_flush >= batch_seconds:
                    flush()
        if progress is not None:
            progress(n, total)
    flush()
    return report
