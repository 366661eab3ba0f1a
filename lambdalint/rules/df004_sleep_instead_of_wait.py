"""DF004 sleep-instead-of-wait."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.apis import call_text
from lambdalint.durable.facts import context_name, orchestration_calls, where
from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.timers import in_promise_executor


@register
class SleepInsteadOfWait(Rule):
    """Sleeping in orchestration code burns billed time and starts again from zero on every replay."""

    id = "DF004"
    name = "sleep-instead-of-wait"
    severity = Severity.WARNING
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _ in orchestration_calls(ctx, ("sleep",)):
            entry = ctx.index.api(ctx.file, call, "sleep")
            if entry is not None and entry.get("executor") and not in_promise_executor(ctx, call):
                continue  # `setTimeout(fn, ms)` schedules `fn`; it does not pause anything
            name = context_name(ctx.index, ctx.file, call.function)
            wait = (f"`{name}.wait(Duration.from_seconds(…))`" if ctx.file.language is Language.PYTHON
                    else f"`await {name}.wait({{ seconds: … }})`")
            message = (f"{call_text(call)} pauses the process {where(ctx.index, ctx.file.path, call.function)}: the "
                       "invocation stays billed and a replay sleeps again from the start. "
                       f"Fix: suspend with {wait}")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
