"""The async values of a file that are not settled in time, shared by the fire-and-forget rules.

Each rule reports the subset whose reason is its own: FF001 statements and
`void`, FF002 names and holders, FF003 collections, FF005 tasks.
"""
from __future__ import annotations

from typing import Iterator

from lambdalint.index import AsyncKind
from lambdalint.model import Call
from lambdalint.rules.base import Context
from lambdalint.rules.streaming import after_stream_end
from lambdalint.settle import Outcome


def unsettled_async_calls(ctx: Context, *, tasks: bool) -> Iterator[tuple[Call, AsyncKind, Outcome]]:
    """Calls that start async work (tasks only, or everything but tasks) and whose value is not settled.

    Links of a `.then/.catch/.finally` chain are skipped: the chain's last call
    stands for it. Code under a `__main__` guard and code no Lambda runs are skipped.
    """
    settlement = ctx.settlement
    for call in ctx.file.calls:
        if call.in_main_guard or settlement.is_chain_link(call):
            continue
        if after_stream_end(ctx.index, ctx.file, call) is not None:
            continue  # work after a response stream ends is FF009's
        kind = ctx.index.async_kind(ctx.file, call)
        if kind is None or (kind is AsyncKind.TASK) != tasks or not ctx.in_scope(call.function, kind):
            continue
        outcome = settlement.of_call(call)
        if not outcome.settled:
            yield call, kind, outcome
