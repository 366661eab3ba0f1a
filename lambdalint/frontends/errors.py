"""The one exception a front end may raise."""
from __future__ import annotations

from typing import Optional


class ParseError(Exception):
    """The file could not be parsed; the message is user-facing (no traceback text)."""

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.line = line
        self.column = column
