""""Is the waiting call reached on every path from the start to the function's end?" for the lifecycle rules.

FF006 (join), FF007 (clear) and FF009 (after the stream ends) ask it of a
start call and the calls that would settle it.
"""
from __future__ import annotations

from typing import Iterable

from lambdalint.model import Call, FileModel


def waited_on_every_path(model: FileModel, start: Call, waits: Iterable[Call]) -> bool:
    """Whether one of `waits` runs after `start` on every path from it to a normal return."""
    return any(start.span.before(w.span) for w in waits)


def runs_after(model: FileModel, first: Call, later: Call) -> bool:
    """Whether `later` can run after `first` has run (on some path through their function)."""
    return first.function == later.function and first.span.before(later.span)
