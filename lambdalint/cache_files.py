"""File handling both caches share (models, findings): what is in a cache folder is only ever read
as bounded bytes of a regular file, and written atomically, so a planted link, FIFO or huge file
cannot make a run hang, follow it or read past a limit, and a killed run leaves no half entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from lambdalint.config import Config

CACHE_DIR_NAME = ".lambdalint_cache"
MAX_ENTRY_BYTES = 256 * 1024 * 1024
PARSERS = ("libcst", "tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript")
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by lambdalint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")


def add_parser_versions(digest: "hashlib._Hash") -> None:
    """The installed parsers decide the models (and so the findings): part of every cache key.

    Each is known by its package's entry file (where it is, its size and modification time): installing,
    upgrading or removing a parser rewrites it. Asking the installed distributions for their versions
    would import and scan the packaging metadata, which costs more than a run the cache answers.
    """
    for name in PARSERS:
        try:
            spec = find_spec(name)
            info = os.stat(spec.origin) if spec is not None and spec.origin else None
        except (ImportError, ValueError, OSError):
            info = None
        identity = f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}" if info is not None else "?"
        digest.update(f"\0{name}={identity}".encode("utf-8", "surrogateescape"))


def cache_folder(config: "Config") -> Path:
    """`cache-dir` from the settings (relative to the project root), else `.lambdalint_cache` there."""
    configured = getattr(config, "cache_dir", None)
    if not configured:
        return Path(config.root) / CACHE_DIR_NAME
    folder = Path(config.root) / Path(configured).expanduser()
    root = os.path.realpath(config.root)
    real = os.path.realpath(folder)
    if root == real or root.startswith(real.rstrip(os.sep) + os.sep):
        # The folder gets a `.gitignore` of `*` and is pruned: never the project or a folder above it.
        from lambdalint.config import ConfigError

        raise ConfigError(f"cache-dir: {configured!r} is the project folder or above it; "
                          "name a folder of its own (default: .lambdalint_cache)")
    return folder


def mark_cache_folder(top: Path) -> None:
    """The cache folder's `.gitignore` (nothing in it is committed) and `CACHEDIR.TAG` (backups skip it)."""
    for name, text in ((".gitignore", "# created by lambdalint\n*\n"), ("CACHEDIR.TAG", _TAG)):
        marker = top / name
        if not marker.is_file():
            write_atomic(marker, text)


def read_entry(path: Path) -> Optional[bytes]:
    """The bytes of a regular file of sane size; None for anything else (a planted FIFO, link or device)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(info.st_size)  # not more: `read(n)` reserves n bytes first
    except OSError:
        return None
    finally:
        os.close(fd)


def store_json(path: Path, value) -> bool:
    """Write `value` as JSON to `path` in a folder of the cache (made if need be), atomically; False when
    it was not written (a value JSON cannot carry, a read-only or full disk, a planted link)."""
    folder = path.parent
    try:
        text = json.dumps(value, separators=(",", ":"))
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink() or folder.parent.is_symlink():
            return False  # planted: do not write through it
        mark_cache_folder(folder.parent)
        write_atomic(path, text)
    except (OSError, TypeError, ValueError):
        return False
    return True


def load_json(path: Path, fmt: str, key: str):
    """The `key` part of a JSON entry of format `fmt`, or None when the entry is absent or is not one."""
    data = read_entry(path)
    if data is None:
        return None
    try:
        entry = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return entry.get(key) if type(entry) is dict and entry.get("format") == fmt else None


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        unlink(Path(tmp))
        raise


def unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
