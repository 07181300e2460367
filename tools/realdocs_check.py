"""Run every file of a folder of real documents through the format registry and report,
per format, what came out: opened or refused (and why), blocks, notes found and linked,
markers left unlinked, warnings, CPU time and peak memory.

    .venv/bin/python tools/realdocs_check.py FOLDER [--jsonl OUT] [--timeout 60] [--show-worst 5]

Each file is parsed in a forked child (the program imported once, before the fork), so
one file's peak RSS, CPU seconds, a crash or a hang cannot touch the others; a hang is
stopped after ``--cpu-limit`` CPU seconds and reported as a timeout.

Where the source of the documents gives an expected result, it is compared:

- mozilla/readability's ``test-pages/NAME/source.html`` beside ``expected.html`` (the
  article as Readability extracts it) and ``expected-metadata.json``: the share of the
  expected article's words that our text has (recall), the share of our words that are
  not in the expected article (boilerplate we kept), and whether our title is theirs;
- pandoc's ``test/docx/NAME.docx`` beside ``NAME.native`` (what pandoc reads from the
  same Word file): the same two word shares, and the number of notes (``Note [``).

Words are compared as multisets of lower-case word tokens, so order and layout do not
count and a word repeated in boilerplate counts each time.  The expected files are not
ground truth for us (Readability keeps image captions we may drop, pandoc keeps comments),
so read the figures as a signal and the worst files by eye.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import re
import resource
import signal
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tuireader.core.formats import format_for, parse_file  # noqa: E402
from tuireader.core.textio import DocumentError  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE)
_SKIP_NAMES = {"expected.html", "expected-metadata.json"}


class _TextOf(html.parser.HTMLParser):
    """The visible text of an HTML fragment (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def _shares(ours: Counter[str], expected: Counter[str]) -> dict[str, float]:
    common = sum((ours & expected).values())
    total_expected = sum(expected.values()) or 1
    total_ours = sum(ours.values()) or 1
    return {
        "expected_words": sum(expected.values()),
        "recall": round(common / total_expected, 4),
        "extra": round(1 - common / total_ours, 4),
    }


def _expected_for(path: Path) -> tuple[str, Counter[str], dict[str, Any]] | None:
    """(kind, expected words, expected facts) where the source gives an expected result."""
    expected_html = path.with_name("expected.html")
    if path.name == "source.html" and expected_html.exists():
        parser = _TextOf()
        parser.feed(expected_html.read_text(encoding="utf-8", errors="replace"))
        facts: dict[str, Any] = {}
        meta = path.with_name("expected-metadata.json")
        if meta.exists():
            try:
                facts = json.loads(meta.read_text(encoding="utf-8"))
            except ValueError:
                facts = {}
        return "readability", _words(" ".join(parser.parts)), facts
    native = path.with_suffix(".native")
    if path.suffix == ".docx" and native.exists():
        text = native.read_text(encoding="utf-8", errors="replace")
        strings = re.findall(r'Str\s+"((?:[^"\\]|\\.)*)"', text)
        code = re.findall(r'Code\s+\(\s*"[^"]*"\s*,\s*\[[^\]]*\]\s*,\s*\[[^\]]*\]\s*\)\s*"((?:[^"\\]|\\.)*)"', text)
        words = _words(" ".join(re.sub(r"\\(?:\d+|.)", " ", s) for s in strings + code))
        return "pandoc-native", words, {"notes": text.count("Note [")}
    return None


def _measure(path: Path) -> dict[str, Any]:
    """Parse one file (in the child) and describe the result."""
    fmt = format_for(path)
    row: dict[str, Any] = {"file": str(path), "named_format": fmt.name if fmt else None}
    start = time.process_time()
    try:
        doc = parse_file(path)
    except DocumentError as exc:
        row.update(status="refused", message=str(exc), code=getattr(exc, "code", ""))
        row["cpu_s"] = round(time.process_time() - start, 4)
        return row
    except Exception as exc:  # a traceback a user would see: the thing to fix
        row.update(status="crash", message=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc(limit=6))
        row["cpu_s"] = round(time.process_time() - start, 4)
        return row
    row["cpu_s"] = round(time.process_time() - start, 4)
    defined = {n.key for n in doc.footnotes if n.defined}
    refs = [r for b in doc.blocks for r in b.refs]
    linked = [r for r in refs if r.key in defined]
    body_text = "\n".join(b.text for b in doc.blocks)
    notes_text = "\n".join(n.text for n in doc.footnotes if n.defined)
    row.update(
        status="ok",
        format=doc.format,
        title=doc.title,
        author=getattr(doc, "author", None) or getattr(doc, "authors", None),
        date=str(getattr(doc, "date", "") or ""),
        blocks=len(doc.blocks),
        kinds=dict(Counter(b.kind for b in doc.blocks)),
        chars=len(body_text),
        notes=len(defined),
        notes_cited=sum(1 for n in doc.footnotes if n.defined and n.cited_at),
        refs=len(refs),
        refs_linked=len(linked),
        warnings=dict(Counter(w.code for w in doc.warnings)),
    )
    if not doc.blocks or not body_text.strip():
        row["empty"] = True
    expected = _expected_for(path)
    if expected is not None:
        kind, words, facts = expected
        # Notes are part of the article in both references (Readability keeps the notes
        # list; pandoc's native holds each note's text inside its Note).
        ours = _words(body_text + "\n" + notes_text)
        row["expected"] = {"kind": kind, **_shares(ours, words)}
        if kind == "readability" and facts.get("title"):
            row["expected"]["title_match"] = _norm(facts["title"]) == _norm(doc.title or "")
            row["expected"]["title"] = facts["title"]
        if kind == "pandoc-native":
            row["expected"]["notes"] = facts["notes"]
    return row


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


class _CpuLimit(Exception):
    pass


def _over_cpu(signum: int, frame: object) -> None:
    raise _CpuLimit


def _run_child(path: Path, cpu_limit: float, timeout: float) -> dict[str, Any]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse, write one JSON line, leave without cleanup
        os.close(read_fd)
        # CPU seconds, not wall: on a loaded machine the wall clock counts others' time.
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_limit), int(cpu_limit) + 1))
        signal.signal(signal.SIGXCPU, _over_cpu)
        try:
            row = _measure(path)
            row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            data = json.dumps(row, default=str).encode()
        except _CpuLimit:
            data = json.dumps({"file": str(path), "status": "timeout", "message": f"over {cpu_limit:g} CPU s"}).encode()
        except BaseException as exc:  # noqa: BLE001 - anything, reported to the parent
            data = json.dumps({"file": str(path), "status": "crash", "message": repr(exc)}).encode()
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    os.set_blocking(read_fd, False)
    status = None
    while True:
        try:
            chunk = os.read(read_fd, 1 << 16)
            if chunk:
                chunks.append(chunk)
                continue
            if chunk == b"":
                break
        except BlockingIOError:
            pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            status = status
            rest = b""
            try:
                rest = os.read(read_fd, 1 << 20)
            except BlockingIOError:
                pass
            chunks.append(rest)
            while rest:
                try:
                    rest = os.read(read_fd, 1 << 20)
                except BlockingIOError:
                    break
                chunks.append(rest)
            pid = 0
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
            return {"file": str(path), "status": "timeout", "message": f"over {timeout:g} s wall"}
        time.sleep(0.005)
    if pid:
        os.waitpid(pid, 0)
    os.close(read_fd)
    raw = b"".join(chunks)
    if not raw:
        return {"file": str(path), "status": "crash", "message": f"child died (status {status})"}
    return json.loads(raw)


def _files(folder: Path) -> list[Path]:
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name in _SKIP_NAMES or path.suffix in (".native", ".md5"):
            continue
        if path.name in ("PROVENANCE.md", "README.md") and path.parent == folder:
            continue
        out.append(path)
    return out


def _summary(rows: list[dict[str, Any]]) -> str:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by[row.get("format") or row.get("named_format") or "(none)"].append(row)
    lines = [
        f"{'format':<10} {'files':>5} {'ok':>5} {'refused':>7} {'crash':>5} {'timeout':>7} {'empty':>5}"
        f" {'blocks':>7} {'notes':>6} {'cited':>6} {'refs':>6} {'linked':>6} {'warn':>5}"
        f" {'cpu s':>7} {'max s':>6} {'maxMB':>6}"
    ]
    for name in sorted(by):
        group = by[name]
        ok = [r for r in group if r["status"] == "ok"]
        lines.append(
            f"{name:<10} {len(group):>5} {len(ok):>5}"
            f" {sum(r['status'] == 'refused' for r in group):>7}"
            f" {sum(r['status'] == 'crash' for r in group):>5}"
            f" {sum(r['status'] == 'timeout' for r in group):>7}"
            f" {sum(bool(r.get('empty')) for r in ok):>5}"
            f" {sum(r['blocks'] for r in ok):>7} {sum(r['notes'] for r in ok):>6}"
            f" {sum(r['notes_cited'] for r in ok):>6} {sum(r['refs'] for r in ok):>6}"
            f" {sum(r['refs_linked'] for r in ok):>6} {sum(sum(r['warnings'].values()) for r in ok):>5}"
            f" {sum(r.get('cpu_s', 0) for r in group):>7.2f} {max((r.get('cpu_s', 0) for r in group), default=0):>6.2f}"
            f" {max((r.get('peak_rss_mb', 0) for r in group), default=0):>6.0f}"
        )
    compared = [r for r in rows if r.get("expected")]
    for kind in sorted({r["expected"]["kind"] for r in compared}):
        group = [r for r in compared if r["expected"]["kind"] == kind]
        recall = sorted(r["expected"]["recall"] for r in group)
        extra = sorted(r["expected"]["extra"] for r in group)
        mid = len(group) // 2
        lines.append(
            f"\n{kind}: {len(group)} files compared; recall of expected words: median {recall[mid]:.3f},"
            f" mean {sum(recall) / len(recall):.3f}, {sum(x >= 0.9 for x in recall)} at >= 0.9,"
            f" {sum(x < 0.5 for x in recall)} under 0.5; words not expected: median {extra[mid]:.3f},"
            f" mean {sum(extra) / len(extra):.3f}, {sum(x > 0.3 for x in extra)} over 0.3"
        )
        titles = [r["expected"]["title_match"] for r in group if "title_match" in r["expected"]]
        if titles:
            lines.append(f"  title equal to the expected one: {sum(titles)} of {len(titles)}")
        notes = [(r["notes"], r["expected"]["notes"]) for r in group if "notes" in r["expected"]]
        if notes:
            lines.append(
                f"  notes: ours {sum(a for a, _ in notes)}, expected {sum(b for _, b in notes)};"
                f" files with the same count {sum(a == b for a, b in notes)} of {len(notes)}"
            )
    problems = Counter(
        (r.get("format") or r.get("named_format") or "-", r["status"], (r.get("message") or "")[:70])
        for r in rows
        if r["status"] != "ok"
    )
    if problems:
        lines.append("\nnot opened (format, status, message: files)")
        for (fmt, status, message), count in problems.most_common(25):
            lines.append(f"  {fmt:<9} {status:<8} {count:>4}  {message}")
    warnings: Counter[tuple[str, str]] = Counter()
    for r in rows:
        for code, n in (r.get("warnings") or {}).items():
            warnings[(r.get("format") or "-", code)] += n
    if warnings:
        lines.append("\nwarnings (format, code: count)")
        for (fmt, code), n in warnings.most_common(30):
            lines.append(f"  {fmt:<9} {code:<28} {n:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jsonl", type=Path, help="write one JSON line per file here")
    parser.add_argument("--cpu-limit", type=float, default=60.0, help="CPU seconds a file may take")
    parser.add_argument("--timeout", type=float, default=900.0, help="wall seconds (a stuck child)")
    parser.add_argument("--show-worst", type=int, default=5, help="list the N files with the lowest recall")
    args = parser.parse_args(argv)
    files = _files(args.folder)
    rows = []
    for path in files:
        rows.append(_run_child(path, args.cpu_limit, args.timeout))
    if args.jsonl:
        with args.jsonl.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, default=str) + "\n")
    print(f"{len(files)} files under {args.folder}\n")
    print(_summary(rows))
    worst = sorted((r for r in rows if r.get("expected")), key=lambda r: r["expected"]["recall"])
    if worst and args.show_worst:
        print("\nlowest recall of expected words")
        for r in worst[: args.show_worst]:
            e = r["expected"]
            print(f"  {e['recall']:.3f} (extra {e['extra']:.3f})  {r['file']}")
        extra = sorted((r for r in rows if r.get("expected")), key=lambda r: -r["expected"]["extra"])
        print("most words not expected")
        for r in extra[: args.show_worst]:
            e = r["expected"]
            print(f"  {e['extra']:.3f} (recall {e['recall']:.3f})  {r['file']}")
    crashes = [r for r in rows if r["status"] in ("crash", "timeout")]
    for r in crashes[:10]:
        print(f"\n{r['status']}: {r['file']}\n{r.get('trace') or r.get('message')}")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
