"""Damage to the index folder is found and repaired by the next update, by itself (issue #18,
item 13): a truncated or overwritten segment file, a manifest of the wrong shape, a journal
with a bad line, an update lock that is a folder, a leftover of a killed rebuild.

Each test builds a small generated library, damages one thing, and checks that the next
update says what it rebuilt and why, and that search then answers as a clean index does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tuireader.catalog.store import MANIFEST, MANIFEST_LOG
from tuireader.core.library import Library
from tuireader.search import LibraryIndex
from tuireader.search.whoosh.checksums import SUMS

from .conftest import write

DOCS = 12


def make_library(root: Path) -> None:
    for i in range(DOCS):
        body = " ".join(f"word{(i * 7 + j) % 90}" for j in range(300))
        write(root / f"doc{i:04d}.txt", f"Document {i}\n\n{body} zebra{i % 3}.\n")


@pytest.fixture
def built(tmp_path):
    lib, idx = tmp_path / "lib", tmp_path / "index"
    make_library(lib)
    index = LibraryIndex(Library(lib), idx)
    assert index.update().added == DOCS
    index.close()
    return lib, idx


def expected_hits() -> list[str]:
    return [f"doc{i:04d}" for i in range(DOCS) if i % 3 == 1]  # zebra1, worked out from make_library


def live(idx: Path) -> Path:
    return idx / "whoosh"


def largest(idx: Path, suffix: str) -> Path:
    return max(live(idx).glob(f"*{suffix}"), key=lambda p: p.stat().st_size)


def overwrite_middle(path: Path) -> None:
    """Garbage over a quarter of the file, the size kept; a mtime a second after the commit's,
    as damage that comes later has (one in the same clock tick would look untouched)."""
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(st.st_size // 3)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(max(1, st.st_size // 4))))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def repaired(lib: Path, idx: Path, why: str) -> None:
    index = LibraryIndex(Library(lib), idx)
    report = index.update()
    assert report.rebuilt and why in report.reason, report.reason
    assert [m for m in index.messages if m.startswith("rebuilt the search index: ")], index.messages
    results = index.search("zebra1", limit=50)
    assert sorted(h.id for h in results.hits) == expected_hits() and not results.notes
    index.close()
    again = LibraryIndex(Library(lib), idx).update()  # and it stays repaired
    assert not again.rebuilt and again.unchanged == DOCS


def test_a_truncated_postings_file_is_found_before_any_query_reads_it(built):
    lib, idx = built
    pst = largest(idx, ".pst")
    with open(pst, "r+b") as fh:
        fh.truncate(pst.stat().st_size // 2)
    # a search alone (no update: a read-only index, say) says what to do instead of failing
    reader = LibraryIndex(Library(lib), idx)
    results = reader.search("zebra1")
    assert results.hits == [] and "run 'tuireader index --rebuild'" in results.notes[0]
    assert pst.name in results.notes[0]
    reader.close()
    repaired(lib, idx, f"{pst.name}: ")


@pytest.mark.parametrize("suffix", [".pst", ".trm", "_stored.col", "_body_len.col"])
def test_garbage_in_a_segment_file_is_found_by_its_checksum(built, suffix):
    lib, idx = built
    damaged = largest(idx, suffix)
    overwrite_middle(damaged)
    repaired(lib, idx, f"{damaged.name}: its checksum differs")


@pytest.mark.parametrize(
    "manifest",
    [
        "[]",
        '{"schema_version": SCHEMA, "entries": []}',
        '{"schema_version": SCHEMA, "entries": {"doc0000": {"path": "x"}}}',
        '{"schema_version": SCHEMA, "entries": {"doc0000": ["x", "1", 2, "h", null, null]}}',
        "{not json",
    ],
)
def test_a_manifest_of_the_wrong_shape_is_rebuilt(built, manifest):
    lib, idx = built
    version = json.loads((live(idx) / MANIFEST).read_text())["schema_version"]
    (live(idx) / MANIFEST).write_text(manifest.replace("SCHEMA", str(version)))
    assert LibraryIndex(Library(lib), idx).catalog() == {}  # the list falls back to a scan, no error
    repaired(lib, idx, "manifest")


def test_a_bad_line_inside_the_journal_is_found_and_its_document_checked_again(built):
    """Not a rebuild: the line's document keeps the manifest's state for it, and is indexed
    again where the file differs; the manifest is written anew without the journal."""
    lib, idx = built
    write(lib / "doc0000.txt", "Edited\n\nA giraffe.\n")
    write(lib / "doc0002.txt", "Edited too\n\nAn okapi.\n")
    LibraryIndex(Library(lib), idx).update()  # a journal of two lines
    log = live(idx) / MANIFEST_LOG
    first, _second = log.read_bytes().splitlines()
    log.write_bytes(first + b"\n\x00\x93garbage\n")  # doc0002's line damaged
    index = LibraryIndex(Library(lib), idx)
    report = index.update()
    assert not report.rebuilt and (report.updated, report.unchanged) == (1, DOCS - 1)  # doc0002 again
    assert index.messages == [
        "repaired the search index: 1 damaged line in its journal "
        "(their documents were checked against the files again)"
    ]
    assert not log.exists()
    assert [h.id for h in index.search("okapi").hits] == ["doc0002"]
    assert [h.id for h in index.search("giraffe").hits] == ["doc0000"]
    index.close()
    assert LibraryIndex(Library(lib), idx).update().unchanged == DOCS


def test_a_journal_line_cut_short_by_a_crash_is_not_damage(built):
    lib, idx = built
    write(lib / "doc0001.txt", "Edited\n\nA giraffe zebra1.\n")
    LibraryIndex(Library(lib), idx).update()
    with (live(idx) / MANIFEST_LOG).open("a") as fh:
        fh.write('["doc0004", ["')  # what a crash in the middle of an append leaves
    index = LibraryIndex(Library(lib), idx)
    report = index.update()
    assert not report.rebuilt and report.unchanged == DOCS
    write(lib / "doc0005.txt", "Edited\n\nAn okapi.\n")
    report = index.update()
    assert not report.rebuilt and report.updated == 1
    assert not (live(idx) / MANIFEST_LOG).exists()  # the manifest rewritten, not appended after the cut line
    assert index.search("okapi").hits[0].id == "doc0005"
    assert sorted(h.id for h in index.search("zebra1", limit=50).hits) == expected_hits()
    index.close()


def test_garbage_checksums_are_rebuilt(built):
    lib, idx = built
    (live(idx) / SUMS).write_text('{"files": {"x": [1, 2]}}')
    repaired(lib, idx, "checksums are malformed")


def test_an_index_written_before_checksums_gets_them_at_the_next_update(built):
    lib, idx = built
    (live(idx) / SUMS).unlink()
    index = LibraryIndex(Library(lib), idx)
    assert sorted(h.id for h in index.search("zebra1", limit=50).hits) == expected_hits()
    report = index.update()
    assert not report.rebuilt and (live(idx) / SUMS).exists()
    index.close()
    pst = largest(idx, ".pst")
    with open(pst, "r+b") as fh:
        fh.truncate(10)
    repaired(lib, idx, pst.name)


def test_an_update_lock_that_is_a_folder_is_repaired(built):
    lib, idx = built
    (idx / "update.lock").unlink()
    (idx / "update.lock").mkdir()
    (idx / "update.lock" / "inside").write_text("x")
    index = LibraryIndex(Library(lib), idx)
    report = index.update()
    assert not report.busy and report.unchanged == DOCS
    assert "repaired the search index: its update lock was a folder" in index.messages
    assert (idx / "update.lock").is_file()
    index.close()


def test_what_a_killed_rebuild_left_goes_at_the_next_update_of_any_kind(built):
    lib, idx = built
    for leftover in ("whoosh.new", "whoosh.old"):  # a full copy, half written
        (idx / leftover).mkdir()
        (idx / leftover / "MAIN_x.pst").write_bytes(b"\x00" * 4096)
    report = LibraryIndex(Library(lib), idx).update()  # an incremental update, nothing changed
    assert not report.rebuilt and report.unchanged == DOCS
    assert sorted(p.name for p in idx.iterdir() if p.suffix != ".cache") == ["update.lock", "whoosh"]


@pytest.mark.parametrize("suffix", [".pst", ".trm", "_stored.col"])
def test_a_segment_file_deleted_is_damage_the_next_update_repairs(built, suffix):
    # Under the update lock no other process commits, so a file gone is damage, not a moved state.
    lib, idx = built
    largest(idx, suffix).unlink()
    repaired(lib, idx, "a file of it is missing")


def test_an_empty_library_is_not_damage(tmp_path):
    """Whoosh reads an index with no segments through a reader without a generation: it was
    taken for a state that kept moving, so an empty library was 'damaged' and rebuilt on
    every update, and every search said the index kept changing."""
    lib, idx = tmp_path / "lib", tmp_path / "index"
    lib.mkdir()
    index = LibraryIndex(Library(lib), idx)
    index.update()
    index.close()

    index = LibraryIndex(Library(lib), idx)
    report = index.update()
    assert not report.rebuilt, report.reason
    assert index.search("zebra").total == 0
    assert index.messages == []

    write(lib / "doc.txt", "A title\n\nThe zebra crossed.\n")
    assert index.update().added == 1
    assert [h.id for h in index.search("zebra").hits] == ["doc"]
    index.close()
