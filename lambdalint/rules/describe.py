"""Wording shared by the fire-and-forget rules: how to name a call and what happens to its work."""
from __future__ import annotations

from lambdalint.index import AsyncKind
from lambdalint.model import Call

_MAX_CALLEE = 60


def call_name(call: Call) -> str:
    """`fetch()`, `this.mail.send()`, `new Promise()`; long chains are shortened from the left."""
    callee = call.callee if call.callee != "?" else "(async () => …)"
    if len(callee) > _MAX_CALLEE:
        callee = "…" + callee[-_MAX_CALLEE:]
    return f"`{'new ' if call.is_new else ''}{callee}()`"


def fate(kind: AsyncKind, plural: bool = False) -> str:
    """What the runtime does to work nobody waits for, by kind of async value."""
    if kind is AsyncKind.COROUTINE:
        return ("the coroutines are created but never awaited, so their bodies never run" if plural
                else "the coroutine is created but never awaited, so its body never runs")
    if kind is AsyncKind.FUTURE:
        return ("the coroutines it gathers become tasks that nobody waits for: `asyncio.run` cancels them "
                "when the coroutine returns")
    if kind is AsyncKind.TASK:
        return ("when the coroutine returns, `asyncio.run` cancels pending tasks "
                "(on a loop kept across invocations they freeze with the environment)")
    they = "they run" if plural else "it runs"
    return (f"{they} only until the first `await`; the rest freezes with the environment when the handler "
            "returns and resumes, if ever, inside a later invocation")
