"""`tuireader check` over a folder of every format and every bad input: one line each, per-format totals."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from tuireader.cli import main
from tuireader.core.formats import epub

from .conftest import write
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
