"""FF004 emit-before-return."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.listeners import Emit, Listener, emitter_identity, listeners
from lambdalint.model import ArgKind, Call, Finding, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.paths import waited_on_every_path
from lambdalint.rules.pending import compose, handler_name, handler_note, lost_at_return

_MAX_NAMED = 2

_FATE = {
    "promise": ("drops the promise of {them}: it freezes at its first `await`",
                "drops the promises of {them}: they freeze at their first `await`"),
    "task": ("runs {them} as a task nobody awaits: `asyncio.run` cancels it, or it freezes",
             "runs {them} as tasks nobody awaits: `asyncio.run` cancels them, or they freeze"),
    "call": ("calls {them} without awaiting: its coroutine never runs",
             "calls {them} without awaiting: their coroutines never run"),
    "refused": ("cannot run {them}: blinker raises `RuntimeError`", None),
}
_FIX = {
    "eventemitter2": "`await {receiver}.emitAsync(…)`",
    "node": "await the work itself, or queue it",
    "cqrs": "run the work as an awaited command, or queue it",
    "pyee": "`await ee.wait_for_complete()` after the emit",
    "blinker": "`await sig.send_async(…)`",
}


def pending_emit(ctx: Context, call: Call) -> Optional[tuple[Emit, list[Listener]]]:
    """The emit `call` is and the async listeners it leaves running, or None (shared with FF008)."""
    index = ctx.index
    found = listeners(index)
    emit = found.emit_of(ctx.file, call)
    if emit is None:
        return None
    running = [lst for lst in found.listeners_of(emit) if lst.is_async]
    if not running or _waited_after(ctx, call, emit):
        return None
    return emit, running


def emit_listeners(ctx: Context, running: list[Listener]) -> str:
    """"async listener `X.handle` (src/x.ts:12)", naming the first two."""
    names = ", ".join(lst.display(ctx.index, ctx.file.path) for lst in running[:_MAX_NAMED])
    if len(running) > _MAX_NAMED:
        names += f" and {len(running) - _MAX_NAMED} more"
    return f"async listener{'s' if len(running) > 1 else ''} {names}"


def describe_emit(ctx: Context, call: Call, emit: Emit, running: list[Listener]) -> str:
    them = emit_listeners(ctx, running)
    one, many = _FATE.get(emit.runs, _FATE["promise"])
    text = many if many is not None and len(running) > 1 else one
    return f"{call_name(call)} {text.format(them=them)}"


def emit_fix(emit: Emit, call: Call) -> str:
    fix = _FIX.get(emit.bus, "await the listeners' work, or queue it")
    return fix.format(receiver=call.receiver or "emitter")


def _waited_after(ctx: Context, call: Call, emit: Emit) -> bool:
    """An awaited `once(emitter, 'done')` / `ee.wait_for_complete()` on the same emitter on every path after it."""
    waits = []
    for other in ctx.file.calls:
        if other.function != call.function or other is call:
            continue
        entry = ctx.index.api(ctx.file, other, "event_wait")
        if entry is None or entry.get("bus") != emit.bus or not ctx.settlement.of_call(other).settled:
            continue
        slot = entry.get("emitter")
        if isinstance(slot, int):
            arg = other.args[slot] if slot < len(other.args) else None
            dotted = arg.text if arg is not None and arg.kind is ArgKind.NAME else None
        else:
            dotted = other.receiver
        waited = emitter_identity(ctx.index, ctx.file, other.function, dotted)
        if emit.emitter is None or waited is None or waited == emit.emitter:
            if _held_until_after(ctx, other, call):
                return True
            waits.append(other)
    return bool(waits) and waited_on_every_path(ctx.file, call, waits)


def _held_until_after(ctx: Context, wait: Call, emit_call: Call) -> bool:
    """`const done = once(bus, 'done'); bus.emit('job'); await done;`: the wait starts before the emit (so a
    quick listener cannot be missed) and, being settled, its holder is awaited; every await of the holder
    comes after the emit."""
    d = wait.disposition
    if d.use is not Use.ASSIGNED or not d.target or d.container is not None or not wait.span.before(emit_call.span):
        return False
    reads = [ref for ref in ctx.file.names if ref.name == d.target and ref.function == emit_call.function
             and ref.disposition.use is Use.AWAITED]
    return bool(reads) and all(emit_call.span.before(ref.span) for ref in reads)


@register
class EmitBeforeReturn(Rule):
    """An emit whose async listeners (anywhere in the project) are still running when the handler returns."""

    id = "FF004"
    name = "emit-before-return"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in ctx.file.calls:
            if call.in_main_guard or not lost_at_return(ctx, call.function):
                continue
            pending = pending_emit(ctx, call)
            if pending is None:
                continue
            emit, running = pending
            message = compose(describe_emit(ctx, call, emit, running), handler_note(ctx, call.function),
                              emit_fix(emit, call))
            yield self.finding(ctx, call.span, message, handler=handler_name(ctx, call.function))
