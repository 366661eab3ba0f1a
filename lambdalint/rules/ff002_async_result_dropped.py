"""FF002 async-result-dropped."""
from __future__ import annotations

from typing import Iterator

from lambdalint.index import AsyncKind
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.async_values import unsettled_async_calls
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name, fate, message
from lambdalint.settle import Reason


@register
class AsyncResultDropped(Rule):
    """A promise or coroutine bound to a name, `_`, an attribute or a holder is never consumed before the function ends."""

    id = "FF002"
    name = "async-result-dropped"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, kind, outcome in unsettled_async_calls(ctx, tasks=False):
            if outcome.in_container or outcome.reason not in (Reason.DROPPED, Reason.STORED, Reason.UNDERSCORE,
                                                                  Reason.PARTIAL):
                continue
            yield self.finding(ctx, call.span, self._message(ctx, call, kind, outcome),
                               handler=ctx.handler_name(call.function))

    def _message(self, ctx: Context, call, kind: AsyncKind, outcome) -> str:
        name = call_name(call)
        if outcome.reason is Reason.UNDERSCORE:
            head = f"{name} is assigned to `_` and never awaited: {fate(kind)}"
        elif outcome.reason is Reason.PARTIAL:
            head = f"`{outcome.target}` holds {name} but is awaited on some paths only: otherwise {fate(kind)}"
        elif outcome.reason is Reason.STORED:
            head = f"{name} is stored in `{outcome.target}`, which is never awaited: {fate(kind)}"
        else:
            head = f"`{outcome.target}` holds {name} but is never awaited: {fate(kind)}"
        return message(head, ctx.handler_note(call.function), "`await` it before returning, or gather it")
