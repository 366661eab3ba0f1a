"""DF012 unawaited-operation."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Binding, Call, Finding, Language, Severity, Use
from lambdalint.rules import register
from lambdalint.rules import durable_tuples
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import (in_step_body, inside_deferred_callback, op_name, operations,
                                          returned_operation, scope_of, short)
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
        elements, tuples = None, None
        for call, op in operations(ctx):
            outcome = settlement.of_call(call)
            if outcome.settled and call.disposition.use is Use.AWAITED:
                entry = ctx.index.category_entry("durable_callback_tuple", True, _OPERATION_PREFIX + op.method)
                if entry is not None and not inside_deferred_callback(ctx, call):
                    if elements is None:
                        elements = _elements(ctx.file)
                        # A promise kept in a property or an outer variable may be awaited by code not shown.
                        tuples = Settlement(ctx.file, ctx.index.catalog, allow_void=False,
                                            imported_names=ctx.index.imported_from(ctx.file.path),
                                            scoping=ctx.index.scopes(ctx.file.path).scoping, escapes_settle=True)
                    yield from self._tuple(ctx, tuples, call, op, entry, elements.get(call.id, ()))
                continue
            if outcome.settled or inside_deferred_callback(ctx, call):
                continue
            name = op_name(call)
            if outcome.reason is Reason.VOIDED:
                head = f"{name} is marked `void`, which does not wait for a durable operation"
            elif outcome.chain is not None:
                head = f"{name} is chained with `.{outcome.chain.method}()` but nothing awaits the chain"
            elif outcome.reason is Reason.PARTIAL:
                head = f"{name} is kept in `{short(outcome.target, 30)}` but awaited on some paths only"
            elif outcome.target and outcome.reason in (Reason.DROPPED, Reason.STORED):
                head = f"{name} is kept in `{short(outcome.target, 30)}` but never awaited"
            else:
                head = f"{name} is not awaited"
            yield self._unawaited(ctx, call, head, op.receiver)
        yield from self._helpers(ctx, settlement)

    def _helpers(self, ctx: Context, settlement: Settlement) -> Iterator[Finding]:
        """`charge(ctx)` where `charge` returns `ctx.step(...)`: the operation is as unawaited as if written here."""
        scope = scope_of(ctx)
        if not scope.may_operate(ctx.file.path):
            return
        for call in ctx.file.calls:
            if call.function is None or in_step_body(ctx, call.function):
                continue
            op_call = returned_operation(ctx, call)
            if op_call is None:
                continue
            outcome = settlement.of_call(call)
            if outcome.settled or inside_deferred_callback(ctx, call):
                continue
            head = f"`{short(call.callee, 30)}()` returns {op_name(op_call)}, which is not awaited"
            yield self._unawaited(ctx, call, head, op_call.receiver or "ctx")

    def _unawaited(self, ctx: Context, call: Call, head: str, receiver: str) -> Finding:
        effect = "a wait does not wait and a step may still be running when the execution succeeds"
        message = f"{head}: {effect}. Fix: `await` it, or gather it with `await {receiver}.promise.all([...])`"
        return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    def _tuple(self, ctx: Context, settlement: Settlement, call: Call, op, entry, bound: tuple) -> Iterator[Finding]:
        """`const [promise, id] = await ctx.createCallback()`: the execution waits only when `promise` is.

        The promise is as lost when the awaited tuple is thrown away (`await ctx.createCallback();`),
        destructured without it (`const [, id]`), or kept whole and its element never awaited (`cb[0]`)."""
        position = entry.get("promise", 0)
        whole = next((b for b in bound if b.element is None), None)
        if whole is not None:
            if self._local(ctx, whole, call) and not durable_tuples.element_settled(ctx, settlement, call, whole, position):
                yield self._lost(ctx, call, op, entry, f"`{short(whole.name, 20)}[{position}]` is never awaited")
            return
        if not bound:
            if call.id in ctx.file.discarded_awaits:
                yield self._lost(ctx, call, op, entry, "the awaited tuple is thrown away")
            return
        binding = next((b for b in bound if b.element == position), None)
        if binding is None:
            yield self._lost(ctx, call, op, entry, "the tuple is destructured without it")
            return
        if not self._local(ctx, binding, call):
            return
        outcome = settlement.of_binding(binding, in_loop=call.loop_depth > 0)
        if outcome.settled:
            return
        name = short(binding.name, 20)
        where = f"`{name}` from {op_name(call)}"
        if outcome.chain is not None:
            head = f"{where} has a `.{outcome.chain.method}()` chain nothing awaits"
        else:
            head = f"{where} is never awaited"
        instead = entry.get("instead")
        other = f", or use `{short(op.receiver, 12)}.{instead}`" if instead else ""
        message = (f"{head}: the execution succeeds without waiting for the callback or reading its answer. "
                   f"Fix: `await {name}` after sending the id{other}")
        yield self.finding(ctx, binding.span, message, handler=ctx.handler_name(call.function))

    def _lost(self, ctx: Context, call: Call, op, entry, how: str) -> Finding:
        instead = entry.get("instead")
        other = f", or use `{short(op.receiver, 12)}.{instead}`" if instead else ""
        message = (f"the callback promise from {op_name(call)} is lost ({how}): the execution ends without "
                   f"waiting for the answer. Fix: `await` it after sending the id{other}")
        return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    @staticmethod
    def _local(ctx: Context, binding: Binding, call: Call) -> bool:
        """The promise went into a variable of the function that made the callback (not an outer one, which
        other code may await; not a property)."""
        if "." in binding.name or "[" in binding.name:
            return False
        return ctx.index.scopes(ctx.file.path).scoping.scope_of(call.function, binding.name) == call.function

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
            elif d.use is Use.OTHER and d.container is None:
                # `context.create_callback().callback_id`: only an attribute is kept, never the callback.
                head = f"the callback from {op_name(call)} is not kept"
            elif d.use is Use.ASSIGNED and d.target and "." not in d.target and "[" not in d.target \
                    and d.target not in ("{}", "[]") and not self._used(ctx, call, d.target, ident):
                if d.container is not None:
                    head = f"the callbacks from {op_name(call)} in `{short(d.target, 24)}` are never waited on"
                else:
                    head = f"`{short(d.target, 30)}.{wait}()` is never called on the callback from {op_name(call)}"
            else:
                continue
            message = (f"{head}: the execution finishes without waiting for the answer. "
                       f"Fix: call `.{wait}()` after sending `.{ident}`, or use `context.wait_for_callback`")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    def _used(self, ctx: Context, call: Call, name: str, ident: str) -> bool:
        """Whether the handle itself (not only its id) is read again: waited on, returned, passed on, or any
        attribute other than the id read (`cb.result` handed on uncalled)."""
        model = ctx.file
        after = (call.span.line, call.span.column)
        prefix, id_read = name + ".", f"{name}.{ident}"
        for ref in model.names:
            if ref.name != name and not (ref.name.startswith(prefix) and ref.name != id_read
                                         and not ref.name.startswith(id_read + ".")):
                continue
            if (ref.span.line, ref.span.column) <= after:
                continue
            if any(fn.id == call.function for fn in model.enclosing_functions(ref.function)):
                return True
        return False


def _elements(model) -> dict:
    """call id -> the names bound from the elements of its awaited result (`const [a, b] = await f()`)."""
    found: dict = {}
    for binding in model.bindings:
        if binding.element_of is not None:
            found.setdefault(binding.element_of, []).append(binding)
    return found
