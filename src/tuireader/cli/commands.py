"""The commands: parse nothing, print what the services and the core give (render.py lays
out the text); a domain error becomes a CliError, one line and an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..core.dates import date_range
from ..core.formats import supported_suffixes
from ..core.library import Library, LibraryDocument
from ..core.model import Document
from ..core.textio import DocumentError
from ..core.visible import visible_name
from ..services.documents import NoSuchDocument, OpenedDocument, UnsupportedFile, open_resolved, resolve
from .render import emphasise, json_dump, json_dumps, print_comparison, print_document

if TYPE_CHECKING:
    from ..annotations import AnnotationStore
    from ..catalog.report import IndexReport
    from ..search import LibraryIndex
    from ..workspace import Workspace


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# ----------------------------------------------------------------- helpers
def library_from(args: argparse.Namespace) -> Library:
    return Library(paths.resolve_library(getattr(args, "library", None)))


def require_library(root: Path) -> None:
    """A usage error, before anything is read or written, when the library folder is not there."""
    if root.exists() and not root.is_dir():
        raise CliError(f"{root} is a file, not a folder: the library is a folder of documents (--library DIR)", 2)
    if not root.is_dir():
        raise CliError(f"no such folder: {root} (the library; give --library DIR)", 2)


def resolve_document(library: Library, ref: str) -> tuple[LibraryDocument | None, Path]:
    try:
        return resolve(library, ref)
    except UnsupportedFile:
        raise CliError(f"{ref}: unsupported file type (supported: {', '.join(sorted(supported_suffixes()))})") from None
    except NoSuchDocument:
        require_library(library.root)
        raise CliError(f"no document '{ref}' in {library.root} (give an id from 'tuireader check' or a path)") from None


def load_document(library: Library, ref: str) -> OpenedDocument:
    entry, path = resolve_document(library, ref)
    try:
        return open_resolved(library, entry, path)
    except DocumentError as exc:
        raise CliError(exc.message) from None


# ---------------------------------------------------------------- commands
def _cmd_show(args: argparse.Namespace) -> int:
    library = library_from(args)
    doc = load_document(library, args.doc).document
    if args.json:
        json_dump(doc.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print_document(doc)
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
                    json_dumps(
                        {
                            "id": entry.id,
                            "path": str(entry.path),
                            "status": status,
                            "error": exc.message,
                            "format": entry.format,
                        },
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
                json_dumps(
                    {
                        "id": doc.id,
                        "path": str(doc.path),
                        "status": "ok",
                        "title": doc.title,
                        **counts,
                        "messages": [str(w) for w in doc.warnings],
                        "format": doc.format,
                    },
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
            print(json_dumps({"path": str(path), "status": "unsupported", "format": None}))
        else:
            print(f"{visible_name(str(rel))}\tunsupported file type {visible_name(path.suffix) or '(none)'}: not read")
    for path, why in scan.skipped:
        if args.json:
            print(json_dumps({"path": str(path), "status": "skipped", "error": why, "format": None}))
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
    from ..config import load_settings

    settings_file = paths.user_settings_file()
    settings = load_settings(settings_file)
    problems = list(settings.problems)
    if settings.keys:
        from ..ui.keycheck import check_keymap  # the UI's bindings: imported only when there are keys to check

        problems.extend(f"{settings_file}: {p}" for p in check_keymap(settings.keys))
    return problems


def workspace_from(args: argparse.Namespace) -> Workspace:
    from ..workspace import Workspace

    return Workspace(paths.resolve_library(getattr(args, "library", None)), getattr(args, "index_dir", None))


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        from ..catalog.progress import Rate

        self.label = label
        self.enabled = sys.stderr.isatty()
        self.drawn = 0  # the width of the last line drawn
        self.rate = Rate()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.rate.describe(done, total)}"
        sys.stderr.write("\r" + line.ljust(self.drawn))
        sys.stderr.flush()
        self.drawn = len(line)

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * self.drawn + "\r")
            sys.stderr.flush()


def _update_index(index: LibraryIndex, *, rebuild: bool = False, read_only_ok: bool = False) -> IndexReport:
    """Bring the index up to date; ``read_only_ok``: an index that cannot be written is searched as it is."""
    from ..catalog.report import IndexReport
    from ..search import IndexError_

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
    if args.entities_model is not None:
        from .model_pass import run_entities_model

        return run_entities_model(workspace, args.entities_model or None)
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    require_library(workspace.library.root)
    if args.limit < 1:
        raise CliError("--limit must be at least 1", 2)
    index = workspace.index
    _update_index(index, read_only_ok=True)
    text = " ".join(args.query)
    from ..annotations.search import search_with_annotations

    results = search_with_annotations(
        index, _annotation_store(existing=True), text, limit=args.limit, facets=args.facets
    )
    for message in results.messages:
        print(f"tuireader: query: {message}", file=sys.stderr)
    for note in results.notes:
        print(f"tuireader: note: {note}", file=sys.stderr)
    if args.json:
        data = results.to_json()
        json_dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        tty = sys.stdout.isatty()
        for rank, hit in enumerate(results.hits, 1):
            when = date_range(hit.date, hit.date_end, undated="undated")
            print(f"{rank:>2}. {hit.title}  [{when}]  ({hit.id})")
            for snip in hit.snippets:
                where = "note: " if snip.field == "footnotes" else ""
                if snip.page is not None:
                    where = f"p. {snip.page}: {where}"
                print(f"      {where}{emphasise(snip.text, snip.hits, tty)}")
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
    from ..entities.model import ENTITY_TYPES  # the entities package loads its rules: not for every command

    workspace = workspace_from(args)
    if args.doc:
        opened = load_document(workspace.library, args.doc)
        doc, entry = opened.document, opened.entry
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
            json_dump(data, sys.stdout, indent=2)
            sys.stdout.write("\n")
            return found
        if not mentions:
            print(f"tuireader: no entities found in {entry.id if entry else doc.id}", file=sys.stderr)
            return found
        table: dict[tuple[str, str], list[str]] = {}
        for m in mentions:
            table.setdefault((m.type, m.canonical), []).append(m.text)
        for etype in ENTITY_TYPES:
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
    library_rows = workspace.index.entity_table()
    if args.limit > 0:
        library_rows = library_rows[: args.limit]
    if args.json:
        json_dump(
            {"entities": [{"entity": n, "type": t, "documents": d, "mentions": m} for n, t, d, m in library_rows]},
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        width = max((len(n) for n, *_ in library_rows), default=10)
        print(f"{'entity':<{width}}  {'type':<6}  documents  mentions")
        for name, kind, docs, count in library_rows:
            print(f"{name:<{width}}  {kind:<6}  {docs:>9}  {count:>8}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from ..services.compare import prepare_comparison

    workspace = workspace_from(args)
    found = [resolve_document(workspace.library, ref) for ref in (args.a, args.b)]
    (entry_a, path_a), (entry_b, path_b) = found
    if path_a.resolve() == path_b.resolve():  # the reader refuses it too
        same = entry_a.id if entry_a else args.a
        raise CliError(f"compare needs two different documents ({same} twice)", 2)
    if workspace.library.root.is_dir():  # two files outside a missing library still compare
        _update_index(workspace.index)
    a, b = (load_document(workspace.library, ref) for ref in (args.a, args.b))
    prepared = prepare_comparison(workspace, a.document, a.library_id, b.document, b.library_id)
    doc_a, doc_b, comparison = prepared.a.document, prepared.b.document, prepared.comparison
    if args.json:
        data = {
            "a": {"id": doc_a.id, "title": doc_a.title, "path": str(doc_a.path)},
            "b": {"id": doc_b.id, "title": doc_b.title, "path": str(doc_b.path)},
            **comparison.to_json(),
        }
        json_dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print_comparison(doc_a, doc_b, comparison)
    return 0


def _cmd_related(args: argparse.Namespace) -> int:
    from ..compare import related_documents

    workspace = workspace_from(args)
    require_library(workspace.library.root)
    _update_index(workspace.index)
    doc = load_document(workspace.library, args.doc).document
    related = related_documents(workspace, doc, limit=max(1, args.limit))
    if args.json:
        json_dump(
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


def cmd_open(args: argparse.Namespace) -> int:
    from ..ui.launch import launch  # the UI is imported only when it is asked for

    library_dir = paths.resolve_library(args.library)
    if not library_dir.is_dir():
        chosen = args.library or os.environ.get(paths.ENV_LIBRARY)
        # A library named by the user must exist; the default one may not yet (a first start:
        # the reader then says where it looked and what to add), unless a document was asked for.
        if chosen or (args.doc and not Path(args.doc).expanduser().is_file()):
            require_library(library_dir)
    return launch(library_dir=library_dir, index_dir=args.index_dir, doc=args.doc)


def _cmd_timeline(args: argparse.Namespace) -> int:
    from ..timeline import UnknownEntity, documents_mentioning, entity_in_time, library_timeline, resolve_entity

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
        json_dump(data, sys.stdout, indent=2)
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
        start, end = doc.start, doc.end
        if start is None:  # rows are the dated documents: the undated are listed apart
            continue
        when = start.isoformat() + (f" – {end.isoformat()}" if end is not None and end != start else "")
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
        from ..serve import ReaderServer, ServeConfig, is_loopback
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


def _annotation_store(*, existing: bool = False) -> AnnotationStore | None:
    """The user's annotation store; with ``existing``, None when there is none yet (a search creates none)."""
    from ..annotations import AnnotationStore
    from ..annotations.store import StoreError

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
    from ..annotations.service import placed_annotations, placed_library
    from ..annotations.webanno import ImportProblem, export_file, import_file

    if args.export and args.import_file:
        raise CliError("give --export or --import, not both", 2)
    store = _annotation_store(existing=not args.import_file)  # reading creates no store
    if store is None:
        if args.export:
            raise CliError("no annotations yet: nothing to export")
        if args.json:
            json_dump({"annotations": []}, sys.stdout)
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
        doc = load_document(library, args.doc).document
        annotations = [p.annotation for p in placed_annotations(store, doc)]
    else:
        library = library_from(args)
        # each annotated document re-anchored (read once, and only if its file changed); with no
        # library folder to read, the annotations as they were stored
        annotations = placed_library(store, library) if library.root.is_dir() else store.all()
    if args.json:
        json_dump({"annotations": [a.to_json() for a in annotations]}, sys.stdout, indent=2)
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
    from ..annotations import cite
    from ..annotations.anchor import selection
    from ..annotations.text import DocText

    doc = load_document(library_from(args), args.doc).document
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
    return _print_citation(load_document(library_from(args), args.doc).document, args.format)


def _print_citation(doc: Document, fmt: str) -> int:
    from ..annotations import cite

    if fmt == "bibtex":
        sys.stdout.write(cite.bibtex(doc))
    elif fmt == "csl-json":
        json_dump([cite.csl_json(doc)], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(cite.citation_text(doc))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
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
