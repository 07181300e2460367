"""MHTML (``.mht``, ``.mhtml``): a web page saved by a browser as one MIME file.

The page is its ``text/html`` part, read by the HTML reader; the images and styles
beside it are not text.  Offsets are as for e-mail: the decoded part, named by its
MIME section number in ``Document.parts``.
"""

from __future__ import annotations

from ..metadata import Metadata
from ..model import Document
from . import Format, ReadRequest
from .eml import load_message, read_message


def read(request: ReadRequest) -> Document:
    message = load_message(request)
    location = message.get("Snapshot-Content-Location") or message.get("Content-Location")
    url = str(location) if location and str(location).startswith(("http://", "https://")) else None
    return read_message(message, request, FORMAT.name, Metadata(url=url), list_attachments=False)


FORMAT = Format("mhtml", frozenset({".mht", ".mhtml"}), read, description="web page saved as MHTML")
