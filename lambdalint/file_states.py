"""What a file's status says about its text: a run over files that all look as they did when a run
last read them need not read them again to learn that the findings cache answers it.

A file is known by its size, modification and change times and inode, as git knows the files of its
index, and mypy and ruff the files of their caches: any write, rename or change of permissions
changes one of them. One case would fool that comparison: a file rewritten within the same tick of
the file system's clock as the run that read it (the times would not move). So, as git does against
"racily clean" files, a status is only recorded when the file last changed well before it was read.

The states are data (JSON of paths, numbers and digests) beside the stored findings; anything that
does not decode is as good as absent, and a file whose state is absent or different is simply read.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Optional

from lambdalint.cache_files import load_json, store_json

FORMAT = "lambdalint-file-states/1"
FILE_NAME = "file-states"  # no `.json`: the stored findings beside it are pruned by that suffix
# A status is trusted once the file has not changed for this long when it is read: far more than the
# coarsest clock tick of a common file system (FAT: 2 s), so a later write always moves a time.
SETTLED_NS = 3_000_000_000
# States of files no run has named for a while are dropped once they outnumber the current ones this much.
SPARE_FACTOR = 4

Status = tuple[int, int, int, int]  # size, modification time, change time (ns), inode


def status_of(path: str) -> Optional[Status]:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


class FileStates:
    """The text digests of files, by absolute path, valid while each file's status is the recorded one."""

    def __init__(self, folder: Path):
        self.path = folder / FILE_NAME
        self._stored = self._load()
        self._noted: dict[str, list] = {}

    def digest(self, path: str) -> Optional[str]:
        """The digest of `path`'s text when its status is the one recorded with it, else None."""
        key = os.path.abspath(path)
        entry = self._stored.get(key)
        if entry is None:
            return None
        status = status_of(key)
        if status is None or list(status) != entry[:4]:
            return None
        self._noted[key] = entry
        return entry[4]

    def note(self, path: str, status: Optional[Status], digest: str) -> None:
        """Record that the text read from `path`, whose status was `status` before reading, has `digest`."""
        if status is None:
            return
        key = os.path.abspath(path)
        settled = time.time_ns() - SETTLED_NS
        if status[1] >= settled or status[2] >= settled:
            self._stored.pop(key, None)  # changed moments ago: read it again next time
            return
        self._noted[key] = [*status, digest]

    def store(self) -> None:
        """Keep what this run noted (with older states of other files), when it differs from what is stored."""
        if all(self._stored.get(k) == v for k, v in self._noted.items()):
            return
        merged = {**self._stored, **self._noted}
        if len(merged) > SPARE_FACTOR * len(self._noted) + 1000:
            merged = dict(self._noted)
        store_json(self.path, {"format": FORMAT, "files": merged})
        self._stored = merged

    def _load(self) -> dict[str, list]:
        files = load_json(self.path, FORMAT, "files")
        return {k: v for k, v in files.items() if _valid(v)} if type(files) is dict else {}


def _valid(entry) -> bool:
    return (type(entry) is list and len(entry) == 5 and all(type(n) is int for n in entry[:4])
            and type(entry[4]) is str)
