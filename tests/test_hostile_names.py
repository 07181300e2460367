"""File names with escape sequences never reach the terminal raw (OSC 52 sets the clipboard)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tuireader.core.formats import parse_file
from tuireader.core.textio import DocumentError
from tuireader.core.visible import visible_name

EVIL = "e\x1b]52;c;cHduZWQ=\x07"  # "pwned" into the clipboard, if a terminal ever sees it


def test_visible_name_shows_every_control_character():
    assert visible_name(EVIL + "\n\t") == "e␛]52;c;cHduZWQ=␇␊␉"
    assert visible_name("plain name.txt") == "plain name.txt"


def test_a_document_error_names_the_file_visibly(tmp_path):
    path = tmp_path / f"{EVIL}.txt"
    path.write_bytes(b"")
    try:
        parse_file(path)
    except DocumentError as exc:
        assert "\x1b" not in exc.message and "\x07" not in exc.message and "␛]52" in exc.message
    else:
        raise AssertionError("an empty file is a DocumentError")


def test_check_output_has_no_escape_sequences(tmp_path):
    (tmp_path / f"{EVIL}.txt").write_bytes(b"")  # empty: reported with its name
    (tmp_path / f"\x1b[2J{EVIL}.odd").write_text("x")  # unsupported: listed with its name
    (tmp_path / "good.txt").write_text("Title\n\nText.\n")
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-m", "tuireader", "check", "--library", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    printed = out.stdout + out.stderr
    assert "good" in printed and "␛]52" in printed and "␛[2J" in printed
    assert "\x1b" not in printed and "\x07" not in printed


def _run(tmp_path, *args):
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tuireader", *args, "--library", str(tmp_path / "lib")]
    return subprocess.run(command, capture_output=True, text=True, env=env)


def test_json_output_escapes_c1_controls_and_bidi_overrides(tmp_path):
    # An 8-bit CSI (U+009B) and a right-to-left override: JSON allows them raw, a terminal acts on them.
    name = "c1\x9b31m rlo\u202etxt.exe"
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / f"{name}.txt").write_text("Odd name\n\nThe common word.\n")
    for args in (["search", "common", "--json"], ["check", "--json"]):
        out = _run(tmp_path, *args)
        assert out.returncode == 0, out.stderr
        assert "\x9b" not in out.stdout and "\u202e" not in out.stdout
        assert "\\u009b" in out.stdout and "\\u202e" in out.stdout  # escaped, so the JSON keeps the name
    shown = _run(tmp_path, "search", "common", "--json").stdout
    assert json.loads(shown)["hits"][0]["path"].endswith(f"{name}.txt")


def test_a_name_as_long_as_the_file_system_allows_is_read(tmp_path):
    # its sidecar's name would be one character too long: looking for it is not an error
    name = "x" * 251 + ".txt"
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / name).write_text("Long name\n\nThe common word.\n")
    for args in (["check"], ["search", "common"]):
        out = _run(tmp_path, *args)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        assert "Long name" in out.stdout


def test_the_library_lists_a_file_name_visibly_until_it_is_indexed(tmp_path):
    # the reader's library list shows this name for an empty or not yet indexed file
    from tuireader.core.library import Library

    (tmp_path / f"{EVIL}.txt").write_bytes(b"")
    (tmp_path / "\x1b[2J\x1b]0;T\x07.txt").write_text("Title\n\nText.\n")
    listed = sorted(d.listed_title for d in Library(tmp_path).scan().documents)
    assert listed == ["e␛]52;c;cHduZWQ=␇", "␛[2J␛]0;T␇"]


def test_the_catalog_lists_a_file_that_failed_by_its_name_visibly(tmp_path):
    # an empty file is indexed as failed; the library list then shows its name from the catalog
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / f"{EVIL}.txt").write_bytes(b"")
    index = LibraryIndex(Library(tmp_path / "lib"), tmp_path / "index")
    index.update()
    [entry] = index.catalog().values()
    index.close()
    assert entry.listed_title == "e␛]52;c;cHduZWQ=␇" and entry.error
