"""DF019 replay-unaware-logging."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.apis import call_text
from lambdalint.durable.facts import context_name, orchestration_calls, where
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule


@register
class ReplayUnawareLogging(Rule):
    """A plain logger in orchestration code writes the same line again on every replay."""

    id = "DF019"
    name = "replay-unaware-logging"
    severity = Severity.INFO
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _ in orchestration_calls(ctx, ("logger",)):
            name = context_name(ctx.index, ctx.file, call.function)
            message = (f"{call_text(call)} logs {where(ctx.index, ctx.file.path, call.function)}, which re-runs on "
                       "every replay, so the line is written again each time. "
                       f"Fix: log with `{name}.logger`, which skips replayed code")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
