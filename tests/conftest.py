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


# ----------------------------------------------------------------- shared, built once per run
# The reader tests open the bundled library dozens of times. What they do not test — building
# its search index and loading the gazetteers (2-3 s a test on a loaded machine) — is done
# once here, and each test gets a fresh copy or the same immutable result.


def _gazetteer_key(library_root, user_gazetteer) -> tuple:
    """What an extractor is built from: the files' paths and contents (a test may write them)."""
    from tuireader.core.library import GAZETTEER_FILE

    key = []
    for path in (Path(library_root) / GAZETTEER_FILE, user_gazetteer):
        if path is None:
            key.append(None)
            continue
        path = Path(path)
        key.append((str(path), path.read_bytes() if path.is_file() else None))
    return tuple(key)


@pytest.fixture(scope="session", autouse=True)
def shared_extractors():
    """Gazetteers loaded once per set of gazetteer files (an EntityExtractor is not changed after it is built)."""
    from tuireader import workspace
    from tuireader.entities import library

    built: dict[tuple, tuple] = {}
    original = library.extractor_for

    def extractor_for(library_root, user_gazetteer):
        key = _gazetteer_key(library_root, user_gazetteer)
        if key not in built:
            built[key] = original(library_root, user_gazetteer)
        extractor, problems = built[key]
        return extractor, list(problems)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(workspace, "extractor_for", extractor_for)
        yield


@pytest.fixture(scope="session")
def _bundled_index(tmp_path_factory, shared_extractors) -> Path:
    """The bundled library's search index, built once."""
    from tuireader.workspace import Workspace

    base = tmp_path_factory.mktemp("bundled-index")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("DATA", "CACHE", "CONFIG"):
            mp.setenv(f"TUIREADER_{name}_DIR", str(base / name.lower()))
        index = base / "index"
        report = Workspace(LIBRARY, index).index.update()
        assert report.rebuilt or report.changed
    return index


@pytest.fixture
def indexed_library(request, _bundled_index, isolated_user_dirs) -> Path:
    """The bundled library with an up-to-date index in this test's cache folder, as after a first session
    (not for a test marked ``no_shared_index``: one that checks what is written to the cache)."""
    from tuireader import paths

    if request.node.get_closest_marker("no_shared_index") is None:
        shutil.copytree(_bundled_index, paths.index_dir(LIBRARY))
    return LIBRARY


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


# ----------------------------------------------------------------- toasts
@pytest.fixture(autouse=True)
def toasts_kept(monkeypatch):
    """Every toast an app shows, kept for the test to read (``toasts(app)``): a toast lives
    3-10 s, and on a loaded machine it expired before the assertion that looked for it ran,
    failing the test for the machine's sake, not the app's."""
    from textual.app import App

    show = App.notify

    def notify(self, message, *args, **kwargs):
        self.__dict__.setdefault("_toasts_shown", []).append(message)
        return show(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)


def toasts(app) -> list[str]:
    """The messages of every toast the app has shown, in order, expired or not."""
    return list(app.__dict__.get("_toasts_shown", []))


# ----------------------------------------------------------------- Pilot's idle wait
# Pilot waits after every key and pause until the app looks idle: it sleeps in steps of
# 1/50 s until a step used almost no CPU, so each key costs at least 40 ms of doing nothing
# (the suite presses keys and pauses about ten thousand times). Steps of 1/200 s ask the
# same question — did the process use < 5 % of a step's CPU — four times as often.
def _shorter_idle_steps() -> None:
    import os

    if os.environ.get("TUIREADER_TEST_IDLE_STEP") == "textual":
        return
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = 1 / 200
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20.0


_shorter_idle_steps()


def pytest_configure(config):
    # xdist hands out two tests at a time (by default a quarter of each worker's share at
    # once): with the long tests first, each worker takes some of them at the start, instead
    # of one worker ending the run alone on a chunk of them.
    if getattr(config.option, "maxschedchunk", "absent") is None:
        config.option.maxschedchunk = 2


def pytest_collection_modifyitems(items):
    """The long tests first: longest-first scheduling over the workers."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
