"""FF009 work-after-stream-end."""
from __future__ import annotations

from typing import Iterator

from lambdalint.index import AsyncKind
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import JS_ONLY, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.pending import handler_name
from lambdalint.rules.streaming import after_stream_end


@register
class WorkAfterStreamEnd(Rule):
    """Async work a streaming handler starts after ending the response stream, and does not await."""

    id = "FF009"
    name = "work-after-stream-end"
    severity = Severity.WARNING
    languages = JS_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        settlement = ctx.settlement
        for call in ctx.file.calls:
            if settlement.is_chain_link(call):
                continue
            end = after_stream_end(ctx.index, ctx.file, call)  # first: outside streaming bodies it is None at once
            if end is None or ctx.index.async_kind(ctx.file, call) is not AsyncKind.PROMISE:
                continue
            if settlement.of_call(call).settled:
                continue
            message = (f"{call_name(call)} starts after the response stream ends (line {end.span.line}) and is not "
                       f"awaited: the environment freezes when the handler resolves, with it unfinished. "
                       f"Fix: `await` it after `end()`")
            yield self.finding(ctx, call.span, message, handler=handler_name(ctx, call.function))
