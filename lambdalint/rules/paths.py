""""Is the waiting call reached on every path from the start to the function's end?" for the lifecycle rules.

FF006 (join), FF007 (clear) and FF009 (after the stream ends) ask it of a
start call and the calls that would settle it, through `lambdalint.structure`.
Only normal ways out count (a `return`, the end of the body): a path that
ends in a `raise` / `throw` fails the invocation anyway.
"""
from __future__ import annotations

from typing import Iterable

from lambdalint.model import Call, ExitKind, FileModel
from lambdalint.structure import follows, unsatisfied_exits


def waited_on_every_path(model: FileModel, start: Call, waits: Iterable[Call]) -> bool:
    """Whether one of `waits` (calls of `start`'s function) runs after `start` on every path to a return."""
    ids = {w.id for w in waits if w.function == start.function}
    if not ids:
        return False
    missing = unsatisfied_exits(model, start, lambda c: c.id in ids)
    return not [e for e in missing if e is None or e.kind is ExitKind.RETURN]


def runs_after(model: FileModel, first: Call, later: Call) -> bool:
    """Whether `later` can run after `first` has run, in one run of their function."""
    return first.function == later.function and follows(model, first, later)
