"""An up-to-date index on a read-only mount is still searched: search needs no write access."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import LIBRARY


def _run(*args, env):
    return subprocess.run([sys.executable, "-m", "tuireader", *args], capture_output=True, text=True, env=env)


@pytest.fixture
def read_only_copy(tmp_path):
    """The index folder seen through a read-only bind mount (needs root and mount rights)."""
    built, mounted = tmp_path / "index", tmp_path / "ro"
    built.mkdir()
    mounted.mkdir()
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    assert _run("index", "--library", str(LIBRARY), "--index-dir", str(built), env=env).returncode == 0
    bind = subprocess.run(["mount", "--bind", str(built), str(mounted)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root): " + bind.stderr.decode(errors="replace").strip())
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield mounted, env
    finally:
        subprocess.run(["umount", str(mounted)], capture_output=True)


def test_search_on_a_read_only_index(read_only_copy):
    mounted, env = read_only_copy
    with pytest.raises(OSError):
        (mounted / "probe").write_text("x")  # really read-only
    out = _run("search", "erdogan", "--library", str(LIBRARY), "--index-dir", str(mounted), env=env)
    assert out.returncode == 0, out.stderr
    assert "2 documents matched" in out.stdout
    assert "not writable" in out.stderr and "searched the index as it is" in out.stderr
    assert "Traceback" not in out.stderr


def test_index_on_a_read_only_index_is_a_one_line_error(read_only_copy):
    mounted, env = read_only_copy
    out = _run("index", "--library", str(LIBRARY), "--index-dir", str(mounted), env=env)
    assert out.returncode == 1 and "not writable" in out.stderr and "Traceback" not in out.stderr
