"""Reader benchmark: start-up, opening an article, search as you type.

    .venv/bin/python benchmarks/bench_ui.py               # bundled library + 10,000 generated articles
    .venv/bin/python benchmarks/bench_ui.py --docs 1000   # a quicker look

Each run is a fresh process (so start-up includes Python and the imports), the
app running headless through Textual's test driver at 160x48.  Printed:
process start -> first frame drawn, and -> the library list drawn; opening a
~25 KB article in a running app until the first frame that shows it (five
times, alternating with another document); keystroke ->
results for search as you type (median and p95 over a fixed list of queries
typed letter by letter, from the key reaching the query box to the first frame
drawn after the results were shown).  Frames are timed where Textual
composites the screen.
The 10,000-document library is indexed first (not timed here: see bench_search.py).
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

OPENS = 5
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))


def record_frames(frames: list[tuple[float, object, bool]], app) -> None:
    """Note the time and the open document each time the screen is composited (a frame is drawn)."""
    from textual.screen import Screen

    draw = Screen._compositor_refresh

    def drawn(screen, *args, **kwargs):
        result = draw(screen, *args, **kwargs)
        frames.append(
            (
                time.time(),
                app.reader.document.id if app.reader.document is not None else None,
                bool(app.reader.library_items),
            )
        )
        return result

    Screen._compositor_refresh = drawn


def time_search_screen(screen_class) -> tuple[dict[str, float], dict[str, float]]:
    """Record when each query text reached the search box and when its results were shown."""
    typed_at: dict[str, float] = {}
    shown_at: dict[str, float] = {}
    changed, show = screen_class.on_input_changed, screen_class._show

    def on_input_changed(screen, event):
        typed_at[event.value] = time.time()
        return changed(screen, event)

    def _show(screen, query, results):
        done = show(screen, query, results)
        if screen.results is results and results is not None:
            shown_at[query] = time.time()
        return done

    screen_class.on_input_changed = on_input_changed
    screen_class._show = _show
    return typed_at, shown_at


async def wait_for_frame(frames, since: float, doc_id: str | None = None, *, listed: bool = False) -> float:
    """The time of the first frame drawn after ``since`` showing that document (and the library list)."""
    while True:
        for t, shown, has_list in frames:
            if t >= since and (doc_id is None or shown == doc_id) and (has_list or not listed):
                return t
        await asyncio.sleep(0.001)


async def probe(library: Path, index_dir: Path, doc_id: str, started: float, queries: list[str]) -> dict:
    from tuireader.ui.app import build_app
    from tuireader.ui.screens.search import SearchScreen

    app = build_app(library_dir=library, index_dir=index_dir)
    frames: list[tuple[float, object, bool]] = []
    record_frames(frames, app)
    result: dict = {}
    async with app.run_test(size=(160, 48)) as pilot:
        result["first_paint_s"] = await wait_for_frame(frames, 0) - started
        listed_at = await wait_for_frame(frames, 0, listed=True)
        result["library_listed_s"] = listed_at - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        other = next(item.id for item in app.reader.library_items if item.id != doc_id)
        opens = []
        for _ in range(OPENS):  # open the article, then another, and again: the median is printed
            for target in (doc_id, other):
                t = time.time()
                app.reader.open_document(target)
                painted = await wait_for_frame(frames, t, target)
                if target == doc_id:
                    opens.append((painted - t) * 1000)
                await app.workers.wait_for_complete()
                await pilot.pause()
        result["open_article_ms"] = statistics.median(opens)
        result["open_article_max_ms"] = max(opens)
        app.reader.open_document(doc_id)
        await wait_for_frame(frames, time.time(), doc_id)
        result["article_kb"] = app.reader.document.path.stat().st_size / 1024
        result["article_painted_s"] = time.time() - started
        # search as you type: from the keystroke reaching the query box to the first frame
        # drawn after the results were put on screen.  (Pilot.press itself returns only after
        # waiting for the screen to settle, so timing around it would add ~80 ms of the driver.)
        typed_at, shown_at = time_search_screen(SearchScreen)
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        latencies = []
        for query in queries:
            typed = ""
            for ch in query:
                typed += ch
                await pilot.press(ch if ch != " " else "space")
                while screen.results is None or screen.results.query != typed or typed not in shown_at:
                    await asyncio.sleep(0.001)
                painted = await wait_for_frame(frames, shown_at[typed])
                latencies.append((painted - typed_at[typed]) * 1000)
            for _ in query:
                await pilot.press("backspace")
            await pilot.pause()
            await app.workers.wait_for_complete()
        result["keystroke_median_ms"] = statistics.median(latencies)
        result["keystroke_p95_ms"] = sorted(latencies)[int(len(latencies) * 0.95) - 1]
        result["keystrokes"] = len(latencies)
    return result


def child(args: list[str]) -> None:
    started = float(args[0])
    library, index_dir, doc_id = Path(args[1]), Path(args[2]), args[3]
    queries = json.loads(args[4])
    print(json.dumps(asyncio.run(probe(library, index_dir, doc_id, started, queries))))


def run_probe(library: Path, index_dir: Path, doc_id: str, queries: list[str], env: dict) -> dict:
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(started), str(library), str(index_dir), doc_id, json.dumps(queries)],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "tuireader-bench"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import corpus

    from tuireader.workspace import Workspace

    work = Path(args.workdir)
    env = {**os.environ, "TUIREADER_DATA_DIR": str(work / "ui-data"), "TUIREADER_CONFIG_DIR": str(work / "ui-config")}
    # An installed package has its bytecode cached; a start without it compiles every module
    # (+0.2 s).  This machine's environment disables the cache, so allow it, and warm it up.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import tuireader.ui.app"], env=env, check=True)
    rows = []
    bundled = ROOT / "library"
    bundled_index = work / "ui-bundled-index"
    Workspace(bundled, bundled_index).index.update()
    queries_bundled = ["Cavusoglu", "turkic states", "erdogan date:2022-01"]
    res = run_probe(bundled, bundled_index, "isw-2022-01-18-kazakhstan-crisis-turkey-reach", queries_bundled, env)
    rows.append(("bundled library (2 documents)", res))

    lib = work / f"corpus-{args.docs}-1000"
    corpus.generate(lib, args.docs)
    index_dir = work / f"index-{args.docs}"  # shared with bench_search.py: usually up to date already
    t = time.perf_counter()
    report = Workspace(lib, index_dir).index.update(procs=2)
    print(
        f"indexed {args.docs} generated articles for the probe: {report.summary()} "
        f"({time.perf_counter() - t:.0f} s, not part of the figures below)"
    )
    doc_id = sorted(p.stem for p in lib.glob("*.txt"))[args.docs // 2]
    queries = ["kazakhstan", "erdogan talks", "security border", "organization"]
    res = run_probe(lib, index_dir, doc_id, queries, env)
    rows.append((f"generated library ({args.docs} documents)", res))

    print()
    for name, r in rows:
        print(name)
        print(f"  start -> first frame painted            {r['first_paint_s'] * 1000:8.0f} ms   (target < 1000)")
        print(f"  start -> library list painted           {r['library_listed_s'] * 1000:8.0f} ms")
        print(
            f"  open a {r['article_kb']:.0f} KB article, median / max of {OPENS}  {r['open_article_ms']:5.0f} ms / "
            f"{r['open_article_max_ms']:.0f} ms   (target < 150 for 25 KB)"
        )
        print(
            f"  keystroke -> results, median / p95      {r['keystroke_median_ms']:8.0f} ms / "
            f"{r['keystroke_p95_ms']:.0f} ms over {r['keystrokes']} keystrokes   (target < 100)"
        )
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"ui-{args.docs}.json").write_text(json.dumps(dict(rows), indent=2))


if __name__ == "__main__":
    main()
