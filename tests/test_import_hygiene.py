"""The core never imports the UI: it must work (and be testable) without Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "tuireader.core.parse", "tuireader.core.library", "tuireader.core.model", "tuireader.paths",
    "tuireader.config", "tuireader.entities", "tuireader.entities.library", "tuireader.search",
    "tuireader.search.local", "tuireader.state.store", "tuireader.state.history", "tuireader.workspace",
    "tuireader.compare", "tuireader.cli",
]


def test_core_and_cli_import_no_textual_or_rich():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
