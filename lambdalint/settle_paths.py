"""Is a name's value consumed on every path, or only inside an `if` that may not run? (SPEC §1: "on every path")

`p = save(e)` then `if sync: await p` and nothing after: when `sync` is false
the function returns with `p` pending. This module answers one narrow
question from the lowered structure, conservatively: given the reads that
consume the value (all in the binding's own function, after it), is one of
them reached whatever the `if` tests decide?

Only `if` chains and `except` / `catch` clauses (entered on a raise, not on
the normal path) are treated as branches. A read in a loop, a `case` or any
region this module does not reason about counts as reached, and so does a
read outside the region the binding sits in (the binding was in a branch and
the read is in code its branch's conditions also govern, which only the
conditions could tell). An `if` with `else` covers the value when each arm
consumes it or ends by raising; one without `else`, or a `try` consuming it
only in its clauses, when a raise follows it (the other path fails the
invocation); an `if` whose test only checks the name itself (`if (p) await p`)
is taken whenever a value is there. Exceptions are not followed: a call never
throws here, as in `lambdalint.structure`.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ConstructKind, ExitKind, FileModel, RegionKind, Span

_ARMS = frozenset({RegionKind.THEN, RegionKind.ELSE, RegionKind.HANDLER})
_TRANSPARENT = frozenset({RegionKind.TRY, RegionKind.TRY_ELSE, RegionKind.WITH, RegionKind.FINALLY})


def consumed_on_every_path(model: FileModel, fid: int, origin_region: Optional[int], origin: Span, name: str,
                           reads: list) -> bool:
    """Whether some read in `reads` (NameRefs consuming the value, all in function `fid`) runs on every path
    from the binding at `origin`, in region `origin_region` (None: the function's top level)."""
    chains = []
    for ref in reads:
        chain = _chain_below(model, ref.region, origin_region)
        if chain is None:
            return True  # outside the binding's region: not judged here
        kinds = [model.regions[r].kind for r in chain]
        if any(kind not in _ARMS and kind not in _TRANSPARENT for kind in kinds):
            return True  # a loop, a case: not reasoned about, taken as reached
        arms = [r for r in chain if model.regions[r].kind in _ARMS]
        if not arms:
            return True  # reached whenever the binding's region runs to its end
        chains.append(arms)
    return _Paths(model, fid, origin, name).covered(origin_region, chains)


def _chain_below(model: FileModel, region: Optional[int], top: Optional[int]) -> Optional[list[int]]:
    """The regions from `region` up to, not including, `top`, outermost first; None when `top` does not hold it."""
    chain = []
    while region != top:
        if region is None:
            return None
        chain.append(region)
        region = model.regions[region].parent
    chain.reverse()
    return chain


class _Paths:
    """The question for one binding: function `fid`, the binding at `origin`, the name `name`."""

    def __init__(self, model: FileModel, fid: int, origin: Span, name: str):
        self.model, self.fid, self.origin, self.name = model, fid, origin, name

    def covered(self, level: Optional[int], chains: list[list[int]]) -> bool:
        """Whether, at region `level`, some construct holding reads runs a consuming read on each of its paths."""
        if any(not chain for chain in chains):
            return True  # a read directly at this level
        by_construct: dict[int, list[list[int]]] = {}
        for chain in chains:
            by_construct.setdefault(self.model.regions[chain[0]].construct, []).append(chain)
        return any(self._construct_covers(cid, level, found) for cid, found in by_construct.items())

    def _construct_covers(self, cid: int, level: Optional[int], chains: list[list[int]]) -> bool:
        model = self.model
        construct = model.constructs[cid]
        if construct.kind is ConstructKind.TRY:
            # only `except` / `catch` clauses consume it: they run on a raise, not on the normal path
            return self._raises(level, after=construct.span)
        if construct.kind is not ConstructKind.IF:
            return True
        arms: dict[int, list[list[int]]] = {rid: [] for rid in construct.regions}
        for chain in chains:
            arms.setdefault(chain[0], []).append(chain[1:])
        for rid, inner in arms.items():
            region = model.regions[rid]
            if region.kind is RegionKind.THEN and inner and self._tests_value(region):
                return True  # `if (p) await p`: taken whenever there is a value to wait for
        if not construct.has_else:
            return self._raises(level, after=construct.span)  # no arm ran: what follows fails the invocation
        for rid, inner in arms.items():
            if inner and self.covered(rid, inner):
                continue
            if self._raises(rid):
                continue  # the arm fails the invocation: not a path where work is silently left
            return False
        return True

    def _tests_value(self, region) -> bool:
        """The arm's test checks the value itself: `if (p)`, `if t is not None`, or one binding it
        (`if (t := create_task(...)) is not None`)."""
        condition, origin = region.condition, self.origin
        if condition is None:
            return False
        if (condition.span.line, condition.span.column) <= (origin.line, origin.column) and \
                (origin.end_line, origin.end_column) <= (condition.span.end_line, condition.span.end_column):
            return True
        return condition.tests == self.name and not condition.negated

    def _raises(self, rid: Optional[int], after: Optional[Span] = None) -> bool:
        """Region `rid` of the function (None: its top level) raises at its own level (or inside a `try` /
        `with` / `finally` there); with `after`, anywhere in it after that span (`if (!ok) throw …` after
        `if (ok) await p`: tests this module cannot compare may make that raise the other path's end)."""
        for exit in self.model.exits:
            if exit.kind is not ExitKind.RAISE or exit.function != self.fid:
                continue
            if after is not None and (exit.span.line, exit.span.column) <= (after.end_line, after.end_column):
                continue
            chain = _chain_below(self.model, exit.region, rid)
            if chain is not None and (after is not None or all(self.model.regions[r].kind in _TRANSPARENT
                                                                for r in chain)):
                return True
        return False
