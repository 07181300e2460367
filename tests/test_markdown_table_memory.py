"""A big pipe table is built cell by cell: parsing it holds the table's text about once
(issue #14, bad input: a 10 MB table peaked at 1.37 GB RSS when every cell was kept as a
block until the table ended)."""

from __future__ import annotations

import tracemalloc

from tuireader.core.formats import parse_file


def _table(rows: int) -> str:
    body = "".join(f"| {i} | cell {i} | {i * 7 % 1000} |\n" for i in range(rows))
    return "| n | name | value |\n|---|---|---|\n" + body


def test_a_big_tables_parse_peaks_near_what_the_document_keeps(tmp_path):
    small, big = tmp_path / "small.md", tmp_path / "big.md"
    small.write_text(_table(10), encoding="utf-8")
    big.write_text(_table(2000), encoding="utf-8")
    parse_file(small)  # modules the parser imports on first use are not the table's
    tracemalloc.start()
    try:
        doc = parse_file(big)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    table = doc.blocks[0]
    assert table.kind == "table" and len(table.rows) == 2001
    assert table.text.splitlines()[2000] == "1999 | cell 1999 | 993"
    # Measured: kept 2.6 MB, peak 4.6 MB (x1.7); with a block per cell until the end, peak 7.2 MB (x2.7).
    assert peak < 1.9 * kept, (peak, kept)
