"""DF018 async-start-without-execution-name."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_invoke import display_name, invokes, is_durable_target
from lambdalint.rules.durable_ops import short
from lambdalint.values import ABSENT


@register
class AsyncStartWithoutExecutionName(Rule):
    """An asynchronous invoke (`InvocationType: Event`) of a durable function without a `DurableExecutionName`."""

    id = "DF018"
    name = "async-start-without-execution-name"
    severity = Severity.WARNING
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for invoke in invokes(ctx):
            if invoke.durable_context or invoke.invocation_type != invoke.async_value:
                continue
            if invoke.execution_name is not ABSENT or not is_durable_target(ctx.index, invoke.target):
                continue
            message = (f"the durable function `{short(display_name(invoke.target or ''), 40)}` is started asynchronously without a "
                       "`DurableExecutionName`: each retry starts a duplicate execution. Fix: pass one built from "
                       "the request's id (`order-<id>`)")
            yield self.finding(ctx, invoke.span, message, handler=ctx.handler_name(invoke.call.function))
