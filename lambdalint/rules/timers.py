"""Timers whose callback is still pending when the function returns (FF007, FF008)."""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ArgKind, Call, Use
from lambdalint.promise_resolvers import PromiseResolvers
from lambdalint.rules.base import Context
from lambdalint.rules.paths import waited_on_every_path


def pending_timer(ctx: Context, call: Call):
    """The `timer` entry of `call` when its callback is left pending at return, else None."""
    index, model = ctx.index, ctx.file
    entry = index.api(model, call, "timer")
    if entry is None:
        return None
    slot = int(entry.get("callback", 0))
    if slot >= len(call.args) or _in_promise_executor(ctx, call):
        return None
    callback = _callback(ctx, call, call.args[slot])
    if callback is None:
        return None
    path, fid = callback
    if entry.get("microtask") and not _starts_async_work(ctx, path, fid):
        return None  # runs before the response is posted; only async work it starts could be lost
    d = call.disposition
    if d.use in (Use.AWAITED, Use.RETURNED, Use.YIELDED, Use.ARGUMENT):
        return None  # the caller or a helper owns the handle
    if d.use is Use.ASSIGNED and d.target:
        if _cleared(ctx, call, entry, d.target):
            return None
    return entry


def _callback(ctx: Context, call: Call, arg) -> Optional[tuple[str, int]]:
    if arg.kind is ArgKind.FUNCTION:
        return ctx.file.path, arg.function
    if arg.kind is ArgKind.NAME:
        ref = ctx.index.function_ref(ctx.file, call.function, arg.text)
        return (ref.path, ref.fid) if ref is not None else None
    return None


def in_promise_executor(ctx: Context, call: Call) -> bool:
    """Whether `call` runs in the executor of a `new Promise(…)` (the sleep shape of a callback timer)."""
    return _in_promise_executor(ctx, call)


def _in_promise_executor(ctx: Context, call: Call) -> bool:
    """`new Promise((resolve) => setTimeout(resolve, ms))`, or a timer in a helper the executor hands its
    `resolve` to (a retry loop): the promise's own fate decides."""
    model = ctx.file
    resolvers = ctx.shared("promise_resolvers", lambda: PromiseResolvers(
        model, ctx.index.scopes(model.path).scoping,
        lambda ctor: ctor.is_new and ctx.index.api(model, ctor, "promise_constructor") is not None))
    return resolvers.carries(call.function)


def _starts_async_work(ctx: Context, path: str, fid: int) -> bool:
    index = ctx.index
    if index.returns_async(path, fid):
        return True
    model = index.files[path]
    return any(c.function == fid and index.async_kind(model, c) is not None for c in model.calls)


def _cleared(ctx: Context, call: Call, entry, target: str) -> bool:
    """The handle is cleared on every path (`finally { clearTimeout(t) }`), or handed on to other code."""
    model = ctx.file
    clear_names = set(entry.get("clear", ()))
    clears, elsewhere = [], False
    for other in model.calls:
        if not other.args or other.args[0].kind is not ArgKind.NAME or other.args[0].text != target:
            continue
        name = index_name(ctx, other)
        if name in clear_names:
            if other.function == call.function:
                clears.append(other)
            elif _nested_in(model, other.function, call.function):
                return True  # cleared by a callback of this function (`stream.on('end', () => clearTimeout(t))`)
            else:
                elsewhere = True
    if clears and waited_on_every_path(model, call, clears):
        return True
    if "." in target and elsewhere:
        return True  # `this.timer` cleared by another method: its caller decides
    if elsewhere and ctx.index.scopes(model.path).scoping.scope_of(call.function, target) != call.function:
        return True  # a module's `let beat` cleared by `stopHeartbeat()`: the caller of both decides
    for ref in model.names:
        if ref.name == target and ref.function == call.function and ref.disposition.use in (
                Use.RETURNED, Use.YIELDED):
            return True
        if ref.name == target and ref.disposition.use is Use.ARGUMENT:
            consumer = model.calls[ref.disposition.consumer]
            if index_name(ctx, consumer) not in clear_names:
                return True  # handed to a helper (`timers.push(t)`, `track(t)`)
    return False


def _nested_in(model, fid, outer) -> bool:
    return fid is not None and outer is not None and any(fn.id == outer for fn in model.enclosing_functions(fid))


def index_name(ctx: Context, call: Call) -> Optional[str]:
    return ctx.index.qualified(ctx.index.resolve_callee(ctx.file, call))
