"""The live library (#20): how long from a file saved into the library to it being searchable.

    .venv/bin/python benchmarks/bench_live_library.py               # 1,000 generated articles
    .venv/bin/python benchmarks/bench_live_library.py --docs 10000

A library of generated articles is indexed (not timed), then the watcher runs as the reader runs
it: each batch of changes brings the index up to date.  Ten times a new article is saved into the
folder; printed, as medians and maxima, wall time (the watcher's debounce included) and the
update's CPU time, from the write to the new document being found by a search.  The reader lists
the document once this update is done (it refreshes its list from the catalog the update wrote).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

SAVES = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()

    from corpus import generate

    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex
    from tuireader.services.live_library import LibraryWatcher

    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "library", args.docs)
        index = LibraryIndex(Library(root), Path(tmp) / "index")
        started = time.perf_counter()
        index.update()
        print(f"indexed {args.docs} generated articles in {time.perf_counter() - started:.0f} s (not timed below)")

        updated = threading.Event()
        update_cpu: list[float] = []

        def changed(_changes) -> None:
            cpu = time.thread_time()
            index.update()
            update_cpu.append(time.thread_time() - cpu)
            updated.set()

        watcher = LibraryWatcher(root)
        thread = threading.Thread(target=watcher.run, args=(changed,), daemon=True)
        thread.start()
        time.sleep(0.5)
        walls: list[float] = []
        for i in range(SAVES):
            updated.clear()
            word = f"zqxlive{i}"
            saved = time.perf_counter()
            (root / f"saved-{i}.md").write_text(f"# Saved while reading {i}\n\nIt mentions {word} once.\n")
            while True:
                if not updated.wait(10):
                    raise SystemExit(f"save {i}: no update within 10 s")
                updated.clear()
                if index.search(word).hits:
                    break
            walls.append(time.perf_counter() - saved)
        watcher.stop()
        thread.join(5)
    print(
        f"library of {args.docs} documents, {SAVES} files saved one after another ({'polling' if watcher.polling else 'events'})"
    )
    print(
        f"  saved -> searchable, wall   median {statistics.median(walls) * 1000:.0f} ms, max {max(walls) * 1000:.0f} ms"
        " (target: listed within 2 s)"
    )
    print(
        f"  the update's CPU time       median {statistics.median(update_cpu) * 1000:.0f} ms, max {max(update_cpu) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
