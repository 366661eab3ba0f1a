"""What a run learnt from the file system besides its source files: the facts a cached result rests on.

The IaC readers and some rules ask whether a path exists, list a folder or
read a manifest (`package.json`, a wrapper script, a layer's folder). A run's
findings may be reused only while every one of those answers still holds, so
each question goes through this module, and while a run records, the
question and its answer are written down. `still_true` asks them all again.

Answers are data only (booleans, sizes, sorted names, digests of contents),
so a recorded list can be stored in the cache and checked without trusting it.
"""
from __future__ import annotations

import glob as _glob
import hashlib
import os
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

# (kind, path) -> answer, while a run records; None otherwise.
_recorded: Optional[dict[tuple[str, str], object]] = None


@contextmanager
def recording() -> Iterator[dict[tuple[str, str], object]]:
    """Record every question asked inside the block (the dict is filled as the run goes)."""
    global _recorded
    outer, _recorded = _recorded, {}
    try:
        yield _recorded
    finally:
        _recorded = outer


def _note(kind: str, path: str, answer):
    if _recorded is not None:
        _recorded.setdefault((kind, os.fspath(path)), answer)
    return answer


def _digest(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _listing(path: str) -> Optional[list[str]]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return None


def _size(path: str) -> Optional[int]:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def _contents(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _source_digest(path: str) -> Optional[str]:
    from lambdalint.listing import read_source

    text = read_source(path, path)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if isinstance(text, str) else None


def _executable(path: str) -> Optional[bool]:
    from lambdalint.iac.files import is_executable

    return is_executable(path)


# kind -> how to ask the question again
_ASK: dict[str, Callable[[str], object]] = {
    "isfile": os.path.isfile,
    "isdir": os.path.isdir,
    "exists": os.path.exists,
    "listdir": _listing,
    "glob": lambda pattern: sorted(_glob.glob(pattern)),
    "size": _size,
    "read": lambda path: _digest(_contents(path)),
    "source": _source_digest,
    "executable": _executable,
}


def isfile(path) -> bool:
    return _note("isfile", path, os.path.isfile(path))


def isdir(path) -> bool:
    return _note("isdir", path, os.path.isdir(path))


def exists(path) -> bool:
    return _note("exists", path, os.path.exists(path))


def listdir(path) -> list[str]:
    """`os.listdir`, raising OSError as it does."""
    names = _note("listdir", path, _listing(path))
    if names is None:
        raise OSError(f"cannot list {path}")
    return list(names)


def executable(path) -> Optional[bool]:
    """Whether a deployed copy of the file would be executable (`iac.files.is_executable`)."""
    return _note("executable", path, _executable(path))


def glob(pattern: str) -> list[str]:
    return list(_note("glob", pattern, sorted(_glob.glob(pattern))))


def getsize(path) -> int:
    """`os.path.getsize`, raising OSError as it does."""
    size = _note("size", path, _size(path))
    if size is None:
        raise OSError(f"cannot stat {path}")
    return size


def read_bytes(path) -> bytes:
    """The whole file, raising OSError as `open` does."""
    data = _contents(path)
    _note("read", path, _digest(data))
    if data is None:
        raise OSError(f"cannot read {path}")
    return data


def file_digest(path) -> Optional[str]:
    """The digest of a file's bytes (None when it cannot be read); not recorded."""
    return _digest(_contents(path))


def note_source(path, text: Optional[str]) -> None:
    """A file read through `listing.read_source` (a project rule's `read_text`)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if isinstance(text, str) else None
    _note("source", path, digest)


def still_true(observations: list) -> bool:
    """Whether every recorded `[kind, path, answer]` gets the same answer now."""
    try:
        for kind, path, answer in observations:
            ask = _ASK.get(kind)
            if ask is None or _plain(ask(path)) != answer:
                return False
    except (TypeError, ValueError, OSError):
        return False
    return True


def as_list(recorded: dict[tuple[str, str], object]) -> list:
    """The recorded answers as JSON-ready `[kind, path, answer]` rows."""
    return [[kind, path, _plain(answer)] for (kind, path), answer in sorted(recorded.items())]


def _plain(answer):
    return list(answer) if isinstance(answer, (list, tuple)) else answer
