"""A durable operation's tuple kept whole (`const cb = await ctx.createCallback()`): is its promise element
(`cb[0]`) settled?

The tuple's promise is settled when some read of that element is awaited, returned, gathered or handed on;
any read of the tuple itself other than an element (`return cb`, `f(cb)`, `const [p] = cb`, `cb[i]`) may
take the promise along, so it counts as settled too: unknown is silent.
"""
from __future__ import annotations

from lambdalint.model import Binding, Call


def element_settled(ctx, settlement, call: Call, whole: Binding, position: int) -> bool:
    model = ctx.file
    scoping = ctx.index.scopes(model.path).scoping
    after = (call.span.end_line, call.span.end_column)
    elements = {(r.span.line, r.span.column): r for r in model.element_reads if r.name == whole.name}
    for ref in model.names:
        if ref.name != whole.name or (ref.span.line, ref.span.column) < after:
            continue
        if scoping.scope_of(ref.function, whole.name) != call.function:
            continue  # another variable of the same name
        element = elements.get((ref.span.line, ref.span.column))
        if element is None:
            return True
        if element.key != str(position):
            continue
        if settlement.of_read(element, in_loop=element.loop_depth > 0).settled:
            return True
    return False
