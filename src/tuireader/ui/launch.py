"""Entry from the CLI into the reader."""

from __future__ import annotations

from pathlib import Path


def launch(*, library_dir: Path, index_dir: str | None, doc: str | None) -> int:
    from .app import build_app

    app = build_app(library_dir=library_dir, index_dir=index_dir, open_doc=doc)
    app.run()
    return app.return_code or 0
