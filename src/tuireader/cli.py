"""The command line: a thin shell over the core.

Exit codes: 0 success; 1 nothing found, or a document failed; 2 usage error.
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, paths
from .core.footnotes import marker_pieces
from .core.formats import format_for, parse_file, supported_suffixes
from .core.library import Library, LibraryEntry
from .core.model import Document
from .core.textio import DocumentError
from .core.visible import visible_name

COMMANDS = (
    "show",
    "check",
    "index",
    "search",
    "entities",
    "compare",
    "related",
    "timeline",
    "serve",
    "annotations",
    "quote",
    "cite",
)
USAGE = (
    "tuireader [--library DIR] [--index-dir DIR] [DOC]\n"
    "       tuireader COMMAND [--library DIR] [--index-dir DIR] ...   (COMMAND: " + ", ".join(COMMANDS) + ")"
)


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.print_usage(sys.stderr)
        raise CliError(message, 2)


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--library",
        metavar="DIR",
        default=default,
        help="library folder (default: $TUIREADER_LIBRARY, ./library, or the user data folder)",
    )
    parser.add_argument(
        "--index-dir",
        metavar="DIR",
        default=default,
        help="where the search index lives (default: the user cache folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tuireader",
        usage=USAGE,
        description="A terminal reader for analysts: articles, footnotes, search, entities, comparison.",
        epilog="Run 'tuireader COMMAND --help' for a command's options. "
        "With no command, opens the reader (on DOC if given).",
    )
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog="tuireader")

    p = sub.add_parser("show", help="print a document: title block, text with [n] markers, footnotes")
    _common(p)
    p.add_argument("doc", metavar="DOC", help="a document id or path")
    p.add_argument("--json", action="store_true", help="print the parsed document as JSON")

    p = sub.add_parser("index", help="bring the search index up to date with the library")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")

    p = sub.add_parser(
        "search",
        help="search the whole library (see README for the query language)",
        description='Search the library. Words are ANDed; "exact phrase", OR, NOT/-word, word* (3+ letters), '
        "word~ (typos), title: author: source: date:2022-01 date:[2022-01-01 TO 2022-01-15] "
        "footnote: domain:/cites: tag: entity: person: org: place: group:",
    )
    _common(p)
    p.add_argument("query", metavar="QUERY", nargs="+", help="the query (quote it in the shell)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.add_argument("--facets", action="store_true", help="also count the matching documents by entity")

    p = sub.add_parser(
        "entities",
        help="people, organisations, places, groups and dates in a document, or across the library",
        description="With DOC: DOC's entities by type, each with its mention count and the other forms "
        "the text used (--json: every mention with its source offsets). "
        "Without DOC: the library's entity table (entity, type, documents, mentions).",
    )
    p.add_argument(
        "--library",
        metavar="DIR",
        nargs="?",
        const=None,
        default=argparse.SUPPRESS,
        help="the library (also: 'entities --library' alone lists the library's table)",
    )
    p.add_argument("--index-dir", metavar="DIR", default=argparse.SUPPRESS)
    p.add_argument("doc", metavar="DOC", nargs="?", help="a document id or path")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="library table: the first N rows only")

    p = sub.add_parser("compare", help="entities two documents share and those only one names, and shared key terms")
    _common(p)
    p.add_argument("a", metavar="A", help="a document id or path")
    p.add_argument("b", metavar="B", help="another document id or path")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("related", help="library documents most like DOC, with the reason")
    _common(p)
    p.add_argument("doc", metavar="DOC", help="a document id or path")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "timeline",
        help="documents by date or reporting period, or an entity's mentions per week or month",
        description="Without --entity: every dated document, grouped by source (or --group tag/none), "
        "in date order. With --entity NAME: its mentions across the library per week or month, each dated "
        "by a date beside it in the text (resolved against the document's date) or else by the document's date.",
    )
    _common(p)
    p.add_argument("--entity", metavar="NAME", help="an entity's mentions in time (its name, any case, or an alias)")
    p.add_argument("--group", choices=("source", "tag", "none"), default="source", help="documents: group by")
    p.add_argument("--by", choices=("auto", "week", "month"), default="auto", help="entity: bin size (default auto)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "serve",
        help="the reader in a browser: one reader per browser session (needs the serve extra)",
        description="Serve the reader to browsers (textual-serve). Loopback only unless --host says otherwise; "
        "every connection needs the access token (generated and printed unless --token is given). "
        "?user=NAME keeps that user's reading positions; without it a session reads the shared state "
        "and never writes it.",
    )
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="the access token (default: a new random one, printed)")
    p.add_argument("--max-sessions", type=int, default=8, metavar="N", help="at most N sessions at once (default 8)")

    p = sub.add_parser(
        "annotations",
        help="your highlights, notes and bookmarks: list (of DOC or all), export or import (W3C JSON-LD)",
    )
    _common(p)
    p.add_argument("doc", metavar="DOC", nargs="?", help="a document id or path (default: every document)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--export", metavar="FILE", help="write every annotation to FILE as W3C Web Annotation JSON-LD")
    p.add_argument("--import", dest="import_file", metavar="FILE", help="add the annotations of a JSON-LD FILE")

    p = sub.add_parser("quote", help="a passage of DOC with the notes it cites and the document's citation")
    _common(p)
    p.add_argument("doc", metavar="DOC", help="a document id or path")
    p.add_argument("--start", type=int, required=True, metavar="N", help="source offset where it starts (show --json)")
    p.add_argument("--end", type=int, required=True, metavar="N", help="source offset where it ends")
    p.add_argument("--format", choices=("markdown", "text", "bibtex", "csl-json"), default="markdown")

    p = sub.add_parser("cite", help="the citation of DOC: BibTeX, CSL-JSON or a line of text")
    _common(p)
    p.add_argument("doc", metavar="DOC", help="a document id or path")
    p.add_argument("--format", choices=("bibtex", "csl-json", "text"), default="bibtex")

    p = sub.add_parser("check", help="parse every document and report counts and problems")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _open_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tuireader", usage=USAGE, description="Open the reader (on DOC if given).")
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    _common(parser, top=True)
    parser.add_argument("doc", metavar="DOC", nargs="?", help="a document id or path to open")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if _wants_command(args_list):
            args = build_parser().parse_args(args_list)
            handler: Callable[[argparse.Namespace], int] = _HANDLERS[args.command]
            return handler(args)
        if any(a in ("-h", "--help") for a in args_list):
            build_parser().print_help()
            return 0
        args = _open_parser().parse_args(args_list)
        return _cmd_open(args)
    except CliError as exc:
        print(f"tuireader: {exc.message}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("tuireader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        return 0


def _wants_command(args: list[str]) -> bool:
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("--library", "--index-dir"):
            skip = True
            continue
        if a in COMMANDS:
            return True
        if a.startswith("-"):
            continue
        return a in COMMANDS
    return False


# ----------------------------------------------------------------- helpers
def library_from(args: argparse.Namespace) -> Library:
    return Library(paths.resolve_library(getattr(args, "library", None)))


def require_library(root: Path) -> None:
    """A usage error, before anything is read or written, when the library folder is not there."""
    if root.exists() and not root.is_dir():
        raise CliError(f"{root} is a file, not a folder: the library is a folder of documents (--library DIR)", 2)
    if not root.is_dir():
        raise CliError(f"no such folder: {root} (the library; give --library DIR)", 2)


def resolve_document(library: Library, ref: str) -> tuple[LibraryEntry | None, Path]:
    entry = library.find(ref)
    if entry is not None:
        return entry, entry.path
    path = Path(ref).expanduser()
    if path.is_file():
        if format_for(path) is None:
            raise CliError(f"{ref}: unsupported file type (supported: {', '.join(sorted(supported_suffixes()))})")
        return None, path
    require_library(library.root)
    raise CliError(f"no document '{ref}' in {library.root} (give an id from 'tuireader check' or a path)")


def load_document(library: Library, ref: str) -> Document:
    entry, path = resolve_document(library, ref)
    try:
        if entry is not None:
            return library.parse(entry)
        return parse_file(path, options=library.parse_options)
    except DocumentError as exc:
        raise CliError(exc.message) from None


def text_with_markers(doc: Document, block_index: int) -> str:
    block = doc.blocks[block_index]
    refs = sorted(block.refs, key=lambda r: r.at)
    pieces = marker_pieces([(r.label, r.at, r.source_offset) for r in refs])
    out: list[str] = []
    last = 0
    for i, (ref, (sep, label)) in enumerate(zip(refs, pieces, strict=True)):
        out.append(block.text[last : ref.at])
        opens = i == 0 or refs[i - 1].at != ref.at
        closes = i + 1 == len(refs) or refs[i + 1].at != ref.at
        out.append(("[" if opens else "") + ("" if opens else sep) + label + ("]" if closes else ""))
        last = ref.at
    out.append(block.text[last:])
    return "".join(out)


def date_label(doc: Document) -> str:
    if doc.date and doc.date_end:
        return f"{doc.date} – {doc.date_end}"
    return doc.date or ""


# ---------------------------------------------------------------- commands
def _cmd_show(args: argparse.Namespace) -> int:
    library = library_from(args)
    doc = load_document(library, args.doc)
    if args.json:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) if sys.stdout.isatty() else 0

    def emit(text: str, indent: str = "") -> None:
        if width:
            print(textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent) if text else "")
        else:
            print(indent + text)

    emit(doc.title)
    print("=" * min(len(doc.title), width or len(doc.title)))
    byline = ", ".join(doc.authors)
    for line in (byline, date_label(doc), doc.source or ""):
        if line:
            emit(line)
    print()
    for i, block in enumerate(doc.blocks):
        text = text_with_markers(doc, i)
        if block.kind == "heading":
            emit(text.upper() if block.level <= 1 else text)
        elif block.kind == "list_item":
            emit(f"{block.marker} {text}" if block.marker else f"- {text}")
        elif block.kind in ("code", "table"):
            for line in block.text.splitlines():
                print("    " + line)
        else:
            emit(text)
        print()
    if doc.footnotes:
        print("Notes")
        print("-----")
        for note in doc.footnotes:
            body = note.text if note.defined else "(no definition found in the document)"
            paragraphs = body.split("\n")
            emit(f"[{note.label}] {paragraphs[0]}")
            for para in paragraphs[1:]:
                emit(para, indent="    ")
    for warning in doc.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    library = library_from(args)
    require_library(library.root)
    scan = library.scan()
    failed = 0
    by_format: dict[str, dict[str, int]] = {}
    for warning in [*library.settings.warnings, *_settings_problems()]:
        print(f"warning: {warning}", file=sys.stderr)
    for entry in scan.documents:
        try:
            doc = library.parse(entry)
        except DocumentError as exc:
            skipped = exc.code in ("empty", "binary", "too-large")
            failed += 0 if skipped else 1
            status = "skipped" if skipped else "failed"
            _tally(by_format, entry.format, status)
            if args.json:
                print(
                    json.dumps(
                        {
                            "id": entry.id,
                            "path": str(entry.path),
                            "status": status,
                            "error": exc.message,
                            "format": entry.format,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                print(f"{entry.id}\t{status}: {exc.message}")
            continue
        counts = {
            "blocks": len(doc.blocks),
            "footnotes": sum(1 for n in doc.footnotes if n.defined),
            "unresolved": doc.unresolved_markers,
            "warnings": len(doc.warnings),
        }
        _tally(by_format, doc.format, "ok", counts)
        if args.json:
            print(
                json.dumps(
                    {
                        "id": doc.id,
                        "path": str(doc.path),
                        "status": "ok",
                        "title": doc.title,
                        **counts,
                        "messages": [str(w) for w in doc.warnings],
                        "format": doc.format,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(
                f"{doc.id}\t{doc.title}\tblocks={counts['blocks']} footnotes={counts['footnotes']} "
                f"unresolved={counts['unresolved']} warnings={counts['warnings']}"
            )
            for w in doc.warnings:
                print(f"    {w}")
    for path in scan.unsupported:
        rel = path.relative_to(library.root)
        if args.json:
            print(json.dumps({"path": str(path), "status": "unsupported", "format": None}, ensure_ascii=False))
        else:
            print(f"{visible_name(str(rel))}\tunsupported file type {visible_name(path.suffix) or '(none)'}: not read")
    for path, why in scan.skipped:
        if args.json:
            print(
                json.dumps({"path": str(path), "status": "skipped", "error": why, "format": None}, ensure_ascii=False)
            )
        else:
            shown = path.relative_to(library.root) if path.is_relative_to(library.root) else path
            print(f"{visible_name(str(shown))}\tskipped: {why}")
    if not args.json:
        for name in sorted(by_format):
            t = by_format[name]
            print(
                f"format {name}: documents={t['documents']} ok={t['ok']} skipped={t['skipped']} "
                f"failed={t['failed']} footnotes={t['footnotes']} unresolved={t['unresolved']} warnings={t['warnings']}"
            )
    if not scan.documents and not args.json:
        suffixes = " ".join(sorted(supported_suffixes()))
        print(f"no documents in {library.root} (add files of these types: {suffixes})", file=sys.stderr)
    return 1 if failed else 0


def _tally(by_format: dict[str, dict[str, int]], name: str, status: str, counts: dict[str, int] | None = None) -> None:
    """Per-format totals for `check`: documents by status, and the ok ones' counts."""
    t = by_format.setdefault(
        name, dict.fromkeys(("documents", "ok", "skipped", "failed", "footnotes", "unresolved", "warnings"), 0)
    )
    t["documents"] += 1
    t[status] += 1
    for key in ("footnotes", "unresolved", "warnings"):
        t[key] += (counts or {}).get(key, 0)


def _settings_problems() -> list[str]:
    """The user's settings file checked as the reader will read it (keys against its bindings)."""
    from .config import load_settings

    settings_file = paths.user_settings_file()
    settings = load_settings(settings_file)
    problems = list(settings.problems)
    if settings.keys:
        from .ui.keycheck import check_keymap  # the UI's bindings: imported only when there are keys to check

        problems.extend(f"{settings_file}: {p}" for p in check_keymap(settings.keys))
    return problems


def workspace_from(args: argparse.Namespace):
    from .workspace import Workspace

    return Workspace(paths.resolve_library(getattr(args, "library", None)), getattr(args, "index_dir", None))


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


def _update_index(index, *, rebuild: bool = False, read_only_ok: bool = False):
    """Bring the index up to date; ``read_only_ok``: an index that cannot be written is searched as it is."""
    from .search import IndexError_
    from .search.results import IndexReport

    bar = _ProgressBar("indexing")
    try:
        report = index.update(bar, rebuild=rebuild, procs=2)
    except IndexError_ as exc:
        if not (read_only_ok and index.has_index):
            raise CliError(str(exc)) from None
        print(f"tuireader: {exc}; searched the index as it is (it may be out of date)", file=sys.stderr)
        return IndexReport()
    finally:
        bar.finish()
    for message in index.messages:
        print(f"tuireader: {message}", file=sys.stderr)
    index.messages.clear()
    if report.busy:
        print("tuireader: another tuireader is updating the index; using its last committed state", file=sys.stderr)
    for doc_id, message in report.skipped:
        print(f"tuireader: skipped {doc_id}: {message}", file=sys.stderr)
    return report


def _cmd_index(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    require_library(workspace.library.root)
    index = workspace.index
    report = _update_index(index, rebuild=args.rebuild)
    for problem in workspace.problems:
        print(f"tuireader: {problem}", file=sys.stderr)
    if report.busy:
        return 1  # nothing was indexed: a script must not take this for an up-to-date index
    line = report.summary()
    if report.rebuilt and report.reason not in ("rebuild requested", "no index yet"):
        line += f" (rebuilt: {report.reason})"
    print(line)
    return 0


def _emphasise(text: str, spans: list[tuple[int, int]], tty: bool) -> str:
    start_mark, end_mark = ("\x1b[1;33m", "\x1b[0m") if tty else ("«", "»")
    out, last = [], 0
    for a, b in sorted(spans):
        out.append(text[last:a] + start_mark + text[a:b] + end_mark)
        last = b
    out.append(text[last:])
    return "".join(out)


def _cmd_search(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    require_library(workspace.library.root)
    if args.limit < 1:
        raise CliError("--limit must be at least 1", 2)
    index = workspace.index
    _update_index(index, read_only_ok=True)
    text = " ".join(args.query)
    from .annotations.search import search_with_annotations

    results = search_with_annotations(
        index, _annotation_store(existing=True), text, limit=args.limit, facets=args.facets
    )
    for message in results.messages:
        print(f"tuireader: query: {message}", file=sys.stderr)
    for note in results.notes:
        print(f"tuireader: note: {note}", file=sys.stderr)
    if args.json:
        data = results.to_json()
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        tty = sys.stdout.isatty()
        for rank, hit in enumerate(results.hits, 1):
            when = f"{hit.date} – {hit.date_end}" if hit.date and hit.date_end else (hit.date or "undated")
            print(f"{rank:>2}. {hit.title}  [{when}]  ({hit.id})")
            for snip in hit.snippets:
                where = "note: " if snip.field == "footnotes" else ""  # an annotation's says "your note on"
                if snip.page is not None:
                    where = f"p. {snip.page}: {where}"
                print(f"      {where}{_emphasise(snip.text, snip.hits, tty)}")
        if results.facets.get("entity"):
            print("entities: " + ", ".join(f"{name} ({n})" for name, n in results.facets["entity"]))
        if results.hits:
            shown = len(results.hits)
            print(
                f"{results.total} document{'s' if results.total != 1 else ''} matched"
                + (f" (showing {shown})" if shown < results.total else "")
            )
        elif not results.messages:
            print("no documents matched", file=sys.stderr)
    index.close()
    if results.messages:
        return 2
    return 0 if results.hits else 1


def _cmd_entities(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    if args.doc:
        entry, path = resolve_document(workspace.library, args.doc)
        doc = load_document(workspace.library, args.doc)
        mentions = workspace.all_mentions(doc)
        for problem in workspace.problems:
            print(f"tuireader: {problem}", file=sys.stderr)
        found = 0 if mentions else 1  # exit 1: nothing found, as for search
        if args.json:
            data = {
                "id": doc.id,
                "path": str(doc.path),
                "mentions": [
                    {
                        "text": m.text,
                        "canonical": m.canonical,
                        "type": m.type,
                        "start": m.source_start,
                        "end": m.source_end,
                        "description": workspace.describe(m.canonical),
                        "part": m.part,
                        **({"note": m.note} if m.note else {}),
                    }
                    for m in mentions
                ],
            }
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return found
        if not mentions:
            print(f"tuireader: no entities found in {entry.id if entry else doc.id}", file=sys.stderr)
            return found
        table: dict[tuple[str, str], list[str]] = {}
        for m in mentions:
            table.setdefault((m.type, m.canonical), []).append(m.text)
        for etype in ("PERSON", "ORG", "PLACE", "GROUP", "DATE"):
            rows = sorted(
                ((c, texts) for (t, c), texts in table.items() if t == etype), key=lambda r: (-len(r[1]), r[0])
            )
            if not rows:
                continue
            print(etype)
            for canonical, texts in rows:
                forms = sorted(set(texts) - {canonical})
                extra = f"  (as {', '.join(forms)})" if forms else ""
                print(f"  {len(texts):>4}  {canonical}{extra}")
        return 0
    require_library(workspace.library.root)
    _update_index(workspace.index)
    rows = workspace.index.entity_table()
    if args.limit > 0:
        rows = rows[: args.limit]
    if args.json:
        json.dump(
            {"entities": [{"entity": n, "type": t, "documents": d, "mentions": m} for n, t, d, m in rows]},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        width = max((len(n) for n, *_ in rows), default=10)
        print(f"{'entity':<{width}}  {'type':<6}  documents  mentions")
        for name, etype, docs, count in rows:
            print(f"{name:<{width}}  {etype:<6}  {docs:>9}  {count:>8}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_entities, shared_terms

    workspace = workspace_from(args)
    found = [resolve_document(workspace.library, ref) for ref in (args.a, args.b)]
    (entry_a, path_a), (entry_b, path_b) = found
    if path_a.resolve() == path_b.resolve():  # the reader refuses it too
        same = entry_a.id if entry_a else args.a
        raise CliError(f"compare needs two different documents ({same} twice)", 2)
    if workspace.library.root.is_dir():  # two files outside a missing library still compare
        _update_index(workspace.index)
    sides = []
    for ref, (entry, _) in zip((args.a, args.b), found, strict=True):
        doc = load_document(workspace.library, ref)
        sides.append((doc, workspace.mentions(doc, entry.id if entry else None)))
    (doc_a, mentions_a), (doc_b, mentions_b) = sides
    comparison = compare_entities(mentions_a, mentions_b)
    comparison.shared_terms = shared_terms(doc_a, doc_b)
    if args.json:
        data = {
            "a": {"id": doc_a.id, "title": doc_a.title, "path": str(doc_a.path)},
            "b": {"id": doc_b.id, "title": doc_b.title, "path": str(doc_b.path)},
            **comparison.to_json(),
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"A: {doc_a.title}  ({doc_a.id})")
    print(f"B: {doc_b.title}  ({doc_b.id})")
    # Names are shown whole: the column is as wide as the longest (a terminal wraps, a pipe keeps it).
    everyone = [*comparison.shared, *comparison.only_a, *comparison.only_b]
    width = max((len(e.name) for e in everyone), default=6)
    print(f"\n{'Shared entities (' + str(len(comparison.shared)) + ')':<{width + 2}} {'type':<6} {'A':>4}  {'B':>4}")
    for e in comparison.shared:
        print(f"  {e.name:<{width}} {e.type:<6} {e.a:>4}  {e.b:>4}")
    for label, rows in (("Only in A", comparison.only_a), ("Only in B", comparison.only_b)):
        print(f"\n{label + ' (' + str(len(rows)) + ')':<{width + 2}} {'type':<6} {'n':>4}")
        for e in rows:
            print(f"  {e.name:<{width}} {e.type:<6} {e.count:>4}")
    print(f"\nShared key terms: {', '.join(comparison.shared_terms)}")
    return 0


def _cmd_related(args: argparse.Namespace) -> int:
    from .compare import related_documents

    workspace = workspace_from(args)
    require_library(workspace.library.root)
    _update_index(workspace.index)
    doc = load_document(workspace.library, args.doc)
    related = related_documents(workspace, doc, limit=max(1, args.limit))
    if args.json:
        json.dump(
            {
                "id": doc.id,
                "related": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "score": r.score,
                        "shared_terms": r.shared_terms,
                        "shared_entities": r.shared_entities,
                    }
                    for r in related
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0 if related else 1
    for r in related:
        print(f"{r.score:.2f}  {r.title}  ({r.id})")
        print(f"      terms: {', '.join(r.shared_terms) or '-'}; entities: {', '.join(r.shared_entities) or '-'}")
    if not related:
        print("no related documents in the library", file=sys.stderr)
    return 0 if related else 1


def _cmd_timeline(args: argparse.Namespace) -> int:
    from .timeline import UnknownEntity, documents_mentioning, entity_in_time, library_timeline, resolve_entity

    workspace = workspace_from(args)
    require_library(workspace.library.root)
    _update_index(workspace.index)
    if args.entity is None:
        timeline = library_timeline(workspace.index, group_by=args.group)
        chart = None
    else:
        try:
            canonical, etype = resolve_entity(workspace, args.entity)
        except UnknownEntity as exc:
            raise CliError(str(exc)) from None
        chart = entity_in_time(workspace, canonical, etype, by=args.by)
        only = documents_mentioning(workspace.index, canonical)
        timeline = library_timeline(workspace.index, group_by=args.group, only=only)
    if args.json:
        data = timeline.to_json() if chart is None else {**chart.to_json(), "timeline": timeline.to_json()}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if (timeline.rows or timeline.undated) else 1
    if chart is not None:
        print(
            f"{chart.entity} ({chart.type}): {chart.total} mentions, {chart.dated_in_text} dated by the text, "
            f"{chart.dated_by_document} by their document's date, {chart.undated} undated; per {chart.by}"
        )
        most = max((b.mentions for b in chart.bins), default=0)
        for b in chart.bins:
            bar = "█" * round(40 * b.mentions / most) if most else ""
            print(f"  {b.start.isoformat()}  {b.mentions:>4}  {bar}")
        print()
    group = None
    for row in timeline.rows:
        if row.group != group and timeline.group_by != "none":
            print(row.group)
            group = row.group
        doc = row.document
        when = doc.start.isoformat() + (f" – {doc.end.isoformat()}" if doc.end != doc.start else "")
        print(f"  {when:<23}  {doc.title}  ({doc.id})")
    if timeline.undated:
        print("undated")
        for doc in timeline.undated:
            print(f"  {'':<23}  {doc.title}  ({doc.id})")
    if not timeline.rows and not timeline.undated:
        print("tuireader: no documents in the index", file=sys.stderr)
        return 1
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .serve import ReaderServer, ServeConfig, is_loopback
    except ImportError as exc:
        missing = (exc.name or "textual_serve").split(".")[0]
        raise CliError(
            f"tuireader serve needs the serve extra ({missing} is missing): pip install 'tuireader[serve]'", 2
        ) from None
    if args.max_sessions < 1 or not 0 < args.port < 65536:
        raise CliError("--max-sessions must be at least 1 and --port between 1 and 65535", 2)
    if args.token is not None and len(args.token) < 8:
        raise CliError("--token must be at least 8 characters", 2)
    workspace = workspace_from(args)
    require_library(workspace.library.root)
    _update_index(workspace.index, read_only_ok=True)  # once here, so no browser session waits for it
    config = ServeConfig(
        library=workspace.library.root,
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        index_dir=workspace.index.dir,
    )
    if args.token:
        config.token = args.token
    if not is_loopback(args.host):
        print(
            f"tuireader: warning: listening on {args.host}: anyone on the network who has the token "
            "can read the library (and the traffic is not encrypted)",
            file=sys.stderr,
        )
    server = ReaderServer(config)
    print(f"Serving {workspace.library.root} at {server.url()}", flush=True)
    print(f"at most {config.max_sessions} sessions; add &user=NAME to keep your reading positions; ctrl+c stops")
    try:
        server.run()
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def _cmd_open(args: argparse.Namespace) -> int:
    from .ui.launch import launch  # the UI is imported only when it is asked for

    library_dir = paths.resolve_library(args.library)
    if not library_dir.is_dir():
        chosen = args.library or os.environ.get(paths.ENV_LIBRARY)
        # A library named by the user must exist; the default one may not yet (a first start:
        # the reader then says where it looked and what to add), unless a document was asked for.
        if chosen or (args.doc and not Path(args.doc).expanduser().is_file()):
            require_library(library_dir)
    return launch(library_dir=library_dir, index_dir=args.index_dir, doc=args.doc)


def _annotation_store(*, existing: bool = False):
    """The user's annotation store; with ``existing``, None when there is none yet (a search creates none)."""
    from .annotations import AnnotationStore
    from .annotations.store import StoreError

    path = paths.annotations_file()
    if existing and not path.exists():
        return None
    store = AnnotationStore(path)
    try:
        store.conn  # noqa: B018 - opened now, so that a damaged store is reported here
    except (StoreError, OSError) as exc:
        raise CliError(f"annotations: {exc}") from None
    for message in store.messages:
        print(f"tuireader: {message}", file=sys.stderr)
    return store


def _cmd_annotations(args: argparse.Namespace) -> int:
    from .annotations.service import placed_annotations, placed_library
    from .annotations.webanno import ImportProblem, export_file, import_file

    if args.export and args.import_file:
        raise CliError("give --export or --import, not both", 2)
    store = _annotation_store(existing=not args.import_file)  # reading creates no store
    if store is None:
        if args.export:
            raise CliError("no annotations yet: nothing to export")
        if args.json:
            json.dump({"annotations": []}, sys.stdout)
            sys.stdout.write("\n")
        else:
            print("no annotations yet", file=sys.stderr)
        return 1
    if args.import_file:
        try:
            count = import_file(store, Path(args.import_file).expanduser())
        except ImportProblem as exc:
            raise CliError(f"{exc}; nothing was imported") from None
        print(f"imported {count} annotation{'s' if count != 1 else ''}")
        return 0
    if args.export:
        target = Path(args.export).expanduser()
        try:
            count = export_file(store, target)
        except OSError as exc:
            raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None
        print(f"exported {count} annotation{'s' if count != 1 else ''} to {target}")
        return 0
    if args.doc:
        library = library_from(args)
        doc = load_document(library, args.doc)
        annotations = [p.annotation for p in placed_annotations(store, doc)]
    else:
        library = library_from(args)
        # each annotated document re-anchored (read once, and only if its file changed); with no
        # library folder to read, the annotations as they were stored
        annotations = placed_library(store, library) if library.root.is_dir() else store.all()
    if args.json:
        json.dump({"annotations": [a.to_json() for a in annotations]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if annotations else 1
    for a in annotations:
        passage = " ".join(a.quote.exact.split())
        passage = (passage[:69] + "…") if len(passage) > 70 else passage
        flag = "" if a.status in ("anchored", "moved", "fuzzy") else f" [{a.status}]"
        what = "bookmark" if a.kind == "bookmark" else a.colour
        print(f"{a.doc_id}\t{a.start}-{a.end}\t{what}{flag}\t“{passage}”")
        if a.note:
            print("    " + " ".join(a.note.split()))
        if a.tags:
            print("    #" + " #".join(a.tags))
    if not annotations:
        print("no annotations" + (f" on {args.doc}" if args.doc else " yet"), file=sys.stderr)
    return 0 if annotations else 1


def _cmd_quote(args: argparse.Namespace) -> int:
    from .annotations import cite
    from .annotations.anchor import selection
    from .annotations.text import DocText

    doc = load_document(library_from(args), args.doc)
    if args.start < 0 or args.end <= args.start:
        raise CliError("--end must be greater than --start, both 0 or more", 2)
    if args.format in ("bibtex", "csl-json"):
        return _print_citation(doc, args.format)
    text = DocText(doc)
    found = selection(doc, args.start, args.end, text)
    if found is None:
        raise CliError(
            f"offsets {args.start}-{args.end} show no text of {doc.id} (see 'tuireader show {doc.id} --json')"
        )
    s0, s1, _ = found
    a, b = text.flat_range(s0, s1) or (0, 0)
    passage = cite.passage(doc, a, b, text)
    sys.stdout.write(cite.quote_markdown(doc, passage) if args.format == "markdown" else cite.quote_text(doc, passage))
    return 0


def _cmd_cite(args: argparse.Namespace) -> int:
    return _print_citation(load_document(library_from(args), args.doc), args.format)


def _print_citation(doc: Document, fmt: str) -> int:
    from .annotations import cite

    if fmt == "bibtex":
        sys.stdout.write(cite.bibtex(doc))
    elif fmt == "csl-json":
        json.dump([cite.csl_json(doc)], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(cite.citation_text(doc))
    return 0


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "show": _cmd_show,
    "check": _cmd_check,
    "index": _cmd_index,
    "search": _cmd_search,
    "entities": _cmd_entities,
    "compare": _cmd_compare,
    "related": _cmd_related,
    "timeline": _cmd_timeline,
    "serve": _cmd_serve,
    "annotations": _cmd_annotations,
    "quote": _cmd_quote,
    "cite": _cmd_cite,
}
