"""A digest of every parsed document, to show that a change of the parser changes nothing.

    .venv/bin/python tools/parse_digest.py OUT.json FILE...            # this checkout's parser
    PYTHONPATH=/tmp/ref/src .venv/bin/python tools/parse_digest.py REF.json FILE...
    .venv/bin/python tools/parse_digest.py --compare REF.json OUT.json  # the files that differ

The reference tree comes from ``git archive REF src | tar -x -C /tmp/ref``.  A document's
digest covers its blocks (kind, text, every segment of the offset map, refs, spans, marker,
level, rows, depth), its notes (key, label, text and segments, links, citations, offsets,
their blocks), its warnings and its metadata; a file that does not parse gives its error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path


def _mapped(m) -> list:
    return [m.text, [tuple(s) for s in m.segments]]


def _block(b) -> list:
    refs = [(r.label, r.at, r.source_offset, r.source_end, r.key, r.bbox) for r in b.refs]
    spans = [(s.kind, s.start, s.end, s.target) for s in b.spans]
    return [b.kind, _mapped(b.content), refs, spans, b.marker, b.level, b.bbox, b.rows, b.depth, b.header]


def digest(path: Path) -> str:
    from tuireader.core.formats import parse_file

    try:
        doc = parse_file(path)
    except Exception as exc:  # noqa: BLE001 - an error is part of what is compared
        return f"error {type(exc).__name__}: {exc}"[:300]
    notes = [
        [n.key, n.label, _mapped(n.content), [(x.url, x.source_start, x.source_end) for x in n.links], n.cited_at]
        + [n.defined, n.source_start, n.source_end, n.bbox, [_block(b) for b in n.blocks]]
        for n in doc.footnotes
    ]
    meta = [repr(getattr(doc, k)) for k in ("id", "format", "title", "authors", "date", "date_end", "source")]
    meta += [repr(getattr(doc, k)) for k in ("url", "tags", "encoding", "meta_spans", "parts", "language")]
    whole = {
        "blocks": [_block(b) for b in doc.blocks],
        "notes": notes,
        "warnings": [(w.code, w.message, w.source_offset) for w in doc.warnings],
        "meta": meta,
    }
    return hashlib.sha1(json.dumps(whole, default=repr).encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", nargs=2, metavar=("REF", "NEW"))
    parser.add_argument("out", nargs="?")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.compare:
        ref, new = (json.loads(Path(p).read_text()) for p in args.compare)
        differ = sorted(k for k in ref.keys() | new.keys() if ref.get(k) != new.get(k))
        print(f"{len(ref)} documents, {len(differ)} differ")
        for name in differ:
            print(f"  {name}")
        return 1 if differ else 0
    if not args.out:
        parser.error("OUT.json and the files to parse")
    digests = {f: digest(Path(f)) for f in sorted(set(args.files))}
    Path(args.out).write_text(json.dumps(digests, indent=1) + "\n")
    print(f"{len(digests)} documents digested")
    return 0


if __name__ == "__main__":
    sys.exit(main())
