from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "library"
ISW = LIBRARY / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt"
NEO = LIBRARY / "neo-2022-01-22-turkic-military-alliance.txt"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user folders."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TUIREADER_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("TUIREADER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TUIREADER_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("TUIREADER_LIBRARY", raising=False)
    monkeypatch.delenv("TUIREADER_INDEX_DIR", raising=False)
    return base


@pytest.fixture
def library_copy(tmp_path) -> Path:
    """A writable copy of the bundled library."""
    dest = tmp_path / "library"
    shutil.copytree(LIBRARY, dest)
    return dest


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="session")
def generated_timeline(tmp_path_factory):
    """The 50 dated documents of timeline_library.py, indexed once for the session: (base, docs, workspace)."""
    from tuireader.workspace import Workspace

    from .timeline_library import generate

    base = tmp_path_factory.mktemp("timeline")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("DATA", "CACHE", "CONFIG"):
            mp.setenv(f"TUIREADER_{name}_DIR", str(base / name.lower()))
        docs = generate(base / "library")
        workspace = Workspace(base / "library", base / "index")
        workspace.index.update()
        yield base, docs, workspace
