"""DF002 io-outside-step."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.apis import call_text
from lambdalint.durable.facts import orchestration_calls, step_call, where
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule


@register
class IoOutsideStep(Rule):
    """Network, AWS SDK, database or filesystem I/O in orchestration code repeats on every replay."""

    id = "DF002"
    name = "io-outside-step"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _ in orchestration_calls(ctx, ("io",)):
            message = (f"{call_text(call)} does I/O {where(ctx.index, ctx.file.path, call.function)}: it repeats on "
                       "every replay and may return different data. "
                       f"Fix: do it inside {step_call(ctx.index, ctx.file, call.function)} so its result is checkpointed")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
