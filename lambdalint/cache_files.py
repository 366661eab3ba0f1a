"""File handling both caches share (models, findings): what is in a cache folder is only ever read
as bounded bytes of a regular file, and written atomically, so a planted link, FIFO or huge file
cannot make a run hang, follow it or read past a limit, and a killed run leaves no half entry.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Optional

MAX_ENTRY_BYTES = 256 * 1024 * 1024
PARSERS = ("libcst", "tree-sitter", "tree-sitter-javascript", "tree-sitter-typescript")
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by lambdalint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")


def add_parser_versions(digest: "hashlib._Hash") -> None:
    """The parsers' releases decide the models (and so the findings): part of every cache key."""
    for name in PARSERS:
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=?".encode())


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
