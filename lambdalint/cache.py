"""The model cache: an unchanged file is never parsed twice, and a cache entry is only ever data.

Anyone who can write into the cache folder (a committed file, a shared
temporary folder) controls what a run loads, so an entry is JSON decoded by
`codec` into model dataclasses and nothing else; loading cannot run code.
Each entry also says what it was built from — the source's hash, a hash of
lambdalint's own lowering code (front ends, model, codec, parser versions) and
the settings that affect lowering — and is used only when all of them match
this run; an entry that does not verify or does not decode is ignored and
rebuilt. Any problem with the folder (read-only, full, corrupt) silently falls
back to parsing.

Layout: `<cache dir>/<code hash>/<entry key>.json`, with a `.gitignore` and a
`CACHEDIR.TAG` at the top. An entry is two lines of JSON: its header (with
the model's facts digest, see `file_lowering.facts_digest`), read alone when only that is
asked, and the encoded model. Folders of other lambdalint builds and entries no
run has used for a while are pruned, and the folder never holds much more
than the projects that use it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from lambdalint import __version__, codec
from lambdalint.cache_files import CACHE_DIR_NAME, cache_folder  # noqa: F401 - part of this module's interface
from lambdalint.cache_files import add_parser_versions, mark_cache_folder, read_entry, unlink
from lambdalint.model import FileModel, Language

if TYPE_CHECKING:
    from lambdalint.config import Config

FORMAT = "lambdalint-model/2"
# Config fields the front ends read while lowering. None today: a model depends
# on the source, its suffix and its language only. A field listed here becomes
# part of every entry's identity.
LOWERING_SETTINGS: tuple[str, ...] = ()
# An entry (or another build's folder) unused for this long is removed.
STALE_SECONDS = 7 * 24 * 3600
# Entries this run did not use are removed, oldest first, while they outnumber
# the used ones by more than this many.
SPARE_ENTRIES = 256
# Folders of other lambdalint builds kept (two installs may take turns on one project).
OTHER_BUILDS = 2
_SUFFIX = ".json"
_LEGACY_FOLDER = re.compile(r"^\d+\.\d+[\w.+-]*$")   # `<version>/` of the old pickle cache
# Code whose bytes decide what a model looks like, relative to the package.
_LOWERING_CODE = ("findings.py", "model.py", "codec.py", "cache.py", "frontends")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A digest of lambdalint's lowering code and parsers, computed once per process.

    `__version__` alone is not enough: a development install changes the model
    without changing the version, and an old entry would then decode into a
    model that lacks the new field.
    """
    return code_digest(Path(__file__).resolve().parent, codec.schema_fingerprint(FileModel))


def code_digest(package: Path, schema: str) -> str:
    """The digest of the lowering code in `package` (lambdalint's folder) and of the model `schema`."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0{schema}".encode())
    add_parser_versions(digest)
    for rel in _LOWERING_CODE:
        target = package / rel
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"?"
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def settings_hash(config: "Config") -> str:
    values = {name: getattr(config, name, None) for name in LOWERING_SETTINGS}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class ModelCache:
    """File models by content, verified on every load."""

    def __init__(self, top: Path, settings: str):
        self.top = top
        self.code = code_hash()
        self.settings = settings
        self.folder = top / self.code[:32]
        self.used: set[str] = set()
        self._prepared = False
        self._decode = codec.decoder(FileModel)

    @staticmethod
    def source_hash(source: str) -> str:
        return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()

    def _key(self, suffix: str, language: Language, source_hash: str) -> str:
        text = f"{self.code}\0{self.settings}\0{language.value}\0{suffix}\0{source_hash}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _header(self, suffix: str, language: Language, source_hash: str) -> dict:
        return {"format": FORMAT, "code": self.code, "settings": self.settings, "language": language.value,
                "suffix": suffix, "source": source_hash}

    def facts(self, display: str, language: Language, source: str) -> Optional[str]:
        """The facts digest of the file's model (`file_lowering.facts_digest`) when the cache holds one;
        the model itself is not decoded."""
        found = self._entry(display, language, source)
        return None if found is None else found[1]

    def get(self, display: str, language: Language, source: str) -> Optional[FileModel]:
        found = self._entry(display, language, source)
        if found is None:
            return None
        key, _facts, body = found
        try:
            model = self._decode(json.loads(body))
        except Exception:  # anything that does not decode is as good as absent
            return None
        if not isinstance(model, FileModel):
            return None
        self.used.add(key)
        model.path = display
        model.is_test = False
        return model

    def _entry(self, display: str, language: Language, source: str) -> Optional[tuple[str, str, bytes]]:
        """(key, facts digest, the model's encoded bytes) of a stored entry whose header verifies."""
        suffix = _suffix(display)
        source_hash = self.source_hash(source)
        key = self._key(suffix, language, source_hash)
        data = read_entry(self.folder / (key + _SUFFIX))
        if data is None:
            return None
        head, _, body = data.partition(b"\n")
        try:
            header = json.loads(head)
            if type(header) is not dict or header.get("header") != self._header(suffix, language, source_hash):
                return None
            facts = header.get("facts")
            if type(facts) is not str or not _is_hex(facts, 64):
                return None
        except Exception:  # anything that does not decode is as good as absent
            return None
        self.used.add(key)
        return key, facts, body

    def put(self, display: str, language: Language, source: str, body: bytes, facts: str) -> None:
        """Store a model as `file_lowering.encode` gives it: its JSON and its facts digest."""
        suffix = _suffix(display)
        source_hash = self.source_hash(source)
        key = self._key(suffix, language, source_hash)
        self.used.add(key)
        head = json.dumps({"header": self._header(suffix, language, source_hash), "facts": facts},
                          separators=(",", ":")).encode("ascii")
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(head + b"\n" + body)
                os.replace(tmp, self.folder / (key + _SUFFIX))
            except BaseException:
                unlink(Path(tmp))
                raise
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.folder.is_symlink():
            raise OSError("the cache folder is a symbolic link")  # planted: do not write (or prune) through it
        mark_cache_folder(self.top)
        self._prepared = True

    def prune(self) -> None:
        """Remove other builds' folders and entries that no recent run has used.

        Entries used by this run get a fresh modification time, which is what
        "recent" is measured by. Never raises.
        """
        try:
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        if not self.folder.is_dir() or self.folder.is_symlink():
            return
        now = time.time()
        for key in self.used:
            try:
                os.utime(self.folder / (key + _SUFFIX), (now, now))
            except OSError:
                pass
        os.utime(self.folder, (now, now))
        builds = []
        with os.scandir(self.top) as entries:
            for entry in entries:
                if (entry.is_dir(follow_symlinks=False) and entry.name != self.folder.name
                        and _is_hex(entry.name, 32)):
                    builds.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                elif entry.is_dir(follow_symlinks=False) and _LEGACY_FOLDER.match(entry.name):
                    _remove_legacy(Path(entry.path))
        builds.sort(reverse=True)
        for i, (mtime, path) in enumerate(builds):
            if i >= OTHER_BUILDS or now - mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        unused = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") and name.endswith(".tmp"):
                    if now - entry.stat(follow_symlinks=False).st_mtime > 3600:
                        unlink(Path(entry.path))  # left by a run that was killed mid-write
                elif (name.endswith(_SUFFIX) and _is_hex(name[:-len(_SUFFIX)], 64)
                      and name[:-len(_SUFFIX)] not in self.used):
                    unused.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
        unused.sort()
        spare = max(SPARE_ENTRIES, len(self.used))
        excess = len(unused) - spare
        for i, (mtime, path) in enumerate(unused):
            if i < excess or now - mtime > STALE_SECONDS:
                unlink(Path(path))


def _remove_legacy(folder: Path) -> None:
    """The pickle files of releases before this format: never read, only removed."""
    for path in folder.iterdir():
        name = path.name
        if (name.endswith(".pickle") and _is_hex(name[:-len(".pickle")], 64)) or name.endswith(".tmp"):
            if not path.is_symlink() and path.is_file():
                unlink(path)
    try:
        folder.rmdir()
    except OSError:
        pass  # something else lives there: leave it



def _suffix(display: str) -> str:
    return os.path.splitext(display)[1].lower()


def _is_hex(name: str, length: int) -> bool:
    """Names this module creates (anything else in the folder is left alone)."""
    return len(name) == length and all(c in "0123456789abcdef" for c in name)

