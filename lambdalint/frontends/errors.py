"""The one error a front end raises: the file could not be read as source code."""
from __future__ import annotations

from typing import Optional


class ParseError(Exception):
    """The file could not be parsed; message is user-facing (no traceback text).

    `line` / `column` are 1-based when known. The error survives pickling with its
    position, so a worker process can hand it back to the engine intact.
    """

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (type(self), (self.message, self.line, self.column))
