"""The index under stress: searches while other processes commit, merge or swap in a
new build; full disks; damage the index must repair by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tuireader.core.library import Library
from tuireader.search import LibraryIndex

from .conftest import write


def make_library(root: Path, count: int) -> None:
    for i in range(count):
        body = " ".join(f"word{(i * 7 + j) % 500}" for j in range(60))
        write(root / f"doc{i:04d}.txt", f"Document number {i}\n\nby Jane Doe on 5 May 2021\n\n{body} common.\n")


def edit(lib_dir: Path, n: int) -> None:
    write(lib_dir / "doc0001.txt", f"Edit {n}\n\nThe zebra number {n}.\n")


# ------------------------------------------------------------ one consistent state
@pytest.mark.parametrize("change", ["segment merged away", "full build swapped in"])
def test_a_search_reads_the_state_it_opened_while_another_writer_commits(tmp_path, monkeypatch, change):
    """Whoosh opens a segment's stored-fields file on first use; if a commit elsewhere had
    deleted it by then, stored_fields failed with "'NoneType' object is not subscriptable"."""
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 3)
    writer = LibraryIndex(Library(lib_dir), index_dir)
    writer.update()
    edit(lib_dir, 0)
    writer.update()  # doc0001 now alone in a segment of its own, which the next edit empties
    reader = LibraryIndex(Library(lib_dir), index_dir)
    edit(lib_dir, 1)
    from tuireader.search.whoosh import highlight

    original = highlight.positions
    committed = []

    def commit_midway(*args, **kwargs):
        # after the reader's query ran, before the hits' stored fields are read (only searches highlight)
        if not committed:
            committed.append(writer.update(rebuild=change == "full build swapped in"))
        return original(*args, **kwargs)

    monkeypatch.setattr(highlight, "positions", commit_midway)
    results = reader.search("zebra")
    assert committed and (committed[0].updated == 1 or committed[0].rebuilt)
    assert [h.title for h in results.hits] == ["Edit 0"]  # the state the search began with, whole
    assert [h.title for h in reader.search("zebra").hits] == ["Edit 1"]  # the next one sees the commit
    reader.close()
    writer.close()


EDITOR = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib, idx, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    index = LibraryIndex(Library(lib), idx)
    index.update()  # imports done (seconds on a busy machine) before the clock starts
    print("started", flush=True)
    n, end = 1, time.monotonic() + seconds
    while time.monotonic() < end:
        (lib / "doc0001.txt").write_text(f"Edit {n}\\n\\nThe zebra number {n}.\\n")
        index.update(rebuild=n % 10 == 0)  # each edit empties the last one's segment
        n += 1
    print(n - 1, flush=True)
    """
)


def test_searches_during_a_stream_of_commits_never_fail(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 3)
    reader = LibraryIndex(Library(lib_dir), index_dir)
    reader.update()
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir), str(index_dir), "2"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "started"
    searches, titles = 0, []
    deadline = time.monotonic() + 30
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            hits = reader.search("zebra OR common", limit=5).hits
            searches += 1
            titles += [h.title for h in hits if h.id == "doc0001"]
    finally:
        if proc.poll() is None:
            proc.kill()
        out, _ = proc.communicate()
    assert proc.returncode == 0
    edits = int(out.split()[-1])
    assert edits >= 5 and searches >= 20, (edits, searches)  # measured ~20 and ~100 on a busy machine
    numbers = [int(t.split()[1]) for t in titles if t.startswith("Edit ")]
    assert numbers == sorted(numbers)  # never an older state after a newer one
    reader.close()


# ------------------------------------------------------------ full disk
@pytest.fixture
def small_fs(tmp_path):
    """A 2 MB file system (tmpfs; CI runs as root), so the index can fill it."""
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(mount_point: Path, leave: int = 0) -> Path:
    """Fill the file system, then free ``leave`` bytes again."""
    filler = mount_point / "filler"
    with filler.open("wb", buffering=0) as fh:  # unbuffered: nothing left to flush (and fail) at close
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def cli(capsys, *args: str) -> tuple[int, str, str]:
    from tuireader.cli import main

    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_update_on_a_full_disk_says_so_keeps_the_last_index_and_recovers(tmp_path, small_fs, capsys):
    lib_dir, index_dir = tmp_path / "lib", small_fs / "index"
    make_library(lib_dir, 3)
    where = ["--library", str(lib_dir), "--index-dir", str(index_dir)]
    assert cli(capsys, "index", *where)[0] == 0
    files_before = sorted(p.name for p in (index_dir / "whoosh").iterdir())
    filler = fill(small_fs)
    for i in range(3, 8):
        write(lib_dir / f"new{i}.txt", f"New {i}\n\n{'giraffe ' * 200}common.\n")

    code, out, err = cli(capsys, "index", *where)
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith("tuireader: disk full:") and "last complete index" in err

    code, out, err = cli(capsys, "search", "common", "--json", *where)
    assert code == 0 and err.count("disk full") == 1, err  # said once, not once per attempt
    assert json.loads(out)["total"] == 3  # the last committed state
    code, _, err = cli(capsys, "search", "common", *where)
    assert code == 0 and err.count("disk full") == 1, err
    assert sorted(p.name for p in (index_dir / "whoosh").iterdir()) == files_before  # nothing half-written left
    assert sorted(p.name for p in index_dir.iterdir() if p.suffix != ".cache") == ["update.lock", "whoosh"]

    filler.unlink()
    code, out, err = cli(capsys, "index", *where)
    assert code == 0 and out.startswith("5 added"), out + err
    assert json.loads(cli(capsys, "search", "giraffe", "--json", *where)[1])["total"] == 5


def test_a_file_size_limit_is_a_full_disk_without_root(tmp_path):
    # RLIMIT_FSIZE (writes past it fail with EFBIG) needs no mount: this runs where tmpfs cannot
    import resource

    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 3)
    LibraryIndex(Library(lib_dir), index_dir).update()
    for i in range(3, 13):
        write(lib_dir / f"new{i}.txt", f"New {i}\n\n{'giraffe ' * 200}common.\n")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tuireader", "index", "--library", str(lib_dir), "--index-dir", str(index_dir)]
    full = subprocess.run(command, capture_output=True, text=True, env=env, preexec_fn=limited, timeout=120)
    assert full.returncode == 1 and full.stderr.startswith("tuireader: disk full:"), full.stderr
    assert "Traceback" not in full.stderr and full.stderr.count("\n") == 1
    index = LibraryIndex(Library(lib_dir), index_dir)
    assert index.search("common").total == 3  # the last committed state
    assert index.update().added == 10  # and the next update, without the limit, completes
    assert index.search("giraffe").total == 10
    index.close()


PARALLEL_CLI = textwrap.dedent(
    """
    import sys
    import tuireader.search.whoosh.backend as backend_module
    from tuireader.cli import main

    backend_module.PARALLEL_FROM = 20  # writer processes for a small library
    sys.exit(main(sys.argv[1:]))
    """
)


# With 8 KB left the parent process meets the full disk first; with 60 KB, a writer process.
@pytest.mark.parametrize(("leave_kb", "where_full"), [(8, "the parent"), (60, "a worker")])
def test_a_parallel_rebuild_on_a_full_disk_exits_instead_of_hanging(tmp_path, small_fs, capsys, leave_kb, where_full):
    lib_dir, index_dir = tmp_path / "lib", small_fs / "index"
    make_library(lib_dir, 3)
    where = ["--library", str(lib_dir), "--index-dir", str(index_dir)]
    assert cli(capsys, "index", *where)[0] == 0
    make_library(lib_dir, 40)
    filler = fill(small_fs, leave=leave_kb * 1024)
    script = tmp_path / "parallel_cli.py"
    script.write_text(PARALLEL_CLI)
    try:
        full = subprocess.run(
            [sys.executable, str(script), "index", "--rebuild", *where], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the full build hung on a full disk")
    assert full.returncode == 1, full.stdout
    assert "Traceback" not in full.stderr and full.stderr.startswith("tuireader: disk full:"), full.stderr
    assert ("(in an index writer process)" in full.stderr) == (where_full == "a worker"), full.stderr
    assert sorted(p.name for p in index_dir.iterdir() if p.suffix != ".cache") == [
        "update.lock",
        "whoosh",
    ]  # no whoosh.new left
    index = LibraryIndex(Library(lib_dir), index_dir)
    assert index.search("common").total == 3  # the last complete index

    filler.unlink()
    assert index.update(rebuild=True, procs=2).added == 40
    assert index.search("common").total == 40
    index.close()


# ------------------------------------------------------------ damage repaired by itself
@pytest.mark.parametrize(
    "manifest",
    [
        "[]",
        '{"schema_version": SCHEMA, "entries": []}',
        '{"schema_version": SCHEMA, "entries": {"doc0000": "row"}}',
        '{"schema_version": SCHEMA, "entries": {"doc0000": ["p", "size", 1, "sha", null, null]}}',
        '{"schema_version": SCHEMA, "entries": {"doc0000": ["p", 1, 1, "sha", null, ["meta"]]}}',
        '"text"',
    ],
)
def test_a_manifest_of_the_wrong_shape_is_rebuilt_with_a_message(tmp_path, manifest):
    from tuireader.search.whoosh.schema import SCHEMA_VERSION

    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 2)
    LibraryIndex(Library(lib_dir), index_dir).update()
    (index_dir / "whoosh" / "manifest.json").write_text(manifest.replace("SCHEMA", str(SCHEMA_VERSION)))
    index = LibraryIndex(Library(lib_dir), index_dir)
    assert index.catalog() == {}  # not a traceback
    report = index.update()
    assert report.rebuilt and report.reason == "the index manifest is malformed"
    assert index.messages == ["rebuilt the search index: the index manifest is malformed"]
    assert index.search("common").total == 2 and len(index.catalog()) == 2
    index.close()


def test_a_journal_line_of_the_wrong_shape_only_reindexes_its_document(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 2)
    LibraryIndex(Library(lib_dir), index_dir).update()
    with (index_dir / "whoosh" / "manifest.log").open("a") as fh:
        fh.write('5\n["doc0000", ["p", "size", 1, "sha", null, null]]\n["doc0001", {"a": 1}]\n')
    index = LibraryIndex(Library(lib_dir), index_dir)
    assert sorted(index.catalog()) == ["doc0000", "doc0001"]
    report = index.update()
    assert (report.rebuilt, report.updated, report.unchanged) == (False, 0, 2)
    index.close()


def test_an_update_lock_that_is_a_folder_is_replaced_with_a_message(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 2)
    LibraryIndex(Library(lib_dir), index_dir).update()
    (index_dir / "update.lock").unlink()
    (index_dir / "update.lock").mkdir()
    (index_dir / "update.lock" / "inside").write_text("x")
    write(lib_dir / "doc0002.txt", "Third\n\nA zebra.\n")
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update()
    assert not report.busy and report.added == 1
    assert index.messages == ["repaired the search index: its update lock was a folder"]
    assert (index_dir / "update.lock").is_file()
    assert index.search("common OR zebra").total == 3
    index.close()


REBUILDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    def progress(done, total):
        if done == 3:
            print("stalled", flush=True)
            time.sleep(120)  # killed here, halfway through the build in whoosh.new

    LibraryIndex(Library(Path(sys.argv[1])), Path(sys.argv[2])).update(progress, rebuild=True)
    """
)


def test_a_killed_rebuild_leaves_no_copy_behind_after_the_next_update(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 6)
    LibraryIndex(Library(lib_dir), index_dir).update()
    script = tmp_path / "rebuilder.py"
    script.write_text(REBUILDER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir), str(index_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "stalled"
    assert (index_dir / "whoosh.new").is_dir()
    proc.kill()
    proc.wait()
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update()  # incremental: nothing changed
    assert (report.rebuilt, report.unchanged) == (False, 6)
    assert sorted(p.name for p in index_dir.iterdir() if p.suffix != ".cache") == ["update.lock", "whoosh"]
    index.close()
