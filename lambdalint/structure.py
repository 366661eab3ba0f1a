"""Control-structure questions, answered from the regions and exits the front ends lowered.

Rules ask these instead of comparing spans or re-deriving paths. Everything is
per file and per function: a nested function (a callback, a lambda) is another
function, whose code is on no path of the function that defines it.

    from lambdalint.structure import structure_of
    s = structure_of(model)            # built once per model, cached; `ctx.structure` in a rule
    s.enclosing_regions(call)          # [innermost Region, ..., outermost] in the call's function
    s.swallowing_handler(call)         # the HANDLER region that swallows BaseException around it, or None
                                       # (ordinary=True: an ordinary error, `except Exception` counts too)
    s.follows(a, b)                    # may b run after a in one run of their function?
    s.reached_on_every_path(a, pred)   # is a call matching pred reached on every path from a to an exit?
    s.unsatisfied_exits(a, pred)       # ... and where it is not: the exits (None: falling off the end)
    s.governing_conditions(call)       # the tests that decide whether (or how often) it runs
    s.choices_over(call)               # the expression-level conditionals whose test decides whether it runs
    s.region_at(span) / s.function_at(span)   # innermost region / function holding a position

The path queries take `ends=pred` for calls that end the process (a path stops
there; `unsatisfied_exits` lists such a call when it is reached unsatisfied).

The module-level functions of the same names take the model first
(`enclosing_regions(model, call)`) and use the cached `Structure`.

Items. Every query takes a `Call`, a `NameRef`, an `Exit`, a `Function` (its
definition, which belongs to the function around it) or a `Span` (a statement
or any other position; its function is the innermost function whose span
holds it, its region the innermost region of that function that holds it,
found by bisection over the regions sorted by start and a walk up the nesting:
O(log n + depth)).

Paths (`follows`, `reached_on_every_path`, `unsatisfied_exits`) are best
effort, computed on the structure by `lambdalint.flow`, not on a full
control-flow graph (a few passes per query, each linear in the function's size):

* Code runs in source order; a construct's head (an `if` test, a loop test
  or iterated value, a switch subject and case values) runs where the
  language runs it: tests before their arm, a loop test before each iteration
  (after it for `do`), an `elif` test only when the tests before it failed.
* An `if` without `else` and a switch without `default` may run no arm; a JS
  case falls through to the next unless it breaks; a loop body may run zero
  times (not a `do` body; a loop whose test is missing or literally true ends
  only through `break`), and may run again (its end flows back to its test).
* `return`, `raise` / `throw`, `break` and `continue` end their path where they
  are; the returned / raised expression is evaluated first. `break` /
  `continue` go to their target loop or switch (labels included).
* Once the start call ran, the handle it gave holds a value: a test that
  only checks the name its result is bound to, or its receiver (`timer` in
  `timer = setTimeout(...)`, `t` in `t.start()`), is taken when positive
  (`if (timer)`, `if t is not None`) and not taken when negated (`if (!timer)`,
  `if t is None`) on paths from the start (`Condition.tests`).
* `finally` runs on every path leaving its try (normal, return, raise, break,
  continue), and a `return` in it replaces the path's ending.
* Exceptions otherwise ignored: a call is never assumed to throw. An
  `except` / `catch` clause is entered only from an explicit `raise` / `throw`
  in its try body; such a raise leaves the try when no clause catches
  everything (Python: bare, `BaseException`, `Exception`; every JS catch).
* Expression-level conditionals (`a && f()`, `c ? f() : g()`, `x if c else y`)
  are not branches: a call inside one counts as reached (`choices_over` says
  which of them decide whether it runs). A JS `for` update
  expression is taken to run once, before the loop.
"""
from __future__ import annotations

import bisect
import weakref
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

from lambdalint.flow import CALL as _CALL, CONSTRUCT as _CONSTRUCT, EXIT as _EXIT, PathFlow
from lambdalint.model import (
    Call,
    Choice,
    Condition,
    Construct,
    ConstructKind,
    Exit,
    ExitKind,
    FileModel,
    Function,
    NameRef,
    Region,
    RegionKind,
    Span,
)

__all__ = [
    "Governing",
    "Item",
    "Structure",
    "catches_base_exception",
    "enclosing_regions",
    "follows",
    "governing_conditions",
    "reached_on_every_path",
    "region_of",
    "structure_of",
    "swallowing_handler",
    "unsatisfied_exits",
]

Item = Union[Call, NameRef, Exit, Function, Span]
Predicate = Callable[[Call], bool]



@dataclass(frozen=True)
class Governing:
    """One condition that decides whether (or how often) an item runs.

    role:
      "test"     the test of the `if` / `elif` arm holding the item (negated: the item is in a later
                 arm or the `else`, so this test was false)
      "case"     the case value / match pattern (and guard) of the arm holding it
      "subject"  the switch discriminant / match subject
      "loop"     the test of a while / do / C-style for loop whose body holds it
      "iterated" the iterated expression of a for-of / for-in / for loop whose body holds it
      "guard"    the test of an earlier `if` in the same or an enclosing block, one of whose arms always
                 leaves it (`if (!ok) return;` before the item); negated when that arm is the one taken on
                 the test's truth
    """

    condition: Condition
    construct: Construct
    role: str
    negated: bool = False


def _key(span: Span) -> tuple[int, int]:
    return (span.line, span.column)


def _end(span: Span) -> tuple[int, int]:
    return (span.end_line, span.end_column)


def _contains(outer: Span, inner: Span) -> bool:
    return _key(outer) <= _key(inner) and _end(inner) <= _end(outer)


def catches_base_exception(region: Region, also: Iterable[str] = (), ordinary: bool = False) -> bool:
    """Whether a HANDLER catches an exception that derives from BaseException only
    (with `ordinary`: from `Exception`).

    A bare clause or one naming `BaseException` (alone or in a tuple, any
    module prefix) catches it; so does one naming a class in `also` (the
    exception's own name and its known bases, last segment only), and, for an
    ordinary exception, `Exception`. Other names are taken not to.
    """
    handler = region.handler
    if handler is None:
        return False
    if handler.bare:
        return True
    names = {"BaseException", "Exception", *also} if ordinary else {"BaseException", *also}
    return any(t.rsplit(".", 1)[-1] in names for t in handler.types)


class Structure:
    """The control-structure view of one file model; build it once (`structure_of`) and ask it."""

    def __init__(self, model: FileModel):
        self._model = weakref.ref(model)        # the cache must not keep a model alive
        self.regions = model.regions
        self.constructs = model.constructs
        self.exits = model.exits
        order = sorted(range(len(model.regions)), key=lambda r: (_key(model.regions[r].span),
                                                                 [-x for x in _end(model.regions[r].span)]))
        self._region_order = order
        self._region_starts = [_key(model.regions[r].span) for r in order]
        forder = sorted(range(len(model.functions)), key=lambda f: (_key(model.functions[f].span),
                                                                    [-x for x in _end(model.functions[f].span)]))
        self._function_order = forder
        self._function_starts = [_key(model.functions[f].span) for f in forder]
        self._events: Optional[dict] = None
        self._condition_owner: Optional[dict[int, int]] = None
        self._guard_index: Optional[dict] = None
        self._choice_index: Optional[dict] = None

    @property
    def model(self) -> FileModel:
        return self._model()

    # ------------------------------------------------------------------ locating items

    def function_at(self, span: Span) -> Optional[int]:
        """The innermost function whose span holds `span` (None: module level)."""
        functions = self.model.functions
        i = bisect.bisect_right(self._function_starts, _key(span)) - 1
        fid = self._function_order[i] if i >= 0 else None
        while fid is not None and not _contains(functions[fid].span, span):
            fid = functions[fid].parent
        return fid

    def region_at(self, span: Span, function: Optional[int] = ...) -> Optional[Region]:
        """The innermost region holding `span` in `function` (default: the function holding the span)."""
        if function is ...:
            function = self.function_at(span)
        regions, functions = self.regions, self.model.functions
        i = bisect.bisect_right(self._region_starts, _key(span)) - 1
        rid = self._region_order[i] if i >= 0 else None
        while rid is not None:
            region = regions[rid]
            if region.function == function and _contains(region.span, span):
                return region
            if region.parent is not None:
                rid = region.parent
            else:
                fid = region.function
                rid = None
                while fid is not None and rid is None:   # step out through functions defined at their top level
                    rid = functions[fid].region
                    fid = functions[fid].parent
        return None

    def locate(self, item: Item) -> tuple[Optional[int], Optional[int], Span]:
        """(function id, innermost region id in that function, span) of an item."""
        if isinstance(item, Span):
            function = self.function_at(item)
            region = self.region_at(item, function)
            return function, region.id if region is not None else None, item
        if isinstance(item, Function):
            return item.parent, item.region, item.span
        return item.function, item.region, item.span

    # ------------------------------------------------------------------ regions

    def enclosing_regions(self, item: Item, across_functions: bool = False) -> list[Region]:
        """The regions holding `item`, innermost first, in its own function.

        With `across_functions`, the chain goes on through the regions holding
        the definition of each enclosing function (lexical nesting).
        """
        _function, rid, _span = self.locate(item)
        regions, functions = self.regions, self.model.functions
        chain = []
        fid = _function
        while True:
            while rid is not None:
                region = regions[rid]
                chain.append(region)
                rid = region.parent
            if not across_functions or fid is None:
                return chain
            rid = functions[fid].region
            fid = functions[fid].parent

    def swallowing_handler(self, item: Item, also: Iterable[str] = (), ordinary: bool = False) -> Optional[Region]:
        """The HANDLER region that swallows a BaseException raised at `item`, or None.

        For each try whose protected body holds the item (innermost first, same
        function), the first clause that catches it (`catches_base_exception`:
        bare `except:`, `except BaseException`, a tuple holding it, or a name
        in `also`; every JS `catch`) decides: if it re-raises (`Handler.reraises`),
        the exception goes on to the next try out; otherwise that clause is the
        answer. No clause catching it: the next try out. With `ordinary`, the
        exception is an ordinary error (`except Exception` catches it too),
        e.g. a failure a caller must not hide. For JS it finds the innermost
        `catch` without a rethrow.
        """
        also = tuple(also)
        regions, constructs = self.regions, self.constructs
        for region in self.enclosing_regions(item):
            if region.kind is not RegionKind.TRY:
                continue
            for rid in constructs[region.construct].regions:
                clause = regions[rid]
                if clause.kind is RegionKind.HANDLER and catches_base_exception(clause, also, ordinary):
                    if not clause.handler.reraises:
                        return clause
                    break
        return None

    def governing_conditions(self, item: Item) -> list[Governing]:
        """The conditions that decide whether (or how often) `item` runs, innermost first (see `Governing`)."""
        function, rid, span = self.locate(item)
        regions, constructs = self.regions, self.constructs
        found: list[Governing] = []
        owner = self.condition_owner().get(item.id) if isinstance(item, Call) else None
        if owner is not None:                       # a call inside a test is governed by the tests before it
            self._earlier_tests(constructs[owner], item, found)
        keys = []
        while True:
            keys.append(rid)
            if rid is None:
                break
            region = regions[rid]
            construct = constructs[region.construct]
            kind = construct.kind
            if kind is ConstructKind.IF:
                for other in construct.regions:
                    arm = regions[other]
                    if other == rid:
                        if arm.condition is not None:
                            found.append(Governing(arm.condition, construct, "test"))
                        break
                    if arm.condition is not None:
                        found.append(Governing(arm.condition, construct, "test", negated=True))
            elif kind is ConstructKind.SWITCH:
                if region.condition is not None:
                    found.append(Governing(region.condition, construct, "case"))
                if construct.condition is not None:
                    found.append(Governing(construct.condition, construct, "subject"))
            elif kind is ConstructKind.LOOP:
                if construct.condition is not None:
                    found.append(Governing(construct.condition, construct, "loop"))
                if construct.iterated is not None:
                    found.append(Governing(construct.iterated, construct, "iterated"))
            rid = region.parent
        self._guards(function, keys, span, found)
        return found

    def choices_over(self, item: Item) -> list[tuple[Choice, int]]:
        """(choice, arm index) for each expression-level conditional of the item's own function with an
        operand its test decides holding the item, innermost first. The test itself is not decided
        (`(await f()) && x`: `f()` always runs)."""
        function, _rid, span = self.locate(item)
        index = self._choice_index
        if index is None:
            index = {}
            for choice in self.model.choices:
                index.setdefault(choice.function, []).append(choice)
            for entries in index.values():   # innermost first: the later start, then the earlier end
                entries.sort(key=lambda c: (tuple(-x for x in _key(c.span)), _end(c.span)))
            self._choice_index = index
        found = []
        for choice in index.get(function, ()):
            if _contains(choice.span, span):
                for i, arm in enumerate(choice.arms):
                    if _contains(arm, span):
                        found.append((choice, i))
                        break
        return found

    def _earlier_tests(self, construct: Construct, call: Call, found: list) -> None:
        if construct.kind is not ConstructKind.IF:
            return
        for rid in construct.regions:
            condition = self.regions[rid].condition
            if condition is None or call.id in condition.calls:
                return
            found.append(Governing(condition, construct, "test", negated=True))

    def _guards(self, function: Optional[int], keys: list, span: Span, found: list) -> None:
        """Earlier `if`s in the item's block or an enclosing one with an arm that always leaves it."""
        guards = self.guards()
        start = _key(span)
        for key in keys:
            for end, construct, leaving in guards.get((function, key), ()):
                if end > start:
                    break
                for rid in construct.regions:
                    condition = self.regions[rid].condition
                    if condition is not None:
                        # Reaching the item means a leaving arm was not taken: its own test was false.
                        found.append(Governing(condition, construct, "guard", negated=rid in leaving))

    def guards(self) -> dict:
        """(function, region or None) -> [(end, IF construct, arms that always leave)] by end, built once.

        An arm leaves when it holds a return / raise / break / continue at its
        own level (what follows it there is dead, so it never falls through).
        """
        cached = self._guard_index
        if cached is None:
            exiting = {e.region for e in self.exits if e.region is not None}
            cached = {}
            for construct in self.constructs:
                if construct.kind is not ConstructKind.IF:
                    continue
                leaving = frozenset(r for r in construct.regions if r in exiting)
                if leaving:
                    cached.setdefault((construct.function, construct.region), []).append(
                        (_end(construct.span), construct, leaving))
            for entries in cached.values():
                entries.sort(key=lambda entry: entry[0])
            self._guard_index = cached
        return cached

    # ------------------------------------------------------------------ paths

    def follows(self, a: Item, b: Item, ends: Optional[Predicate] = None) -> bool:
        """Whether `b` may run after `a` in one run of the function holding both (False across functions).

        `ends(call)`: calls that end the process (a path stops there).
        """
        fa, ra, sa = self.locate(a)
        fb, rb, sb = self.locate(b)
        if fa != fb:
            return False
        flow = PathFlow(self, fa, a, None, b, rb, sb, ends)
        flow.run()
        return flow.observed is True

    def unsatisfied_exits(self, a: Item, satisfies: Predicate,
                          ends: Optional[Predicate] = None) -> list[Union[Exit, Call, None]]:
        """The ways out of `a`'s function reachable from `a` without passing a call for which
        `satisfies(call)` holds: `Exit` records (return / uncaught raise), None for the end of the body,
        and, with `ends`, the `Call`s that end the process (`ends(call)`; no `finally` runs after them).

        Only calls of the same function count (not calls inside a callback). In source order of discovery:
        returns and raises first, then process-ending calls, then the end of the body.
        """
        function, _region, _span = self.locate(a)
        flow = PathFlow(self, function, a, satisfies, None, None, None, ends)
        end, abrupt = flow.run()
        missing: list[Union[Exit, Call, None]] = [
            e for e, state in abrupt if state is True and e.kind in (ExitKind.RETURN, ExitKind.RAISE)]
        missing.extend(c for c, state in flow.ended if state is True)
        if end is True:
            missing.append(None)
        return missing

    def reached_on_every_path(self, a: Item, satisfies: Predicate, ends: Optional[Predicate] = None) -> bool:
        """Whether every path from `a` to an exit of its function passes a call matching `satisfies`
        (with `ends`: a path that reaches a process-ending call unsatisfied counts as an exit too)."""
        return not self.unsatisfied_exits(a, satisfies, ends)

    # ------------------------------------------------------------------ indexes for paths

    def condition_owner(self) -> dict[int, int]:
        """Call id -> construct id, for calls evaluated in a construct's head (tests, iterated values, with items)."""
        owner = self._condition_owner
        if owner is None:
            owner = {}
            for construct in self.constructs:
                for condition in (construct.condition, construct.iterated, *construct.items):
                    if condition is not None:
                        for cid in condition.calls:
                            owner.setdefault(cid, construct.id)
            for region in self.regions:
                if region.condition is not None:
                    for cid in region.condition.calls:
                        owner.setdefault(cid, region.construct)
            self._condition_owner = owner
        return owner

    def events(self) -> dict:
        """(function, region or None) -> [(position, kind, id)] in execution order, built once.

        A construct sits at the start of its first region (its head calls run
        before it: `with` items, a JS `for` initialiser); an exit at its end
        (its value is computed first); calls of head conditions are not listed
        (their construct runs them).
        """
        events = self._events
        if events is None:
            events = {}
            owner = self.condition_owner()
            for call in self.model.calls:
                if call.id not in owner:
                    events.setdefault((call.function, call.region), []).append((_key(call.span), _CALL, call.id))
            regions = self.regions
            for construct in self.constructs:
                first = regions[construct.regions[0]].span if construct.regions else construct.span
                events.setdefault((construct.function, construct.region), []).append(
                    (_key(first), _CONSTRUCT, construct.id))
            for i, record in enumerate(self.exits):
                events.setdefault((record.function, record.region), []).append((_end(record.span), _EXIT, i))
            for entries in events.values():
                entries.sort()
            self._events = events
        return events


# ---------------------------------------------------------------------- module-level API

_CACHE: dict[int, Structure] = {}


def structure_of(model: FileModel) -> Structure:
    """The `Structure` of a model, built on first use and kept as long as the model lives."""
    key = id(model)
    cached = _CACHE.get(key)
    if cached is not None and cached.model is model:
        return cached
    structure = Structure(model)
    _CACHE[key] = structure
    weakref.finalize(model, _CACHE.pop, key, None)
    return structure


def region_of(model: FileModel, item: Item) -> Optional[Region]:
    """The innermost region holding `item` in its own function (None: the function's top level)."""
    _function, rid, _span = structure_of(model).locate(item)
    return model.regions[rid] if rid is not None else None


def enclosing_regions(model: FileModel, item: Item, across_functions: bool = False) -> list[Region]:
    return structure_of(model).enclosing_regions(item, across_functions)


def swallowing_handler(model: FileModel, item: Item, also: Iterable[str] = (),
                       ordinary: bool = False) -> Optional[Region]:
    return structure_of(model).swallowing_handler(item, also, ordinary)


def follows(model: FileModel, a: Item, b: Item, ends: Optional[Predicate] = None) -> bool:
    return structure_of(model).follows(a, b, ends)


def unsatisfied_exits(model: FileModel, a: Item, satisfies: Predicate,
                      ends: Optional[Predicate] = None) -> list[Union[Exit, Call, None]]:
    return structure_of(model).unsatisfied_exits(a, satisfies, ends)


def reached_on_every_path(model: FileModel, a: Item, satisfies: Predicate, ends: Optional[Predicate] = None) -> bool:
    return structure_of(model).reached_on_every_path(a, satisfies, ends)


def governing_conditions(model: FileModel, item: Item) -> list[Governing]:
    return structure_of(model).governing_conditions(item)
