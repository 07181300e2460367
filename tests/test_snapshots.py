"""A few whole-screen snapshots, checked by eye when accepted (see tests/__snapshots__)."""

from __future__ import annotations

import pytest

from tuireader.ui.app import build_app

from .conftest import LIBRARY
from .test_ui import ISW_ID, settle

# indexed first, so the screens show no indexing progress (whose timings vary)
pytestmark = pytest.mark.usefixtures("indexed_library")


def test_reader_80x24(snap_compare):
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_reader_160x48(snap_compare):
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    assert snap_compare(app, terminal_size=(160, 48), run_before=settle)


def test_search_dialog_160x48(snap_compare):
    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"Cavusoglu")
        await settle(pilot)

    app = build_app(library_dir=LIBRARY)
    assert snap_compare(app, terminal_size=(160, 48), run_before=search)
