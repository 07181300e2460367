"""Every ``--json`` shape of the CLI, byte for byte, on the bundled library.

The expected outputs in ``data/cli_json_golden.json`` were written by the CLI as it was before
the CLI became a shell over ``services`` (commit 816980e), with this module run as a script:

    PYTHONPATH=<a checkout of that commit>/src python tests/test_cli_json_golden.py --write

so a change of shape (a key renamed, a field reordered, a float rounded otherwise) fails here.
Rewritten once since, when search snippets began to read the blank line between two paragraphs
as one space: the diff was checked by hand to hold only those snippets' text and their hit
offsets, each one less after the space that went. Rewritten again when the byline became a part
entities are read in (branch entities-17): the diff holds only the two byline mentions of
``entities-doc``; and when the gazetteer took in GeoNames' first-level regions: two descriptions
in ``entities-doc`` (Aleppo is also a region of Syria, a note's place a region of Azerbaijan);
and when each byline name got its own source range: Fatih Cungurlu's 70-81 (Ezgi Yazici's line)
became 15803-15817, where the report's contributors line spells his name (checked by hand).
The library's absolute path is written as ``<LIBRARY>`` so the file holds on any checkout.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "library"
GOLDEN = Path(__file__).resolve().parent / "data" / "cli_json_golden.json"
ISW = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
NEO = "neo-2022-01-22-turkic-military-alliance"

CASES: dict[str, list[str]] = {
    "show": ["show", ISW, "--json"],
    "show-by-path": ["show", str(LIBRARY / f"{NEO}.txt"), "--json"],
    "search": ["search", "turkey", "--json"],
    "search-phrase-facets": ["search", '"Organization of Turkic States"', "--facets", "--json"],
    "search-fields": ["search", "person:erdogan", "date:2022-01", "--limit", "1", "--json"],
    "search-nothing": ["search", "zzzyqx", "--json"],
    "entities-doc": ["entities", ISW, "--json"],
    "entities-library": ["entities", "--json", "--limit", "12"],
    "compare": ["compare", ISW, NEO, "--json"],
    "related": ["related", ISW, "--json"],
    "check": ["check", "--json"],
}


def run_cases() -> dict[str, str]:
    from tuireader.cli import main

    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as index_dir:
        for name, args in CASES.items():
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                code = main([*args, "--library", str(LIBRARY), "--index-dir", index_dir])
            text = buffer.getvalue().replace(json.dumps(str(LIBRARY))[1:-1], "<LIBRARY>")
            out[name] = f"exit {code}\n{text}"
    return out


def test_every_json_shape_is_unchanged():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = run_cases()
    assert sorted(got) == sorted(expected)
    for name in CASES:
        assert got[name] == expected[name], name


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_cli_json_golden.py --write")
    GOLDEN.write_text(json.dumps(run_cases(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
