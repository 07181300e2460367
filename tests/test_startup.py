"""The reader started the way a user starts it: the installed command in a terminal, in a folder
holding ./library, quit and started again.  Pilot tests build the app themselves and miss what
happens between the first layout and the restore of a reading position; this one does not.

Each run is a real process on a pseudo-terminal, so the tests here take a few seconds.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tuireader.workspace import Workspace

from .conftest import LIBRARY

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
TUIREADER = Path(sys.executable).with_name("tuireader")

pytestmark = pytest.mark.skipif(not TUIREADER.exists(), reason="the tuireader command is not installed")


class Terminal:
    """One tuireader process on a pty of a given size; what it writes is read and kept."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.output = bytearray()
        self.proc = subprocess.Popen(
            [str(TUIREADER), *args],
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def press(self, keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(0.15)  # one key a frame, as a person types

    def finish(self, timeout: float = 20) -> int:
        return self.proc.wait(timeout)


def wait_for_save(state_file: Path, after: int, timeout: float = 30) -> dict:
    """The state file as written after ``after`` (an mtime in ns): the reader saves it a second after a change."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            stat = state_file.stat()
        except FileNotFoundError:
            stat = None
        if stat is not None and stat.st_mtime_ns > after:
            return json.loads(state_file.read_text(encoding="utf-8"))
        assert time.monotonic() < deadline, "the reader never saved its state"
        time.sleep(0.05)


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


@pytest.fixture
def terminals():
    """Start terminals through this; any left running by a failed test is killed."""
    started: list[Terminal] = []

    def start(*args, **kwargs) -> Terminal:
        started.append(Terminal(*args, **kwargs))
        return started[-1]

    yield start
    for term in started:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait()


@pytest.mark.long
def test_reading_position_survives_a_restart_in_a_folder_holding_library(tmp_path, isolated_user_dirs, terminals):
    size = (100, 30)
    folder = tmp_path / "work"
    shutil.copytree(LIBRARY, folder / "library")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUIREADER_")}
    env.update(
        TERM="xterm-256color",
        TUIREADER_DATA_DIR=str(isolated_user_dirs / "data"),
        TUIREADER_CACHE_DIR=str(isolated_user_dirs / "cache"),
        TUIREADER_CONFIG_DIR=str(isolated_user_dirs / "config"),
    )
    state_file = isolated_user_dirs / "data" / "state.json"

    # The library indexed, as it is after any first session that lasts a few seconds: the
    # next start then lists and opens documents from the index's catalog, at once, which is
    # what raced with the first layout.
    Workspace((folder / "library").resolve()).index.update()

    # First start: name the report, page down five times, quit.
    first = terminals([ISW_ID], folder, env, size)
    saved = wait_for_save(state_file, 0)  # shown: the reader saved the last document
    assert saved["last_doc"] == ISW_ID
    first.press("     ")
    first.press("q")
    assert first.finish() == 0
    offset = json.loads(state_file.read_text(encoding="utf-8"))["positions"][ISW_ID]
    assert offset > 3000  # five pages into a 15,000-character report

    # Second start, no document named: the report reopens where it was left, and the
    # save that follows the opening keeps that place instead of writing the top of the text.
    before = mtime(state_file)
    second = terminals([], folder, env, size)
    reopened = wait_for_save(state_file, before)
    assert reopened["last_doc"] == ISW_ID
    assert reopened["positions"][ISW_ID] == offset
    # and the view is there: one more page moves on from it, not from the top
    second.press(" ")
    second.press("q")
    assert second.finish() == 0
    assert json.loads(state_file.read_text(encoding="utf-8"))["positions"][ISW_ID] > offset
