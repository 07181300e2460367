"""A Whoosh RamStorage whose temporary files stay in a folder of this process's own.

RamStorage writes them to /tmp/MAIN.tmp, one folder for every process: two test runs at
once deleted each other's files.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

from whoosh.filedb.filestore import FileStorage, RamStorage

_root: str | None = None


def _process_folder() -> str:
    # Whoosh never removes a temporary storage it asked for: a run of the suite left
    # thousands of folders in /tmp. One folder per process, removed when it exits.
    global _root
    if _root is None:
        _root = tempfile.mkdtemp(prefix="whoosh-test-")
        atexit.register(shutil.rmtree, _root, True)
    return _root


class PrivateRamStorage(RamStorage):
    def temp_storage(self, name=None):
        return FileStorage(tempfile.mkdtemp(dir=_process_folder())).create()
