"""Is an async value settled before its function returns? (SPEC §1)

A value is settled in time when it is awaited, returned, yielded, iterated
with `for await` / `async for`, or handed to another call (an aggregator such
as `Promise.all` / `asyncio.gather`, which is then judged itself, or any other
function, which takes ownership). A value kept in a name, an attribute or a
holder (`tasks.append(t)`) is settled when that holder is later consumed the
same way. Everything else (a statement, `void`, `.then/.catch` chains whose
end is dropped, `_ = ...`, a name never used again, `await` of an array) is
not.

Best effort, by design: the analysis is mostly flow-insensitive within a
function (a consuming use after the binding counts), so it misses some bugs
rather than inventing any. One path question is asked: a plain local whose
consuming uses all sit inside `if` arms that may not run is not settled
(`lambdalint.settle_paths`, conservative about everything but `if` chains).
"""
from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

from lambdalint.catalog import Catalog
from lambdalint.model import ArgKind, Binding, Call, Container, Disposition, FileModel, Language, Span, Use
from lambdalint.promise_resolvers import PromiseResolvers
from lambdalint.scoping import Scoping
from lambdalint.settle_paths import consumed_on_every_path
from lambdalint.structure import structure_of

_MAX_DEPTH = 10
_UNSET = object()


class Reason(str, enum.Enum):
    SETTLED = "settled"
    DISCARDED = "discarded"          # expression statement
    VOIDED = "voided"                # `void p`
    AWAITED_ARRAY = "awaited_array"  # `await [p, q]` / `await items.map(async ...)`: waits for nothing
    DROPPED = "dropped"              # bound to a name / attribute that is never consumed
    STORED = "stored"                # put into a holder (`tasks.append(t)`) that is never consumed
    UNDERSCORE = "underscore"        # Python `_ = coro()`
    INSPECTED = "inspected"          # only looked at (`len(x)`, `print(x)`, `t.add_done_callback(f)`): not consumed
    PARTIAL = "partial"              # consumed only inside an `if` that may not run (see `lambdalint.settle_paths`)


@dataclass(frozen=True)
class Outcome:
    reason: Reason
    target: Optional[str] = None     # the name, attribute or holder involved
    chain: Optional[Call] = None     # the `.then/.catch/.finally` call whose end decided, if any
    in_container: bool = False       # the value reached its fate inside an array / comprehension

    @property
    def settled(self) -> bool:
        return self.reason is Reason.SETTLED


SETTLED = Outcome(Reason.SETTLED)
_SETTLING_USES = frozenset({Use.ASYNC_ITERATED, Use.RETURNED, Use.YIELDED})
_NEUTRAL_USES = frozenset({Use.ITERATED, Use.CONTEXT, Use.CONDITION, Use.OTHER})
_EXPORT_TARGETS = ("exports.", "module.exports")


class Settlement:
    """Answers "is this value settled in time?" for one file."""

    def __init__(self, model: FileModel, catalog: Catalog, *, allow_void: bool, imported_names: frozenset = frozenset(),
                 scoping: Optional[Scoping] = None, escapes_settle: bool = False):
        """`imported_names`: the module-level names of this file that other project files import (`*`: all).
        `escapes_settle`: a value stored in a property or in a variable of an enclosing scope counts as settled
        (code the file does not show may await it) instead of being judged by the reads the file has, and a
        holder counts as consumed when a member of it is (`await pending.promise`, but also `return jobs.length`:
        the member read cannot tell an element from a property of the holder)."""
        self.model = model
        self.catalog = catalog
        self.allow_void = allow_void
        self.escapes_settle = escapes_settle
        self.python = model.language is Language.PYTHON
        self._scoping = scoping or Scoping(model)
        self._reads: Optional[tuple[dict, dict]] = None  # built on first use: most files never follow a name
        self._exported = {ex.local for ex in model.exports if ex.local} | {ex.name for ex in model.exports}
        self._imported_names = imported_names
        self._resolvers: Optional[PromiseResolvers] = None

    @property
    def _uses(self) -> dict:
        """Dotted reads (attributes), file-wide."""
        return (self._reads or self._index_reads())[0]

    @property
    def _local_uses(self) -> dict:
        """(declaring scope, name) -> reads: linear, whatever the file's size."""
        return (self._reads or self._index_reads())[1]

    def _index_reads(self) -> tuple[dict, dict]:
        uses, local_uses = defaultdict(list), defaultdict(list)
        for ref in self.model.names:
            if "." in ref.name:
                uses[ref.name].append(ref)
            else:
                local_uses[(self._scoping.scope_of(ref.function, ref.name), ref.name)].append(ref)
        self._reads = (uses, local_uses)
        return self._reads

    # ------------------------------------------------------------------ calls
    def of_call(self, call: Call, *, array: bool = False) -> Outcome:
        """The fate of the value `call` produces (`array`: the value is a collection of promises)."""
        if not self.python and self._chain_feeds_executor(call):
            return SETTLED
        return self._of(call.disposition, call.function, call.span, array, call.loop_depth > 0, 0)

    def of_binding(self, binding: Binding, *, in_loop: bool = False) -> Outcome:
        """The fate of the value a name was given (one element of a destructured result, for one), judged from
        the name's uses after the binding (before it too when `in_loop`: a later iteration may use it)."""
        return self._of_target(binding.name, binding.function, binding.span, False, in_loop, 0)

    def of_read(self, ref, *, in_loop: bool = False) -> Outcome:
        """The fate of a value read at `ref` (a `NameRef`: its disposition, function and place)."""
        return self._of(ref.disposition, ref.function, ref.span, False, in_loop, 0)

    def is_chain_link(self, call: Call) -> bool:
        """`fetch(u)` in `fetch(u).then(f)`: its fate is decided at the end of the chain."""
        d = call.disposition
        return d.use is Use.RECEIVER and self.model.calls[d.consumer].method in self.catalog.promise_chain

    # --------------------------------------------------------------- internals
    def _of(self, d: Disposition, fid: Optional[int], origin: Span, array: bool, in_loop: bool, depth: int) -> Outcome:
        if depth > _MAX_DEPTH:
            return SETTLED
        in_container = d.container is not None
        array = array or in_container
        outcome = self._of_use(d, fid, origin, array, in_loop, depth)
        if in_container and not outcome.settled and not outcome.in_container:
            outcome = Outcome(outcome.reason, outcome.target, outcome.chain, True)
        return outcome

    def _of_use(self, d: Disposition, fid, origin: Span, array: bool, in_loop: bool, depth: int) -> Outcome:
        use = d.use
        if use is Use.DISCARDED:
            return Outcome(Reason.DISCARDED)
        if use is Use.VOIDED:
            return SETTLED if self.allow_void else Outcome(Reason.VOIDED)
        if use is Use.AWAITED:
            return Outcome(Reason.AWAITED_ARRAY) if array else SETTLED
        if use in _SETTLING_USES or use in _NEUTRAL_USES:
            return SETTLED
        if use is Use.ARGUMENT:
            consumer = self.model.calls[d.consumer]
            if consumer.callee in self.catalog.inspecting_calls:
                return Outcome(Reason.INSPECTED)
            if consumer.callee in self.catalog.passthrough_calls and d.keyword is None:
                return self._of(consumer.disposition, consumer.function, consumer.span, True,
                                in_loop or consumer.loop_depth > 0, depth + 1)
            holder = self._holder_of(consumer)
            if holder is None:
                return SETTLED
            return self._of_holder(holder, fid, consumer.span, in_loop, depth)
        if use is Use.RECEIVER:
            consumer = self.model.calls[d.consumer]
            if consumer.method in self.catalog.promise_chain:
                end = self._of(consumer.disposition, consumer.function, consumer.span, array,
                               in_loop or consumer.loop_depth > 0, depth + 1)
                if end.settled or end.chain is not None:
                    return end
                return Outcome(end.reason, end.target, consumer, end.in_container)
            if consumer.method in self.catalog.inspecting_methods:
                return Outcome(Reason.INSPECTED)
            return SETTLED  # any other method (`result()`, `join()`, `cancel()`, unknown ones) takes charge
        if use is Use.ASSIGNED:
            return self._of_target(d.target or "", fid, origin, array, in_loop, depth,
                                   members=d.container is Container.OBJECT)
        return SETTLED

    def _chain_feeds_executor(self, call: Call) -> bool:
        """Some link of the chain ending in `call` hands its outcome to an enclosing `new Promise`."""
        link: Optional[Call] = call
        while link is not None and link.method in self.catalog.promise_chain and not link.is_new:
            if self._feeds_executor(link):
                return True
            link = self.model.calls[link.receiver_call] if link.receiver_call is not None else None
        return False

    def _feeds_executor(self, link: Call) -> bool:
        """`fetch(u).then(resolve)` / `.then((r) => resolve(r))` inside `new Promise((resolve, reject) => …)`:
        the outer promise settles only through this chain, so the chain is judged with the outer promise (which
        is judged on its own). A chain that only rejects it (`.catch(reject)` beside a `resolve()` of its own)
        does not hold the outer promise open: it is judged alone."""
        settlers = self._executor_settlers(link.function)
        if not settlers:
            return False
        for arg in link.args:
            if arg.kind is ArgKind.NAME and arg.text in settlers:
                return True
            if arg.kind is ArgKind.FUNCTION and any(
                    c.function == arg.function and c.callee in settlers for c in self.model.calls):
                return True
        return False

    def _executor_settlers(self, fid: Optional[int]) -> frozenset:
        """The names that resolve a `new Promise` around `fid`: an executor's `resolve`, or a helper's parameter
        handed one (`lambdalint.promise_resolvers`)."""
        if self._resolvers is None:
            self._resolvers = PromiseResolvers(self.model, self._scoping,
                                               lambda ctor: ctor.is_new and ctor.callee == "Promise")
        return self._resolvers.in_scope(fid)

    def _holder_of(self, consumer: Call) -> Optional[str]:
        """`tasks` for `tasks.append(x)`; None when the call is not a store into a named holder."""
        if consumer.method not in self.catalog.store_methods or consumer.receiver_call is not None:
            return None
        receiver = consumer.receiver
        if not receiver or "?" in receiver or receiver.endswith("()"):
            return None
        return receiver

    def _of_target(self, target: str, fid, origin: Span, array: bool, in_loop: bool, depth: int, *,
                   members: bool = False) -> Outcome:
        """`members`: the value is a property of an object literal bound to `target` (`{ a: getA() }`), so a read
        of a member (`await t.a`) consumes it."""
        if self.python and target == "_":
            return Outcome(Reason.UNDERSCORE, "_")
        if not target or target in ("{}", "[]") or target.startswith(_EXPORT_TARGETS) or target == "default":
            return SETTLED
        if self.escapes_settle and ("." in target or "[" in target or self._binding_scope(target, fid) != fid):
            return SETTLED
        if target.endswith("[]"):
            return self._of_holder(target[:-2], fid, origin, in_loop, depth)
        if "." in target:
            return self._of_attribute(target, fid, array, depth)
        return self._of_name(target, fid, origin, array, in_loop, depth + 1, members=members)

    def _of_holder(self, holder: str, fid, after: Span, in_loop: bool, depth: int) -> Outcome:
        """A value put into a list / set / map (`jobs.push(p)`, `this.jobs.push(p)`, `slots[i] = p`)."""
        if "." in holder:
            found = self._of_attribute(holder, fid, True, depth)
        else:
            found = self._of_name(holder, fid, after, True, in_loop, depth + 1)
        return SETTLED if found.settled else Outcome(Reason.STORED, holder, found.chain)

    def _of_attribute(self, target: str, fid, array: bool, depth: int) -> Outcome:
        """An attribute may be consumed by any function of the file (`this.ready` awaited in a method).

        `this.x` / `self.x` are one attribute only within one class.
        """
        owner = self._class_of(fid) if target.split(".", 1)[0] in ("this", "self") else None
        worst = None
        for ref in self._uses.get(target, ()):
            if self._stores_into_self(ref) or (owner is not None and self._class_of(ref.function) != owner):
                continue
            outcome = self._of(ref.disposition, ref.function, ref.span, array, True, depth + 1)
            if outcome.settled:
                return SETTLED
            worst = worst or outcome
        return _unsettled(worst, target)

    def _of_name(self, name: str, fid, after: Span, array: bool, in_loop: bool, depth: int, *,
                 members: bool = False) -> Outcome:
        bound_in = fid
        fid = self._binding_scope(name, fid)
        if fid is None and (name in self._exported or name in self._imported_names or "*" in self._imported_names):
            return SETTLED  # module state that importers may await
        worst = None
        # Judged on every path only in the simple case: a local of the function that binds it (not one a callback
        # assigns), one binding run once, no member reads.
        paths = (fid is not None and bound_in == fid and not in_loop and not array and not members
                 and not self.escapes_settle)
        consumed, origin = [], _UNSET
        for ref in self._local_uses.get((fid, name), ()):
            if not in_loop and fid is not None and ref.span.before(after):
                continue  # a use before the binding belongs to an earlier value (module code runs before any call)
            if self._stores_into_self(ref):
                continue
            outcome = self._of(ref.disposition, ref.function, ref.span, array, in_loop or ref.loop_depth > 0, depth + 1)
            if outcome.settled:
                if not paths or ref.function != fid:
                    return SETTLED
                if origin is _UNSET:
                    region = structure_of(self.model).region_at(after, fid)
                    origin = region.id if region is not None else None
                if consumed_on_every_path(self.model, fid, origin, after, name, [ref]):
                    return SETTLED  # the common case: one use reached whatever the tests decide
                consumed.append(ref)
                continue
            if worst is None or (outcome.chain is not None and worst.chain is None):
                worst = outcome
        if consumed:
            if len(consumed) > 1 and consumed_on_every_path(self.model, fid, origin, after, name, consumed):
                return SETTLED
            if worst is not None and worst.chain is not None:
                return worst  # the dropped chain on the other path is the one finding
            return Outcome(Reason.PARTIAL, name)
        if array and (self.escapes_settle or members) and self._member_consumed(name, fid, after, in_loop, depth):
            return SETTLED
        return _unsettled(worst, name)

    def _member_consumed(self, name: str, fid, after: Span, in_loop: bool, depth: int) -> bool:
        """A holder consumed through a member (`await pending.promise` after `const pending = { promise }`);
        a read that consumes nothing (`if (tasks.length)`) does not count."""
        for dotted, refs in self._uses.items():
            if not dotted.startswith(name) or dotted[len(name):len(name) + 1] not in (".", "["):
                continue
            for ref in refs:
                if self._binding_scope(name, ref.function) != fid:
                    continue
                if ref.disposition.use in _NEUTRAL_USES or (not in_loop and fid is not None and ref.span.before(after)):
                    continue  # `tasks.length` reads the holder, it does not consume what it holds
                if self._of(ref.disposition, ref.function, ref.span, False, in_loop or ref.loop_depth > 0,
                            depth + 1).settled:
                    return True
        return False

    def _class_of(self, fid: Optional[int]) -> Optional[str]:
        for fn in self.model.enclosing_functions(fid):
            if fn.class_name:
                return fn.class_name
        return None

    def _binding_scope(self, name: str, fid: Optional[int]) -> Optional[int]:
        """The function whose variable `name` is, seen from `fid` (a callback filling an outer list)."""
        return self._scoping.scope_of(fid, name.split(".", 1)[0].split("[", 1)[0])

    def _stores_into_self(self, ref) -> bool:
        """`tasks` in `tasks.append(t)` is the holder being filled, not consumed."""
        d = ref.disposition
        return d.use is Use.RECEIVER and self.model.calls[d.consumer].method in self.catalog.store_methods


def _unsettled(worst: Optional[Outcome], target: str) -> Outcome:
    """The most telling reason a holder was not consumed: a dropped chain or an awaited array beats 'unused'."""
    if worst is not None and (worst.chain is not None or worst.reason in (Reason.AWAITED_ARRAY, Reason.PARTIAL)):
        return worst
    return Outcome(Reason.DROPPED, target)
