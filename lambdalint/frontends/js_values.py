"""JS/TS expressions as `Value`s: the literal shape of arguments, bound values, static fields, enums.

Built after the walk, when every call and function has its id: the lowerer
keeps (record, attribute, node) triples and the tree-sitter node ids of the
calls and functions it recorded; nothing here walks a subtree the caps do not
bound. Nesting, container length and total size are capped, and what lies past
a cap is UNKNOWN, so a value stays small whatever the source holds.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.frontends.js_text import unescape as _unescape
from lambdalint.model import Arg, ArgKind, ClassInfo, Value, ValueKind

MAX_DEPTH = 6          # containers inside containers
MAX_ITEMS = 64         # entries of one object / elements of one array / parts of one template
MAX_NODES = 256        # Values in one top-level value

UNKNOWN = Value(ValueKind.UNKNOWN)
_NONE = Value(ValueKind.NONE)
_TRUE = Value(ValueKind.BOOL, True)
_FALSE = Value(ValueKind.BOOL, False)
_COMMENTS = frozenset({"comment", "html_comment"})
_FUNCTIONS = frozenset({"function_expression", "function", "generator_function", "arrow_function"})
_PATHS = frozenset({"identifier", "member_expression", "subscript_expression", "this"})
_IMPORT_META = frozenset({"import.meta.url", "import.meta.dirname", "import.meta.filename"})
_STATIC_TYPES = frozenset({"as_expression", "satisfies_expression", "non_null_expression", "type_assertion",
                           "parenthesized_expression", "instantiation_expression"})


class ValueBuilder:
    """Turns nodes into Values with the lowerer's helpers (text, string values, paths) and id maps."""

    def __init__(self, lowerer, call_ids: dict, function_ids: dict):
        self.low = lowerer
        self.call_ids = call_ids
        self.function_ids = function_ids
        self.budget = 0

    def build(self, node) -> Value:
        self.budget = MAX_NODES
        return self.value(node, 0)

    def value(self, node, depth: int) -> Value:
        low = self.low
        t = node.type
        if t in _STATIC_TYPES:
            node = low.unwrap(node)
            if node is None:
                return UNKNOWN
            t = node.type
        self.budget -= 1
        if self.budget < 0:
            return UNKNOWN
        if t == "string":                       # the commonest; `string_value`, inlined
            return Value(ValueKind.STRING, _unescape(low.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
                                                     [1:-1]))
        if t == "identifier":
            text = low.text(node)
            if not text:
                return UNKNOWN                  # a name the parser had to invent (error recovery)
            return _NONE if text == "undefined" else Value(ValueKind.NAME, text)
        if t == "template_string":
            return self.template(node, depth)
        if t == "number":
            number = _number(low.text(node))
            return UNKNOWN if number is None else Value(ValueKind.NUMBER, number)
        if t == "true":
            return _TRUE
        if t == "false":
            return _FALSE
        if t == "null" or t == "undefined":
            return _NONE
        if t in _PATHS:
            path, _ = low.walk_path(node)
            if path is None:
                if t == "member_expression" and low.text(node) in _IMPORT_META:
                    return Value(ValueKind.NAME, low.text(node))
                return UNKNOWN
            return _NONE if path == "undefined" else Value(ValueKind.NAME, path)
        if t == "call_expression" or t == "new_expression":
            cid = self.call_ids.get(node.id)
            return UNKNOWN if cid is None else Value(ValueKind.CALL, ref=cid)
        if t in _FUNCTIONS:
            fid = self.function_ids.get(node.id)
            return UNKNOWN if fid is None else Value(ValueKind.FUNCTION, ref=fid)
        if depth >= MAX_DEPTH:
            return UNKNOWN
        if t == "object":
            return self.object(node, depth + 1)
        if t == "array":
            return self.array(node, depth + 1)
        if t == "binary_expression":
            return self.concat(node, depth + 1)
        if t == "unary_expression":
            return self.unary(node)
        return UNKNOWN

    def object(self, node, depth: int) -> Value:
        low = self.low
        src = low.src
        entries: list = []
        for child in node.named_children:
            t = child.type
            if t in _COMMENTS:
                continue
            if len(entries) >= MAX_ITEMS:
                entries.append((None, UNKNOWN))
                break
            if t == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is None:
                    entries.append((None, UNKNOWN))
                    continue
                kt = key.type
                if kt == "property_identifier":     # the commonest key; `property_name`, inlined
                    entries.append((src[key.start_byte:key.end_byte].decode("utf-8", "replace"),
                                    self.value(value, depth) if value is not None else UNKNOWN))
                elif kt == "computed_property_name":
                    expression = next((c for c in key.named_children if c.type not in _COMMENTS), None)
                    if expression is None or value is None:
                        entries.append((None, UNKNOWN))
                    else:
                        entries.append((None, Value(ValueKind.COMPUTED, items=[self.value(expression, depth),
                                                                               self.value(value, depth)])))
                else:
                    entries.append((low.property_name(key), self.value(value, depth) if value is not None
                                    else UNKNOWN))
            elif t == "shorthand_property_identifier":
                entries.append((low.text(child), Value(ValueKind.NAME, low.text(child))))
            elif t == "method_definition":
                key = child.child_by_field_name("name")
                if key is None or key.type == "computed_property_name":
                    entries.append((None, UNKNOWN))
                    continue
                accessor = any(c.type in ("get", "set") for c in child.children)
                fid = self.function_ids.get(child.id)
                value = UNKNOWN if accessor or fid is None else Value(ValueKind.FUNCTION, ref=fid)
                entries.append((low.property_name(key), value))
            elif t == "spread_element":
                inner = next((c for c in child.named_children if c.type not in _COMMENTS), None)
                entries.append((None, self.value(inner, depth) if inner is not None else UNKNOWN))
            else:
                entries.append((None, UNKNOWN))
        return Value(ValueKind.OBJECT, entries=entries)

    def array(self, node, depth: int) -> Value:
        items: list = []
        for child in node.named_children:
            if child.type in _COMMENTS:
                continue
            if len(items) >= MAX_ITEMS:
                items.append(Value(ValueKind.SPREAD, items=[UNKNOWN]))
                break
            if child.type == "spread_element":
                inner = next((c for c in child.named_children if c.type not in _COMMENTS), None)
                items.append(Value(ValueKind.SPREAD, items=[self.value(inner, depth) if inner is not None
                                                            else UNKNOWN]))
            else:
                items.append(self.value(child, depth))
        return Value(ValueKind.ARRAY, items=items)

    def template(self, node, depth: int) -> Value:
        """Literal parts are the source text between substitutions, unescaped; substitutions their Values."""
        low = self.low
        substitutions = [c for c in node.named_children if c.type == "template_substitution"]
        if not substitutions:
            return Value(ValueKind.STRING, low.string_value(node))
        if depth >= MAX_DEPTH:
            return UNKNOWN
        src = low.src
        parts: list = []
        start = node.start_byte + 1
        for sub in substitutions:
            if len(parts) >= MAX_ITEMS:
                return Value(ValueKind.TEMPLATE, items=parts + [UNKNOWN])
            if sub.start_byte > start:
                parts.append(Value(ValueKind.STRING, _unescaped(src[start:sub.start_byte])))
            inner = next((c for c in sub.named_children if c.type not in _COMMENTS), None)
            parts.append(self.value(inner, depth + 1) if inner is not None else UNKNOWN)
            start = sub.end_byte
        end = node.end_byte - 1
        if end > start:
            parts.append(Value(ValueKind.STRING, _unescaped(src[start:end])))
        return Value(ValueKind.TEMPLATE, items=parts)

    def concat(self, node, depth: int) -> Value:
        """A left-leaning chain `a + b + c` is flattened without recursion into its operands."""
        operands = []
        cur = node
        while cur is not None and cur.type == "binary_expression":
            operator = cur.child_by_field_name("operator")
            if operator is None or operator.type != "+":
                break
            right = cur.child_by_field_name("right")
            operands.append(right)
            cur = self.low.unwrap(cur.child_by_field_name("left"))
            if len(operands) > MAX_ITEMS:
                return UNKNOWN
        if cur is node:
            return UNKNOWN
        operands.append(cur)
        operands.reverse()
        return Value(ValueKind.CONCAT, items=[self.value(o, depth) if o is not None else UNKNOWN for o in operands])

    def unary(self, node) -> Value:
        operator = node.child_by_field_name("operator")
        argument = self.low.unwrap(node.child_by_field_name("argument"))
        op = operator.type if operator is not None else ""
        if op == "void":
            return _NONE
        if op in ("-", "+") and argument is not None and argument.type == "number":
            number = _number(self.low.text(argument))
            if number is not None:
                return Value(ValueKind.NUMBER, -number if op == "-" else number)
        return UNKNOWN

    # ------------------------------------------------------------------ enums
    def enum_values(self, body, ambient: bool) -> dict:
        """TS enum members: explicit values, and implicit numbers counting on from the last number."""
        low = self.low
        values: dict = {}
        following: Optional[int] = 0
        for member in body.named_children:
            t = member.type
            if t in _COMMENTS:
                continue
            if len(values) >= 4 * MAX_ITEMS:
                break
            if t == "enum_assignment":
                name_node = member.child_by_field_name("name")
                value_node = member.child_by_field_name("value")
                value = self.build(value_node) if value_node is not None else UNKNOWN
                if value.kind is not ValueKind.STRING and value.kind is not ValueKind.NUMBER:
                    value = UNKNOWN     # members may refer to each other: `B = A | 2`, left unknown
                following = value.literal + 1 if value.kind is ValueKind.NUMBER and isinstance(
                    value.literal, int) else None
            else:
                name_node = member
                if ambient or following is None:
                    value = UNKNOWN
                else:
                    value = Value(ValueKind.NUMBER, following)
                    following += 1
            if name_node is None:
                continue
            name = low.property_name(name_node)
            if name is not None:
                values[name] = value
        return values


def has_simple_value(record) -> bool:
    """Whether the model derives this Arg's or Binding's Value from the literal / name / call it already holds
    (the same cases as `model._arg_value` / `model._binding_value`, without building them)."""
    if isinstance(record, Arg):
        kind = record.kind
        if kind in _SIMPLE_ARGS:
            return kind is not ArgKind.NUMBER or isinstance(record.value, (int, float))
        if kind is ArgKind.CALL:
            return record.call is not None
        if kind is ArgKind.FUNCTION:
            return record.function is not None
        return False
    return bool(record.has_literal or record.value_name is not None or record.value_call is not None
                or record.value_function is not None)


_SIMPLE_ARGS = frozenset({ArgKind.NAME, ArgKind.STRING, ArgKind.NUMBER, ArgKind.BOOL, ArgKind.NONE})


def destructured_values(low, pattern, value, bindings: list) -> None:
    """`const { A, b: B } = source.path`: each top-level leaf without a default holds `source.path.A`."""
    source, _ = low.walk_path(low.unwrap(value)) if value is not None else (None, None)
    if source is None or pattern.type != "object_pattern" or not bindings:
        return
    by_start = {b.span.line * 1_000_000 + b.span.column: b for b in bindings}
    for child in pattern.named_children:
        t = child.type
        if t == "shorthand_property_identifier_pattern":
            key, leaf = low.text(child), child
        elif t == "pair_pattern":
            key_node, leaf = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key_node is None or key_node.type == "computed_property_name" or leaf is None \
                    or leaf.type != "identifier":
                continue
            key = low.property_name(key_node)
        else:
            continue
        span = low.span(leaf)
        binding = by_start.get(span.line * 1_000_000 + span.column)
        if binding is not None and key:
            binding.value_expr = Value(ValueKind.NAME, f"{source}.{key}")


def add_class_value(info: ClassInfo, name: str, value: Value) -> None:
    """A class constant; a name given twice is not a constant."""
    if info.values is None:
        info.values = {}
    info.values[name] = UNKNOWN if name in info.values else value


def _number(text: str):
    clean = text.replace("_", "")
    if clean.endswith("n"):
        clean = clean[:-1]
    try:
        if clean[:2].lower() in ("0x", "0o", "0b"):
            return int(clean, 0)
        return int(clean)
    except ValueError:
        try:
            return float(clean)
        except ValueError:
            return None


def _unescaped(raw: bytes) -> str:
    return _unescape(raw.decode("utf-8", "replace"))
