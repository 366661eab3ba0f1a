"""Python expressions as `Value`s: the literal shape of arguments, bound values and class constants.

Built right after the lowerer has walked an expression, so every call and
lambda inside it already has its id (the lowerer maps `id(node)` to it). The
same caps as the JS side bound nesting, container length and total size.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Optional

import libcst as cst

from lambdalint.model import ClassInfo, Value, ValueKind

MAX_DEPTH = 6
MAX_ITEMS = 64
MAX_NODES = 256

UNKNOWN = Value(ValueKind.UNKNOWN)
_NONE = Value(ValueKind.NONE)
_TRUE = Value(ValueKind.BOOL, True)
_FALSE = Value(ValueKind.BOOL, False)
_NAMED = {"True": _TRUE, "False": _FALSE, "None": _NONE}
_SEQUENCES = (cst.List, cst.Tuple, cst.Set)


class ValueBuilder:
    def __init__(self, call_ids: dict, function_ids: dict):
        self.call_ids = call_ids
        self.function_ids = function_ids
        self.budget = 0
        self.cls: Optional[ClassInfo] = None

    def build(self, node, cls: Optional[ClassInfo] = None) -> Value:
        """`cls`: the class whose body holds the expression; a name it bound earlier is read as `Class.name`
        (a class body looks names up in the class first)."""
        self.budget = MAX_NODES
        self.cls = cls if cls is not None and cls.values else None
        return self.value(node, 0)

    def name(self, path: str) -> Value:
        cls = self.cls
        if cls is not None:
            root = path.split(".", 1)[0]
            if root in cls.values:
                return Value(ValueKind.NAME, f"{cls.name}.{path}")
        return Value(ValueKind.NAME, path)

    def value(self, node, depth: int) -> Value:
        self.budget -= 1
        if self.budget < 0:
            return UNKNOWN
        t = type(node)
        if t is cst.SimpleString:
            text = _evaluated(node)
            return Value(ValueKind.STRING, text) if isinstance(text, str) else UNKNOWN
        if t is cst.Name:
            named = _NAMED.get(node.value)
            return named if named is not None else self.name(node.value)
        if t is cst.Attribute or t is cst.Subscript:
            path = _path(node)
            return UNKNOWN if path is None else self.name(path)
        if t is cst.Integer or t is cst.Float:
            number = _evaluated(node)
            return UNKNOWN if number is None else Value(ValueKind.NUMBER, number)
        if t is cst.Call:
            cid = self.call_ids.get(id(node))
            return UNKNOWN if cid is None else Value(ValueKind.CALL, ref=cid)
        if t is cst.Lambda:
            fid = self.function_ids.get(id(node))
            return UNKNOWN if fid is None else Value(ValueKind.FUNCTION, ref=fid)
        if t is cst.UnaryOperation:
            return self.signed(node)
        if depth >= MAX_DEPTH:
            return UNKNOWN
        if t is cst.ConcatenatedString:
            text = _evaluated(node)
            if isinstance(text, str):
                return Value(ValueKind.STRING, text)
            return self.concatenated(node, depth + 1)
        if t is cst.FormattedString:
            return self.formatted(node, depth + 1)
        if t is cst.Dict:
            return self.dictionary(node, depth + 1)
        if t in _SEQUENCES:
            return self.sequence(node, depth + 1)
        if t is cst.BinaryOperation and type(node.operator) is cst.Add:
            return self.concat(node, depth + 1)
        return UNKNOWN

    def signed(self, node: cst.UnaryOperation) -> Value:
        operand = node.expression
        if type(operand) in (cst.Integer, cst.Float):
            number = _evaluated(operand)
            if number is not None:
                if type(node.operator) is cst.Minus:
                    return Value(ValueKind.NUMBER, -number)
                if type(node.operator) is cst.Plus:
                    return Value(ValueKind.NUMBER, number)
        return UNKNOWN

    def dictionary(self, node: cst.Dict, depth: int) -> Value:
        entries: list = []
        for element in node.elements:
            if len(entries) >= MAX_ITEMS:
                entries.append((None, UNKNOWN))
                break
            if type(element) is cst.DictElement:
                key = _evaluated(element.key) if type(element.key) is cst.SimpleString else None
                if isinstance(key, str):
                    entries.append((key, self.value(element.value, depth)))
                else:
                    entries.append((None, Value(ValueKind.COMPUTED, items=[self.value(element.key, depth),
                                                                           self.value(element.value, depth)])))
            else:                                   # `**x`
                entries.append((None, self.value(element.value, depth)))
        return Value(ValueKind.OBJECT, entries=entries)

    def sequence(self, node, depth: int) -> Value:
        items: list = []
        for element in node.elements:
            if len(items) >= MAX_ITEMS:
                items.append(Value(ValueKind.SPREAD, items=[UNKNOWN]))
                break
            if type(element) is cst.StarredElement:
                items.append(Value(ValueKind.SPREAD, items=[self.value(element.value, depth)]))
            else:
                items.append(self.value(element.value, depth))
        return Value(ValueKind.ARRAY, items=items)

    def formatted(self, node: cst.FormattedString, depth: int) -> Value:
        """Literal parts as written (`{{` is `{`); a part with escapes, a conversion or a format spec is UNKNOWN."""
        raw = "r" in node.prefix.lower()
        parts: list = []
        for part in node.parts:
            if len(parts) >= MAX_ITEMS:
                parts.append(UNKNOWN)
                break
            if type(part) is cst.FormattedStringText:
                text = part.value
                if "\\" in text and not raw:
                    parts.append(UNKNOWN)
                else:
                    parts.append(Value(ValueKind.STRING, text.replace("{{", "{").replace("}}", "}")))
            elif type(part) is cst.FormattedStringExpression:
                if part.conversion is not None or part.format_spec is not None or part.equal is not None:
                    parts.append(UNKNOWN)
                else:
                    parts.append(self.value(part.expression, depth))
            else:
                parts.append(UNKNOWN)
        return Value(ValueKind.TEMPLATE, items=parts)

    def concatenated(self, node: cst.ConcatenatedString, depth: int) -> Value:
        """`'a' f'{b}'`: the pieces' parts, in order, as one template."""
        parts: list = []
        pending = [node]
        while pending:
            cur = pending.pop()
            if type(cur) is cst.ConcatenatedString:
                pending.append(cur.right)
                pending.append(cur.left)
                continue
            piece = self.value(cur, depth)
            if piece.kind is ValueKind.TEMPLATE:
                parts.extend(piece.items or ())
            else:
                parts.append(piece)
            if len(parts) > MAX_ITEMS:
                return Value(ValueKind.TEMPLATE, items=parts[:MAX_ITEMS] + [UNKNOWN])
        return Value(ValueKind.TEMPLATE, items=parts)

    def concat(self, node: cst.BinaryOperation, depth: int) -> Value:
        operands = []
        cur = node
        while type(cur) is cst.BinaryOperation and type(cur.operator) is cst.Add:
            operands.append(cur.right)
            cur = cur.left
            if len(operands) > MAX_ITEMS:
                return UNKNOWN
        operands.append(cur)
        operands.reverse()
        return Value(ValueKind.CONCAT, items=[self.value(o, depth) for o in operands])


def add_class_value(info: ClassInfo, name: str, value: Value) -> None:
    """A class constant; a name bound twice in the class body is not a constant."""
    if info.values is None:
        info.values = {}
    info.values[name] = UNKNOWN if name in info.values else value


def _path(node):
    """`a.b.c`, and `a['b']` as `a.b` (as the JS side writes it); None for anything else."""
    parts = []
    while True:
        t = type(node)
        if t is cst.Attribute:
            parts.append(node.attr.value)
            node = node.value
        elif t is cst.Subscript:
            if len(node.slice) != 1 or type(node.slice[0].slice) is not cst.Index:
                return None
            index = node.slice[0].slice.value
            key = _evaluated(index) if type(index) is cst.SimpleString else None
            if not isinstance(key, str) or not key.isidentifier():
                return None
            parts.append(key)
            node = node.value
        elif t is cst.Name:
            parts.append(node.value)
            break
        else:
            return None
    parts.reverse()
    return ".".join(parts)


# These nodes evaluate as `ast.literal_eval(node.value)`. Every `literal_eval` call leaves a cycle of
# closures behind (garbage that a run with collection paused keeps), and short literals repeat: their
# values are computed without it, and cached by text.
LITERAL_TYPES = frozenset({cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary})
CACHED_LITERAL = 200


def _literal_eval(text: str) -> object:
    """`ast.literal_eval(text)` for one literal token: its parse is a constant; anything else is left to it."""
    body = ast.parse(text.lstrip(" \t"), mode="eval").body
    if type(body) is ast.Constant:
        return body.value
    return ast.literal_eval(text)


literal_value = lru_cache(maxsize=8192)(_literal_eval)


def evaluated_value(node) -> object:
    """`node.evaluated_value`, the same value or exception, for literals and concatenated strings."""
    t = type(node)
    if t in LITERAL_TYPES:
        text = node.value
        return literal_value(text) if len(text) <= CACHED_LITERAL else _literal_eval(text)
    if t is cst.ConcatenatedString:
        left, right = node.left, node.right
        if isinstance(left, cst.FormattedString) or isinstance(right, cst.FormattedString):
            return None
        left_value = evaluated_value(left)
        right_value = evaluated_value(right)
        if right_value is None:
            return None
        if isinstance(left_value, bytes) and isinstance(right_value, bytes):
            return left_value + right_value
        if isinstance(left_value, str) and isinstance(right_value, str):
            return left_value + right_value
        return None
    return node.evaluated_value


def _evaluated(node):
    try:
        return evaluated_value(node)
    except Exception:  # noqa: BLE001 - an odd literal is simply not known
        return None
