"""DF012 unawaited-operation."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Call, Finding, Language, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import inside_deferred_callback, op_name, operations, short
from lambdalint.settle import Reason, Settlement

_OPERATION_PREFIX = "DurableContext#"


@register
class UnawaitedOperation(Rule):
    """A durable operation that is never awaited (JS), or a Python callback whose `.result()` is never called."""

    id = "DF012"
    name = "unawaited-operation"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.file.language is Language.PYTHON:
            yield from self._python(ctx)
            return
        # `void` never waits for a durable operation, whatever `allow-void` says for ordinary promises.
        settlement = ctx.settlement if not ctx.config.allow_void else Settlement(
            ctx.file, ctx.index.catalog, allow_void=False, imported_names=ctx.index.imported_from(ctx.file.path),
            scoping=ctx.index.scopes(ctx.file.path).scoping)
        for call, op in operations(ctx):
            outcome = settlement.of_call(call)
            if outcome.settled or inside_deferred_callback(ctx, call):
                continue
            name = op_name(call)
            if outcome.reason is Reason.VOIDED:
                head = f"{name} is marked `void`, which does not wait for a durable operation"
            elif outcome.chain is not None:
                head = f"{name} is chained with `.{outcome.chain.method}()` but nothing awaits the chain"
            elif outcome.target and outcome.reason in (Reason.DROPPED, Reason.STORED):
                head = f"{name} is kept in `{short(outcome.target, 30)}` but never awaited"
            else:
                head = f"{name} is not awaited"
            effect = ("a wait does not wait and a step may still be running when the execution is reported "
                      "SUCCEEDED")
            message = f"{head}: {effect}. Fix: `await` it, or gather it with `await {op.receiver}.promise.all([...])`"
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    def _python(self, ctx: Context) -> Iterator[Finding]:
        categories = ctx.index.catalog.categories
        for call, op in operations(ctx):
            entry = categories.first("durable_handle", False, _OPERATION_PREFIX + op.method)
            if entry is None:
                continue
            wait, ident = entry.get("wait", "result"), entry.get("id", "callback_id")
            d = call.disposition
            if d.use is Use.DISCARDED:
                head = f"the callback from {op_name(call)} is thrown away"
            elif d.use is Use.ASSIGNED and d.target and "." not in d.target and "[" not in d.target \
                    and d.target not in ("{}", "[]") and not self._used(ctx, call, d.target):
                head = f"`{short(d.target, 30)}.{wait}()` is never called on the callback from {op_name(call)}"
            else:
                continue
            message = (f"{head}: the execution finishes without waiting for the answer. "
                       f"Fix: call `.{wait}()` after sending `.{ident}`, or use `context.wait_for_callback`")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    def _used(self, ctx: Context, call: Call, name: str) -> bool:
        """Whether the handle itself (not only its id) is read again: waited on, returned, passed on."""
        model = ctx.file
        after = (call.span.line, call.span.column)
        for ref in model.names:
            if ref.name != name or (ref.span.line, ref.span.column) <= after:
                continue
            if any(fn.id == call.function for fn in model.enclosing_functions(ref.function)):
                return True
        return False
