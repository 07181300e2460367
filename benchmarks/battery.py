"""The reliability battery of issue #18: bad inputs, hostile files, crashes, full disks and
concurrent use, run against the `tuireader` command line in temporary folders.

    .venv/bin/python benchmarks/battery.py [--long] [--only GROUP ...] [--kills N] [--keep]

Every group works in its own folder under the system's temporary folder (never the
user's library, index or state: the CLI runs with ``TUIREADER_*`` pointed there) and
counts what it tried and what survived.  A try survives when the commands finished in
their time limit with an expected exit code, printed no traceback and no raw escape or
bell, left no process behind (each command runs in its own session, whose group is
checked once it exits), and the index and search answered correctly afterwards.  Times
are CPU seconds of the command's process (``wait4``'s resource usage), so the other jobs
of a shared machine do not count.  Exits 1 when a try failed.

Groups: ``kill`` (``kill -9`` of ``tuireader index`` at random points of full builds,
rebuilds and incremental updates), ``damage`` (each index file kind truncated or
overwritten, a manifest of the wrong shape, the lock a folder, a bad journal, a killed
build's leftovers), ``concurrent`` (searches in two processes during a stream of
updates), ``state`` (two processes saving reading positions through the state store),
``parse`` (the pathological inputs of #18 item 3 through ``tuireader show`` at 10 KB /
100 KB / 1 MB, with the ratio per x10 and the 2 s target at 1 MB), ``yaml`` (billion
laughs and type errors in a sidecar, front matter, ``tuireader.yaml``, ``settings.yaml``,
``entities.yaml``; a backtracking and an invalid user pattern), ``names`` (file names with
ESC/BEL/OSC 52, newlines, bytes that are not UTF-8), ``links`` (link loops, links out of
the library, FIFOs, dangling links, an unreadable folder), ``readonly`` (a read-only
library and a read-only index), ``diskfull`` (the index on a full file system: a tmpfs when
run as root, else ``RLIMIT_FSIZE``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

# Raw control characters a command may print: ESC, BEL and the other C0/C1 codes.
# Tab and newline are ordinary output.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")

# Root reads and writes past file permissions; for the read-only and unreadable cases the
# commands run without that power (util-linux's setpriv drops it from the capability bounding set).
AS_PLAIN_USER = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    if os.geteuid() == 0 and shutil.which("setpriv")
    else []
)
CAN_DROP_ROOT = os.geteuid() != 0 or bool(AS_PLAIN_USER)

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


@dataclass
class Run:
    """One finished command: what it printed, its exit code, its CPU seconds."""

    args: list[str]
    code: int
    out: str
    err: str
    cpu: float
    wall: float
    timed_out: bool = False
    leftover: int = 0  # processes of its group still alive after it exited (then killed)
    max_rss_mb: float = 0.0

    def problems(self, codes: tuple[int, ...] = (0,)) -> list[str]:
        """What is wrong with this run by the battery's general rules."""
        found = []
        name = " ".join(self.args[:1])
        if self.timed_out:
            found.append(f"{name}: did not finish in time")
        elif self.code not in codes:
            found.append(f"{name}: exit {self.code} (expected {codes}): {self.err.strip()[-300:]!r}")
        if "Traceback" in self.err or "Traceback" in self.out:
            found.append(f"{name}: traceback: {self.err.strip()[-300:]!r}")
        if RAW_CONTROL.search(self.out) or RAW_CONTROL.search(self.err):
            found.append(f"{name}: raw control characters in its output")
        if self.leftover:
            found.append(f"{name}: left {self.leftover} process(es) running")
        return found


@dataclass
class Group:
    name: str
    tried: int = 0
    survived: int = 0
    failures: list[str] = field(default_factory=list)
    timings: list[str] = field(default_factory=list)
    skipped: str = ""

    def count(self, what: str, problems: list[str]) -> bool:
        self.tried += 1
        if problems:
            self.failures.append(f"{what}: " + "; ".join(problems))
            return False
        self.survived += 1
        return True


class Sandbox:
    """A temporary home for one group: the CLI's cache, data and config folders point inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "TUIREADER_CACHE_DIR": str(root / "cache"),
            "TUIREADER_DATA_DIR": str(root / "data"),
            "TUIREADER_CONFIG_DIR": str(root / "config"),
            "PYTHONPATH": str(ROOT / "src"),
        }
        self.env.pop("TUIREADER_LIBRARY", None)
        self.env.pop("TUIREADER_INDEX_DIR", None)

    def start(
        self, args: list[str], preexec: Callable[[], None] | None = None, *, plain: bool = False, **env: str
    ) -> subprocess.Popen:
        """``plain``: as a user without root's power to read and write past file permissions."""
        out = tempfile.TemporaryFile(dir=self.root)
        err = tempfile.TemporaryFile(dir=self.root)
        proc = subprocess.Popen(
            [*(AS_PLAIN_USER if plain else []), sys.executable, "-m", "tuireader", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env={**self.env, **env},
            start_new_session=True,  # its own process group: what it leaves running is seen
            preexec_fn=preexec,
        )
        proc._battery_files = (out, err)  # type: ignore[attr-defined]
        proc._battery_started = time.monotonic()  # type: ignore[attr-defined]
        return proc

    def finish(self, proc: subprocess.Popen, args: list[str], timeout: float, *, killed: bool = False) -> Run:
        started = proc._battery_started  # type: ignore[attr-defined]
        deadline = started + timeout
        timed_out = False
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        leftover = 0 if timed_out else _reap_group(proc.pid)
        out, err = proc._battery_files  # type: ignore[attr-defined]
        texts = []
        for fh in (out, err):
            fh.seek(0)
            texts.append(fh.read().decode("utf-8", "replace"))
            fh.close()
        cpu = usage.ru_utime + usage.ru_stime if usage else 0.0
        code = proc.returncode
        if killed and code == -signal.SIGKILL:
            code = 0
        rss = usage.ru_maxrss / 1024 if usage else 0.0
        return Run(args, code, texts[0], texts[1], cpu, wall, timed_out, leftover, rss)

    def run(
        self,
        args: list[str],
        timeout: float = 120,
        preexec: Callable[[], None] | None = None,
        *,
        plain: bool = False,
        **env: str,
    ) -> Run:
        return self.finish(self.start(args, preexec, plain=plain, **env), args, timeout)


def _reap_group(pgid: int, grace: float = 5.0) -> int:
    """How many processes of this group outlived its leader (given a grace period); kills them."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        alive = _group_members(pgid)
        if not alive:
            return 0
        time.sleep(0.05)
    alive = _group_members(pgid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    return len(alive)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # fields[0] is the state, fields[2] the process group; a zombie is already dead
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_library(root: Path, count: int, start: int = 0, words: int = 150) -> None:
    """Plain-text articles: each has the word ``common`` and its own word ``uniqN``."""
    for i in range(start, start + count):
        body = " ".join(f"word{(i * 7 + j) % 700}" for j in range(words))
        write(root / f"doc{i:04d}.txt", f"Document number {i}\n\nby Jane Doe on 5 May 2021\n\n{body} common uniq{i}.\n")


def search_total(run: Run) -> int | None:
    """The total of a ``search --json`` run, or None when it did not answer."""
    try:
        return int(json.loads(run.out)["total"])
    except (ValueError, KeyError, TypeError):
        return None


def index_and_search(box: Sandbox, lib: Path, idx: Path, expected: int, *, said: list[str] | None = None) -> list[str]:
    """``index`` then ``search common``: both work, and every document is found.  What
    ``index`` printed is added to ``said``."""
    where = ["--library", str(lib), "--index-dir", str(idx)]
    problems = []
    index = box.run(["index", *where], timeout=300)
    if said is not None:
        said.append(index.out.strip() + " " + index.err.strip())
    problems += index.problems()
    search = box.run(["search", "common", "--json", "--limit", "1", *where], timeout=120)
    problems += search.problems()
    total = search_total(search)
    if total != expected:
        problems.append(f"search common found {total}, expected {expected}")
    if (idx / "whoosh.new").exists():
        problems.append("whoosh.new left after a completed index")
    return problems


# ---------------------------------------------------------------------------------------
# kill -9 during builds and updates


def group_kill(work: Path, kills: int, docs: int, rng: random.Random) -> Group:
    group = Group("kill -9 during index")
    box = Sandbox(work)
    lib, idx = work / "lib", work / "index"
    make_library(lib, docs)
    where = ["--library", str(lib), "--index-dir", str(idx)]
    # How long a full build takes here, so that kills land inside one.
    first = box.run(["index", *where], timeout=600)
    group.count("first full build", first.problems())
    build_wall = max(first.wall, 0.5)
    group.timings.append(f"full build of {docs}: {first.cpu:.1f} s CPU, {first.wall:.1f} s wall")
    extra = interrupted = redone = 0
    for k in range(kills):
        kind = ("full build", "rebuild", "update")[k % 3]
        if kind == "full build":
            shutil.rmtree(idx, ignore_errors=True)
            args, span = ["index", *where], build_wall
        elif kind == "rebuild":
            args, span = ["index", "--rebuild", *where], build_wall
        else:
            # a fifth of the documents edited and as many added: an incremental update
            for i in rng.sample(range(docs), docs // 5):
                path = lib / f"doc{i:04d}.txt"
                path.write_text(path.read_text() + f" edit{k}.\n")
            make_library(lib / f"more{k}", docs // 5, start=10_000 + extra)
            extra += docs // 5
            args, span = ["index", *where], build_wall / 2
        delay = rng.uniform(0.3, 1.0) * span
        proc = box.start(args)
        time.sleep(delay)
        running = _alive(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the command only: its writers must die with it
        killed = box.finish(proc, args, timeout=60, killed=True)
        problems = killed.problems()
        said: list[str] = []
        problems += index_and_search(box, lib, idx, docs + extra, said=said)
        interrupted += running
        redone += not re.search(r"\b0 added, 0 updated, 0 removed", said[0])
        group.count(f"kill {k + 1} ({kind}, at {delay:.1f} s)", problems)
    group.timings.append(
        f"{interrupted} of {kills} kills hit a running index (the others came after it finished); "
        f"after {redone} the next index had work left to do"
    )
    return group


# ---------------------------------------------------------------------------------------
# index damage


def _truncate_half(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)


def _garbage_middle(path: Path) -> None:
    """Garbage over a quarter of the file, its size kept, its mtime a second later (damage
    within the commit's clock tick is not looked for: README, The search index)."""
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(st.st_size // 3)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(max(1, st.st_size // 4))))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _damages(live: Path, every: bool) -> list[tuple[str, Callable[[Path], None]]]:
    """(what, damage(index_dir)) for every file kind of this index and the known bad states;
    ``every``: each of the four damages to each kind, else one per kind in turn."""
    found: list[tuple[str, Callable[[Path], None]]] = []
    kinds: dict[str, Path] = {}
    for path in sorted(live.iterdir()):
        kind = path.suffix if path.name.startswith(("MAIN_", "_MAIN_")) and path.suffix else path.name
        if kind in (".col",):
            kind = path.name.split(".", 1)[1]  # each column file: _stored.col, _body_len.col …
        if kind == "MAIN_WRITELOCK":
            continue
        if kind not in kinds or path.stat().st_size > kinds[kind].stat().st_size:
            kinds[kind] = path
    damages: list[tuple[str, Callable[[Path], None]]] = [
        ("truncated to half", _truncate_half),
        ("garbage in the middle", _garbage_middle),
        ("emptied", lambda path: path.write_bytes(b"")),
        ("deleted", lambda path: path.unlink()),
    ]
    for n, (kind, path) in enumerate(sorted(kinds.items())):
        for how, damage in damages if every else [damages[n % len(damages)]]:
            found.append((f"{kind} {how}", lambda idx, name=path.name, damage=damage: damage(idx / "whoosh" / name)))
    shapes = ("[]", "{}", "null", '{"version": 1, "files": 5}', "{not json")
    for shape in shapes if every else shapes[::4]:
        found.append(
            (f"manifest.json is {shape}", lambda idx, s=shape: (idx / "whoosh" / "manifest.json").write_text(s))
        )
    found.append(("a garbage line inside the journal", lambda idx: _journal_line(idx, "[{]] garbage\n", middle=True)))
    found.append(("a journal line of the wrong shape", lambda idx: _journal_line(idx, '["doc0001", {"a": 1}]\n')))
    found.append(("the journal's last line cut short", lambda idx: _journal_line(idx, '["doc0002", ["doc', nl=False)))
    found.append(("update.lock is a folder", lambda idx: _replace(idx / "update.lock", "folder")))
    found.append(("update.lock is a FIFO", lambda idx: _replace(idx / "update.lock", "fifo")))
    found.append(("a killed build's whoosh.new (a folder of junk)", lambda idx: _replace(idx / "whoosh.new", "folder")))
    found.append(("a killed build's whoosh.new (a file)", lambda idx: _replace(idx / "whoosh.new", "file")))
    found.append(("the live index folder is a file", lambda idx: _replace(idx / "whoosh", "file")))
    return found


def _journal_line(idx: Path, line: str, *, middle: bool = False, nl: bool = True) -> None:
    log = idx / "whoosh" / "manifest.log"
    lines = log.read_text().splitlines(keepends=True) if log.exists() else []
    if middle and len(lines) > 1:
        lines.insert(len(lines) // 2, line)
    else:
        lines.append(line)
    log.write_text("".join(lines))


def _replace(path: Path, kind: str) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "folder":
        path.mkdir()
        (path / "junk").write_text("x" * 1000)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("junk")


def group_damage(work: Path, every: bool, docs: int = 30) -> Group:
    group = Group("index damage")
    box = Sandbox(work)
    lib, pristine = work / "lib", work / "pristine"
    make_library(lib, docs)
    where = ["--library", str(lib), "--index-dir", str(pristine)]
    group.count("build", box.run(["index", *where]).problems())
    # one- and two-document updates, so that the manifest has a journal
    for i in (1, 2):
        path = lib / f"doc{i:04d}.txt"
        path.write_text(path.read_text() + " edited.\n")
        group.count(f"update {i}", box.run(["index", *where]).problems())
    for what, damage in _damages(pristine / "whoosh", every):
        idx = work / "idx"
        shutil.rmtree(idx, ignore_errors=True)
        shutil.copytree(pristine, idx, symlinks=True)  # copy2: mtimes kept, as the checksums recorded them
        damage(idx)
        on = ["--library", str(lib), "--index-dir", str(idx)]
        # a search updates the index first: it must repair (or say so) and answer in full
        search = box.run(["search", "common", "--json", "--limit", "1", *on], timeout=120)
        problems = search.problems()
        if search_total(search) != docs:
            problems.append(f"search found {search_total(search)}, expected {docs}")
        again = box.run(["index", *on], timeout=120)  # and it stays repaired
        problems += again.problems()
        if not again.timed_out and f"0 added, 0 updated, 0 removed, {docs} unchanged" not in again.out:
            problems.append(f"the next index was not a no-op: {again.out.strip()!r}")
        group.count(what, problems)
    return group


# ---------------------------------------------------------------------------------------
# searches during updates

UPDATER = textwrap.dedent(
    """
    import json, os, random, sys, time
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib, idx, seconds, docs = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(4)
    index = LibraryIndex(Library(lib), idx)
    updates, busy, failures, end = 0, 0, [], time.monotonic() + seconds
    while time.monotonic() < end:
        path = lib / f"doc{rng.randrange(docs):04d}.txt"
        # written whole (as editors save), so a search never reads a half-written file
        tmp = path.with_name("." + path.name + ".tmp")
        tmp.write_text(path.read_text() + f" edit{updates}.\\n")
        os.replace(tmp, path)
        try:
            report = index.update()
            updates += 1
            busy += report.busy  # a search command was updating: this edit waits for the next
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"updates": updates, "busy": busy, "failures": failures}))
    """
)

SEARCHER = textwrap.dedent(
    """
    import json, sys, time, traceback
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib, idx, seconds, docs = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    kept = LibraryIndex(Library(lib), idx)
    searches, failures, end = 0, [], time.monotonic() + seconds
    queries = ["common", '"document number"', "word1*", "commn~", "common date:2021"]
    while time.monotonic() < end:
        # a kept index object (as the reader has) and, every fifth search, a fresh one (as the CLI)
        index = kept if searches % 5 else LibraryIndex(Library(lib), idx)
        query = queries[searches % len(queries)]
        try:
            results = index.search(query, limit=docs)
            if query != '"document number"' and query != "word1*" and results.total != docs:
                missing = sorted({f"doc{i:04d}" for i in range(docs)} - {h.id for h in results.hits})
                failures.append(f"{query}: total {results.total}, expected {docs}; missing {missing[:3]} {results.notes}")
            elif not results.hits:
                failures.append(f"{query}: no hits")
        except Exception:
            failures.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
        if index is not kept:
            index.close()
        searches += 1
    print(json.dumps({"searches": searches, "failures": failures}))
    """
)


def group_concurrent(work: Path, seconds: float, docs: int = 60) -> Group:
    group = Group("searches during updates")
    box = Sandbox(work)
    lib, idx = work / "lib", work / "index"
    make_library(lib, docs)
    where = ["--library", str(lib), "--index-dir", str(idx)]
    group.count("build", box.run(["index", *where]).problems())
    write(work / "updater.py", UPDATER)
    write(work / "searcher.py", SEARCHER)
    common = [str(lib), str(idx), str(seconds), str(docs)]
    procs = [
        subprocess.Popen([sys.executable, str(work / script), *common], stdout=subprocess.PIPE, text=True, env=box.env)
        for script in ("updater.py", "searcher.py", "searcher.py")
    ]
    # and the command line's own searches (each updates the index first) in between
    cli_runs = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        cli_runs.append(box.run(["search", "common", "--json", "--limit", "1", *where]))
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 120)
        try:
            outputs.append(json.loads(out.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            outputs.append({"failures": [f"exit {proc.returncode}, no summary"], "searches": 0, "updates": 0})
    updater, searchers = outputs[0], outputs[1:]
    for failure in updater["failures"]:
        group.failures.append(f"update: {failure}")
    searches = 0
    for out in searchers:
        searches += out["searches"]
        group.tried += out["searches"]
        group.survived += out["searches"] - len(out["failures"])
        group.failures += [f"search: {f}" for f in out["failures"][:5]]
    for run in cli_runs:
        problems = run.problems()
        if search_total(run) != docs:
            problems.append(f"search common found {search_total(run)}, expected {docs}")
        group.count("search command during updates", problems)
    group.timings.append(
        f"{searches} searches in 2 processes and {len(cli_runs)} search commands during "
        f"{updater.get('updates', 0)} updates ({updater.get('busy', 0)} found a search command updating; "
        f"{seconds:.0f} s); update failures: {len(updater['failures'])}"
    )
    if updater["failures"]:
        group.tried += 1  # the updater is one more try, failed
    return group


# ---------------------------------------------------------------------------------------
# two readers' state writes

STATE_WRITER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from tuireader.state.store import StateStore

    path, me, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = StateStore(path)
    for i in range(rounds):
        for d in range(5):
            store.remember_position(f"{me}-{d}", i * 10 + d)
        store.state.last_doc = f"{me}-{i % 5}"
        store.save()
    print(json.dumps({"messages": store.messages}))
    """
)


def group_state(work: Path, tries: int, rounds: int = 60) -> Group:
    group = Group("two readers' state writes")
    write(work / "writer.py", STATE_WRITER)
    env = Sandbox(work).env
    for t in range(tries):
        path = work / f"state{t}.json"
        procs = [
            subprocess.Popen(
                [sys.executable, str(work / "writer.py"), str(path), me, str(rounds)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for me in ("A", "B")
        ]
        problems = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            if proc.returncode != 0 or "Traceback" in err:
                problems.append(f"exit {proc.returncode}: {err.strip()[-200:]!r}")
        try:
            positions = json.loads(path.read_text())["positions"]
        except (OSError, ValueError, KeyError) as exc:
            positions = {}
            problems.append(f"state file unreadable: {exc}")
        expected = {f"{me}-{d}": (rounds - 1) * 10 + d for me in ("A", "B") for d in range(5)}
        lost = {k: v for k, v in expected.items() if positions.get(k) != v}
        if lost:
            problems.append(f"{len(lost)} of 10 final positions lost or stale: {sorted(lost)[:4]}")
        group.count(f"two writers, {rounds} saves each", problems)
    return group


# ---------------------------------------------------------------------------------------
# pathological parse patterns


def group_parse(work: Path, sizes_kb: list[int]) -> Group:
    from bench_parse import PATHOLOGICAL, _pathological

    group = Group("pathological inputs (show)")
    box = Sandbox(work)
    write(work / "tiny.txt", "Title\n\nA sentence.\n")
    base = min(box.run(["show", str(work / "tiny.txt")]).cpu for _ in range(3))
    group.timings.append(
        f"CPU seconds of `tuireader show`, start-up ({base:.2f} s, a tiny file) taken off; ratio = time / time at the size before"
    )
    group.timings.append(f"{'input':24s} {'fmt':4s} " + " ".join(f"{_size(k):>7s}" for k in sizes_kb) + "   ratios")
    worst = (0.0, "")
    over_target: list[str] = []
    for name in PATHOLOGICAL:
        for suffix in (".txt", ".md"):
            times = []
            for kb in sizes_kb:
                path = write(work / f"{name}{suffix}", _pathological(name, kb * 1024))
                run = box.run(["show", str(path)], timeout=180)
                problems = run.problems()
                cpu = max(run.cpu - base, 0.0)
                times.append(cpu)
                if kb >= 1024 and cpu > 2.0 * kb / 1024:
                    over_target.append(f"{name}{suffix} {cpu:.2f} s at {_size(kb)}")
                if cpu > 5.0 * kb / 1024 + 0.5:
                    problems.append(f"{cpu:.2f} s CPU at {_size(kb)}: super-linear (the target is 2 s a MB)")
                if cpu > worst[0]:
                    worst = (cpu, f"{name}{suffix} at {_size(kb)}")
                group.count(f"{name}{suffix} at {_size(kb)}", problems)
            ratios = [f"{b / a:5.1f}" if a >= 0.01 else "    -" for a, b in zip(times, times[1:], strict=False)]
            group.timings.append(
                f"{name:24s} {suffix[1:]:4s} " + " ".join(f"{t:6.2f}s" for t in times) + "   " + " ".join(ratios)
            )
    group.timings.append(f"slowest: {worst[1]}, {worst[0]:.2f} s CPU")
    group.timings.append(
        "over the 2 s a MB target (counted as survived: linear, no hang): " + (", ".join(over_target) or "none")
    )
    return group


def _size(kb: int) -> str:
    return f"{kb // 1024} MB" if kb >= 1024 else f"{kb} KB"


# ---------------------------------------------------------------------------------------
# hostile YAML, metadata and user patterns

ARTICLE = "Real title\n\nThe minister spoke on Monday about the crisis.\n\nBody text about Ankara and the talks.\n"
SHORT = "The minister spoke on Monday about the crisis."


def _yaml_cases() -> list[tuple[str, dict[str, str], list[str], str]]:
    """(what, files relative to the try's folder, command, text that must be in the output)."""
    lib = "lib/"
    return [
        (
            "billion laughs in a sidecar",
            {lib + "a.txt": ARTICLE, lib + "a.yaml": f"title: S\n{LAUGHS}\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "billion laughs in front matter",
            {lib + "a.md": f"---\ntitle: F\n{LAUGHS}\n---\n\n{SHORT}\n\nMore text here.\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "billion laughs in tuireader.yaml",
            {lib + "a.txt": ARTICLE, lib + "tuireader.yaml": f"boilerplate: [x]\n{LAUGHS}\n"},
            ["check"],
            "Real title",
        ),
        (
            "billion laughs in settings.yaml",
            {lib + "a.txt": ARTICLE, "config/settings.yaml": f"theme: nord\n{LAUGHS}\n"},
            ["check"],
            "Real title",
        ),
        (
            "billion laughs in entities.yaml",
            {lib + "a.txt": ARTICLE, "config/entities.yaml": f"entities: []\n{LAUGHS}\n"},
            ["entities", "A"],
            "",
        ),
        (
            "a python tag in front matter",
            {lib + "a.md": f"---\ntitle: !!python/object/apply:os.system [echo hi]\n---\n\n{SHORT}\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "a date 2022-13-45 in a sidecar (check of the whole library)",
            {
                lib + "a.txt": ARTICLE,
                lib + "a.yaml": "title: Sidecar\ndate: 2022-13-45\n",
                lib + "b.txt": "Other doc\n\nText.\n",
            },
            ["check"],
            "Other doc",
        ),
        ("a sidecar that is a list", {lib + "a.txt": ARTICLE, lib + "a.yaml": "- 1\n- 2\n"}, ["show", "A"], SHORT),
        (
            "a sidecar that is not UTF-8",
            {lib + "a.txt": ARTICLE, lib + "a.yaml": "title: caf\udce9\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "authors: 5 and tags: {a: 1} in a sidecar",
            {lib + "a.txt": ARTICLE, lib + "a.yaml": "authors: 5\ntags: {a: 1}\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "a date 2022-13-45 in entities.yaml",
            {lib + "a.txt": ARTICLE, "config/entities.yaml": "entities:\n  - name: 2022-13-45\n"},
            ["entities", "A"],
            "",
        ),
        (
            "aliases: 5 in entities.yaml",
            {
                lib + "a.txt": ARTICLE,
                "config/entities.yaml": "entities:\n  - name: Ankara\n    type: place\n    aliases: 5\n",
            },
            ["entities", "A"],
            "",
        ),
        (
            "theme: 2022-13-45 in settings.yaml",
            {lib + "a.txt": ARTICLE, "config/settings.yaml": "theme: 2022-13-45\n"},
            ["check"],
            "Real title",
        ),
        (
            "settings.yaml is a list",
            {lib + "a.txt": ARTICLE, "config/settings.yaml": "- a\n- b\n"},
            ["check"],
            "Real title",
        ),
        (
            "re:(a+)+$ in tuireader.yaml, a line of 40 a's then b",
            {
                lib + "a.txt": ARTICLE + "\n" + "a" * 40 + "b\n",
                lib + "tuireader.yaml": 'boilerplate:\n  - "re:(a+)+$"\n',
            },
            ["show", "A"],
            "a" * 40 + "b",
        ),
        (
            "re:( in tuireader.yaml",
            {lib + "a.txt": ARTICLE, lib + "tuireader.yaml": 'boilerplate:\n  - "re:("\n'},
            ["check"],
            "Real title",
        ),
        (
            "tuireader.yaml is not YAML",
            {lib + "a.txt": ARTICLE, lib + "tuireader.yaml": "boilerplate: [\n"},
            ["check"],
            "Real title",
        ),
        (
            "front matter title, short first paragraph (kept)",
            {lib + "a.md": f"---\ntitle: From front matter\n---\n\n{SHORT}[^1]\n\nMore.\n\n[^1]: The note.\n"},
            ["show", "A"],
            SHORT,
        ),
        (
            "sidecar title, short first paragraph (kept)",
            {lib + "a.txt": ARTICLE, lib + "a.yaml": "title: From the sidecar\n"},
            ["show", "A"],
            SHORT,
        ),
    ]


def group_yaml(work: Path) -> Group:
    group = Group("hostile YAML and patterns")
    for n, (what, files, command, must_show) in enumerate(_yaml_cases()):
        root = work / f"try{n}"
        box = Sandbox(root)
        doc = None
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
            if path.suffix in (".txt", ".md") and path.stem == "a":
                doc = path
        args = [str(doc) if a == "A" else a for a in command]
        args += ["--library", str(root / "lib"), "--index-dir", str(root / "index")]
        run = box.run(args, timeout=60)
        problems = run.problems((0, 1) if command[0] == "entities" else (0,))
        if run.max_rss_mb > 400:
            problems.append(f"peak memory {run.max_rss_mb:.0f} MB")
        if run.cpu > 5:
            problems.append(f"{run.cpu:.1f} s CPU")
        if must_show and must_show not in run.out:
            problems.append(f"{must_show[:40]!r} not in the output")
        if len([line for line in run.err.splitlines() if line.strip()]) > 3:
            problems.append(f"more than three lines on stderr: {run.err[:200]!r}")
        group.count(what, problems)
    return group


# ---------------------------------------------------------------------------------------
# odd file names

ODD_NAMES = [
    "e\x1b]52;c;cHduZWQ=\x07.txt",  # OSC 52: sets the clipboard
    "\x1b[2J\x1b]0;T\x07.txt",  # clears the screen, sets the title
    "bell\x07.txt",
    "new\nline.txt",
    "carriage\rreturn.txt",
    "c1\x9b31m.txt",  # an 8-bit CSI
    "rlo\u202etxt.exe.txt",  # a right-to-left override
    "-rf.txt",
    "x" * 251 + ".txt",
]


ODD_CONTENT = b"Odd \x1b[31mtitle\x07\n\nThe body has common words and \x1b]52;c;eA==\x07 escapes.\n"
# What the names and the content above would send a terminal if they reached it raw.
RAW_IN_TERMINAL = (b"\x1b]52", b"\x1b]0;T", b"\x1b[2J", b"\x1b[31mtitle", b"\xc2\x9b", b"\xe2\x80\xae", b"\x1b]52;c;eA")


def _odd_library(lib: Path, names: list[str | bytes]) -> None:
    """For each name, a file with escapes in its text and an empty one (listed by its name)."""
    write(lib / "plain.txt", "Plain document\n\nIt has the word common.\n")
    (lib / "empty").mkdir(exist_ok=True)
    for name in names:
        raw = name if isinstance(name, bytes) else os.fsencode(name)
        with open(os.path.join(os.fsencode(lib), raw), "wb") as fh:
            fh.write(ODD_CONTENT)
        with open(os.path.join(os.fsencode(lib / "empty"), raw), "wb"):
            pass


def group_names(work: Path) -> Group:
    group = Group("odd file names")
    names: list[str | bytes] = [*ODD_NAMES, b"not-utf8-\xff\xfe.txt"]
    for n, name in enumerate(names):
        root = work / f"try{n}"
        box = Sandbox(root)
        lib = root / "lib"
        _odd_library(lib, [name])
        raw = os.path.join(os.fsencode(lib), name if isinstance(name, bytes) else os.fsencode(name))
        where = ["--library", str(lib), "--index-dir", str(root / "index")]
        problems = []
        for args in (["check"], ["search", "common"], ["show", os.fsdecode(raw)]):
            problems += box.run([*args, *where], timeout=60).problems((0,))
        found = box.run(["search", "common", "--json", *where])
        problems += found.problems()
        expected = 1 if isinstance(name, bytes) else 2  # a name that is not UTF-8 is skipped, with a message
        if search_total(found) != expected:
            problems.append(f"search common found {search_total(found)}, expected {expected}")
        group.count(repr(name)[:40], problems)
    # the reader itself, in a terminal: every byte it writes is looked at
    root = work / "reader"
    box = Sandbox(root)
    _odd_library(root / "lib", names)
    written, quit_on_q = _reader_in_a_pty(box, root / "lib", root / "index")
    problems = [
        f"{needle!r} reached the terminal {written.count(needle)} times"
        for needle in RAW_IN_TERMINAL
        if needle in written
    ]
    if not written:
        problems.append("the reader wrote nothing")
    if not quit_on_q:
        problems.append("the reader did not quit on q")
    group.count("the reader on a library of all these names (in a pty, three keys, q)", problems)
    return group


def _reader_in_a_pty(box: Sandbox, lib: Path, idx: Path) -> tuple[bytes, bool]:
    """What the reader writes to a 120x40 terminal in its first seconds, a few keys, then q."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader on this terminal
        env = {**box.env, "TERM": "xterm-256color"}
        os.execve(
            sys.executable, [sys.executable, "-m", "tuireader", "--library", str(lib), "--index-dir", str(idx)], env
        )
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    out = bytearray()

    def pump(seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return False
                if not data:
                    return False
                out.extend(data)
        return True

    pump(12)  # start, index in the background, list
    for key in (b"j", b"j", b"\r"):  # down the list, open a document
        os.write(fd, key)
        pump(2)
    os.write(fd, b"q")
    alive = pump(10)
    if alive:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return bytes(out), not alive


# ---------------------------------------------------------------------------------------
# symlinks, FIFOs, unreadable folders

DOC = "A title\n\nSome common text about Ankara.\n"


def group_links(work: Path) -> Group:
    group = Group("symlinks and FIFOs")
    outside = write(work / "outside" / "secret.txt", "Secret\n\nThe word zanzibarian is secret.\n")

    def loop(lib: Path) -> None:
        os.symlink(".", lib / "loop")

    def two_loops(lib: Path) -> None:
        os.symlink(".", lib / "loop")
        os.symlink("..", lib / "sub" / "up")

    def passwd(lib: Path) -> None:
        os.symlink("/etc/passwd", lib / "passwd.txt")
        os.symlink(outside, lib / "secret.txt")
        os.symlink(outside.parent, lib / "outside")

    def fifo(lib: Path) -> None:
        os.mkfifo(lib / "x.txt")
        os.mkfifo(lib / "sub" / "y.md")

    def dangling(lib: Path) -> None:
        os.symlink(lib / "nowhere.txt", lib / "dangling.txt")
        os.symlink(lib / "x.txt", lib / "to-fifo.txt")
        os.mkfifo(lib / "x.txt")

    def device(lib: Path) -> None:
        os.symlink("/dev/zero", lib / "zero.txt")
        os.symlink("/dev/urandom", lib / "random.md")

    cases = [
        ("a link loop (loop -> .)", loop),
        ("two link loops", two_loops),
        ("links out of the library (/etc/passwd, a file, a folder)", passwd),
        ("FIFOs named x.txt and y.md", fifo),
        ("a dangling link and a link to a FIFO", dangling),
        ("links to /dev/zero and /dev/urandom", device),
    ]
    for n, (what, make) in enumerate(cases):
        root = work / f"try{n}"
        box = Sandbox(root)
        lib = root / "lib"
        write(lib / "a.txt", DOC)
        write(lib / "sub" / "b.txt", DOC)
        make(lib)
        where = ["--library", str(lib), "--index-dir", str(root / "index")]
        problems = []
        check = box.run(["check", *where], timeout=60)
        problems += check.problems((0, 1) if make is dangling else (0,))
        if make is dangling and "dangling\tfailed: cannot read" not in check.out:
            problems.append("the dangling link is not named as unreadable")
        found = box.run(["search", "common", "--json", *where], timeout=60)
        problems += found.problems()
        if search_total(found) != 2:
            problems.append(f"search common found {search_total(found)}, expected 2")
        leak = box.run(["search", "root OR zanzibarian", "--json", *where], timeout=60)
        if search_total(leak):
            problems.append(
                f"search root OR zanzibarian found {search_total(leak)}: a file outside the library was read"
            )
        group.count(what, problems)
    # an unreadable folder (as root, the commands run without root's power to read it)
    if not CAN_DROP_ROOT:
        group.failures.append("an unreadable folder: not tried (root, and no setpriv to drop its file access)")
        return group
    root = work / "unreadable"
    box = Sandbox(root)
    lib = root / "lib"
    write(lib / "a.txt", DOC)
    write(lib / "locked" / "b.txt", DOC)
    os.chmod(lib / "locked", 0)
    where = ["--library", str(lib), "--index-dir", str(root / "index")]
    run = box.run(["check", *where], timeout=60, plain=True)
    problems = run.problems((0,))
    if "locked" not in run.err and "locked" not in run.out:
        problems.append("the unreadable folder is not mentioned")
    found = box.run(["search", "common", "--json", *where], timeout=60, plain=True)
    problems += found.problems()
    if search_total(found) != 1:
        problems.append(f"search common found {search_total(found)}, expected 1")
    group.count("an unreadable folder", problems)
    os.chmod(lib / "locked", 0o755)
    return group


# ---------------------------------------------------------------------------------------
# read-only library and index


def _tree_state(root: Path) -> list[tuple[str, int, int]]:
    """Every entry under root with its size and mtime: what 'never written' is checked against."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            st = os.lstat(os.path.join(dirpath, name))
            found.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns))
    return sorted(found)


@contextlib.contextmanager
def _read_only(path: Path):
    """``path`` read-only for the commands: a read-only bind mount as root, else permissions."""
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
        if mounted.returncode == 0:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], check=True)
            try:
                yield "a read-only bind mount"
            finally:
                subprocess.run(["umount", str(path)], check=True)
            return
    modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
    for p, mode in modes.items():
        p.chmod(mode & ~0o222)
    try:
        yield "permissions a-w"
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def group_readonly(work: Path) -> Group:
    group = Group("read-only library and index")
    box = Sandbox(work)
    lib, idx = work / "lib", work / "index"
    make_library(lib, 12)
    write(lib / "a.md", "---\ntitle: With front matter\n---\n\nText with a note.[^1]\n\n[^1]: The common note.\n")
    where = ["--library", str(lib), "--index-dir", str(idx)]
    before = _tree_state(lib)
    with _read_only(lib) as how:
        problems = []
        for args in (["check"], ["index"], ["search", "common"], ["show", str(lib / "a.md")], ["entities"]):
            problems += box.run([*args, *where], timeout=120, plain=True).problems(
                (0, 1) if args == ["entities"] else (0,)
            )
        found = box.run(["search", "common", "--json", *where], plain=True)
        if search_total(found) != 13:
            problems.append(f"search common found {search_total(found)}, expected 13")
        group.count(f"a read-only library ({how}): check, index, search, show, entities", problems)
    after = _tree_state(lib)
    group.count(
        "the library was never written (every group's commands)", [] if before == after else ["the library changed"]
    )
    with _read_only(idx) as how:
        run = box.run(["search", "common", "--json", *where], plain=True)
        problems = run.problems()
        if search_total(run) != 13:
            problems.append(f"search common found {search_total(run)}, expected 13")
        group.count(f"search on an up-to-date read-only index ({how})", problems)
        write(lib / "new.txt", "New document\n\nA common word, and zebrafish.\n")
        run = box.run(["search", "zebrafish", "--json", *where], plain=True)
        problems = run.problems((1,))  # not in the index as it is: nothing found
        if "may be out of date" not in run.err:
            problems.append(f"no line saying the index may be out of date: {run.err!r}")
        group.count("search on an out-of-date read-only index", problems)
        run = box.run(["index", *where], plain=True)
        problems = run.problems((1, 2))
        if len(run.err.strip().splitlines()) != 1:
            problems.append(f"not one line: {run.err!r}")
        group.count("index on a read-only index: one line, exit 1", problems)
    run = box.run(["check", "--library", str(lib / "a.md")])
    problems = run.problems((2,))
    if "is a file, not a folder" not in run.err:
        problems.append(f"--library FILE: {run.err!r}")
    group.count("--library FILE", problems)
    return group


# ---------------------------------------------------------------------------------------
# full file system


@contextlib.contextmanager
def _small_fs(path: Path, kb: int):
    """A ``kb`` KB file system at ``path``: a tmpfs as root; None where it cannot be made."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        yield None
        return
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kb}k", "tmpfs", str(path)], capture_output=True)
    if made.returncode != 0:
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _grow(path: Path, kb: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={kb}k", str(path)], check=True)


def group_diskfull(work: Path, docs: int) -> Group:
    group = Group("full file system")
    box = Sandbox(work)
    lib = work / "lib"
    make_library(lib, docs)
    # a full build (parallel writers from 200 documents) that runs out of room, then room is made
    with _small_fs(work / "fs1", 256) as fs:
        if fs is None:
            group.skipped = "needs root to mount a small tmpfs (the suite's test uses RLIMIT_FSIZE)"
            return group
        where = ["--library", str(lib), "--index-dir", str(fs / "index")]
        run = box.run(["index", *where], timeout=300)
        problems = run.problems((1,))
        if "disk full" not in run.err:
            problems.append(f"no 'disk full' line: {run.err.strip()[-200:]!r}")
        group.count(f"full build of {docs} on a full disk: one line, exit 1, no hang", problems)
        _grow(fs, 64 * 1024)
        group.count("the next index once space is freed", index_and_search(box, lib, fs / "index", docs))
    # an incremental update that runs out of room: the last index is still searched
    with _small_fs(work / "fs2", 64 * 1024) as fs:
        assert fs is not None
        where = ["--library", str(lib), "--index-dir", str(fs / "index")]
        group.count("build", box.run(["index", *where], timeout=300).problems())
        filler = fs / "filler"
        with open(filler, "wb") as fh:
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 65536)
        make_library(lib / "more", 40, start=20_000)
        run = box.run(["index", *where], timeout=300)
        problems = run.problems((1,))
        if "disk full" not in run.err:
            problems.append(f"no 'disk full' line: {run.err.strip()[-200:]!r}")
        group.count("an update on a full disk: one line, exit 1", problems)
        run = box.run(["search", "common", "--json", "--limit", "1", *where], timeout=120)
        problems = run.problems()
        if search_total(run) != docs:
            problems.append(f"search found {search_total(run)}, expected the last index's {docs}")
        group.count("search on the full disk answers from the last index", problems)
        filler.unlink()
        group.count("the next index once space is freed", index_and_search(box, lib, fs / "index", docs + 40))
        shutil.rmtree(lib / "more")
    return group


# ---------------------------------------------------------------------------------------


# The longest group first: the others share the other workers meanwhile.
GROUPS: dict[str, Callable[[Path, argparse.Namespace, random.Random], Group]] = {
    "parse": lambda work, opts, rng: group_parse(work, [10, 100, 1024, 2048] if opts.long else [10, 100, 1024]),
    "kill": lambda work, opts, rng: group_kill(work, opts.kills, opts.docs, rng),
    "damage": lambda work, opts, rng: group_damage(work, opts.long),
    "concurrent": lambda work, opts, rng: group_concurrent(work, opts.seconds),
    "state": lambda work, opts, rng: group_state(work, 10 if opts.long else 4),
    "yaml": lambda work, opts, rng: group_yaml(work),
    "names": lambda work, opts, rng: group_names(work),
    "links": lambda work, opts, rng: group_links(work),
    "readonly": lambda work, opts, rng: group_readonly(work),
    "diskfull": lambda work, opts, rng: group_diskfull(work, opts.docs),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(GROUPS), help="run these groups only")
    parser.add_argument("--long", action="store_true", help="more kills, updates and sizes (about 20 minutes)")
    parser.add_argument("--kills", type=int, help="kill -9s (default 6, --long 30)")
    parser.add_argument("--docs", type=int, default=260, help="documents in the kill library (parallel from 200)")
    parser.add_argument("--seconds", type=float, help="how long the concurrent group runs (default 25, --long 120)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--jobs", type=int, default=4, help="groups run at once (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (their path is printed)")
    opts = parser.parse_args()
    opts.kills = opts.kills if opts.kills is not None else (30 if opts.long else 6)
    opts.seconds = opts.seconds if opts.seconds is not None else (120 if opts.long else 25)
    base = Path(tempfile.mkdtemp(prefix="tuireader-battery-"))
    started = time.monotonic()
    names = opts.only or list(GROUPS)

    def run_group(n: int, name: str) -> Group:
        work = base / name
        work.mkdir()
        began = time.monotonic()
        group = GROUPS[name](work, opts, random.Random(opts.seed + n))
        print(f"== {name}: {group.survived} of {group.tried} survived ({time.monotonic() - began:.0f} s)", flush=True)
        return group

    try:
        # groups are independent (each its own folders): a few at once, as the CPU is shared anyway
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            groups = list(pool.map(run_group, range(len(names)), names))
    finally:
        if opts.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    for group in groups:
        print(f"\n== {group.name}")
        for failure in group.failures:
            print(f"   FAILED {failure[:600]}")
        for timing in group.timings:
            print(f"   {timing}")
    print()
    print(f"{'group':34s} {'tried':>6s} {'survived':>9s}")
    for group in groups:
        if group.skipped:
            print(f"{group.name:34s} {'-':>6s} {'-':>9s}  skipped: {group.skipped}")
        else:
            print(f"{group.name:34s} {group.tried:6d} {group.survived:9d}")
    print(f"({time.monotonic() - started:.0f} s wall)")
    return 0 if all(g.tried == g.survived for g in groups) else 1


if __name__ == "__main__":
    sys.exit(main())
