"""The names that resolve an enclosing `new Promise(…)`: its executor's first parameter, and a helper's
parameter that every call in the file hands such a name.

    new Promise((res, rej) => attempt(3, res, rej));
    function attempt(n, res, rej) {
      fetch(url).then((r) => res(r)).catch(() => setTimeout(() => attempt(n - 1, res, rej), 100));
    }

`attempt`'s `res` resolves the outer promise as surely as the executor's does, so the chain and the
timer in it hold that promise open: their fate is the outer promise's, judged where that promise is
(an awaited one waits for them). A helper that other files may call (it is exported) is not counted:
a call the file does not show may hand it anything.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Optional

from lambdalint.model import ArgKind, Call, FileModel, Function
from lambdalint.scoping import Scoping

_PATTERNS = ("{}", "[]")


class PromiseResolvers:
    """For one file: which names resolve an enclosing promise inside a function."""

    def __init__(self, model: FileModel, scoping: Scoping, is_promise_constructor: Callable[[Call], bool]):
        self.model = model
        self._scoping = scoping
        self._own: dict[int, frozenset] = {}   # function id -> its parameters that resolve an outer promise
        self._executors = frozenset(fn.id for fn in model.functions if fn.passed_to is not None
                                    and fn.arg_index == 0 and is_promise_constructor(model.calls[fn.passed_to]))
        for fid in self._executors:
            params = model.functions[fid].params
            if params and params[0].name not in _PATTERNS:
                self._own[fid] = frozenset({params[0].name})
        self._carriers: frozenset = frozenset()   # helpers with a parameter that resolves one
        if self._own:
            self._add_carriers()

    def in_scope(self, fid: Optional[int]) -> frozenset:
        """The names that resolve an outer promise, as seen from inside function `fid`."""
        names: set = set()
        for fn in self.model.enclosing_functions(fid):
            names |= self._own.get(fn.id, frozenset())
        return frozenset(names)

    def carries(self, fid: Optional[int]) -> bool:
        """Whether `fid` is, or runs inside, an executor or a helper handed a resolver."""
        return any(fn.id in self._executors or fn.id in self._carriers for fn in self.model.enclosing_functions(fid))

    def _add_carriers(self) -> None:
        """Helpers' parameters: the largest set each of whose call sites passes a resolver in the parameter's
        place (a helper that retries by calling itself passes on its own), less those no executor's resolver
        reaches."""
        sites = self._call_sites()
        candidates = {(fid, i) for fid, calls in sites.items() for i in range(len(self.model.functions[fid].params))
                      if self._plain_param(self.model.functions[fid], i)}
        while True:
            carriers = self._with(candidates)
            kept = {(fid, i) for fid, i in candidates
                    if all(self._passes(call, i, carriers) for call in sites[fid])}
            if kept == candidates:
                break
            candidates = kept
        grounded: set = set()
        while True:
            carriers = self._with(grounded)
            more = {(fid, i) for fid, i in candidates - grounded
                    if any(self._passes(call, i, carriers) for call in sites[fid])}
            if not more:
                break
            grounded |= more
        self._own = self._with(grounded)
        self._carriers = frozenset(fid for fid, _i in grounded)

    def _with(self, params: set) -> dict[int, frozenset]:
        own = {fid: set(names) for fid, names in self._own.items() if fid in self._executors}
        for fid, i in params:
            own.setdefault(fid, set()).add(self.model.functions[fid].params[i].name)
        return {fid: frozenset(names) for fid, names in own.items()}

    def _passes(self, call: Call, i: int, own: dict[int, frozenset]) -> bool:
        if i >= len(call.args) or any(a.spread for a in call.args[:i + 1]):
            return False
        arg = call.args[i]
        if arg.kind is not ArgKind.NAME or arg.keyword is not None:
            return False
        return any(arg.text in own.get(fn.id, ()) for fn in self.model.enclosing_functions(call.function))

    def _call_sites(self) -> dict[int, list[Call]]:
        """Local helpers called by name -> their calls; a helper that is also used some other way (passed,
        exported) is left out."""
        model = self.model
        exported = {ex.local for ex in model.exports if ex.local} | {ex.name for ex in model.exports}
        by_name: dict[str, list[Function]] = defaultdict(list)
        for fn in model.functions:
            if fn.name and fn.class_name is None and fn.passed_to is None and fn.name not in exported:
                by_name[fn.name].append(fn)
        sites: dict[int, list[Call]] = defaultdict(list)
        for call in model.calls:
            if call.is_new or "." in call.callee or call.callee not in by_name:
                continue
            scope = self._scoping.scope_of(call.function, call.callee)
            found = [fn for fn in by_name[call.callee] if fn.parent == scope]
            if len(found) == 1:
                sites[found[0].id].append(call)
        used_otherwise = {ref.name for ref in model.names if ref.name in by_name}
        return {fid: calls for fid, calls in sites.items() if model.functions[fid].name not in used_otherwise}

    @staticmethod
    def _plain_param(fn: Function, i: int) -> bool:
        param = fn.params[i]
        return param.name not in _PATTERNS and not param.is_rest
