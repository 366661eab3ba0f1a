"""DF001 nondeterministic-call-outside-step."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.facts import NONDETERMINISTIC, file_facts, orchestration_calls, step_call, where
from lambdalint.durable.logged_values import only_logged
from lambdalint.durable.apis import call_text
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_WHAT = {"clock": "reads the clock", "random": "draws a random number", "random_id": "makes a random id"}


@register
class NondeterministicCallOutsideStep(Rule):
    """A clock, random or id source evaluated in orchestration code gives a new value on every replay."""

    id = "DF001"
    name = "nondeterministic-call-outside-step"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        facts = file_facts(ctx.index, ctx.file)
        for call, category in orchestration_calls(ctx, NONDETERMINISTIC):
            if facts.in_name(call.span):
                continue  # an operation name: DF005 says what breaks
            if only_logged(ctx.index, ctx.file, call):
                continue  # a log line's timestamp decides nothing (DF019 reports the logging itself)
            message = (f"{call_text(call)} {_WHAT[category]} {where(ctx.index, ctx.file.path, call.function)}, "
                       "which re-runs on every replay and gets a different value each time. "
                       f"Fix: produce it inside {step_call(ctx.index, ctx.file, call.function)} and use the result")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
