"""File names with escape sequences never reach the terminal raw (OSC 52 sets the clipboard)."""

from __future__ import annotations

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
