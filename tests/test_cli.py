"""The command line as a user runs it: output, JSON shape, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from tuireader.cli import main

from .conftest import LIBRARY, write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tuireader", *args], capture_output=True, text=True, cwd=cwd)


def test_show_json_shape(capsys):
    assert main(["show", "--library", str(LIBRARY), ISW_ID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "id",
        "path",
        "format",
        "title",
        "authors",
        "date",
        "date_end",
        "source",
        "blocks",
        "footnotes",
        "warnings",
    ):
        assert key in data
    assert data["id"] == ISW_ID and data["format"] == "text"
    block = data["blocks"][0]
    assert set(block) >= {"kind", "text", "refs"}
    assert set(block["refs"][0]) >= {"label", "at", "source_offset"}
    note = data["footnotes"][12]
    assert note["label"] == "13" and set(note) >= {"label", "text", "urls", "cited_at"}
    bi, at = note["cited_at"][0]
    assert any(r["label"] == "13" and r["at"] == at for r in data["blocks"][bi]["refs"])


def test_show_plain_has_markers_and_notes(capsys):
    assert main(["show", "--library", str(LIBRARY), ISW_ID]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Kazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia\n")
    assert "calling for stability and peace.[1] Turkey accelerated" in out
    assert '\n[13] "In the Second Attack of its Kind' in out
    assert "Ezgi Yazici, Fatih Cungurlu" in out


def test_show_by_path_outside_library(tmp_path, capsys):
    path = write(tmp_path / "x.md", "# Outside\n\nBody[^1].\n\n[^1]: Note.\n")
    assert main(["show", str(path)]) == 0
    assert "Body[1]." in capsys.readouterr().out


def test_show_missing_document_is_one_line_exit_1():
    result = run("show", "--library", str(LIBRARY), "no-such-doc")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("tuireader: no document 'no-such-doc'")
    assert "Traceback" not in result.stderr


def test_usage_error_exit_2():
    result = run("show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "required" in result.stderr


def test_check_lists_documents_skips_bad_files_and_reports_unsupported(tmp_path):
    lib = tmp_path / "lib"
    write(lib / "good.txt", "T\n\nA claim.¹\n\n¹ Note.\n² Never cited.\n")
    (lib / "empty.txt").write_bytes(b"")
    (lib / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    write(lib / "scan.xyz", "%PDF")
    result = run("check", "--library", str(lib))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "bin\tskipped: bin.txt looks like a binary file, not text" in lines
    assert "empty\tskipped: empty.txt is empty" in lines
    assert any(line.startswith("good\tT\tblocks=1 footnotes=2 unresolved=0 warnings=1") for line in lines)
    assert "scan.xyz\tunsupported file type .xyz: not read" in lines


def test_check_bundled_library():
    result = run("check", "--library", str(LIBRARY))
    assert result.returncode == 0
    assert (
        f"{ISW_ID}\tKazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia\tblocks=18 footnotes=33 unresolved=0 warnings=0"
        in result.stdout
    )


def test_check_fails_on_unreadable_document(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # listed, but cannot be read
    write(tmp_path / "ok.txt", "T\n\nBody.\n")
    result = run("check", "--library", str(tmp_path))
    assert result.returncode == 1
    assert "gone\tfailed: cannot read" in result.stdout
    assert "ok\tT\tblocks=1" in result.stdout


def test_version_and_help():
    assert run("--version").stdout.startswith("tuireader ")
    for cmd in ("show", "check"):
        result = run(cmd, "--help")
        assert result.returncode == 0 and "usage: tuireader " + cmd in result.stdout
