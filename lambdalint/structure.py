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
effort, computed on the structure, not on a full control-flow graph:

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
  are not branches: a call inside one counts as reached.
"""
from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

from lambdalint.model import (
    Call,
    Condition,
    Construct,
    ConstructKind,
    Exit,
    ExitKind,
    FileModel,
    Function,
    LoopKind,
    NameRef,
    Region,
    RegionKind,
    Span,
    Use,
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

_CALL, _CONSTRUCT, _EXIT = 0, 1, 2
_CATCH_ALL_PY = frozenset({"BaseException", "Exception"})


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


def _join(*states):
    """Path states: None = no path from the start reaches here; False = every such path is satisfied;
    True = some path from the start reaches here unsatisfied."""
    result = None
    for state in states:
        if state is True:
            return True
        if state is False:
            result = False
    return result


def _handles(start: Item) -> frozenset:
    """Paths that hold a value once the start call ran: the name its result is bound to, and its receiver
    (`timer` in `timer = setTimeout(...)`, `t` in `t.start()`): a later `if (timer)` / `if t is not None`
    is taken on every path from the start."""
    if not isinstance(start, Call):
        return frozenset()
    names = set()
    receiver = start.receiver
    if receiver and "(" not in receiver and "[" not in receiver:
        names.add(receiver)
    d = start.disposition
    if d.use is Use.ASSIGNED and d.container is None and d.target and d.target not in ("[]", "{}", "_"):
        names.add(d.target)
    return frozenset(names)


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
        self.model = model
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
        events = self.events()
        exits_in = self._exiting_regions()
        start = _key(span)
        for key in keys:
            for position, kind, ident in events.get((function, key), ()):
                if position >= start:
                    break
                if kind != _CONSTRUCT:
                    continue
                construct = self.constructs[ident]
                if construct.kind is not ConstructKind.IF or _end(construct.span) > start:
                    continue
                arms = construct.regions
                leaving = [r for r in arms if r in exits_in]
                if not leaving:
                    continue
                for rid in arms:
                    condition = self.regions[rid].condition
                    if condition is not None:
                        # Reaching the item means a leaving arm was not taken: its own test was false.
                        found.append(Governing(condition, construct, "guard", negated=rid in leaving))

    def _exiting_regions(self) -> set[int]:
        """Regions that hold a return / raise / break / continue at their own level (they never fall through)."""
        cached = getattr(self, "_exiting", None)
        if cached is None:
            cached = {e.region for e in self.exits if e.region is not None}
            self._exiting = cached
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
        flow = _Flow(self, fa, a, None, b, rb, sb, ends)
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
        flow = _Flow(self, function, a, satisfies, None, None, None, ends)
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


class _Flow:
    """One forward pass over a function's structure for one start item (see the module docstring).

    State per program point: None (no path from the start reaches it), False
    (every path from the start that reaches it met a satisfying call), True
    (some path from the start reaches it without one).
    """

    def __init__(self, structure: Structure, function: Optional[int], start: Item, satisfies: Optional[Predicate],
                 probe: Optional[Item], probe_region: Optional[int], probe_span: Optional[Span],
                 ends: Optional[Predicate] = None):
        self.s = structure
        self.ends = ends
        self.present = _handles(start)
        self.ended: list = []                   # (call, state) for calls that end the process
        self.function = function
        self.events = structure.events()
        self.calls = structure.model.calls
        self.satisfies = satisfies
        self.start_call = start.id if isinstance(start, Call) else None
        _f, start_region, start_span = structure.locate(start)
        self.start_key = None if self.start_call is not None else (start_region, _key(start_span))
        self.probe_call = probe.id if isinstance(probe, Call) else None
        self.probe_key = None
        if probe is not None and self.probe_call is None:
            self.probe_key = (probe_region, _key(probe_span))
        self.observed = None
        self.is_js = structure.model.language.is_js
        hot: set = set()
        for region in (start_region, probe_region):
            while region is not None and region not in hot:
                hot.add(region)
                region = structure.regions[region].parent
        self.hot_regions = hot
        self.hot_constructs = {structure.regions[r].construct for r in hot}
        owner = structure.condition_owner()
        for cid in (self.start_call, self.probe_call):
            if cid is not None and cid in owner:
                self.hot_constructs.add(owner[cid])
        self.memo: dict = {}

    def run(self):
        return self.sequence(None, None)

    # ----- sequences

    def sequence(self, region: Optional[int], state):
        abrupt = []
        start_key, probe_key = self.start_key, self.probe_key
        start_here = start_key is not None and start_key[0] == region
        probe_here = probe_key is not None and probe_key[0] == region
        for position, kind, ident in self.events.get((self.function, region), ()):
            if start_here and position >= start_key[1]:
                state, start_here = True, False
            if probe_here and position >= probe_key[1]:
                self.observed, probe_here = _join(self.observed, state), False
            if kind == _CALL:
                state = self.call(ident, state)
            elif kind == _EXIT:
                if state is not None:
                    abrupt.append((self.s.exits[ident], state))
                state = None
            elif state is not None or ident in self.hot_constructs:
                state, more = self.construct(self.s.constructs[ident], state)
                abrupt.extend(more)
        if start_here:
            state = True
        if probe_here:
            self.observed = _join(self.observed, state)
        return state, abrupt

    def call(self, cid: int, state):
        if cid == self.probe_call:
            self.observed = _join(self.observed, state)
        if cid == self.start_call:
            state = True
        elif state is True and self.satisfies is not None and self.satisfies(self.calls[cid]):
            return False
        if state is not None and self.ends is not None and self.ends(self.calls[cid]):
            self.ended.append((self.calls[cid], state))
            return None
        return state

    def condition(self, condition: Optional[Condition], state):
        if condition is not None:
            for cid in condition.calls:
                if self.calls[cid].function == self.function:
                    state = self.call(cid, state)
        return state

    def region(self, rid: Optional[int], state):
        """A region's outcome depends on its entry state alone (observations only accumulate), so it is
        computed once per (region, state): nested loops and finally blocks cost no more than a few passes."""
        if rid is None or (state is None and rid not in self.hot_regions):
            return state, []
        key = (rid, state)
        cached = self.memo.get(key)
        if cached is None:
            cached = self.memo[key] = self.sequence(rid, state)
        return cached

    # ----- constructs

    def construct(self, construct: Construct, state):
        kind = construct.kind
        if kind is ConstructKind.IF:
            return self.if_chain(construct, state)
        if kind is ConstructKind.SWITCH:
            return self.switch(construct, state)
        if kind is ConstructKind.LOOP:
            return self.loop(construct, state)
        if kind is ConstructKind.TRY:
            return self.try_(construct, state)
        abrupt = []
        for item in construct.items:
            state = self.condition(item, state)
        for rid in construct.regions:
            state, more = self.region(rid, state)
            abrupt.extend(more)
        return state, abrupt

    def if_chain(self, construct: Construct, state):
        outs, abrupt = [], []
        present = self.present
        for rid in construct.regions:
            condition = self.s.regions[rid].condition
            state = self.condition(condition, state)
            known = (state is not None and condition is not None and condition.tests is not None
                     and condition.tests in present)
            if known and condition.negated:
                continue                        # `if (!timer)` after the timer started: not taken
            out, more = self.region(rid, state)
            outs.append(out)
            abrupt.extend(more)
            if known:
                return _join(*outs), abrupt     # `if (timer)` after it started: taken, nothing after it runs
        if not construct.has_else:
            outs.append(state)
        return _join(*outs), abrupt

    def switch(self, construct: Construct, state):
        state = self.condition(construct.condition, state)
        outs, abrupt = [], []
        fall = None
        for rid in construct.regions:
            state = self.condition(self.s.regions[rid].condition, state)
            out, more = self.region(rid, _join(state, fall) if self.is_js else state)
            for record, st in more:
                if record.kind is ExitKind.BREAK and record.target == construct.id:
                    outs.append(st)
                else:
                    abrupt.append((record, st))
            if self.is_js:
                fall = out
            else:
                outs.append(out)
        outs.append(fall)
        if not construct.has_else:
            outs.append(state)
        return _join(*outs), abrupt

    def loop(self, construct: Construct, state):
        regions = self.s.regions
        body = next((r for r in construct.regions if regions[r].kind is RegionKind.LOOP), None)
        orelse = next((r for r in construct.regions if regions[r].kind is RegionKind.LOOP_ELSE), None)
        before = self.condition(construct.iterated, state)
        test = construct.condition
        is_do = construct.loop is LoopKind.DO
        entry = before if is_do else self.condition(test, before)
        current = entry
        for _ in range(4):                      # states only grow (None < False < True): a few rounds suffice
            out, more = self.region(body, current)
            breaks, rest, back = [], [], [out]
            for record, st in more:
                if record.target == construct.id and record.kind is ExitKind.BREAK:
                    breaks.append(st)
                elif record.target == construct.id and record.kind is ExitKind.CONTINUE:
                    back.append(st)
                else:
                    rest.append((record, st))
            end = _join(*back)
            if is_do:
                end = self.condition(test, end)
                following = _join(before, end)
            else:
                following = _join(entry, self.condition(test, end))
            if following == current:
                break
            current = following
        if construct.unconditional:
            normal = None
        else:
            normal = end if is_do else current
        if orelse is not None:
            normal, more = self.region(orelse, normal)
            rest.extend(more)
        return _join(normal, *breaks), rest

    def try_(self, construct: Construct, state):
        regions = self.s.regions
        body = handlers = orelse = final = None
        handlers = []
        for rid in construct.regions:
            kind = regions[rid].kind
            if kind is RegionKind.TRY:
                body = rid
            elif kind is RegionKind.HANDLER:
                handlers.append(rid)
            elif kind is RegionKind.TRY_ELSE:
                orelse = rid
            elif kind is RegionKind.FINALLY:
                final = rid
        out, more = self.region(body, state)
        raised = [st for record, st in more if record.kind is ExitKind.RAISE]
        abrupt = [(record, st) for record, st in more if record.kind is not ExitKind.RAISE]
        entering = _join(*raised)
        outs = []
        for rid in handlers:
            h_out, h_more = self.region(rid, entering)
            outs.append(h_out)
            abrupt.extend(h_more)
        if not any(self.catches_all(regions[rid]) for rid in handlers):
            abrupt.extend((record, st) for record, st in more if record.kind is ExitKind.RAISE)
        if orelse is not None:
            out, else_more = self.region(orelse, out)
            abrupt.extend(else_more)
        normal = _join(out, *outs)
        if final is None:
            return normal, abrupt
        normal, leaving = self.region(final, normal)
        result = list(leaving)
        seen = set()
        for record, st in abrupt:
            f_out, f_more = self.region(final, st)
            for entry in f_more:
                if (id(entry[0]), entry[1]) not in seen:
                    seen.add((id(entry[0]), entry[1]))
                    result.append(entry)
            if f_out is not None:
                result.append((record, f_out))
        return normal, result

    def catches_all(self, region: Region) -> bool:
        handler = region.handler
        return handler.bare or any(t.rsplit(".", 1)[-1] in _CATCH_ALL_PY for t in handler.types)


# ---------------------------------------------------------------------- module-level API

_CACHE: "OrderedDict[int, Structure]" = OrderedDict()
_CACHE_SIZE = 8


def structure_of(model: FileModel) -> Structure:
    """The (cached) `Structure` of a model; recent models are kept by identity."""
    key = id(model)
    cached = _CACHE.get(key)
    if cached is not None and cached.model is model:
        _CACHE.move_to_end(key)
        return cached
    structure = Structure(model)
    _CACHE[key] = structure
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
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
