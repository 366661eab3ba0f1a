"""Wording shared by the fire-and-forget rules: how to name a call and what happens to its work."""
from __future__ import annotations

from lambdalint.index import AsyncKind
from lambdalint.messages import MAX_MESSAGE
from lambdalint.model import Call

_MAX_CALLEE = 48


def call_name(call: Call) -> str:
    """`fetch()`, `this.mail.send()`, `new Promise()`; long chains are shortened from the left."""
    callee = call.callee if call.callee != "?" else "(async () => …)"
    if len(callee) > _MAX_CALLEE:
        callee = "…" + callee[-_MAX_CALLEE:]
    return f"`{'new ' if call.is_new else ''}{callee}()`"


def fate(kind: AsyncKind, plural: bool = False) -> str:
    """What the runtime does to work nobody waits for, in a few words (the rule page says the rest)."""
    if kind is AsyncKind.COROUTINE:
        return "the coroutines never run" if plural else "the coroutine never runs"
    if kind is AsyncKind.FUTURE:
        return "its tasks are cancelled when `asyncio.run` returns"
    if kind is AsyncKind.TASK:
        return "`asyncio.run` cancels it when the coroutine returns (or it freezes)"
    if plural:
        return "they run only until their first `await`, then freeze with the environment"
    return "it runs only until its first `await`, then freezes with the environment"




def message(head: str, note: str, fix: str) -> str:
    """`head; handler note. Fix: fix`, kept within MAX_MESSAGE characters: the handler note goes first (the
    finding still names its handler), then the head is cut at a word."""
    text = f"{head}{note}. Fix: {fix}"
    if len(text) <= MAX_MESSAGE:
        return text
    tail = f". Fix: {fix}"
    if len(head) + len(tail) > MAX_MESSAGE:
        head = head[: max(40, MAX_MESSAGE - len(tail) - 1)].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return head + tail
