"""FF007 timer-left-pending."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import JS_ONLY, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.pending import (
    compose,
    handler_name,
    handler_note,
    lost_at_return,
    returner,
)
from lambdalint.rules.timers import pending_timer


def describe_timer(call, entry, who: str = "the handler") -> str:
    if entry.get("microtask"):
        return f"{call_name(call)} queues a callback whose async work nothing waits for"
    if entry.get("repeats"):
        return f"{call_name(call)} keeps firing after {who} returns"
    return f"{call_name(call)} schedules work {who} does not wait for"


@register
class TimerLeftPending(Rule):
    """A timer or queued callback in handler code whose work is still pending when the handler returns."""

    id = "FF007"
    name = "timer-left-pending"
    severity = Severity.WARNING
    languages = JS_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in ctx.file.calls:
            if call.in_main_guard or not lost_at_return(ctx, call.function):
                continue
            entry = pending_timer(ctx, call)
            if entry is None:
                continue
            fix = ("`clearInterval` it before returning" if entry.get("repeats")
                   else "`await` the work (`timers/promises` for a delay)")
            head = f"{describe_timer(call, entry, returner(ctx))}: it runs, if ever, after the environment thaws"
            message = compose(head, handler_note(ctx, call.function), fix)
            yield self.finding(ctx, call.span, message, handler=handler_name(ctx, call.function))
