"""The core never imports the UI: it must work (and be testable) without Textual or Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys


def _core_modules() -> list[str]:
    """Every module of the package outside ``tuireader.ui``: new core packages are covered by themselves."""
    import tuireader

    return sorted(
        info.name
        for info in pkgutil.walk_packages(tuireader.__path__, "tuireader.")
        if not info.name.startswith("tuireader.ui") and info.name != "tuireader.__main__"
    )


CORE_MODULES = _core_modules()


def test_the_walk_finds_the_core_packages():
    for name in (
        "tuireader.core.parse",
        "tuireader.core.formats.text",
        "tuireader.search.index",
        "tuireader.search.backend",
        "tuireader.search.whoosh.backend",
        "tuireader.search.whoosh.entity_fields",
        "tuireader.catalog.store",
        "tuireader.catalog.sync",
        "tuireader.entities.model",
        "tuireader.services.documents",
        "tuireader.services.compare",
        "tuireader.cli.commands",
        "tuireader.cli.render",
    ):
        assert name in CORE_MODULES


def test_core_and_cli_import_no_textual_or_rich():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_article_and_notes_layouts_import_no_textual():
    """Wrapping and laying out are plain functions of the text and a width (#13)."""
    modules = ("wrap", "article_layout", "notes_layout", "article_styles", "notes_styles")
    code = (
        "import sys\n"
        + "".join(f"import tuireader.ui.widgets.{m}\n" for m in modules)
        + "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
