"""Reading a source file into text, and CPython's own words for a Python syntax error.

A linter is pointed at whatever lies in a tree: symlink loops, named pipes,
sockets, devices, huge generated bundles, Latin-1 Python. None of them may stop
or hang a run, and none may be opened if opening could block or act (a FIFO
with no writer blocks forever; opening some devices does something). So the
file is stat-ed first and opened only when it is a regular file, and then
without blocking.

Python files are decoded as the interpreter decodes them (PEP 263: a UTF-8 BOM
or a `coding:` declaration on one of the first two lines, else UTF-8), so a
file Python runs is never "unreadable" here. JavaScript and TypeScript are
UTF-8, with an optional BOM.
"""
from __future__ import annotations

import ast
import errno
import io
import os
import stat
import tokenize
from typing import Optional, Union

from lambdalint.findings import Language

MAX_FILE_BYTES = 10 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class Unreadable(Exception):
    """Why a file has no text: the reason an E902 states."""


def read_bytes(path: Union[str, os.PathLike], limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; raises `Unreadable` with a reason a user can act on."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise Unreadable(_os_reason(path, error)) from None
    if not stat.S_ISREG(info.st_mode):
        hint = " (to lint piped text, pass `-` with --stdin-filename)" if stat.S_ISFIFO(info.st_mode) else ""
        raise Unreadable(f"not a regular file ({_kind(info.st_mode)}); it was not opened{hint}")
    if info.st_size > limit:
        raise Unreadable(f"file is too large ({info.st_size:,} bytes; the limit is {limit:,} bytes)")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise Unreadable(_os_reason(path, error)) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # replaced between stat and open
            raise Unreadable(f"not a regular file ({_kind(opened.st_mode)})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise Unreadable(_os_reason(path, error)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"file is too large (over {limit:,} bytes; the limit is {limit:,} bytes)")
    return data


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _os_reason(path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop (following the link never reaches a file)"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return "broken symbolic link (its target does not exist)"
    return f"cannot read file: {error.strerror or error}"


def decode(data: bytes, language: Optional[Language]) -> str:
    """Source text with newlines normalised to "\\n"; raises `Unreadable`."""
    if b"\0" in data[:8192]:
        raise Unreadable("binary file (it contains NUL bytes), not source text")
    encoding = _python_encoding(data) if language is Language.PYTHON else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
        raise Unreadable(f"not valid {name} text: byte 0x{data[error.start]:02x} at offset {error.start}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _python_encoding(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        message = str(error)
        if message.startswith("unknown encoding"):
            name = message.partition(":")[2].strip()
            raise Unreadable(f"the coding declaration names an unknown encoding {name!r}") from None
        if message.startswith("encoding problem"):
            raise Unreadable("the coding declaration contradicts the file's UTF-8 byte-order mark") from None
        return "utf-8-sig"  # no usable declaration and a first line that is not UTF-8: decoding says where
    return "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding


def python_syntax_error(source: str, name: str) -> Optional[tuple[str, int, int]]:
    """CPython's message and 1-based position for a syntax error in `source`, or None.

    The source is only parsed to a tree (`PyCF_ONLY_AST`), never executed. None
    when CPython accepts it (the grammar libcst lags), so the caller keeps its own.
    """
    try:
        compile(source, name, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        message = (error.msg or "invalid syntax").strip()
        line = error.lineno or 1
        column = error.offset or 1
        if line > source.count("\n") + 1:  # "unexpected EOF" points past the last line
            line = source.count("\n") + 1
        return message, max(line, 1), max(column, 1)
    except Exception:  # noqa: BLE001 - only a better message is at stake (MemoryError, RecursionError, ...)
        return None
    return None
