"""FF005 dangling-task."""
from __future__ import annotations

from typing import Iterator

from lambdalint.index import AsyncKind
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.async_values import unsettled_async_calls
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule
from lambdalint.rules.describe import call_name, fate, message
from lambdalint.settle import Reason


@register
class DanglingTask(Rule):
    """A task from `asyncio.create_task` / `ensure_future` / `loop.create_task` is not awaited before its coroutine returns."""

    id = "FF005"
    name = "dangling-task"
    severity = Severity.ERROR
    languages = PYTHON_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _kind, outcome in unsettled_async_calls(ctx, tasks=True):
            yield self.finding(ctx, call.span, self._message(ctx, call, outcome),
                               handler=ctx.handler_name(call.function))

    def _message(self, ctx: Context, call, outcome) -> str:
        name = call_name(call)
        if outcome.reason is Reason.STORED:
            head = f"the task from {name} is stored in `{outcome.target}`, which is never awaited"
        elif outcome.reason is Reason.PARTIAL:
            head = f"the task from {name} in `{outcome.target}` is awaited on some paths only"
        elif outcome.reason in (Reason.DROPPED, Reason.UNDERSCORE):
            head = f"the task from {name} is kept in `{outcome.target}` but never awaited"
        elif outcome.in_container:
            head = f"the tasks from {name} are never gathered"
        else:
            head = f"the task from {name} is never awaited"
        return message(f"{head}: {fate(AsyncKind.TASK)}", ctx.handler_note(call.function),
                       "`await` or gather it, or use an `asyncio.TaskGroup`")
