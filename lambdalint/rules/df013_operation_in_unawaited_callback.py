"""DF013 operation-in-unawaited-callback."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import deferred_operations, op_name

_WHERE = {
    "ignored": "`{method}` ignores its callback's promise, so",
    "ungathered": "the promises from `{method}` are never gathered, so",
    "timer": "`{method}` runs its callback later, so",
    "listener": "an event listener runs whenever the event fires, so",
    "thread": "a thread runs its function on its own schedule, so",
}


@register
class OperationInUnawaitedCallback(Rule):
    """Durable operations issued from a callback nobody waits for: `forEach(async …)`, un-gathered `.map`, timers, listeners, threads."""

    id = "DF013"
    name = "operation-in-unawaited-callback"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        python = ctx.file.language is Language.PYTHON
        for holder, kind, op_call in deferred_operations(ctx):
            where = _WHERE.get(kind, _WHERE["timer"]).format(method=holder.method)
            head = (f"{where} {op_name(op_call)} is not awaited: the handler can return first, and replay "
                    "puts it at another position")
            fix = ("`context.map(…)` / `context.parallel(…)`, or a plain loop" if python else
                   "`ctx.map(…)`, a `for … of` loop with `await`, or `ctx.promise.all`")
            yield self.finding(ctx, holder.span, f"{head}. Fix: use {fix}", handler=ctx.handler_name(holder.function))
