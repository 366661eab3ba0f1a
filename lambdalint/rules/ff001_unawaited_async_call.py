"""FF001 unawaited-async-call."""
from __future__ import annotations

from typing import Iterator

from lambdalint.index import AsyncKind
from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.async_values import unsettled_async_calls
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name, fate, message
from lambdalint.settle import Reason


@register
class UnawaitedAsyncCall(Rule):
    """An async call used as a statement (or `void`-ed, or chained with `.then/.catch` and dropped) is never awaited."""

    id = "FF001"
    name = "unawaited-async-call"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, kind, outcome in unsettled_async_calls(ctx, tasks=False):
            if outcome.in_container or outcome.reason not in (Reason.DISCARDED, Reason.VOIDED):
                continue
            yield self.finding(ctx, call.span, self._message(ctx, call, kind, outcome),
                               handler=ctx.handler_name(call.function))

    def _message(self, ctx: Context, call, kind: AsyncKind, outcome) -> str:
        name = call_name(call)
        python = ctx.file.language is Language.PYTHON
        if outcome.reason is Reason.VOIDED:
            head = f"{name} is marked fire-and-forget with `void`: {fate(kind)}"
            fix = "`await` it (or set `allow-void = true` if losing it is intended)"
        elif call.method in ctx.index.catalog.promise_chain and not python:
            head = f"{name} handles errors but is not awaited: {fate(kind)}"
            fix = "`await` the chain"
        else:
            head = f"{name} is not awaited: {fate(kind)}"
            fix = "`await` it (or `asyncio.run()` it)" if python else "`await` it"
        if call.function is None:
            fix = "`await` it in the handler" if python else "use top-level `await`, or `await` it in the handler"
            return message(f"at module level, {head}", "", fix)
        return message(head, ctx.handler_note(call.function), fix)
