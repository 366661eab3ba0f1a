"""`const [promise, id] = await ctx.createCallback()`: which call's result a destructured name takes apart.

Some operations resolve to a tuple whose elements have different fates: the
durable SDK's `createCallback` gives `[promise, callbackId]`, and only the
promise makes the execution wait. A rule can follow one element only if the
name bound at that position knows the call it came from, so each top-level
name of such an array pattern records its position (`Binding.element`) and,
once the call is lowered, its id (`Binding.element_of`).
"""
from __future__ import annotations

from typing import Optional

from lambdalint.frontends.dispositions import AWAITED


def awaited_elements(low, pattern, value, bindings: list, scope) -> Optional[tuple]:
    """For `[a, , b] = await f()`: marks `a` (0) and `b` (2) and returns the work item that lowers `f()` as
    awaited, carrying the sinks that give those bindings the call's id. None for any other shape (the caller
    then lowers the value as usual): a default (`[a = x]`) or a nested pattern is not the element itself."""
    if pattern.type != "array_pattern" or value is None or not bindings:
        return None
    core = low.unwrap(value)
    if core is None:
        return None
    if core.type == "call_expression" and _callee_type(core) == "await_expression":
        operand = core   # `await f<T>()` as tree-sitter-typescript reads it: `(await f)<T>()`
    elif core.type == "await_expression":
        operand = next(iter(low.expressions(core)), None)
        inner = low.unwrap(operand)
        if inner is None or inner.type != "call_expression":
            return None
    else:
        return None
    by_start = {(b.span.line, b.span.column): b for b in bindings}
    sinks = []
    position = 0
    for child in pattern.children:
        t = child.type
        if t == ",":
            position += 1
        elif t == "identifier":
            span = low.span(child)
            binding = by_start.get((span.line, span.column))
            if binding is not None:
                binding.element = position
                sinks.append((binding, "element_of", None))
    if not sinks:
        return None
    return operand, scope, AWAITED, tuple(sinks), None


def _callee_type(call) -> str:
    callee = call.child_by_field_name("function")
    return callee.type if callee is not None else ""
