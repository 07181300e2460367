"""A full build commits in batches; an interrupted one is gone on with, not started again.

The batch size is cut to one small file, so each document is a commit; the build is
stopped (an exception, or kill -9 in a child process) at several points, and the next
update must parse only what was not committed, hold every document once, and search
the files as they are now (one edited and one removed meanwhile).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tuireader.catalog import sync
from tuireader.core.library import Library
from tuireader.search import LibraryIndex

from .conftest import write

DOCS = 8


def make_library(root: Path) -> None:
    for i in range(DOCS):
        body = " ".join(f"word{(i * 7 + j) % 500}" for j in range(60))
        write(root / f"doc{i:04d}.txt", f"Document number {i}\n\nby Jane Doe on 5 May 2021\n\n{body} common.\n")


class Stop(Exception):
    pass


def _counting_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = Library.parse

    def parse(self, entry, *args, **kwargs):
        parsed.append(entry.id)
        return original(self, entry, *args, **kwargs)

    monkeypatch.setattr(Library, "parse", parse)
    return parsed


def _every_document_once(index: LibraryIndex) -> list[str]:
    results = index.search("common", limit=50)
    ids = [hit.id for hit in results.hits]
    assert results.total == len(ids) == len(set(ids))
    return ids


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(sync, "BUILD_BATCH_BYTES", 1)  # a commit after every document


def test_an_interrupted_build_goes_on_from_its_last_commit(tmp_path, monkeypatch, small_batches):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir)

    def stop_at_five(done, total):
        if done == 5:  # the fifth document is added, not committed
            raise Stop

    with pytest.raises(Stop):
        LibraryIndex(Library(lib_dir), index_dir).update(stop_at_five)
    assert (index_dir / "whoosh.new" / "manifest.json").is_file()
    assert not (index_dir / "whoosh").exists()

    parsed = _counting_parses(monkeypatch)
    seen: list[tuple[int, int]] = []
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update(lambda done, total: seen.append((done, total)))
    assert sorted(parsed) == [f"doc{i:04d}" for i in range(4, DOCS)]  # the four committed are not parsed again
    assert (report.rebuilt, report.resumed, report.added) == (True, 4, 4)
    assert seen == [(5, 8), (6, 8), (7, 8), (8, 8)]
    assert "went on with an interrupted build of the index: 4 of 8 documents were indexed already" in index.messages
    assert sorted(_every_document_once(index)) == [f"doc{i:04d}" for i in range(DOCS)]
    assert sorted(p.name for p in index_dir.iterdir() if p.suffix != ".cache") == [
        "update.lock",
        "whoosh",
    ]  # no whoosh.new left
    index.close()


def test_files_edited_or_removed_while_a_build_was_stopped_are_taken_as_they_are_now(
    tmp_path, monkeypatch, small_batches
):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir)

    def stop_at_six(done, total):
        if done == 6:
            raise Stop

    with pytest.raises(Stop):
        LibraryIndex(Library(lib_dir), index_dir).update(stop_at_six)
    write(lib_dir / "doc0001.txt", "Document number 1\n\nby Jane Doe on 5 May 2021\n\nA zebra, common.\n")
    (lib_dir / "doc0002.txt").unlink()
    parsed = _counting_parses(monkeypatch)
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update()
    assert sorted(parsed) == ["doc0001", "doc0005", "doc0006", "doc0007"]
    assert report.resumed == 3  # docs 0, 3 and 4 of the five committed
    assert sorted(_every_document_once(index)) == [f"doc{i:04d}" for i in range(DOCS) if i != 2]
    assert [hit.id for hit in index.search("zebra").hits] == ["doc0001"]
    assert index.search("word8", doc_id="doc0001").total == 0  # its old text is gone
    assert index.search("word8", doc_id="doc0000").total == 1
    index.close()


KILLED = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from tuireader.catalog import store, sync
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    sync.BUILD_BATCH_BYTES = 1
    where, at = sys.argv[3], int(sys.argv[4])

    def stall(what):
        print(what, flush=True)
        time.sleep(120)  # killed here

    def progress(done, total):
        if where == "added" and done == at:
            stall(f"added {done}")

    write = store.CatalogStore.write
    writes = []

    def write_manifest(self, folder, entries):
        writes.append(folder)
        if where == "committed" and len(writes) == at:  # the batch is committed, its manifest not written
            stall(f"committed {at}")
        write(self, folder, entries)

    store.CatalogStore.write = write_manifest
    LibraryIndex(Library(Path(sys.argv[1])), Path(sys.argv[2])).update(progress)
    """
)


@pytest.mark.parametrize(
    ("where", "at", "parses"),
    [
        ("added", 1, DOCS),  # nothing committed yet: all again
        ("added", 4, DOCS - 3),
        ("committed", 3, DOCS - 2),  # the third batch is in the index, not in the manifest: done again, once
    ],
)
def test_a_build_killed_at_any_point_goes_on_and_holds_each_document_once(tmp_path, monkeypatch, where, at, parses):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir)
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir), str(index_dir), where, str(at)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == f"{where} {at}"
    finally:
        proc.kill()  # SIGKILL: no handler runs
        proc.wait()
    parsed = _counting_parses(monkeypatch)
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update()
    assert len(parsed) == parses
    assert report.rebuilt and report.resumed == DOCS - parses
    assert sorted(_every_document_once(index)) == [f"doc{i:04d}" for i in range(DOCS)]
    index.close()
