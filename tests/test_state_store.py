"""Reading positions kept in state.json: atomic, merged between two readers, damage set aside."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tuireader.state.store import StateStore

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tuireader.state.store import StateStore

    store = StateStore(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.readline()  # both started, both read the file before either saves
    for i in range(40):
        for d in range(3):
            store.remember_position(f"{sys.argv[2]}-{d}", i * 10 + d)
        store.save()
    """
)


def test_positions_survive_a_restart(tmp_path):
    store = StateStore(tmp_path / "state.json")
    store.remember_position("a", 120)
    store.state.last_doc = "a"
    store.save()
    again = StateStore(tmp_path / "state.json")
    assert again.position("a") == 120 and again.state.last_doc == "a"


def test_two_readers_at_once_keep_both_positions(tmp_path):
    path = tmp_path / "state.json"
    first, second = StateStore(path), StateStore(path)  # both started before either saved
    first.remember_position("a", 500)
    second.remember_position("b", 900)
    first.save()
    second.save()  # read-modify-write: must not drop a's position
    on_disk = json.loads(path.read_text())["positions"]
    assert on_disk == {"a": 500, "b": 900}
    # and a later save of the first reader keeps b too
    first.remember_position("a", 600)
    first.save()
    assert json.loads(path.read_text())["positions"] == {"a": 600, "b": 900}
    assert first.position("b") == 900  # the other reader's position is seen after a save


def test_a_position_this_reader_did_not_change_is_not_written_back(tmp_path):
    path = tmp_path / "state.json"
    first, second = StateStore(path), StateStore(path)
    first.remember_position("a", 100)
    first.save()
    stale = StateStore(path)  # reads a=100
    first.remember_position("a", 700)
    first.save()
    stale.remember_position("b", 5)
    stale.save()  # its a=100 is old news: the file keeps 700
    assert json.loads(path.read_text())["positions"] == {"a": 700, "b": 5}
    del second


def test_last_document_follows_the_reader_that_changed_it(tmp_path):
    path = tmp_path / "state.json"
    first, second = StateStore(path), StateStore(path)
    first.state.last_doc = "a"
    first.save()
    second.remember_position("b", 1)
    second.save()  # second never opened another document: a stays the last one
    assert json.loads(path.read_text())["last_doc"] == "a"


def test_a_damaged_state_file_is_set_aside(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    store = StateStore(path)
    assert store.state.positions == {} and "started afresh" in store.messages[0]
    assert (tmp_path / "state.json.damaged").read_text() == "{not json"
    store.remember_position("a", 3)
    store.save()
    assert json.loads(path.read_text())["positions"] == {"a": 3}


def test_two_reader_processes_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "state.json"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), me], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for me in ("A", "B")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    # each process's last save: 390 + d, worked out from the loop above
    expected = {f"{me}-{d}": 390 + d for me in ("A", "B") for d in range(3)}
    assert json.loads(path.read_text())["positions"] == expected
