"""DF017 invoke-unqualified-target."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_invoke import invokes, is_durable_target, is_qualified
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
            shown = short(target or "")
            if target is None or is_qualified(target) or invoke.qualifier is not ABSENT:
                continue
            if invoke.durable_context:
                head = (f"`{shown}` is invoked without a version or alias: the durable context's `invoke` "
                        "rejects unqualified targets")
                fix = "invoke an alias or a version (`name:prod`)"
            elif is_durable_target(ctx.index, target):
                head = (f"the durable function `{shown}` is invoked without a version or alias: its executions "
                        "run `$LATEST` and replay against whatever code is deployed next")
                fix = "invoke an alias (`name:live`) or pass `Qualifier`"
            else:
                continue
            yield self.finding(ctx, invoke.span, f"{head}. Fix: {fix}", handler=ctx.handler_name(invoke.call.function))
