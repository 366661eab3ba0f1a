"""DF006 branch-on-nondeterminism."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.facts import TAINT_SOURCES, governs_operations, step_call, taint_of, where
from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_WHAT = {"if": "`if` condition", "while": "loop condition", "for": "loop condition", "iterate": "loop's iterable",
         "switch": "`switch` value", "ternary": "conditional expression"}


@register
class BranchOnNondeterminism(Rule):
    """A condition or loop bound that depends on a nondeterministic value decides which operations run."""

    id = "DF006"
    name = "branch-on-nondeterminism"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        model = ctx.file
        scope = durable_scope(ctx.index)
        for condition in model.conditions:
            fid = condition.function
            if fid is None or scope.kind_of(model.path, fid) is not Kind.ORCHESTRATION:
                continue
            source = taint_of(ctx.index, model, fid, condition.test, TAINT_SOURCES)
            if source is None or not governs_operations(ctx.index, model, fid, condition.test, condition.body):
                continue
            message = (f"the {_WHAT.get(condition.kind, 'condition')} {where(ctx.index, model.path, fid)} depends on "
                       f"{source.text}, so a replay can issue different durable operations than the checkpoint "
                       f"and fail. Fix: decide inside {step_call(ctx.index, model, fid)} and branch on its result")
            yield self.finding(ctx, condition.test, message, handler=ctx.handler_name(fid))
