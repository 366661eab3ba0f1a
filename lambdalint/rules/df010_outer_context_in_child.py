"""DF010 outer-context-in-child."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable import Kind
from lambdalint.model import ArgKind, Call, Finding, Function, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import in_step_body, op_name, scope_of


@register
class OuterContextInChild(Rule):
    """A child-context, map-item or parallel-branch body using a context other than its own parameter."""

    id = "DF010"
    name = "outer-context-in-child"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        scope = scope_of(ctx)
        if not scope.may_operate(ctx.file.path):
            return  # no function of the file holds a context: none can be misused
        for call in ctx.file.calls:
            if call.function is None or in_step_body(ctx, call.function):
                continue
            op = scope.operation(ctx.file, call)
            if op is not None:
                found = self._misused(ctx, call.function, op.receiver)
                if found is not None:
                    yield self._finding(ctx, call, f"{op_name(call)} uses the outer context `{op.receiver}`", found)
                continue
            yield from self._passed_on(ctx, call)

    def _passed_on(self, ctx: Context, call: Call) -> Iterator[Finding]:
        """`helper(ctx)` inside a child body: the helper's operations land in the parent's sequence."""
        ref = ctx.index.resolve_callee(ctx.file, call)
        if ref is None or ref.kind != "function" or scope_of(ctx).kind_of(ref.path, ref.fid) is None:
            return
        for arg in call.args:
            if arg.kind is ArgKind.NAME and "." not in arg.text:
                found = self._misused(ctx, call.function, arg.text)
                if found is not None:
                    yield self._finding(ctx, call, f"{op_name(call)} is given the outer context `{arg.text}`", found)
                    return

    def _misused(self, ctx: Context, fid: Optional[int], name: str) -> Optional[tuple[Function, Function]]:
        """(the innermost body with a context of its own, the outer function whose context `name` is), when
        they differ; None when `name` is that body's own context or not a context at all."""
        scope = scope_of(ctx)
        path = ctx.file.path
        if name not in scope.context_names(path, fid):
            return None
        body = None
        for fn in ctx.file.enclosing_functions(fid):
            own = scope.own_context_names(path, fn.id)
            if body is None and (own or self._child_body(ctx, fn)):
                body = fn
            if name in own:
                return (body, fn) if body is not None and body.id != fn.id else None
        return None

    @staticmethod
    def _child_body(ctx: Context, fn: Function) -> bool:
        """A child / map / parallel callback, also one that takes no context parameter (`async () => …`)."""
        if fn.passed_to is None:
            return False
        op = scope_of(ctx).operation(ctx.file, ctx.file.calls[fn.passed_to])
        return op is not None and op.scope is Kind.ORCHESTRATION and (ctx.file.path, fn.id) in op.callbacks

    def _finding(self, ctx: Context, call: Call, head: str, found) -> Finding:
        body, _outer = found
        own = sorted(scope_of(ctx).own_context_names(ctx.file.path, body.id))
        mine = f"`{own[0]}`" if own else "(its first parameter)"
        if ctx.file.language is Language.PYTHON:
            effect = "its operations are numbered in the parent's sequence, and replay fails or reads the wrong checkpoint"
        else:
            effect = "the SDK terminates the execution with CONTEXT_VALIDATION_ERROR"
        message = (f"{head} inside a child body: {effect}. "
                   f"Fix: use the body's context {mine}")
        return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
