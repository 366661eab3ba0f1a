"""FF003 async-callback-not-awaited."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.index import AsyncKind
from lambdalint.model import Arg, ArgKind, Call, Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.async_values import unsettled_async_calls
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name, fate, message
from lambdalint.rules.durable_ops import issues_durable_operations
from lambdalint.settle import Reason


@register
class AsyncCallbackNotAwaited(Rule):
    """Async callbacks given to helpers that ignore their promises, and collections of promises or coroutines never gathered."""

    id = "FF003"
    name = "async-callback-not-awaited"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in ctx.file.calls:
            if call.in_main_guard:
                continue
            yield from self._ignoring_helper(ctx, call)
            yield from self._collecting_helper(ctx, call)
        yield from self._collections(ctx)

    # `items.forEach(async (x) => ...)`: forEach throws the promises away.
    def _ignoring_helper(self, ctx: Context, call: Call) -> Iterator[Finding]:
        catalog = ctx.index.catalog
        if ctx.file.language is Language.PYTHON or call.receiver is None:
            return
        if call.method not in catalog.ignore_result_callbacks or not call.args:
            return
        if self._project_method(ctx, call):
            return  # a project class's own `forEach`, not the array method: what it does with callbacks is its own
        if not self._is_async_callback(ctx, call, call.args[0]) or not ctx.in_scope(call.function, AsyncKind.PROMISE):
            return
        if issues_durable_operations(ctx, call, call.args[0]):
            return  # DF013 reports it, with what it means for a durable execution
        text = message(f"`{call.method}` drops the promises of its async callback: {fate(AsyncKind.PROMISE, plural=True)}",
                       ctx.handler_note(call.function), "`for … of` with `await`, or `await Promise.all(items.map(…))`")
        yield self.finding(ctx, call.span, text, handler=ctx.handler_name(call.function))

    # `items.map(async ...)`, `Array.from(xs, async ...)`, Python `map(coro_fn, xs)`: an array of promises.
    def _collecting_helper(self, ctx: Context, call: Call) -> Iterator[Finding]:
        index = self._callback_index(ctx, call)
        if index is None or index >= len(call.args):
            return
        if not self._is_async_callback(ctx, call, call.args[index]):
            return
        if issues_durable_operations(ctx, call, call.args[index]):
            return  # DF013 reports it
        python = ctx.file.language is Language.PYTHON
        kind = AsyncKind.COROUTINE if python else AsyncKind.PROMISE
        if not ctx.in_scope(call.function, kind):
            return
        outcome = ctx.settlement.of_call(call, array=True)
        if outcome.settled:
            return
        what = "coroutines" if python else "promises"
        if outcome.reason is Reason.AWAITED_ARRAY:
            head = f"awaiting the array of {what} from {call_name(call)} waits for none of them"
        elif outcome.target:
            head = f"the {what} from {call_name(call)} are kept in `{outcome.target}` but never gathered"
        else:
            head = f"the {what} from {call_name(call)} are never gathered"
        fix = "`await asyncio.gather(*…)`" if python else "`await Promise.all(…)`"
        text = message(f"{head}: {fate(kind, plural=True)}", ctx.handler_note(call.function), fix)
        yield self.finding(ctx, call.span, text, handler=ctx.handler_name(call.function))

    def _callback_index(self, ctx: Context, call: Call) -> Optional[int]:
        catalog = ctx.index.catalog
        if ctx.file.language is Language.PYTHON:
            index = catalog.collect_result_python.get(call.callee)
            if index is None:
                return None
            ref = ctx.index.resolve_path(ctx.file, call.function, call.callee)
            return index if ref is not None and ref.kind == "external" else None  # the builtin, not a local `map`
        if call.callee in catalog.collect_result_static:
            return catalog.collect_result_static[call.callee]
        if call.receiver is not None and call.method in catalog.collect_result_callbacks:
            return None if self._project_method(ctx, call) else catalog.collect_result_callbacks[call.method]
        return None

    def _project_method(self, ctx: Context, call: Call) -> bool:
        ref = ctx.index.resolve_callee(ctx.file, call)
        return ref is not None and ref.kind == "function"

    def _is_async_callback(self, ctx: Context, call: Call, arg: Arg) -> bool:
        if arg.kind is ArgKind.FUNCTION:
            return ctx.index.returns_async(ctx.file.path, arg.function)
        if arg.kind is ArgKind.NAME:
            ref = ctx.index.function_ref(ctx.file, call.function, arg.text)
            return ref is not None and ctx.index.returns_async(ref.path, ref.fid)
        return False

    # `[audit(r) for r in records]`, `[a(), b()]`: collections of coroutines / promises never gathered.
    def _collections(self, ctx: Context) -> Iterator[Finding]:
        reported: set = set()
        for call, kind, outcome in unsettled_async_calls(ctx, tasks=False):
            d = call.disposition
            if d.container is None:
                continue
            key = (d.use, d.target, d.consumer, call.function, call.span.line)
            if key in reported:
                continue
            reported.add(key)
            python = ctx.file.language is Language.PYTHON
            what = "coroutines" if python else "promises"
            if outcome.reason is Reason.AWAITED_ARRAY:
                head = f"{call_name(call)} is awaited inside a collection, which waits for nothing"
            else:
                holder = f" in `{outcome.target}`" if outcome.target else ""
                head = f"{call_name(call)} builds {what}{holder} that are never gathered"
            fix = "`await asyncio.gather(*…)`" if python else "`await Promise.all(…)`"
            text = message(f"{head}: {fate(kind, plural=True)}", ctx.handler_note(call.function), fix)
            yield self.finding(ctx, call.span, text, handler=ctx.handler_name(call.function))
