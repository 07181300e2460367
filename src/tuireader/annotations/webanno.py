"""W3C Web Annotation JSON-LD: export the store, and import what another tool (or another
tuireader) exported.

An import is all or nothing: every item is checked before anything is written, and
the rows are written in one transaction, so a malformed file changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .model import BOOKMARK, COLOURS, HIGHLIGHT, ORPHANED, STATUSES, Annotation, TextQuote, clean_tags, now_iso
from .store import AnnotationStore

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
EXT = "https://github.com/tuireader/ns#"  # our few extra properties, named in the context
SOURCE_PREFIX = "urn:tuireader:doc:"
MAX_IMPORT_BYTES = 64 * 1024 * 1024

_MOTIVATION = {HIGHLIGHT: "highlighting", BOOKMARK: "bookmarking"}


class ImportProblem(Exception):
    """The file cannot be imported; nothing was written."""


def to_web_annotation(a: Annotation) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.note:
        body.append({"type": "TextualBody", "value": a.note, "format": "text/markdown", "purpose": "commenting"})
    body.extend({"type": "TextualBody", "value": t, "purpose": "tagging"} for t in a.tags)
    selectors: list[dict[str, Any]] = [{"type": "TextPositionSelector", "start": a.start, "end": a.end}]
    if a.quote.exact or a.quote.prefix or a.quote.suffix:
        selectors.append(
            {"type": "TextQuoteSelector", "exact": a.quote.exact, "prefix": a.quote.prefix, "suffix": a.quote.suffix}
        )
    data: dict[str, Any] = {
        "id": a.id,
        "type": "Annotation",
        "motivation": "commenting" if a.note and a.kind == HIGHLIGHT else _MOTIVATION.get(a.kind, "highlighting"),
        "created": a.created,
        "modified": a.modified,
        "target": {
            "source": SOURCE_PREFIX + quote(a.doc_id, safe="/"),
            "selector": selectors,
            "styleClass": a.colour,
        },
        "tr:kind": a.kind,
        "tr:contentHash": a.content_hash,
        "tr:status": a.status,
        "tr:docTitle": a.doc_title,
    }
    if body:
        data["body"] = body
    return data


def export_collection(annotations: list[Annotation]) -> dict[str, Any]:
    return {
        "@context": [CONTEXT, {"tr": EXT}],
        "type": "AnnotationCollection",
        "label": "tuireader annotations",
        "total": len(annotations),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": [to_web_annotation(a) for a in annotations]},
    }


def export_file(store: AnnotationStore, path: Path) -> int:
    annotations = store.all()
    data = json.dumps(export_collection(annotations), ensure_ascii=False, indent=2)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(data + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(annotations)


# ------------------------------------------------------------------ import
def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ImportProblem("expected a JSON object or list of annotations")
    kind = data.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds:
        items = data.get("items")
    elif "AnnotationCollection" in kinds:
        first = data.get("first")
        items = first.get("items") if isinstance(first, dict) else None
    else:
        raise ImportProblem("not a Web Annotation file (no Annotation, AnnotationPage or AnnotationCollection)")
    if not isinstance(items, list):
        raise ImportProblem("the collection has no list of items")
    return items


def from_web_annotation(item: Any, where: str) -> Annotation:
    def fail(why: str) -> ImportProblem:
        return ImportProblem(f"{where}: {why}")

    if not isinstance(item, dict):
        raise fail("not an object")
    kind = item.get("type")
    if "Annotation" not in (kind if isinstance(kind, list) else [kind]):
        raise fail("its type is not Annotation")
    target = item.get("target")
    if isinstance(target, list) and target:
        target = target[0]
    if not isinstance(target, dict):
        raise fail("no target")
    source = target.get("source")
    if not isinstance(source, str) or not source.startswith(SOURCE_PREFIX) or len(source) == len(SOURCE_PREFIX):
        raise fail(f"its target is not a tuireader document (source must start {SOURCE_PREFIX})")
    doc_id = unquote(source[len(SOURCE_PREFIX) :])
    selectors = target.get("selector", [])
    selectors = selectors if isinstance(selectors, list) else [selectors]
    start = end = None
    quote_sel = None
    for sel in selectors:
        if not isinstance(sel, dict):
            raise fail("a selector is not an object")
        if sel.get("type") == "TextPositionSelector":
            start, end = sel.get("start"), sel.get("end")
            whole = isinstance(start, int) and isinstance(end, int) and _is_int(start) and _is_int(end)
            if not whole or not 0 <= start <= end:  # type: ignore[operator]  # whole: both are ints
                raise fail("TextPositionSelector needs whole numbers 0 <= start <= end")
        elif sel.get("type") == "TextQuoteSelector":
            parts = [sel.get(k, "") for k in ("exact", "prefix", "suffix")]
            if not all(isinstance(p, str) for p in parts) or "exact" not in sel:
                raise fail("TextQuoteSelector needs text in exact (and prefix, suffix)")
            quote_sel = TextQuote(*parts)
    if start is None and quote_sel is None:
        raise fail("no TextPositionSelector nor TextQuoteSelector")
    note_parts: list[str] = []
    tags: list[str] = []
    body = item.get("body", [])
    for b in body if isinstance(body, list) else [body]:
        if isinstance(b, str):
            note_parts.append(b)
            continue
        if not isinstance(b, dict) or not isinstance(b.get("value", ""), str):
            raise fail("a body is not a TextualBody with a text value")
        (tags if b.get("purpose") == "tagging" else note_parts).append(b.get("value", ""))
    motivation = item.get("motivation")
    kind_ext = item.get("tr:kind")
    annotation_kind = BOOKMARK if kind_ext == BOOKMARK or motivation == "bookmarking" else HIGHLIGHT
    colour = target.get("styleClass")
    status = item.get("tr:status")
    ident = item.get("id")
    created = item.get("created")
    for name, value in (("id", ident), ("created", created), ("modified", item.get("modified"))):
        if value is not None and not isinstance(value, str):
            raise fail(f"{name} must be text")
    return Annotation(
        doc_id=doc_id,
        start=start if start is not None else 0,
        end=end if end is not None else 0,
        quote=quote_sel or TextQuote(""),
        # an unknown hash makes the reader check the offsets against the quote first
        content_hash=str(item.get("tr:contentHash") or ""),
        kind=annotation_kind,
        colour=colour if colour in COLOURS else COLOURS[0],
        note="\n\n".join(p for p in note_parts if p),
        tags=clean_tags(tags),
        **({"id": ident} if ident else {}),
        created=created or now_iso(),
        modified=item.get("modified") or created or now_iso(),
        status=status if status in STATUSES else ORPHANED if quote_sel is None else "anchored",
        doc_title=str(item.get("tr:docTitle") or ""),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_import(path: Path) -> list[Annotation]:
    """Every annotation of the file, checked; raises ImportProblem on the first bad one."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportProblem(f"{path.name} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ImportProblem(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImportProblem(f"{path.name} is not UTF-8 text") from None
    except ValueError as exc:
        raise ImportProblem(f"{path.name} is not JSON ({exc})") from None
    items = _items(data)
    return [from_web_annotation(item, f"item {i + 1}") for i, item in enumerate(items)]


def import_file(store: AnnotationStore, path: Path) -> int:
    annotations = read_import(path)
    return store.add_all(annotations)
