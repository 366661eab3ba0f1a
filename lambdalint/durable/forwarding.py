"""Helpers that hand their function parameter to an operation: `runStep(ctx, "a", async () => Date.now())`.

A wrapper such as

    async function runStep(ctx, name, fn) { ctx.logger.info(name); return ctx.step(name, fn); }

runs `fn` as the step's body, not inline: a function written as the argument of a call to it is a step
body (or a child body, for a wrapper of `runInChildContext`), exactly as if it were written in the
operation's own slot. Only one level is followed (a parameter handed straight to the operation's
callback slot, or called directly in the body of the wrapper's step); anything else keeps the usual
reading (an anonymous function passed to a call runs inline).
"""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.operations import Kind
from lambdalint.model import ArgKind, Call, Function


def forwarded_callbacks(scope, call: Call, tpath: str, tfn: Function, python: bool) -> Iterator[tuple[int, object]]:
    """(function id in the caller's file, operation) for each function argument of `call` that the called
    function `tfn` passes as its operation's callback."""
    if not any(arg.kind is ArgKind.FUNCTION for arg in call.args):
        return
    forwarded = _forwarded_params(scope, tpath, tfn)
    if not forwarded:
        return
    params = [p.name for p in tfn.params if not p.is_rest]
    offset = 1 if python and tfn.class_name and params and params[0] in ("self", "cls") else 0
    position = 0
    for arg in call.args:
        if arg.spread:
            return
        if arg.keyword is not None:
            name = arg.keyword
        else:
            i = position + offset
            position += 1
            name = params[i] if i < len(params) else None
        if arg.kind is ArgKind.FUNCTION and arg.function is not None and name in forwarded:
            yield arg.function, forwarded[name]


def _forwarded_params(scope, tpath: str, tfn: Function) -> dict:
    """Parameter name -> the operation of `tfn` whose callback slot receives that parameter as it is."""
    model = scope.index.files[tpath]
    params = {p.name for p in tfn.params if not p.is_rest}
    found = {}
    for inner in scope.calls_in(tpath, tfn.id):
        op = scope.operation(model, inner)
        if op is None:
            continue
        if op.scope is None:
            continue
        for arg in _callback_candidates(model, inner, op):
            if arg.kind is ArgKind.NAME and arg.text in params:
                found.setdefault(arg.text, op)
        if op.scope is Kind.STEP:
            # `ctx.step(name, async () => fn(x))`: the parameter is called inside the step's own body.
            scoping = scope.index.scopes(tpath).scoping
            for cpath, cfid in op.callbacks:
                if cpath != tpath or model.functions[cfid].parent != tfn.id:
                    continue
                for body_call in scope.calls_in(tpath, cfid):
                    name = body_call.callee
                    if name in params and scoping.scope_of(cfid, name) == tfn.id:
                        found.setdefault(name, op)
    return found


def _callback_candidates(model, call: Call, op) -> list:
    """The arguments that may be the callback. A JS operation's optional leading name is decided at run
    time (`ctx.step(name, fn)` inside a wrapper: `name` is a parameter of unknown type), so both readings
    count: a function handed to either slot is the callback, since a function is never a name."""
    roles = list(op.entry.get("roles", ()))
    if not model.language.is_js or not roles or roles[0] != "name?" or "callback" not in roles:
        arg = op.args.get("callback")
        return [arg] if arg is not None else []
    at = roles.index("callback")
    positional = [a for a in call.args if a.keyword is None and not a.spread]
    return [positional[i] for i in (at - 1, at) if i < len(positional)]
