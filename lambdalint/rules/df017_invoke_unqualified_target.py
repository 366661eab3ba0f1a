"""DF017 invoke-unqualified-target."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_invoke import display_name, invokes, is_durable_target, is_qualified
from lambdalint.rules.durable_ops import short
from lambdalint.values import ABSENT


@register
class InvokeUnqualifiedTarget(Rule):
    """A durable function invoked by an unqualified name or ARN (no version or alias)."""

    id = "DF017"
    name = "invoke-unqualified-target"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for invoke in invokes(ctx):
            target = invoke.target
            shown = short(display_name(target or ""), 40)
            if target is None or is_qualified(target) or invoke.qualifier is not ABSENT:
                continue
            if not is_durable_target(ctx.index, target):
                continue
            head = (f"the durable function `{shown}` is invoked without a version or alias: it runs `$LATEST` (or is "
                    "rejected), and its executions replay on the next deployment's code")
            fix = "invoke an alias (`name:live`)" + ("" if invoke.durable_context else " or pass `Qualifier`")
            yield self.finding(ctx, invoke.span, f"{head}. Fix: {fix}", handler=ctx.handler_name(invoke.call.function))
