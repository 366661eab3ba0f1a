"""Wording shared by the fire-and-forget rules: how to name a call and what happens to its work."""
from __future__ import annotations

from lambdalint.index import AsyncKind
from lambdalint.model import Call

_MAX_CALLEE = 60


def call_name(call: Call) -> str:
    """`fetch()`, `this.mail.send()`, `new Promise()`; long chains are shortened from the left."""
    callee = call.callee if call.callee != "?" else "(anonymous function)"
    if len(callee) > _MAX_CALLEE:
        callee = "…" + callee[-_MAX_CALLEE:]
    return f"`{'new ' if call.is_new else ''}{callee}()`"


def fate(kind: AsyncKind) -> str:
    """What the runtime does to work nobody waits for, by kind of async value."""
    if kind is AsyncKind.COROUTINE:
        return "the coroutine is created but never awaited, so its body never runs"
    if kind is AsyncKind.TASK:
        return ("when the coroutine returns, `asyncio.run` cancels the task "
                "(on a loop kept across invocations it is frozen with the environment)")
    return ("it runs only until its first `await`; the rest is frozen with the execution "
            "environment when the handler returns, and resumes, if ever, inside a later invocation")
