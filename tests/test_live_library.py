"""The live library's core: which file systems need polling, the watcher's batches, and finding the
place a reader was in a document that was edited underneath."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tuireader.core.parse import parse_text
from tuireader.services.live_library import LibraryChanges, LibraryWatcher, file_system_type, needs_polling, same_place

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/vda1 / ext4 rw,relatime 0 0
server:/export /mnt/share nfs4 rw,relatime 0 0
//nas/docs /mnt/share/smb cifs rw 0 0
/dev/vdb1 /mnt/share\\040two ext4 rw 0 0
"""


def test_the_deepest_mount_decides_the_file_system(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    assert file_system_type(Path("/home/me/library"), str(mounts)) == "ext4"
    assert file_system_type(Path("/mnt/share/reports"), str(mounts)) == "nfs4"
    assert file_system_type(Path("/mnt/share/smb/x"), str(mounts)) == "cifs"
    assert file_system_type(Path("/mnt/share two/x"), str(mounts)) == "ext4"  # \040 is a space
    assert file_system_type(Path("/mnt/sharewolf"), str(mounts)) == "ext4"  # a prefix of the name is not a mount
    assert needs_polling(Path("/mnt/share/reports"), str(mounts))
    assert needs_polling(Path("/mnt/share/smb/x"), str(mounts))
    assert not needs_polling(Path("/home/me/library"), str(mounts))
    assert not needs_polling(Path("/x"), str(tmp_path / "no-such-file"))  # not Linux: trust the events


ORIGINAL = """Title: Report

The first paragraph says where the convoy was seen on Monday morning.

The second paragraph tells what the ministry said about the convoy afterwards.

The third paragraph is about the border crossing and who controls it now.
"""


def test_same_place_follows_the_text_when_a_paragraph_is_inserted_above(tmp_path):
    old = parse_text(ORIGINAL, doc_id="r", path=tmp_path / "r.txt")
    offset = ORIGINAL.index("what the ministry said")
    inserted = ORIGINAL.replace("The first", "A new paragraph, written later, goes first.\n\nThe first")
    new = parse_text(inserted, doc_id="r", path=tmp_path / "r.txt")
    place = same_place(old, offset, new)
    assert place == inserted.index("what the ministry said")
    assert place != offset  # the plain offset would have been 44 characters off


def test_same_place_when_the_passage_is_gone_stays_at_the_offset_within_the_new_text(tmp_path):
    old = parse_text(ORIGINAL, doc_id="r", path=tmp_path / "r.txt")
    offset = ORIGINAL.index("The third")
    shorter = ORIGINAL[: ORIGINAL.index("The third")]
    new = parse_text(shorter, doc_id="r", path=tmp_path / "r.txt")
    place = same_place(old, offset, new)
    assert place <= len(shorter)
    assert shorter[place - 20 : place + 1].strip().endswith("afterwards.")


def _collect(watcher: LibraryWatcher) -> tuple[list[LibraryChanges], threading.Thread]:
    batches: list[LibraryChanges] = []
    thread = threading.Thread(target=watcher.run, args=(batches.append,), daemon=True)
    thread.start()
    time.sleep(0.3)  # the watch is set up
    return batches, thread


def _wait_for(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("polling", [False, True], ids=["events", "polling"])
def test_the_watcher_reports_saved_edited_and_deleted_files_and_not_scratch_files(tmp_path, polling):
    (tmp_path / "old.md").write_text("# Old\n")
    watcher = LibraryWatcher(tmp_path, polling=polling)
    batches, thread = _collect(watcher)
    try:
        (tmp_path / ".old.md.swp").write_text("vim's scratch")
        (tmp_path / "new.md").write_text("# New\n")
        assert _wait_for(lambda: any(tmp_path / "new.md" in b.added for b in batches))
        (tmp_path / "old.md").write_text("# Old, edited\n")
        assert _wait_for(lambda: any(tmp_path / "old.md" in b.modified for b in batches))
        (tmp_path / "new.md").unlink()
        assert _wait_for(lambda: any(tmp_path / "new.md" in b.deleted for b in batches))
        seen = {p.name for b in batches for p in b.added | b.modified | b.deleted}
        assert ".old.md.swp" not in seen
    finally:
        watcher.stop()
        thread.join(5)
    assert not thread.is_alive()  # stop() ends the watch within its step


def test_a_file_replaced_by_rename_is_reported_changed_not_deleted(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("# One\n")
    watcher = LibraryWatcher(tmp_path, polling=False)
    batches, thread = _collect(watcher)
    try:
        scratch = tmp_path / "report.md.tmp"  # how many editors save: write aside, rename over
        scratch.write_text("# Two\n")
        scratch.replace(target)
        # inotify says "moved to": an added file, for the reader a changed one (it reloads either)
        assert _wait_for(lambda: any(target in b.modified | b.added for b in batches))
        assert not any(target in b.deleted for b in batches)
    finally:
        watcher.stop()
        thread.join(5)


def test_polling_sees_a_second_save_within_the_same_second(tmp_path):
    """watchfiles' own poller compares whole seconds and missed this (5 of 5 tries): ours compares
    nanoseconds and the size."""
    target = tmp_path / "report.md"
    target.write_text("# One\n")
    watcher = LibraryWatcher(tmp_path, polling=True)
    batches, thread = _collect(watcher)  # the first look at the folder is taken here
    try:
        target.write_text("# One, and more\n")  # 0.3 s after the first save
        assert _wait_for(lambda: any(target in b.modified for b in batches), 3.0)
    finally:
        watcher.stop()
        thread.join(5)
    assert not thread.is_alive()
