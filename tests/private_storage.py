"""A Whoosh RamStorage whose temporary files stay in a folder of this process's own.

RamStorage writes them to /tmp/MAIN.tmp, one folder for every process: two test runs at
once deleted each other's files.
"""

from __future__ import annotations

import tempfile

from whoosh.filedb.filestore import FileStorage, RamStorage


class PrivateRamStorage(RamStorage):
    def temp_storage(self, name=None):
        return FileStorage(tempfile.mkdtemp(prefix="whoosh-test-")).create()
