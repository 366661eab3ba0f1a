"""DF006 branch-on-nondeterminism."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.choices import choice_what, deciding_choice_sites
from lambdalint.durable.facts import TAINT_SOURCES, durable_calls, governing, step_call, taint_of, where, within
from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_WHAT = {"test": "`if` condition", "guard": "guard condition", "loop": "loop condition",
         "iterated": "loop's iterable", "case": "`case` value", "subject": "`switch` value"}


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
        reported = set()
        calls = list(durable_calls(ctx.index, model))
        for call in calls:
            for found, fid in governing(ctx.index, model, call):
                span = found.condition.span
                if span in reported or scope.kind_of(model.path, fid) is not Kind.ORCHESTRATION:
                    continue
                source = taint_of(ctx.index, model, fid, span, TAINT_SOURCES)
                if source is None:
                    continue
                reported.add(span)
                yield self._finding(ctx, span, fid, _WHAT.get(found.role, "condition"), source)
        statements = list(reported)
        for choice, fid in deciding_choice_sites(ctx.index, model, calls):
            span = choice.test
            if span in reported or any(within(span, outer) for outer in statements):
                continue    # the statement condition holding it is the finding
            source = taint_of(ctx.index, model, fid, span, TAINT_SOURCES)
            if source is None:
                continue
            reported.add(span)
            yield self._finding(ctx, span, fid, choice_what(choice, model.language), source)

    def _finding(self, ctx: Context, span, fid: int, what: str, source) -> Finding:
        model = ctx.file
        message = (f"the {what} {where(ctx.index, model.path, fid)} depends on "
                   f"{source.text}, so a replay can issue other durable operations than the checkpoint "
                   f"holds and fail. Fix: decide inside {step_call(ctx.index, model, fid)} and branch on "
                   "its result")
        return self.finding(ctx, span, message, handler=ctx.handler_name(fid))
