"""DF009 operation-inside-step."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable import Kind
from lambdalint.model import Call, Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import in_step_body, op_name, operation_reached, operations, scope_of


@register
class OperationInsideStep(Rule):
    """A durable operation called inside a step body (a step, a condition check, a callback submitter)."""

    id = "DF009"
    name = "operation-inside-step"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _op in operations(ctx, in_steps=True):
            if in_step_body(ctx, call.function):
                yield self._finding(ctx, call, f"{op_name(call)} is a durable operation inside a step body")
        yield from self._through_helpers(ctx)

    def _through_helpers(self, ctx: Context) -> Iterator[Finding]:
        """`pause(ctx)` inside a step, where `pause` (also used by orchestration code) issues operations."""
        scope = scope_of(ctx)
        if not scope.touches(ctx.file.path):
            return  # no step body in the file
        for call in ctx.file.calls:
            if not in_step_body(ctx, call.function) or scope.operation(ctx.file, call) is not None:
                continue
            ref = ctx.index.resolve_callee(ctx.file, call)
            if ref is None or ref.kind != "function" or scope.kind_of(ref.path, ref.fid) is not Kind.ORCHESTRATION:
                continue
            inner = operation_reached(ctx, ref.path, ref.fid)
            if inner is not None:
                yield self._finding(ctx, call, f"{op_name(call)} runs a durable operation ({op_name(inner)}) inside a step body")

    def _finding(self, ctx: Context, call: Call, head: str) -> Finding:
        if ctx.file.language is Language.PYTHON:
            effect = "the first run succeeds, a later replay fails with a type mismatch"
            fix = "group operations in `context.run_in_child_context(…)` on the child context"
        else:
            effect = "the SDK terminates the execution with CONTEXT_VALIDATION_ERROR"
            fix = "group operations in `ctx.runInChildContext(…)` on the child context"
        message = f"{head}: {effect}. Fix: {fix}"
        return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
