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

    One unsettled value gives one finding, however many chains hang off it:
    links of a `.then/.catch/.finally` chain are skipped (the chain's last call
    stands for it), so is a value whose fate is decided by a chain bound off it
    (`x = P; y = x.then(f)` reports the chain, not `P`), and a chain on a name
    whose value is itself settled is only a side branch of settled work
    (`p.catch(h); …; await p`). Code under a `__main__` guard and code no Lambda
    runs are skipped.
    """
    return iter(ctx.shared("unsettled", lambda: _unsettled(ctx))[tasks])


def _unsettled(ctx: Context) -> dict[bool, list[tuple[Call, AsyncKind, Outcome]]]:
    """Both answers in one pass over the calls (tasks: True / False), shared by the rules of the file."""
    found: dict[bool, list] = {True: [], False: []}
    settlement = ctx.settlement
    model, index = ctx.file, ctx.index
    for call in model.calls:
        if call.in_main_guard or settlement.is_chain_link(call):
            continue
        if after_stream_end(index, model, call) is not None:
            continue  # work after a response stream ends is FF009's
        outcome = settlement.of_call(call)  # before the async-ness: most calls are settled, and this is cheaper
        if outcome.settled:
            continue
        kind = index.async_kind(model, call)
        if kind is None or not ctx.in_scope(call.function, kind):
            continue
        if outcome.chain is not None and outcome.chain is not call and index.async_kind(model, outcome.chain):
            continue  # the chain's own end is reported
        if _side_branch(ctx, call):
            continue
        found[kind is AsyncKind.TASK].append((call, kind, outcome))
    return found


def _side_branch(ctx: Context, call: Call) -> bool:
    """`p.catch(h)` where `p` itself is awaited, returned or gathered: the chain only observes settled work."""
    if call.method not in ctx.index.catalog.promise_chain or call.receiver_call is not None or not call.receiver:
        return False
    origin = ctx.index.value_origin(ctx.file, call.function, call.receiver)
    return origin is not None and origin is not call and ctx.settlement.of_call(origin).settled
