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

from lambdalint.frontends.dispositions import AWAITED, OTHER
from lambdalint.model import NameRef, Use


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


def awaited_whole(low, value, binding, scope) -> Optional[tuple]:
    """For `const t = await f()`: the work item that lowers `f()` as awaited and gives `t` the call's id
    (`element_of`, with no `element`: `t` holds the whole result). None when the value is not `await <call>`."""
    operand = _awaited_call(low, value) if value is not None else None
    if operand is None:
        return None
    return operand, scope, AWAITED, ((binding, "element_of", None),), None


def _awaited_call(low, value):
    """The call of `await f()` (also TypeScript's `(await f)<T>()` reading of `await f<T>()`), else None."""
    core = low.unwrap(value)
    if core is None:
        return None
    if core.type == "call_expression" and _callee_type(core) == "await_expression":
        return core
    if core.type == "await_expression":
        operand = next(iter(low.expressions(core)), None)
        inner = low.unwrap(operand)
        return operand if inner is not None and inner.type == "call_expression" else None
    return None


class _Collect:
    """A sink that appends the id of the call it is fired with to a list of the model."""

    __slots__ = ("_into",)

    def __init__(self, into: list) -> None:
        self._into = into

    @property
    def call(self) -> None:
        return None

    @call.setter
    def call(self, call_id: int) -> None:
        self._into.append(call_id)


def discarded_await_sinks(low, disp) -> Optional[tuple]:
    """For `await f();` as a statement: the sinks that record `f()` in `FileModel.discarded_awaits`."""
    if disp is None or disp.use is not Use.DISCARDED:
        return None
    return ((_Collect(low.model.discarded_awaits), "call", None),)


def element_read(low, node, stop, scope, disp) -> None:
    """`x[0]` read whole (not through a longer path): records `x` with key "0" and the read's disposition."""
    if stop is not node or stop.type != "subscript_expression":
        return
    index = stop.child_by_field_name("index")
    obj = stop.child_by_field_name("object")
    if index is None or obj is None or index.type != "number" or obj.type != "identifier":
        return
    key = low.text(index)
    if not key.isdigit():
        return
    low.model.element_reads.append(NameRef(low.text(obj), low.span(node), scope.fn, (disp or OTHER).copy(),
                                           scope.loop, scope.region, key))
