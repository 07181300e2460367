"""Re-open and the library pane of a large library (issue #20): one command.

    .venv/bin/python benchmarks/bench_reopen.py                  # 100,000 small articles
    .venv/bin/python benchmarks/bench_reopen.py --docs 10000     # and at 10,000

Prepared once and reused (``--workdir``): ``--docs`` generated articles of ``--words``
words each (``corpus.py``; small, so that the 100,000 index builds in a reasonable time
here) and their index, built the way ``tuireader index`` builds it.  Then, each in a
fresh process, ``--runs`` times, printing medians of CPU and wall seconds:

  re-open, catalog   Workspace opened and the catalog in hand (what the reader lists and
                     searches from at once)
  background check   what the reader does next, off the UI thread: the folder walk of
                     the last process reused while no folder changed, a stat of every file
  full update        ``index.update()`` with nothing changed: what ``tuireader search``
                     and the other commands run before answering
  first frame        process start -> the first frame, the reader on this library and a
                     hello-world Textual app, alternated, same headless driver; the ratio
  filter keys        in the reader with every document listed (after the background
                     check), keys typed into the library filter: the UI thread's CPU
                     per key (thread_time over the pane's handler) and key -> next frame
                     (wall), median / p95 / max
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

FILTER_TEXTS = ["article 1234", "crisis kazakh", "petrova 2021", "zz"]


def cpu() -> float:
    return time.process_time()


# ------------------------------------------------------------------ children
def child_reopen(lib: str, index_dir: str) -> dict:
    from tuireader.workspace import Workspace

    w0, c0 = time.perf_counter(), cpu()
    workspace = Workspace(Path(lib), index_dir)
    catalog = workspace.index.catalog()
    w1, c1 = time.perf_counter(), cpu()
    unchanged = workspace.index.unchanged()
    w2, c2 = time.perf_counter(), cpu()
    walks = workspace.library.walks
    again = Workspace(Path(lib), index_dir)  # as a command opens it: no catalog read before
    w3, c3 = time.perf_counter(), cpu()
    report = again.index.update()
    w4, c4 = time.perf_counter(), cpu()
    assert unchanged and not report.changed, report.summary()
    return {
        "documents": len(catalog),
        "catalog_wall": w1 - w0,
        "catalog_cpu": c1 - c0,
        "check_wall": w2 - w1,
        "check_cpu": c2 - c1,
        "check_walks": walks,
        "update_wall": w4 - w3,
        "update_cpu": c4 - c3,
    }


def record_first_frame(started: float) -> dict:
    from textual.screen import Screen

    seen: dict = {}
    draw = Screen._compositor_refresh

    def drawn(screen, *args, **kwargs):
        result = draw(screen, *args, **kwargs)
        if "first_frame_s" not in seen:
            seen["first_frame_s"] = time.time() - started
            seen["first_frame_cpu_s"] = time.process_time()  # of this process, from its start
        return result

    Screen._compositor_refresh = drawn  # type: ignore[method-assign]
    return seen


async def _first_frame(app, seen: dict) -> dict:
    async with app.run_test(size=(160, 48)):
        while "first_frame_s" not in seen:
            await asyncio.sleep(0.001)
    return seen


def child_frame(kind: str, started: str, lib: str, index_dir: str) -> dict:
    seen = record_first_frame(float(started))
    if kind == "hello":
        from textual.app import App
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self):
                yield Static("Hello, world")

        app: object = Hello()
    else:
        from tuireader.ui.app import build_app

        app = build_app(library_dir=Path(lib), index_dir=index_dir)
    return asyncio.run(_first_frame(app, seen))


async def _filter_keys(lib: str, index_dir: str) -> dict:
    from textual.screen import Screen
    from textual.widgets import Input

    from tuireader.ui.app import build_app
    from tuireader.ui.widgets.library import LibraryPane

    frames: list[float] = []
    draw = Screen._compositor_refresh

    def drawn(screen, *args, **kwargs):
        result = draw(screen, *args, **kwargs)
        frames.append(time.perf_counter())
        return result

    Screen._compositor_refresh = drawn  # type: ignore[method-assign]
    handler_cpu: list[float] = []
    key_at: list[float] = []
    refresh = LibraryPane._refresh_list

    def timed(pane):
        key_at.append(time.perf_counter())
        t = time.thread_time()
        refresh(pane)
        handler_cpu.append((time.thread_time() - t) * 1000)

    LibraryPane._refresh_list = timed  # type: ignore[method-assign]
    app = build_app(library_dir=Path(lib), index_dir=index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        while len(app.reader.library_pane.items) == 0:
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()  # the background check and warm-up done
        await pilot.pause(0.5)
        listed = len(app.reader.library_pane.items)
        handler_cpu.clear()
        key_at.clear()
        app.query_one("#library-filter", Input).focus()
        await pilot.pause()
        latencies = []
        for text in FILTER_TEXTS:
            for ch in [*text, *["backspace"] * len(text)]:
                await pilot.press(ch if ch != " " else "space")
                await pilot.pause()
                pressed = key_at[-1]
                frame = next((f for f in frames if f >= pressed), None)
                while frame is None:
                    await asyncio.sleep(0.001)
                    frame = next((f for f in frames if f >= pressed), None)
                latencies.append((frame - pressed) * 1000)
    return {"listed": listed, "handler_cpu_ms": handler_cpu, "key_to_frame_ms": latencies}


def child_filter(lib: str, index_dir: str) -> dict:
    return asyncio.run(_filter_keys(lib, index_dir))


CHILDREN = {"reopen": child_reopen, "frame": child_frame, "filter": child_filter}


def run_child(env: dict, mode: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, *args], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "tuireader-bench"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])))
        return
    import corpus

    from tuireader.workspace import Workspace

    work = Path(args.workdir)
    lib = work / f"corpus-{args.docs}-{args.words}"
    index_dir = work / f"index-{args.docs}-{args.words}"
    t = time.perf_counter()
    corpus.generate(lib, args.docs, words=args.words)
    report = Workspace(lib, index_dir).index.update(procs=2)
    print(f"prepared {args.docs} articles of ~{args.words} words: {report.summary()} ({time.perf_counter() - t:.0f} s)")
    env = {
        **os.environ,
        "TUIREADER_DATA_DIR": str(work / "reopen-data"),
        "TUIREADER_CONFIG_DIR": str(work / "reopen-config"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode cached
    subprocess.run([sys.executable, "-c", "import tuireader.ui.app"], env=env, check=True)
    run_child(env, "reopen", str(lib), str(index_dir))  # the caches made once, the files in the page cache

    reopens = [run_child(env, "reopen", str(lib), str(index_dir)) for _ in range(args.runs)]
    frames: dict[str, list[float]] = {"hello": [], "reader": []}
    frame_cpu: dict[str, list[float]] = {"hello": [], "reader": []}
    for _ in range(args.runs):
        for kind in ("hello", "reader"):
            seen = run_child(env, "frame", kind, str(time.time()), str(lib), str(index_dir))
            frames[kind].append(seen["first_frame_s"])
            frame_cpu[kind].append(seen["first_frame_cpu_s"])
    keys = run_child(env, "filter", str(lib), str(index_dir))

    def med(key: str) -> float:
        return statistics.median(r[key] for r in reopens)

    hello, ours = statistics.median(frames["hello"]), statistics.median(frames["reader"])
    hello_cpu, ours_cpu = statistics.median(frame_cpu["hello"]), statistics.median(frame_cpu["reader"])
    cpu_ms, frame_ms = keys["handler_cpu_ms"], keys["key_to_frame_ms"]
    print(f"\n{args.docs} documents, medians of {args.runs} fresh processes (CPU / wall, s)")
    print(f"  re-open, catalog in hand        {med('catalog_cpu'):6.3f} / {med('catalog_wall'):6.3f}")
    print(
        f"  background check (stat each)    {med('check_cpu'):6.3f} / {med('check_wall'):6.3f}"
        f"   (folder walks: {max(r['check_walks'] for r in reopens)})"
    )
    print(f"  full update, nothing changed    {med('update_cpu'):6.3f} / {med('update_wall'):6.3f}")
    print(
        f"  start -> first frame            reader {ours:.3f} s, hello world {hello:.3f} s: {ours / hello:.2f}x"
        f"   (reader {', '.join(f'{x:.2f}' for x in frames['reader'])}; hello {', '.join(f'{x:.2f}' for x in frames['hello'])})"
    )
    print(
        f"  start -> first frame, CPU       reader {ours_cpu:.3f} s, hello world {hello_cpu:.3f} s: "
        f"{ours_cpu / hello_cpu:.2f}x"
    )
    print(
        f"  filter, {len(cpu_ms)} keys over {keys['listed']} rows: UI thread CPU per key median {statistics.median(cpu_ms):.1f}"
        f" / p95 {pct(cpu_ms, 0.95):.1f} / max {max(cpu_ms):.1f} ms; key -> frame median"
        f" {statistics.median(frame_ms):.1f} / p95 {pct(frame_ms, 0.95):.1f} / max {max(frame_ms):.1f} ms"
    )
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"reopen-{args.docs}.json").write_text(
        json.dumps({"reopen": reopens, "frames": frames, "frame_cpu": frame_cpu, "filter": keys}, indent=2)
    )


if __name__ == "__main__":
    main()
