"""The command line: a thin shell over the services and the core.

Exit codes: 0 success; 1 nothing found, or a document failed; 2 usage error.
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .. import __version__
from .commands import HANDLERS, CliError, cmd_open

__all__ = ["CliError", "build_parser", "main"]


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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2
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
    p.add_argument(
        "--entities-model",
        metavar="NAME",
        nargs="?",
        const="",
        help="then run this spaCy pipeline (default: entities.model) over the library: the ner extra; "
        "resumable, slow (~0.4 s per 1,000 words)",
    )

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
            handler: Callable[[argparse.Namespace], int] = HANDLERS[args.command]
            return handler(args)
        if any(a in ("-h", "--help") for a in args_list):
            build_parser().print_help()
            return 0
        args = _open_parser().parse_args(args_list)
        return cmd_open(args)
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
