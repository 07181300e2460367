"""Walking a library folder: link loops, links out of it, FIFOs and unreadable folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tuireader.core.library import Library

from .conftest import write

DOC = "A title\n\nSome text about Ankara.\n"


def ids(scan):
    return sorted(e.id for e in scan.documents)


def test_a_link_loop_lists_each_document_once(tmp_path):
    write(tmp_path / "a.txt", DOC)
    write(tmp_path / "sub" / "b.txt", DOC)
    os.symlink(".", tmp_path / "loop")
    os.symlink("..", tmp_path / "sub" / "up")
    scan = Library(tmp_path).scan()
    assert ids(scan) == ["a", "sub/b"]
    assert sorted(p.name for p, _ in scan.skipped) == ["loop", "up"]


def test_a_link_out_of_the_library_is_skipped_unless_the_settings_allow_it(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", DOC)
    lib = tmp_path / "lib"
    write(lib / "a.txt", DOC)
    os.symlink(outside, lib / "passwd.txt")
    scan = Library(lib).scan()
    assert ids(scan) == ["a"]
    [(path, why)] = scan.skipped
    assert path.name == "passwd.txt" and "out of the library" in why
    write(lib / "tuireader.yaml", "follow_outside_links: true\n")
    assert ids(Library(lib).scan()) == ["a", "passwd"]


def test_a_link_inside_the_library_is_read_once(tmp_path):
    write(tmp_path / "a.txt", DOC)
    os.symlink("a.txt", tmp_path / "alias.txt")
    scan = Library(tmp_path).scan()
    assert ids(scan) == ["a"]
    assert [p.name for p, _ in scan.skipped] == ["alias.txt"]


def test_a_fifo_is_skipped_not_read(tmp_path):
    write(tmp_path / "a.txt", DOC)
    os.mkfifo(tmp_path / "x.txt")
    scan = Library(tmp_path).scan()
    assert ids(scan) == ["a"]
    assert scan.skipped == [(tmp_path / "x.txt", "not a regular file")]


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    write(tmp_path / "locked" / "a.txt", DOC)
    write(tmp_path / "b.txt", DOC)
    real_scandir = os.scandir

    def scandir(path):  # as for a folder without read permission (tests run as root, who reads all)
        if os.path.basename(os.fspath(path).rstrip("/")) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    scan = Library(tmp_path).scan()
    assert ids(scan) == ["b"]
    assert scan.skipped == [(tmp_path / "locked", "cannot read this folder: Permission denied")]


def test_check_lists_what_was_skipped_and_finishes(tmp_path):
    write(tmp_path / "a.txt", DOC)
    os.mkfifo(tmp_path / "x.txt")
    os.symlink(".", tmp_path / "loop")
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-m", "tuireader", "check", "--json", "--library", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a FIFO read would block forever
    )
    assert out.returncode == 0
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert {(line["path"].rsplit("/", 1)[-1], line["status"]) for line in lines} == {
        ("a.txt", "ok"),
        ("x.txt", "skipped"),
        ("loop", "skipped"),
    }


def test_a_name_that_is_not_utf8_is_skipped_with_a_message(tmp_path):
    write(tmp_path / "a.txt", DOC)
    with open(os.path.join(os.fsencode(tmp_path), b"latin-caf\xe9.txt"), "wb") as fh:
        fh.write(DOC.encode())
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"dossier-\xe9t\xe9"))
    scan = Library(tmp_path).scan()
    assert ids(scan) == ["a"]
    assert sorted(why for _, why in scan.skipped) == ["its name is not valid UTF-8: rename it to read it"] * 2
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tuireader", "search", "Ankara", "--library", str(tmp_path)]
    out = subprocess.run(command, capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "Traceback" not in out.stderr and "1 document matched" in out.stdout, out.stderr
