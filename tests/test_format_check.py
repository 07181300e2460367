"""`tuireader check` over a folder of every format and every bad input: one line each, per-format totals."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from tuireader.cli import main
from tuireader.core.formats import _xml, epub

from .conftest import write
from .office import docx, odt, p
from .test_format_docx import _BILLION_LAUGHS, _EXTERNAL
from .test_format_epub import make_epub, xhtml
from .test_format_html import DATA


def build_folder(lib: Path) -> None:
    shutil.copy(DATA / "pandoc-notes.html", lib / "page.html")
    shutil.copy(DATA / "pandoc-notes.epub", lib / "book.epub")
    write(lib / "note.txt", "Title\n\nA claim.¹\n\n¹ Source.\n")
    write(lib / "broken.htm", "<p>Unclosed <b>bold <i>mixed</b> text.</i></span><sup><a href='#x'>1</a></sup>")
    (lib / "pdf-named.html").write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03binary")
    (lib / "notzip.epub").write_bytes(b"plain text, not a zip archive")
    (lib / "empty.epub").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    make_epub(
        lib / "drm.epub",
        [("a.xhtml", xhtml("<p>x</p>"))],
        extra={
            "META-INF/encryption.xml": '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><EncryptionMethod '
            'Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/></EncryptedData></encryption>'
        },
    )
    with zipfile.ZipFile(lib / "lol.epub", "w") as zf:
        zf.writestr("META-INF/container.xml", '<!DOCTYPE c [<!ENTITY a "aaaa">]><container>&a;</container>')
    write(
        lib / "tip.eml",
        "From: A Source <a@example.org>\nSubject: Tip\nDate: Mon, 06 Mar 2023 08:00:00 +0000\n\nThe shipment left.\n",
    )


def test_check_json_every_format_and_bad_input(tmp_path, capsys, monkeypatch):
    lib = tmp_path / "lib"
    lib.mkdir()
    build_folder(lib)
    monkeypatch.setattr(epub, "MAX_MEMBER_BYTES", 100_000)  # so a small bomb stands for a big one
    make_epub(lib / "bomb.epub", [("a.xhtml", xhtml("<p>" + "A" * 2_000_000 + "</p>"))])
    before = sorted(os.listdir(lib))
    code = main(["check", "--library", str(lib), "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {line["id"]: line for line in lines}
    assert code == 1  # refused books are failures; the rest are read
    assert {k: (v["status"], v["format"]) for k, v in by_id.items()} == {
        "book": ("ok", "epub"),
        "bomb": ("skipped", "epub"),  # too large, as a text file over the size limit is
        "broken": ("ok", "html"),
        "drm": ("failed", "epub"),
        "empty": ("skipped", "epub"),  # as an empty text file is
        "lol": ("failed", "epub"),
        "note": ("ok", "text"),
        "notzip": ("failed", "epub"),
        "page": ("ok", "html"),
        "pdf-named": ("failed", "html"),  # read as the PDF its bytes say it is: a damaged one
        "tip": ("ok", "email"),
    }
    assert (by_id["page"]["blocks"], by_id["page"]["footnotes"], by_id["page"]["warnings"]) == (9, 5, 0)
    assert (by_id["book"]["blocks"], by_id["book"]["footnotes"]) == (9, 5)
    assert by_id["broken"]["unresolved"] == 0 and by_id["broken"]["warnings"] == 2  # markup + marker to nowhere
    assert "inflates" in by_id["bomb"]["error"] and "refused" in by_id["bomb"]["error"]
    assert "DRM-protected" in by_id["drm"]["error"]
    assert "empty archive" in by_id["empty"]["error"]
    assert "declares XML entities" in by_id["lol"]["error"]
    assert "not an EPUB (not a zip archive)" in by_id["notzip"]["error"]
    assert "not a readable PDF" in by_id["pdf-named"]["error"]
    for line in lines:
        assert "\n" not in line.get("error", "")
        assert "Traceback" not in line.get("error", "")
    assert sorted(os.listdir(lib)) == before  # nothing written beside the files


def test_check_text_prints_per_format_totals(tmp_path, capsys):
    lib = tmp_path / "lib"
    lib.mkdir()
    build_folder(lib)
    main(["check", "--library", str(lib)])
    out = capsys.readouterr().out.splitlines()
    totals = [line for line in out if line.startswith("format ")]
    assert totals == [
        "format email: documents=1 ok=1 skipped=0 failed=0 footnotes=0 unresolved=0 warnings=0",
        "format epub: documents=5 ok=1 skipped=1 failed=3 footnotes=5 unresolved=0 warnings=0",
        "format html: documents=3 ok=2 skipped=0 failed=1 footnotes=5 unresolved=0 warnings=2",
        "format text: documents=1 ok=1 skipped=0 failed=0 footnotes=1 unresolved=0 warnings=0",
    ]


def build_office_folder(lib: Path) -> None:
    """One document of each structured format (pandoc's and LibreOffice's, see
    tests/data/formats/README.md) and each bad input of the office formats."""
    for name in ("report.docx", "report.odt", "report.rst", "report.org", "lo-report.fodt"):
        shutil.copy(DATA / name, lib / name.replace("report", "report-" + name.rsplit(".", 1)[1]))


def build_office_traps(lib: Path) -> None:
    (lib / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # Office's password box
    docx(lib / "entities.docx", "", document=_BILLION_LAUGHS)
    docx(lib / "external.docx", "", document=_EXTERNAL)
    docx(lib / "bomb.docx", p("start") + "<w:p/>" * 400_000)  # 2.4 MB of XML in a few KB
    zipfile.ZipFile(lib / "empty.docx", "w").close()
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        "</manifest:manifest>"
    )
    odt(lib / "encrypted.odt", "<text:p>x</text:p>", manifest=manifest)
    (lib / "pdf-named.docx").write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03binary")
    (lib / "binary.rst").write_bytes(b"\x00\x01\x02\xff" * 100)
    write(lib / "nothing.org", "")
    chapters = [(f"c{i}.xhtml", xhtml(f"<h2>Chapter {i}</h2><p>Text {i}.</p>")) for i in range(12)]
    make_epub(lib / "chapters.epub", chapters)


def test_check_json_office_and_text_formats_and_their_bad_inputs(tmp_path, capsys, monkeypatch):
    """DOCX, ODT, flat ODT, rST and Org read, with their counts; an encrypted Word or ODF
    file, entity declarations (billion laughs, external entities), a zip bomb, an empty
    archive, a PDF named .docx, binary rST, an empty Org file and a book over the chapter
    limit each one line; the exit code 1 while any failed, 0 for the good ones alone."""
    lib = tmp_path / "lib"
    lib.mkdir()
    build_office_folder(lib)
    build_office_traps(lib)
    monkeypatch.setattr(_xml, "MAX_MEMBER_BYTES", 1 << 20)  # so a small bomb stands for a big one
    monkeypatch.setattr(epub, "MAX_CHAPTERS", 10)  # so 12 chapters stand for 10,001
    before = sorted(os.listdir(lib))
    code = main(["check", "--library", str(lib), "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {line.get("id", Path(line["path"]).name): line for line in lines}
    assert code == 1
    assert {k: (v["status"], v["format"]) for k, v in by_id.items()} == {
        "report-docx": ("ok", "docx"),
        "report-odt": ("ok", "odt"),
        "report-rst": ("ok", "rst"),
        "report-org": ("ok", "org"),
        "lo-report-fodt.fodt": ("unsupported", None),  # flat ODF: no reader (yet), said, not guessed
        "encrypted.docx": ("failed", "docx"),  # two files called "encrypted": each id names its suffix
        "encrypted.odt": ("failed", "odt"),
        "entities": ("failed", "docx"),
        "external": ("failed", "docx"),
        "pdf-named": ("failed", "docx"),  # its bytes say PDF: read as one, a damaged one
        "bomb": ("skipped", "docx"),  # too large, as a text file over the size limit is
        "empty": ("skipped", "docx"),
        "binary": ("skipped", "rst"),
        "nothing": ("skipped", "org"),
        "chapters": ("skipped", "epub"),
    }
    # report.md, from which pandoc wrote the four: 9 blocks (2 headings, a paragraph, 4 list
    # items, a table, a quote) and 3 notes, each cited
    for name in ("report-docx", "report-odt", "report-rst", "report-org"):
        line = by_id[name]
        assert (line["blocks"], line["footnotes"], line["unresolved"], line["warnings"]) == (9, 3, 0, 0), name
    assert "password-protected" in by_id["encrypted.docx"]["error"]
    assert "password-protected" in by_id["encrypted.odt"]["error"]
    for name in ("entities", "external"):
        assert "entities are never expanded or fetched" in by_id[name]["error"]
    assert "inflates past 1 MB; refused" in by_id["bomb"]["error"]
    assert "empty archive" in by_id["empty"]["error"]
    assert "binary file" in by_id["binary"]["error"]
    assert "is empty" in by_id["nothing"]["error"]
    assert "has 12 chapters; more than 10 are refused" in by_id["chapters"]["error"]
    for line in lines:
        assert "\n" not in line.get("error", "") and "Traceback" not in line.get("error", "")
    assert sorted(os.listdir(lib)) == before  # nothing written beside the files

    good = tmp_path / "good"
    good.mkdir()
    build_office_folder(good)
    (good / "lo-report-fodt.fodt").unlink()
    assert main(["check", "--library", str(good), "--json"]) == 0
    assert [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()] == ["ok"] * 4
