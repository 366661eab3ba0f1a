"""What a run reports, and the few records every part of lambdalint shares: languages, severities,
positions, findings.

Apart from the program model (`model`, which re-exports these) so that a run the findings cache
answers, which needs only these, does not build the model's many record classes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional


class Language(str, enum.Enum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"

    @property
    def is_js(self) -> bool:
        return self is not Language.PYTHON


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """Where a record is (1-based lines and columns). The most numerous record, so it has slots and a
    plain `__init__` (a frozen one costs twice the time); it is hashed, so it is never changed once made."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __reduce__(self):
        # Between lambdalint's own processes (models lowered in a worker): four numbers, not a dict of slots.
        return (Span, (self.line, self.column, self.end_line, self.end_column))

    def overlaps(self, other: "Span") -> bool:
        return not (
            (self.end_line, self.end_column) < (other.line, other.column)
            or (other.end_line, other.end_column) < (self.line, self.column)
        )

    def before(self, other: "Span") -> bool:
        """True when this span starts before `other` starts (source order)."""
        return (self.line, self.column) < (other.line, other.column)



@dataclass
class Fix:
    message: str
    edits: list[tuple[Span, str]] = field(default_factory=list)


@dataclass
class Finding:
    code: str
    message: str
    severity: Severity
    path: str
    span: Span
    handler: Optional[str] = None      # "src/api.ts:handler" style name of the handler that reaches the code
    fix: Optional[Fix] = None


@dataclass
class Notification:
    """A non-finding message about the run (a region the grammar could not read)."""

    path: str
    message: str
    span: Optional[Span] = None
    level: str = "warning"
