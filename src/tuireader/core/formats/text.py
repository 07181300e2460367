"""Plain text: articles pasted from the web, e-texts, notes kept by hand."""

from __future__ import annotations

from ..model import Document
from ..parse import parse_text
from . import Format, ReadRequest, read_text_source


def read(request: ReadRequest) -> Document:
    source = read_text_source(request)
    return parse_text(
        source.text,
        path=request.path,
        fmt=FORMAT.name,
        doc_id=request.doc_id,
        options=request.options,
        sidecar=request.sidecar,
        encoding=source.encoding,
        warnings=request.warnings,
    )


FORMAT = Format("text", frozenset({".txt", ".text"}), read, description="plain text")
