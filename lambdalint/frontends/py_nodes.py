"""Small readers of libcst nodes that the Python lowering shares: dotted paths, literals, assignment
targets, parameters.
"""
from __future__ import annotations

from typing import Iterable, Optional

import libcst as cst

from lambdalint.frontends.py_values import evaluated_value as _evaluated_value
from lambdalint.model import Disposition, Use


def _assigned(target: str, declared: bool = False) -> Disposition:
    return Disposition(Use.ASSIGNED, target=target, declared=declared)


# --------------------------------------------------------------------------- paths

def _path(node) -> str:
    """Dotted path per the model's conventions (`a.b`, `f().then`, `a[].b`, `super`, `?`)."""
    parts = []
    while True:
        t = type(node)
        if t is cst.Attribute:
            parts.append(node.attr.value)
            node = node.value
        elif t is cst.Name:
            parts.append(node.value)
            break
        elif t is cst.Call:
            inner = _path(node.func)
            parts.append("super" if inner == "super" else inner + "()")
            break
        elif t is cst.Subscript:
            parts.append(_path(node.value) + "[]")
            break
        else:
            parts.append("?")
            break
    parts.reverse()
    return ".".join(parts)


def _name_path(node) -> Optional[str]:
    """`a.b.c` when the node is a chain of attributes on a plain name, else None."""
    parts = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    parts.reverse()
    return ".".join(parts)


_LITERAL_NAMES = {"True": True, "False": False, "None": None}
_NUMBER_TYPES = (cst.Integer, cst.Float, cst.Imaginary)
_STRING_TYPES = (cst.SimpleString, cst.ConcatenatedString)


def _literal(node) -> tuple[bool, object]:
    """(is_literal, value) for strings, numbers, True/False/None and signed numbers."""
    t = type(node)
    if t is cst.Name:
        if node.value in _LITERAL_NAMES:
            return True, _LITERAL_NAMES[node.value]
        return False, None
    if t in _NUMBER_TYPES:
        return True, _evaluated(node)
    if t in _STRING_TYPES:
        return True, _evaluated(node)
    if t is cst.UnaryOperation and type(node.expression) in _NUMBER_TYPES:
        value = _evaluated(node.expression)
        if type(node.operator) is cst.Minus and value is not None:
            return True, -value
        if type(node.operator) is cst.Plus:
            return True, value
    return False, None


def _evaluated(node) -> object:
    try:
        return _evaluated_value(node)
    except Exception:  # noqa: BLE001 - odd literals keep their place, lose their value
        return None


def _constructed_type(value) -> Optional[str]:
    """`X(...)` with an uppercase-initial callee names the type it constructs."""
    if type(value) is not cst.Call:
        return None
    callee = _path(value.func)
    last = callee.rsplit(".", 1)[-1]
    return callee if last[:1].isupper() else None


def _is_main_guard(test) -> bool:
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if type(target.operator) is not cst.Equal:
        return False
    sides = (test.left, target.comparator)
    names = [s for s in sides if type(s) is cst.Name and s.value == "__name__"]
    strings = [s for s in sides if type(s) is cst.SimpleString and _evaluated(s) == "__main__"]
    return len(names) == 1 and len(strings) == 1


def _target_leaves(target) -> Iterable:
    """Names, attributes and subscripts bound by an assignment / loop target."""
    t = type(target)
    if t is cst.Tuple or t is cst.List:
        for element in target.elements:
            yield from _target_leaves(element.value)
    elif t is cst.StarredElement:
        yield from _target_leaves(target.value)
    else:
        yield target


def _is_destructuring(target) -> bool:
    return type(target) in (cst.Tuple, cst.List, cst.StarredElement)


def _param_list(params: cst.Parameters) -> list:
    ordered = list(params.posonly_params) + list(params.params)
    if isinstance(params.star_arg, cst.Param):
        ordered.append(params.star_arg)
    ordered.extend(params.kwonly_params)
    if params.star_kwarg is not None:
        ordered.append(params.star_kwarg)
    return ordered


_PLAIN_TYPES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float,
                cst.Imaginary, cst.Dict, cst.List, cst.Tuple, cst.Set, cst.BinaryOperation, cst.Comparison,
                cst.UnaryOperation, cst.ListComp, cst.DictComp, cst.SetComp)


def _plain_value(node) -> bool:
    """A returned value that is never a coroutine: a literal, a display, an operator expression, `None`."""
    return isinstance(node, _PLAIN_TYPES) or (type(node) is cst.Name and node.value in ("None", "True", "False"))


class _Scope:
    """What the walker must restore when it leaves a function."""

    __slots__ = ("function", "loop_depth", "class_body", "method", "region", "condition")

    def __init__(self, function, loop_depth, class_body, method, region, condition):
        self.function = function
        self.loop_depth = loop_depth
        self.class_body = class_body
        self.method = method
        self.region = region
        self.condition = condition
