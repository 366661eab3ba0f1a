"""The path engine behind `lambdalint.structure`'s path queries (see its docstring for the semantics).

One forward pass over a function's structured code, not over a control-flow
graph: constructs are interpreted by kind (an if chain, a switch, a loop to a
fixed point, a try with its finally), and what leaves a construct early
(return, raise, break, continue) travels as a list of (exit, state) until the
construct it targets, or the function, takes it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from lambdalint.model import Call, Condition, Construct, ConstructKind, ExitKind, LoopKind, Region, RegionKind, Span, Use

if TYPE_CHECKING:
    from lambdalint.structure import Item, Structure

Predicate = Callable[[Call], bool]

CALL, CONSTRUCT, EXIT = 0, 1, 2                 # kinds of the events `Structure.events()` lists
_CATCH_ALL_PY = frozenset({"BaseException", "Exception"})


def _key(span: Span) -> tuple[int, int]:
    return (span.line, span.column)


def join(*states):
    """Path states: None = no path from the start reaches here; False = every such path is satisfied;
    True = some path from the start reaches here unsatisfied."""
    result = None
    for state in states:
        if state is True:
            return True
        if state is False:
            result = False
    return result


def _handles(start: "Item") -> frozenset:
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


class PathFlow:
    """One forward pass over a function's structure for one start item (see the module docstring).

    State per program point: None (no path from the start reaches it), False
    (every path from the start that reaches it met a satisfying call), True
    (some path from the start reaches it without one).
    """

    def __init__(self, structure: "Structure", function: Optional[int], start: "Item", satisfies: Optional[Predicate],
                 probe: Optional["Item"], probe_region: Optional[int], probe_span: Optional[Span],
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
                self.observed, probe_here = join(self.observed, state), False
            if kind == CALL:
                state = self.call(ident, state)
            elif kind == EXIT:
                if state is not None:
                    abrupt.append((self.s.exits[ident], state))
                state = None
            elif state is not None or ident in self.hot_constructs:
                state, more = self.construct(self.s.constructs[ident], state)
                abrupt.extend(more)
        if start_here:
            state = True
        if probe_here:
            self.observed = join(self.observed, state)
        return state, abrupt

    def call(self, cid: int, state):
        if cid == self.probe_call:
            self.observed = join(self.observed, state)
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
                return join(*outs), abrupt     # `if (timer)` after it started: taken, nothing after it runs
        if not construct.has_else:
            outs.append(state)
        return join(*outs), abrupt

    def switch(self, construct: Construct, state):
        state = self.condition(construct.condition, state)
        outs, abrupt = [], []
        fall = None
        for rid in construct.regions:
            state = self.condition(self.s.regions[rid].condition, state)
            out, more = self.region(rid, join(state, fall) if self.is_js else state)
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
        return join(*outs), abrupt

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
            end = join(*back)
            if is_do:
                end = self.condition(test, end)
                following = join(before, end)
            else:
                following = join(entry, self.condition(test, end))
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
        return join(normal, *breaks), rest

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
        entering = join(*raised)
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
        normal = join(out, *outs)
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
