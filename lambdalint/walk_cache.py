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
clock tick could not be told apart).

A folder's status also changes when nothing the walk saw did: an editor saves a file by writing a
temporary one and renaming it over the old, and the first run made the cache folder in the project
folder. So each folder's entries are recorded too (names, kinds, link targets; the cache folder left
out), and a folder whose status changed but whose entries are the recorded ones, listed again now,
still holds for this run; its new status is recorded once it has settled. Stored as data, next to the
stored findings; anything that does not decode is ignored.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Optional

from lambdalint.cache_files import load_json, store_json
from lambdalint.file_states import SETTLED_NS, status_of
from lambdalint.findings import Language

FORMAT = "lambdalint-walks/2"
FILE_NAME = "walks"   # no `.json`: the stored findings beside it are pruned by that suffix
KEEP_WALKS = 16

Found = tuple  # (top as given, {real path: SourceFile}, warnings, other files): see `discovery._Walker.walk`
EXISTS = (-1, 0, 0, 0)   # the status noted for a path of which only its existence matters


class WalkCache:
    def __init__(self, folder: Path):
        self.path = folder / FILE_NAME
        cache_top = folder.parent   # the cache folder: `folder` is its runs folder
        self._cache_name, self._cache_parent = cache_top.name, os.path.realpath(cache_top.parent)
        self._stored = self._load()
        self._changed = False

    def get(self, key: str) -> Optional[Found]:
        from lambdalint.discovery import SourceFile

        record = self._stored.get(key)
        if record is None:
            return None
        settled = time.time_ns() - SETTLED_NS
        refreshed = []
        for row in record["seen"]:
            path, status, entries = row
            if status is not None and tuple(status) == EXISTS:
                now = EXISTS if os.path.lexists(path) else None
            else:
                now = status_of(path)
            if (list(now) if now is not None else None) == status:
                continue
            if entries is None or now is None or self.entries_digest(path) != entries:
                return None
            if now[1] < settled and now[2] < settled:
                refreshed.append((row, list(now)))
        for row, now in refreshed:
            row[1] = now
            self._changed = True
        try:
            files = {real: SourceFile(Path(path), display, Language(language) if language else None, explicit)
                     for real, path, display, language, explicit in record["files"]}
        except (TypeError, ValueError):
            return None
        return record["top"], files, list(record["warnings"]), list(record["others"])

    def entries_digest(self, folder: str, entries: Optional[list] = None) -> Optional[str]:
        """The digest of what `folder` holds (`entries`, its listing, or listed now): each entry's name, kind
        and (for a link) target, sorted; the cache folder is left out. None when it cannot be listed."""
        if entries is None:
            try:
                with os.scandir(folder) as it:
                    entries = list(it)
            except OSError:
                return None
        skip = self._cache_name if self._cache_parent == folder else None
        rows = sorted(_entry_row(e) for e in entries if e.name != skip)
        return hashlib.sha256("\0".join(rows).encode("utf-8", "surrogateescape")).hexdigest()

    def put(self, key: str, found: Found, seen: list[tuple[str, Optional[tuple], Optional[str]]]) -> None:
        settled = time.time_ns() - SETTLED_NS
        if any(s is not None and s != EXISTS and (s[1] >= settled or s[2] >= settled) for _path, s, _e in seen):
            self._forget(key)
            return
        top, files, warnings, others = found
        self._stored.pop(key, None)
        self._stored[key] = {
            "top": top, "warnings": warnings, "others": others,
            "files": [[real, str(f.path), f.display, f.language.value if f.language else None, f.explicit]
                      for real, f in files.items()],
            "seen": [[path, list(s) if s is not None else None, entries] for path, s, entries in seen],
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


def _entry_row(entry: os.DirEntry) -> str:
    try:
        if entry.is_symlink():
            return f"{entry.name}\1l\1{os.readlink(entry.path)}"
        return f"{entry.name}\1{'d' if entry.is_dir(follow_symlinks=False) else 'f'}"
    except OSError:
        return f"{entry.name}\1?"


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
        if type(row) is not list or len(row) != 3 or type(row[0]) is not str or not (
                row[1] is None or (type(row[1]) is list and len(row[1]) == 4 and all(type(n) is int for n in row[1]))
        ) or not (row[2] is None or type(row[2]) is str):
            return False
    for row in files:
        if (type(row) is not list or len(row) != 5 or not all(type(v) is str for v in row[:3])
                or not (row[3] is None or type(row[3]) is str) or type(row[4]) is not bool):
            return False
    return True


def _strings(value) -> bool:
    return type(value) is list and all(type(v) is str for v in value)
