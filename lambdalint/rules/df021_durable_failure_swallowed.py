"""DF021 durable-failure-swallowed."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.deploy.durable_handlers import durable_callee
from lambdalint.model import ArgKind, Call, ExitKind, FileModel, Finding, RegionKind, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name, message


@register
class DurableFailureSwallowed(Rule):
    """An outer handler calls a durable handler and catches its errors without re-raising (or ignores its result)."""

    id = "DF021"
    name = "durable-failure-swallowed"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        model = ctx.file
        reported: set[int] = set()
        for call in model.calls:
            if call.in_main_guard or call.function is None or not durable_callee(ctx.index, model, call):
                continue
            handler = _swallowing_handler(model, call)
            chained = _swallowing_chain(ctx, call) if handler is None and model.language.is_js else None
            if chained is not None:
                yield self.finding(ctx, chained.span, message(
                    f"this `.{chained.method}()` swallows the errors of durable handler {call_name(call)}, so the "
                    "service never retries the framework failure they report", "",
                    "re-throw in the callback, or let the promise reject"), handler=ctx.handler_name(call.function))
            elif handler is not None and handler.id not in reported:
                reported.add(handler.id)
                span = handler.handler.keyword or handler.span
                yield self.finding(ctx, span, message(
                    f"this `{'except' if not model.language.is_js else 'catch'}` swallows the errors of durable "
                    f"handler {call_name(call)}, so the service never retries the framework failure they report",
                    "", "re-raise after cleanup (`raise` / `throw err`)"),
                    handler=ctx.handler_name(call.function))
            elif (call.id in model.discarded_awaits if model.language.is_js
                  else call.disposition.use is Use.DISCARDED):
                yield self.finding(ctx, call.span, message(
                    f"the result of durable handler {call_name(call)} is dropped, so a `Status: \"FAILED\"` "
                    "execution looks like success", "", "return its result, or check its `Status`"),
                    handler=ctx.handler_name(call.function), severity=Severity.INFO)


def _swallowing_handler(model: FileModel, call: Call) -> Optional[object]:
    """The `except` / `catch` region of a `try` around `call` (same function) that raises nothing."""
    region_id = call.region
    while region_id is not None:
        region = model.regions[region_id]
        if region.kind is RegionKind.TRY:
            construct = model.constructs[region.construct]
            for arm in construct.regions:
                candidate = model.regions[arm]
                if candidate.kind is RegionKind.HANDLER and candidate.handler and not candidate.handler.raises:
                    return candidate
        region_id = region.parent
    return None


def _swallowing_chain(ctx, call: Call) -> Optional[Call]:
    """`durable(event, context).catch(() => fallback)`: the chained rejection callback, when it throws nothing."""
    model = ctx.file
    d = call.disposition
    if d.use is not Use.RECEIVER or d.consumer is None:
        return None
    consumer = model.calls[d.consumer]
    entry = ctx.index.catalog.categories.first("rejection_handler", True, consumer.method)
    if entry is None:
        return None
    slot = int(entry.get("callback", 0))
    if slot >= len(consumer.args) or consumer.args[slot].kind is not ArgKind.FUNCTION:
        return None  # no rejection callback, or one lambdalint cannot read
    fid = consumer.args[slot].function
    def inside(function) -> bool:
        return any(f.id == fid for f in model.enclosing_functions(function))

    if any(e.kind is ExitKind.RAISE and inside(e.function) for e in model.exits):
        return None
    if any(inside(c.function) and ctx.index.api(model, c, "rejection_forward") is not None for c in model.calls):
        return None
    return consumer
