"""Walks remembered between runs: a tree none of whose walked folders and ignore files changed lists
the same files, so a run answered by the findings cache need not match every path against every
ignore pattern again (in a monorepo of hundreds of `.gitignore` files, compiling their patterns costs
more than all the rest of such a run).

A folder's status (see `file_states`) changes whenever an entry is added to it, removed or renamed;
an ignore file's whenever it is written. A walk is therefore recorded with the status of every folder
it listed and every ignore file it read or looked for (an absent one must still be absent), each taken
before it was read, and with whether each folder above it holds a `.git` (a new repository would change
which ignore files apply); it is reused only when
all of them are unchanged, and recorded only when all of them had settled (a change within the same
clock tick could not be told apart). Stored as data, next to the stored findings; anything that does
not decode is ignored.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Optional

from lambdalint.cache_files import load_json, store_json
from lambdalint.file_states import SETTLED_NS, status_of
from lambdalint.findings import Language

FORMAT = "lambdalint-walks/1"
FILE_NAME = "walks"   # no `.json`: the stored findings beside it are pruned by that suffix
KEEP_WALKS = 16

Found = tuple  # (top as given, {real path: SourceFile}, warnings, other files): see `discovery._Walker.walk`
EXISTS = (-1, 0, 0, 0)   # the status noted for a path of which only its existence matters


class WalkCache:
    def __init__(self, folder: Path):
        self.path = folder / FILE_NAME
        self._stored = self._load()
        self._changed = False

    def get(self, key: str) -> Optional[Found]:
        from lambdalint.discovery import SourceFile

        record = self._stored.get(key)
        if record is None:
            return None
        for path, status in record["seen"]:
            if status is not None and tuple(status) == EXISTS:
                now = EXISTS if os.path.lexists(path) else None
            else:
                now = status_of(path)
            if (list(now) if now is not None else None) != status:
                return None
        try:
            files = {real: SourceFile(Path(path), display, Language(language) if language else None, explicit)
                     for real, path, display, language, explicit in record["files"]}
        except (TypeError, ValueError):
            return None
        return record["top"], files, list(record["warnings"]), list(record["others"])

    def put(self, key: str, found: Found, seen: list[tuple[str, Optional[tuple]]]) -> None:
        settled = time.time_ns() - SETTLED_NS
        if any(s is not None and s != EXISTS and (s[1] >= settled or s[2] >= settled) for _path, s in seen):
            self._forget(key)
            return
        top, files, warnings, others = found
        self._stored.pop(key, None)
        self._stored[key] = {
            "top": top, "warnings": warnings, "others": others,
            "files": [[real, str(f.path), f.display, f.language.value if f.language else None, f.explicit]
                      for real, f in files.items()],
            "seen": [[path, list(s) if s is not None else None] for path, s in seen],
        }
        while len(self._stored) > KEEP_WALKS:
            self._stored.pop(next(iter(self._stored)))
        self._changed = True

    def store(self) -> None:
        if self._changed:
            store_json(self.path, {"format": FORMAT, "walks": self._stored})

    def _forget(self, key: str) -> None:
        if self._stored.pop(key, None) is not None:
            self._changed = True

    def _load(self) -> dict:
        walks = load_json(self.path, FORMAT, "walks")
        return {k: v for k, v in walks.items() if _valid(v)} if type(walks) is dict else {}


def walk_key(*parts) -> str:
    return json.dumps([os.getcwd(), *parts])


def _valid(record) -> bool:
    if type(record) is not dict or type(record.get("top")) is not str:
        return False
    if not _strings(record.get("warnings")) or not _strings(record.get("others")):
        return False
    seen, files = record.get("seen"), record.get("files")
    if type(seen) is not list or type(files) is not list:
        return False
    for row in seen:
        if type(row) is not list or len(row) != 2 or type(row[0]) is not str or not (
                row[1] is None or (type(row[1]) is list and len(row[1]) == 4 and all(type(n) is int for n in row[1]))):
            return False
    for row in files:
        if (type(row) is not list or len(row) != 5 or not all(type(v) is str for v in row[:3])
                or not (row[3] is None or type(row[3]) is str) or type(row[4]) is not bool):
            return False
    return True


def _strings(value) -> bool:
    return type(value) is list and all(type(v) is str for v in value)
