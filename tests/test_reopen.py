"""Re-opening a large library (#20): the catalog comes from its cache without reading the
manifest, the folder walk of an earlier process is reused while no folder changed, and
every file is still checked by size and mtime, so an edit made while the reader was
closed (which changes no folder) is found, and so is a new file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tuireader.catalog import listing
from tuireader.catalog.store import CatalogStore
from tuireader.core.library import Library, LibraryDocument
from tuireader.search import LibraryIndex
from tuireader.ui.widgets.library_rows import LibraryRows

from .conftest import write

LONG_AGO = time.time() - 3600  # older than the two seconds within which an mtime is not trusted


def age(*paths: Path) -> None:
    for path in paths:
        os.utime(path, (LONG_AGO, LONG_AGO))


def small_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    for i in range(5):
        write(lib / f"doc{i}.md", f"# Document {i}\n\nBody of document {i}.\n")
    write(lib / "sub" / "deep.md", "# Deep one\n\nBelow.\n")
    age(*lib.rglob("*"), lib)
    return lib


def fresh_index(lib: Path, tmp_path: Path) -> LibraryIndex:
    """The index as a new process opens it: nothing kept in memory from before."""
    return LibraryIndex(Library(lib), tmp_path / "index")


def test_no_change_reopen_reads_the_catalog_cache_not_the_manifest_and_walks_no_folder(tmp_path, monkeypatch):
    lib = small_library(tmp_path)
    first = fresh_index(lib, tmp_path)
    first.update()
    expected = first.catalog()  # made from the manifest, and kept
    assert {d.title for d in expected.values()} == {f"Document {i}" for i in range(5)} | {"Deep one"}

    def no_manifest(self, path):
        raise AssertionError("the manifest was parsed")

    monkeypatch.setattr(CatalogStore, "_parse", no_manifest)
    again = fresh_index(lib, tmp_path)
    assert again.catalog() == expected
    assert again.unchanged()
    assert again.library.walks == 0  # the walk kept by the first process was reused


def test_an_edit_in_place_while_closed_changes_no_folder_and_is_still_found(tmp_path):
    lib = small_library(tmp_path)
    fresh_index(lib, tmp_path).update()
    target = lib / "doc2.md"
    target.write_text("# Document 2, revised\n\nNew body.\n", encoding="utf-8")
    age(lib)  # the folder's mtime as before: only the file's own stat tells
    index = fresh_index(lib, tmp_path)
    assert not index.unchanged()
    assert index.library.walks == 0
    report = index.update()
    assert (report.updated, report.added, report.removed) == (1, 0, 0)
    assert index.catalog()["doc2"].title == "Document 2, revised"
    assert fresh_index(lib, tmp_path).unchanged()


def test_a_file_added_or_removed_while_closed_is_found_by_its_folder(tmp_path):
    lib = small_library(tmp_path)
    fresh_index(lib, tmp_path).update()
    write(lib / "sub" / "new.md", "# A new one\n\nText.\n")
    index = fresh_index(lib, tmp_path)
    assert not index.unchanged()
    assert index.update().added == 1
    assert index.catalog()["sub/new"].title == "A new one"
    (lib / "doc0.md").unlink()
    index = fresh_index(lib, tmp_path)
    assert not index.unchanged()
    assert index.update().removed == 1


def test_a_folder_listed_in_the_second_it_changed_is_listed_again(tmp_path):
    # its mtime could stay the same after a change in the same clock tick: not trusted
    lib = tmp_path / "lib"
    write(lib / "a.md", "# A\n\nText.\n")
    library = Library(lib)
    library.scan()
    library.scan()
    assert library.walks == 2
    age(lib)
    library.scan()
    library.scan()
    assert library.walks == 3


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", None])
def test_a_damaged_or_stale_catalog_cache_is_made_again_from_the_manifest(tmp_path, damage):
    lib = small_library(tmp_path)
    first = fresh_index(lib, tmp_path)
    first.update()
    expected = first.catalog()
    cache = tmp_path / "index" / listing.CACHE
    if damage is None:  # one byte of the rows changed: the CRC tells
        data = bytearray(cache.read_bytes())
        at = data.index(b"Document 3")
        data[at] = ord("X")
        cache.write_bytes(bytes(data))
    else:
        cache.write_bytes(damage)
    assert fresh_index(lib, tmp_path).catalog() == expected
    assert fresh_index(lib, tmp_path).catalog() == expected  # and the cache was made again


def test_the_cache_follows_the_journal(tmp_path):
    lib = small_library(tmp_path)
    index = fresh_index(lib, tmp_path)
    index.update()
    index.catalog()
    (lib / "doc1.md").write_text("# Document 1 changed\n\nBody.\n", encoding="utf-8")
    index.update()  # one line in the journal: the manifest and so the cache's identity change
    assert fresh_index(lib, tmp_path).catalog()["doc1"].title == "Document 1 changed"


# ------------------------------------------------------------------ the list's filter
def doc(i: int, title: str, date: str | None = None, authors: tuple[str, ...] = ()) -> LibraryDocument:
    return LibraryDocument(f"d{i}", f"/lib/d{i}.txt", "text", title=title, date=date, authors=authors)


def test_filter_matches_every_word_in_title_byline_date_or_id_in_the_list_order():
    rows = LibraryRows(
        [
            doc(1, "Talks in Ankara", "2022-01-03", ("Ezgi Yazici",)),
            doc(2, "Border talks", "2022-01-05", ("Anna Petrova",)),
            doc(3, "After the talks", None, ("Ezgi Yazıcı",)),
            doc(4, "Troops at the border", "2021-12-30"),
            doc(5, "TALKS ABOUT TALKS", "2022-01-05", ("John Smith",)),
        ]
    )
    ids = lambda matches: [m.id for m in matches]  # noqa: E731
    # newest first, by title within a day, undated last
    assert ids(rows.filter("", "date")) == ["d2", "d5", "d1", "d4", "d3"]
    assert ids(rows.filter("talks", "date")) == ["d2", "d5", "d1", "d3"]
    assert ids(rows.filter("talks", "title")) == ["d3", "d2", "d5", "d1"]
    assert ids(rows.filter("TALKS yazici", "date")) == ["d1"]
    assert ids(rows.filter("2022-01-05", "date")) == ["d2", "d5"]
    assert ids(rows.filter("border d4", "date")) == ["d4"]
    assert ids(rows.filter("talks nowhere", "date")) == []


def test_filter_typed_letter_by_letter_and_back_gives_what_a_fresh_filter_gives():
    items = [
        doc(i, f"Report {i:05d} on {'abcde'[i % 5]}{'xyz'[i % 3]}", f"2020-01-{1 + i % 28:02d}") for i in range(3000)
    ]
    typed = LibraryRows(items)
    needle = "report 01 ax"
    for n in range(1, len(needle) + 1):
        typed.filter(needle[:n], "date")
    for n in range(len(needle), 0, -1):
        shown = [m.id for m in typed.filter(needle[:n], "date")]
        fresh = [m.id for m in LibraryRows(items).filter(needle[:n], "date")]
        # by hand: every word in the folded title, byline, date or id
        words = needle[:n].split()
        expected = {it.id for it in items if all(w in f"{it.title} {it.date} {it.id}".casefold() for w in words)}
        assert shown == fresh and set(shown) == expected
