"""FF008 callback-waits-disabled."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.served_code import runs_in_invocation
from lambdalint.index import AsyncKind, ProjectIndex
from lambdalint.model import ArgKind, Call, Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import JS_ONLY, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.ff004_emit_before_return import emit_listeners, pending_emit
from lambdalint.rules.ff007_timer_left_pending import describe_timer
from lambdalint.rules.pending import waiting_handler
from lambdalint.rules.timers import pending_timer


def _flags(index: ProjectIndex) -> dict:
    """Callback-style handler -> the `context.callbackWaitsForEmptyEventLoop = false` that turns its wait off."""
    found: dict = {}
    for path, model in index.files.items():
        if not model.language.is_js:
            continue
        for binding in model.bindings:
            last = binding.name.rsplit(".", 1)[-1]
            if "." not in binding.name or not index.catalog.categories.first("callback_wait_flag", True, last):
                continue
            if not (binding.has_literal and binding.value_literal is False):
                continue
            handler = index.handler_for(path, binding.function)
            targets = [handler] if handler is not None else [
                h for h in index.handlers if h.path == path and binding.function is None]
            for h in targets:
                if h.waits_for_event_loop and len(index.files[h.path].functions[h.fid].params) >= 3:
                    # Only the callback honours the flag: a plain handler still answers when the loop is empty.
                    found.setdefault(h, (path, binding.span.line))
    return found


@register
class CallbackWaitsDisabled(Rule):
    """Work left pending in a callback-style handler that sets `callbackWaitsForEmptyEventLoop = false`."""

    id = "FF008"
    name = "callback-waits-disabled"
    severity = Severity.ERROR
    languages = JS_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        flags = ctx.index.derived("callback_wait_flags", _flags)
        if not flags:
            return
        for call in ctx.file.calls:
            if call.in_main_guard:
                continue
            handler = waiting_handler(ctx, call.function)
            if handler is None or handler not in flags:
                continue
            if not runs_in_invocation(ctx.index, ctx.file.path, call.function):
                continue
            what = self._pending(ctx, call)
            if what is None:
                continue
            path, line = flags[handler]
            where = f"line {line}" if path == ctx.file.path else f"{path}:{line}"
            message = (f"{what} while `callbackWaitsForEmptyEventLoop = false` ({where}) lets the runtime "
                       f"respond at once: it resumes, if ever, in a later invocation. Fix: call back when it is done")
            yield self.finding(ctx, call.span, message, handler=handler.name)

    def _calls_back(self, ctx: Context, chain: Optional[Call]) -> bool:
        """`work().then(() => callback(null, r), callback)`: the response waits for the work."""
        if chain is None:
            return False
        handler = waiting_handler(ctx, chain.function)
        if handler is None or handler.path != ctx.file.path:
            return False
        params = ctx.file.functions[handler.fid].params
        if len(params) < 3:
            return False
        callback = params[2].name
        for arg in chain.args:
            if arg.kind is ArgKind.NAME and arg.text == callback:
                return True
            if arg.kind is ArgKind.FUNCTION and any(
                    c.callee == callback and c.function == arg.function for c in ctx.file.calls):
                return True
        return False

    def _pending(self, ctx: Context, call: Call) -> Optional[str]:
        settlement = ctx.settlement
        if not settlement.is_chain_link(call) and ctx.index.async_kind(ctx.file, call) is AsyncKind.PROMISE:
            outcome = settlement.of_call(call)
            chain = outcome.chain or (call if call.method in ctx.index.catalog.promise_chain else None)
            if not outcome.settled and not self._calls_back(ctx, chain):
                return f"{call_name(call)} is left pending"
            return None
        entry = pending_timer(ctx, call)
        if entry is not None:
            return describe_timer(call, entry)
        emit = pending_emit(ctx, call)
        if emit is not None:
            return f"{call_name(call)} leaves {emit_listeners(ctx, emit[1])} running"
        return None

