"""One very big document (default 50 MB, issue #18 item 16): peak memory and CPU of each command.

    .venv/bin/python benchmarks/bench_big_document.py              # 50 MB, as Markdown and as plain text
    .venv/bin/python benchmarks/bench_big_document.py --mb 10 --formats md
    .venv/bin/python benchmarks/bench_big_document.py --skip-reader  # the CLI commands only

The document is a generated report: sections of paragraphs of the benchmark corpus's
words (``corpus.py``), one sentence in three naming the common word "security", a note
cited every fourth paragraph (``[^n]`` in Markdown, superscript numbers in text, the
notes at the end).  Each command runs in a fresh process over a library holding that one
document; printed per command: peak RSS (the child's ``ru_maxrss``) and CPU seconds
(user + system, so the other jobs on a shared machine do not count), and wall seconds.
Commands: ``index`` (a full build), ``search security`` (text), ``search security
--json``, ``search "security council"`` (a phrase), ``search title:report`` (found in the title
alone: the snippet is the text's first lines), ``show DOC --json`` and the reader
(headless, 120x30, from start to the first frame that shows the document).  Figures are
written to ``benchmarks/out/big_document_<MB>mb.json`` too.  ``--only search`` runs only the
searches (over the index a previous run built).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from corpus import SUPERSCRIPT, _vocabulary  # noqa: E402

COMMON = "security"


def generate(path: Path, mb: float, fmt: str, seed: int = 5) -> Path:
    """A report of about ``mb`` MB (reused when the file is already there at that size)."""
    stamp = path.parent.parent / "generated.stamp"  # not in the library: it would be a document
    wanted = f"{mb} {fmt} {seed} v1"
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        return path
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    target = int(mb * 1_000_000)
    notes: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "# A very long report\n\n" if fmt == "md" else "A very long report\nby The Research Desk on 3 Mar 2023\n\n"
        )
        paragraph = 0
        while out.tell() < target:
            if paragraph % 40 == 0:
                heading = f"Section {paragraph // 40 + 1}: {rng.choice(vocab)} and {rng.choice(vocab)}"
                out.write(f"## {heading}\n\n" if fmt == "md" else f"{heading}\n\n")
            sentences = []
            for s in range(rng.randint(3, 6)):
                tokens = [rng.choice(vocab) for _ in range(rng.randint(10, 22))]
                if s % 3 == 0:
                    tokens[rng.randrange(len(tokens))] = COMMON
                if s == 1 and paragraph % 7 == 0:
                    tokens[rng.randrange(len(tokens) - 1)] = f"{COMMON} council"
                sentences.append(" ".join(tokens).capitalize() + ".")
            if paragraph % 4 == 0:
                n = len(notes) + 1
                sentences[-1] += f"[^{n}]" if fmt == "md" else str(n).translate(SUPERSCRIPT)
                notes.append(
                    f"{COMMON.capitalize()} briefing number {n} by the {rng.choice(vocab)} office, "
                    f"<https://www.example.org/{rng.choice(vocab)}/{n}>"
                )
            out.write(" ".join(sentences) + "\n\n")
            paragraph += 1
        for n, note in enumerate(notes, 1):
            out.write(f"[^{n}]: {note}\n" if fmt == "md" else f"{str(n).translate(SUPERSCRIPT)} {note}\n\n")
    stamp.write_text(wanted)
    return path


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(peak RSS in MB, CPU seconds, wall seconds, exit status) of one child process."""
    wall = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode != 0:
        print(f"  {' '.join(argv[2:])}: exit {child.returncode}: {err.strip()[-300:]}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, time.perf_counter() - wall, child.returncode


async def _reader(library: Path, index: Path, doc: Path) -> None:
    """(In a child process.)  The reader, headless, until a frame shows the document."""
    from textual.screen import Screen

    from tuireader.ui.app import build_app

    shown: list[float] = []
    draw = Screen._compositor_refresh

    def drawn(screen, *args, **kwargs):
        result = draw(screen, *args, **kwargs)
        reader = getattr(screen.app, "reader", None)
        if reader is not None and reader.document is not None and not shown:
            shown.append(time.perf_counter())
        return result

    Screen._compositor_refresh = drawn  # type: ignore[method-assign]
    app = build_app(library_dir=library, index_dir=index, open_doc=str(doc))
    async with app.run_test(size=(120, 30)) as pilot:
        while not shown:
            await asyncio.sleep(0.01)
        await pilot.press("j")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--formats", default="md,txt", help="md, txt or both (comma-separated)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "tuireader-bench-bigdoc"))
    parser.add_argument("--skip-reader", action="store_true")
    parser.add_argument("--only", help="run only the commands whose label starts with one of these (comma-separated)")
    parser.add_argument("--reader-child", nargs=3, metavar=("LIBRARY", "INDEX", "DOC"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader_child:
        library, index, doc = map(Path, args.reader_child)
        asyncio.run(_reader(library, index, doc))
        return
    results: dict[str, dict[str, dict[str, float]]] = {}
    for fmt in args.formats.split(","):
        work = Path(args.workdir) / f"{args.mb:g}mb-{fmt}"
        library, index = work / "library", work / "index"
        library.mkdir(parents=True, exist_ok=True)
        doc = generate(library / f"big-report.{fmt}", args.mb, fmt)
        env = {
            **os.environ,
            "TUIREADER_DATA_DIR": str(work / "data"),
            "TUIREADER_CONFIG_DIR": str(work / "config"),
            "PYTHONPATH": str(HERE.parent / "src"),
        }
        cli = [sys.executable, "-m", "tuireader", "--library", str(library), "--index-dir", str(index)]
        commands = {
            "index (full build)": [*cli, "index", "--rebuild"],
            f"search {COMMON}": [*cli, "search", COMMON],
            f"search {COMMON} --json": [*cli, "search", COMMON, "--json"],
            f'search "{COMMON} council" --json': [*cli, "search", f'"{COMMON} council"', "--json"],
            # in the title only: no hit in the text, the snippet is its first lines
            "search title:report --json": [*cli, "search", "title:report", "--json"],
            "show DOC --json": [*cli, "show", doc.stem, "--json"],
        }
        if not args.skip_reader:
            commands["reader: start -> document shown"] = [
                sys.executable,
                __file__,
                "--reader-child",
                str(library),
                str(index),
                str(doc),
            ]
        size = doc.stat().st_size / 1e6
        print(f"\n{doc.name}: {size:.1f} MB")
        print(f"{'command':42} {'peak RSS MB':>12} {'CPU s':>8} {'wall s':>8}")
        rows = results.setdefault(f"{fmt} {size:.1f} MB", {})
        for label, argv in commands.items():
            if args.only and not label.startswith(tuple(args.only.split(","))):
                continue
            rss, cpu, wall, status = measure(argv, env)
            rows[label] = {"peak_rss_mb": round(rss, 1), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2)}
            print(f"{label:42} {rss:12.0f} {cpu:8.2f} {wall:8.2f}{'' if status == 0 else f'  (exit {status})'}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"big_document_{args.mb:g}mb.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
