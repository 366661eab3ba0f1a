"""Async work that settles an enclosing promise: `new Promise((resolve, reject) => { flush().then(resolve, reject) })`.

The chain hands its result to the executor's `resolve`, so the outer promise settles only when the work does:
the outer promise's fate decides, not the chain's (the promisifying pattern, also inside a timer callback of
the executor).
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ArgKind, Call, FileModel
from lambdalint.rules.base import Context


def settles_enclosing_promise(ctx: Context, call: Call) -> bool:
    """`call` (the end of a chain) passes the `resolve` of an enclosing promise executor, and that promise is
    settled in time."""
    model = ctx.file
    owner, resolve = _executor(ctx, call)
    if owner is None or resolve is None:
        return False
    link: Optional[Call] = call
    while link is not None:
        if any(_resolves(model, arg, resolve) for arg in link.args):
            return ctx.settlement.of_call(owner).settled
        link = model.calls[link.receiver_call] if link.receiver_call is not None else None
    return False


def _executor(ctx: Context, call: Call) -> tuple[Optional[Call], Optional[str]]:
    """The innermost enclosing `new Promise(executor)` call and the name of the executor's first parameter."""
    model = ctx.file
    for fn in model.enclosing_functions(call.function):
        if fn.passed_to is None or fn.arg_index != 0 or not fn.params:
            continue
        owner = model.calls[fn.passed_to]
        if owner.is_new and ctx.index.api(model, owner, "promise_constructor") is not None:
            name = fn.params[0].name
            return owner, (name if name.isidentifier() else None)
    return None, None


def _resolves(model: FileModel, arg, resolve: str) -> bool:
    """`resolve` itself, or a callback that calls it (`() => resolve(x)`)."""
    if arg.kind is ArgKind.NAME:
        return arg.text == resolve
    if arg.kind is ArgKind.FUNCTION and arg.function is not None:
        return any(c.callee == resolve and c.function == arg.function for c in model.calls)
    return False
