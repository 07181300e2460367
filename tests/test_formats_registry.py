"""The format registry: the one place that knows which suffix is which format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats import format_for, formats, parse_file, supported_suffixes
from tuireader.core.library import Library
from tuireader.core.model import Document, SourcePart
from tuireader.core.textio import DocumentError

from .conftest import write


def test_every_suffix_belongs_to_one_format():
    names = [f.name for f in formats()]
    assert {"text", "markdown"} <= set(names)
    assert len(names) == len(set(names))
    claimed = [s for f in formats() for s in f.suffixes]
    assert len(claimed) == len(set(claimed)) == len(supported_suffixes())


def test_suffix_decides_the_format_case_insensitively(tmp_path):
    assert format_for(tmp_path / "a.MD").name == "markdown"
    assert format_for(tmp_path / "a.txt").name == "text"
    assert format_for(tmp_path / "a.xyz") is None
    assert format_for(tmp_path / ".md") is None  # a dot file has no suffix


def test_library_entries_carry_the_format_name(tmp_path):
    write(tmp_path / "a.md", "# A\n\nText.\n")
    write(tmp_path / "b.txt", "B\n\nText.\n")
    write(tmp_path / "c.xyz", "not read\n")
    scan = Library(tmp_path).scan()
    assert {e.id: e.format for e in scan.documents} == {"a": "markdown", "b": "text"}
    assert [p.name for p in scan.unsupported] == ["c.xyz"]


def test_unsupported_suffix_is_a_document_error(tmp_path):
    write(tmp_path / "a.xyz", "text")
    with pytest.raises(DocumentError, match="unsupported file type .xyz"):
        parse_file(tmp_path / "a.xyz")


def test_locate_maps_offsets_into_members_and_pages(tmp_path):
    doc = parse_file(write(tmp_path / "a.md", "# A\n\nText.\n"))
    assert doc.locate(3) == {}  # one piece of text: the offset is the file's
    doc.parts = [SourcePart(0, member="ch1.xhtml"), SourcePart(100, member="ch2.xhtml", page=None)]
    assert doc.locate(0) == {"member": "ch1.xhtml", "member_offset": 0}
    assert doc.locate(99) == {"member": "ch1.xhtml", "member_offset": 99}
    assert doc.locate(130) == {"member": "ch2.xhtml", "member_offset": 30}
    paged = Document.__new__(Document)
    paged.parts = [SourcePart(0, page=1), SourcePart(50, page=2)]
    assert Document.locate(paged, 51) == {"page": 2, "page_offset": 1}


def test_formats_sharing_a_magic_keep_the_named_one(tmp_path, monkeypatch):
    import zipfile

    from tuireader.core import formats as registry
    from tuireader.core.formats import Format

    real = registry.formats()
    # A second zip-based format, first in name order, as DOCX is before EPUB.
    other = Format("aaa-zip", frozenset({".aaazip"}), lambda request: None, magic=(b"PK\x03\x04",))
    monkeypatch.setattr(registry, "formats", lambda: (other, *real))
    registry._by_suffix.cache_clear()
    try:
        book = tmp_path / "b.epub"
        with zipfile.ZipFile(book, "w") as zf:
            zf.writestr("mimetype", "application/epub+zip")
        with pytest.raises(DocumentError, match="no package document"):  # read as EPUB, not as aaa-zip
            parse_file(book)
        (tmp_path / "z.epub").write_bytes(b"not a zip")
        with pytest.raises(DocumentError, match="not an EPUB \\(not a zip archive\\)"):
            parse_file(tmp_path / "z.epub")
    finally:
        registry._by_suffix.cache_clear()


_PROSE = "The committee met twice in the spring and agreed on nothing that the minutes record at length."


def _untitled(fmt: str, path: Path) -> Path:
    """A document of ``fmt`` that states no title: one long sentence, no metadata."""
    from .office import docx, p
    from .test_format_epub import make_epub, xhtml

    if fmt == "epub":
        return make_epub(path, [("c1.xhtml", xhtml(f"<p>{_PROSE}</p>"))], metadata="")
    if fmt == "docx":
        return docx(path, p(_PROSE))
    if fmt == "html":
        return write(path, f"<html><body><p>{_PROSE}</p></body></html>")
    return write(path, _PROSE + "\n")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".epub", ".docx", ".rst", ".org"])
def test_every_format_falls_back_to_the_same_title_and_lets_the_sidecar_win(tmp_path, suffix):
    fmt = {".html": "html", ".epub": "epub", ".docx": "docx"}.get(suffix, "text")
    doc = parse_file(_untitled(fmt, tmp_path / f"field-notes_spring{suffix}"))
    assert doc.title == "field notes spring"
    assert doc.blocks and doc.blocks[0].text == _PROSE
    # the sidecar's metadata wins, and reaches the terminal displayable (no raw escape)
    write(tmp_path / "field-notes_spring.yaml", 'title: "Minutes \\e[31m of the  spring"\nauthor: "Jane\\tDoe"\n')
    doc = parse_file(tmp_path / f"field-notes_spring{suffix}")
    assert "\x1b" not in doc.title and doc.title.startswith("Minutes") and doc.title.endswith("of the spring")
    assert doc.authors == ["Jane Doe"]
