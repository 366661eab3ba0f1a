"""DF008 native-promise-combinator."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.file_apis import may_call
from lambdalint.model import ArgKind, Call, Finding, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import JS_ONLY, Context, Rule
from lambdalint.rules.durable_ops import callback_function, first_operation_in, in_step_body, scope_of


@register
class NativePromiseCombinator(Rule):
    """A native `Promise.race/any/allSettled/all` over durable promises settles in wall-clock order, which replay changes."""

    id = "DF008"
    name = "native-promise-combinator"
    severity = Severity.ERROR
    languages = JS_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not may_call(ctx.index, ctx.file, "native_promise_combinator"):
            return
        for call in ctx.file.calls:
            if call.function is None:
                continue
            entry = ctx.index.api(ctx.file, call, "native_promise_combinator")
            if entry is None or in_step_body(ctx, call.function):
                continue  # in a step body, durable promises are DF009's
            source = self._durable_source(ctx, call)
            if source is None:
                continue
            receiver = scope_of(ctx).operation(ctx.file, source).receiver
            method = call.method
            fix = f"use `{receiver}.promise.{entry.get('durable', method)}(…)`, which checkpoints the outcome"
            if entry.get("severity") == "error":
                head = (f"`Promise.{method}()` over durable promises decides by wall-clock order, which a replay "
                        "changes: the code after it can take another path")
                severity = Severity.ERROR
            else:
                head = (f"`Promise.{method}()` over durable promises is not checkpointed: with several failures "
                        "the rejection it reports can differ on replay")
                severity = Severity.INFO
            yield self.finding(ctx, call.span, f"{head}. Fix: {fix}", severity=severity,
                               handler=ctx.handler_name(call.function))

    def _durable_source(self, ctx: Context, combinator: Call) -> Optional[Call]:
        """The first durable operation whose promise reaches the combinator (directly, through a name, an
        array, a holder filled with `push`, or a `.map` whose callback issues operations)."""
        model, scope = ctx.file, scope_of(ctx)
        names = set()
        for ref in model.names:
            d = ref.disposition
            if d.use is Use.ARGUMENT and d.consumer == combinator.id and "." not in ref.name:
                names.add(ref.name)
        for call in model.calls:
            d = call.disposition
            direct = d.use is Use.ARGUMENT and d.consumer == combinator.id
            if direct and scope.operation(model, call) is not None:
                return call
            if direct and call.receiver is not None and call.method in ctx.index.catalog.collect_result_callbacks:
                found = self._mapped(ctx, call)
                if found is not None:
                    return found
        for name in names:
            found = self._through_name(ctx, combinator, name)
            if found is not None:
                return found
        return None

    def _through_name(self, ctx: Context, combinator: Call, name: str) -> Optional[Call]:
        model, scope = ctx.file, scope_of(ctx)
        origin = ctx.index.value_origin(model, combinator.function, name)
        if origin is not None:
            if scope.operation(model, origin) is not None:
                return origin
            if origin.receiver is not None and origin.method in ctx.index.catalog.collect_result_callbacks:
                return self._mapped(ctx, origin)
        for call in model.calls:
            if scope.operation(model, call) is None or call.function is None:
                continue
            d = call.disposition
            if d.use is Use.ASSIGNED and d.target == name and d.container is not None:
                return call
            if d.use is Use.ARGUMENT and d.consumer is not None:
                holder = model.calls[d.consumer]
                if holder.receiver == name and holder.method in ctx.index.catalog.store_methods:
                    return call
        # `promises.push(promise)` where `promise = ctx.runInChildContext(…)`
        for ref in model.names:
            d = ref.disposition
            if d.use is not Use.ARGUMENT or d.consumer is None or "." in ref.name:
                continue
            holder = model.calls[d.consumer]
            if holder.receiver == name and holder.method in ctx.index.catalog.store_methods:
                origin = ctx.index.value_origin(model, ref.function, ref.name)
                if origin is not None and scope.operation(model, origin) is not None:
                    return origin
        return None

    def _mapped(self, ctx: Context, mapping: Call) -> Optional[Call]:
        index = ctx.index.catalog.collect_result_callbacks.get(mapping.method)
        if index is None or index >= len(mapping.args) or mapping.args[index].kind is not ArgKind.FUNCTION:
            return None
        target = callback_function(ctx, mapping, mapping.args[index])
        return first_operation_in(ctx, *target) if target is not None else None
