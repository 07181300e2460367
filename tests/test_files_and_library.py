"""Reading files (encodings, binary, empty, huge) and discovering a library."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tuireader import paths
from tuireader.core.formats import parse_file
from tuireader.core.library import Library
from tuireader.core.textio import DocumentError, read_source

from .conftest import LIBRARY, write

DOC = "A Title\n\nCafé owners said so.¹\n\n¹ Le Monde, 2021.\n"


def test_utf8_with_bom_and_crlf_keep_offsets(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + DOC.replace("\n", "\r\n").encode("utf-8"))
    doc = parse_file(path)
    assert doc.title == "A Title"
    assert doc.blocks[0].text == "Café owners said so."
    assert doc.footnote("1").text == "Le Monde, 2021."
    source = read_source(path).text  # BOM removed, CRLF kept
    assert source.startswith("A Title\r\n")
    ref = doc.blocks[0].refs[0]
    assert source[ref.source_offset] == "¹"
    start, end = doc.blocks[0].source_start, doc.blocks[0].source_end
    assert source[start:end] == "Café owners said so."  # the marker is the ref's span, not text
    assert doc.warnings == []


def test_legacy_encoding_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("A Title\n\nCafé owners’ “quotes” said so, naïvely.\n".encode("cp1252"))
    doc = parse_file(path)
    assert doc.blocks[0].text == "Café owners’ “quotes” said so, naïvely."
    assert [w.code for w in doc.warnings] == ["encoding"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"", "empty"), (b"  \n\n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary")],
)
def test_empty_and_binary_files_are_refused_clearly(tmp_path, payload, code):
    path = tmp_path / "a.txt"
    path.write_bytes(payload)
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert err.value.code == code
    assert "a.txt" in err.value.message


def test_a_large_file_parses(tmp_path):
    # 5 MB here; the benchmark parses 50 MB (see benchmarks/README).
    para = "Ankara said the talks went well, and Moscow agreed in part.¹ " * 20
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as f:
        f.write("Big Report\n\n")
        while f.tell() < 5_000_000:
            f.write(para + "\n\n")
        f.write("¹ A source.\n")
    doc = parse_file(path)
    assert len(doc.blocks) > 3000
    assert len(doc.footnote("1").cited_at) == 20 * len(doc.blocks)


def test_library_lists_documents_and_reports_unsupported(tmp_path):
    write(tmp_path / "one.txt", DOC)
    write(tmp_path / "sub" / "two.md", "# Two\n\nBody.\n")
    write(tmp_path / "one.yaml", "title: One\n")  # sidecar: not a document, not unsupported
    write(tmp_path / "tuireader.yaml", "boilerplate: []\n")
    write(tmp_path / "report.xyz", "%PDF-1.4")
    write(tmp_path / ".hidden.txt", "x")
    scan = Library(tmp_path).scan()
    assert [(e.id, e.format) for e in scan.documents] == [("one", "text"), ("sub/two", "markdown")]
    assert [p.name for p in scan.unsupported] == ["report.xyz"]


def test_a_rescan_sees_files_added_removed_and_renamed(tmp_path, monkeypatch):
    import os

    write(tmp_path / "one.txt", DOC)
    write(tmp_path / "sub" / "two.md", "# Two\n\nBody.\n")
    old = 1_600_000_000
    for folder in (tmp_path, tmp_path / "sub"):  # folders untouched for long: the last scan is trusted
        os.utime(folder, (old, old))
    library = Library(tmp_path)
    listed = []
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or real_scandir(path))
    first = [e.id for e in library.scan().documents]
    assert first == ["one", "sub/two"] and len(listed) == 2
    assert [e.id for e in library.scan().documents] == first and len(listed) == 2  # reused, not re-listed

    write(tmp_path / "sub" / "three.txt", DOC)  # changes sub's mtime
    assert [e.id for e in library.scan().documents] == ["one", "sub/three", "sub/two"]
    (tmp_path / "one.txt").rename(tmp_path / "uno.txt")
    assert [e.id for e in library.scan().documents] == ["uno", "sub/three", "sub/two"]
    (tmp_path / "uno.txt").unlink()
    assert [e.id for e in library.scan().documents] == ["sub/three", "sub/two"]


def test_a_sidecar_named_with_the_document_suffix_is_not_unsupported(tmp_path):
    write(tmp_path / "report.md", "# T\n\nB.\n")
    write(tmp_path / "report.md.yaml", "title: T\n")
    write(tmp_path / "orphan.yaml", "title: T\n")
    assert [p.name for p in Library(tmp_path).scan().unsupported] == ["orphan.yaml"]


def test_ids_stay_distinct_for_same_stem(tmp_path):
    write(tmp_path / "report.txt", "T\n\nA.\n")
    write(tmp_path / "report.md", "# T\n\nB.\n")
    ids = sorted(e.id for e in Library(tmp_path).scan().documents)
    assert ids == ["report.md", "report.txt"]


def test_find_by_id_path_and_name(tmp_path, monkeypatch):
    write(tmp_path / "My Report.txt", "T\n\nA.\n")
    lib = Library(tmp_path)
    assert lib.find("my-report").path.name == "My Report.txt"
    assert lib.find(str(tmp_path / "My Report.txt")).id == "my-report"
    assert lib.find("My Report.txt").id == "my-report"
    assert lib.find("nothing") is None


def test_library_discovery_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.resolve_library(None) == paths.default_library_dir()
    (tmp_path / "library").mkdir()
    assert paths.resolve_library(None) == (tmp_path / "library").resolve()
    monkeypatch.setenv("TUIREADER_LIBRARY", str(tmp_path / "env"))
    assert paths.resolve_library(None) == (tmp_path / "env").resolve()
    assert paths.resolve_library(str(tmp_path / "flag")) == (tmp_path / "flag").resolve()


def test_unreadable_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "a.txt").mkdir()  # a name that looks like a document but cannot be read as one
    with pytest.raises(DocumentError) as err:
        parse_file(tmp_path / "a.txt")
    assert err.value.code == "unreadable"


def test_bundled_library_is_the_seeds_byte_for_byte():
    seeds = LIBRARY.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    ours = sorted(p.read_bytes() for p in LIBRARY.glob("*.txt"))
    theirs = sorted(p.read_bytes() for p in seeds.glob("*.txt"))
    assert ours == theirs


def test_a_relative_and_an_absolute_library_path_are_the_same_library(tmp_path, monkeypatch):
    from tuireader.search import LibraryIndex

    write(tmp_path / "lib" / "one.txt", DOC)
    LibraryIndex(Library(tmp_path / "lib"), tmp_path / "index").update()
    monkeypatch.chdir(tmp_path)
    report = LibraryIndex(Library(Path("lib")), tmp_path / "index").update()
    assert (report.updated, report.unchanged) == (0, 1)  # not re-indexed under another spelling of its path
