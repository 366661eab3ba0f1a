"""The records the JS/TS lowering builds for its handlers: name reads, arguments (what each is: a
literal, a name, a call, a function), values of bindings, decorators; and sinks that wait for the id
of the call or function a node turns out to be.
"""
from __future__ import annotations

from typing import Optional

import tree_sitter

from lambdalint.frontends.dispositions import OTHER as _OTHER
from lambdalint.frontends.js_common import (
    _ARG_TEXT_LIMIT,
    _COMMENTS,
    _FUNCTION_VALUES,
    _IDENTITY,
    _number_value,
    _PATH_BASES,
    _Scope,
)
from lambdalint.frontends.js_text import unescape as _unescape
from lambdalint.frontends.js_values import has_simple_value
from lambdalint.model import Arg, ArgKind, Binding, Decorator, Disposition, NameRef


class RecordBuilding:
    """Record builders of `_Lowerer` (a mixin)."""

    def add_name(self, name: str, node, scope: _Scope, disp: Optional[Disposition]) -> None:
        self.model.names.append(NameRef(name, self.span(node), scope.fn, (disp or _OTHER).copy(), scope.loop,
                                        scope.region))
        if scope.cond is not None:
            scope.cond.names.append(name)

    @staticmethod
    def fire(sinks, call_id: Optional[int] = None, function_id: Optional[int] = None) -> None:
        for record, call_attr, function_attr in sinks:
            if call_id is not None and call_attr:
                setattr(record, call_attr, call_id)
            if function_id is not None and function_attr:
                setattr(record, function_attr, function_id)

    def arg(self, node: tree_sitter.Node, spread: bool, text_node=None) -> Arg:
        """What an argument is, as far as its own syntax tells."""
        t = node.type
        core = node
        if t in _IDENTITY:
            core = self.unwrap(node) or node
            t = core.type
        if text_node is None:
            text_node = node
        start = text_node.start_byte
        if self.wide_lines is None:         # ASCII source: one byte per character, so cut before decoding
            text = self.src[start:min(text_node.end_byte, start + _ARG_TEXT_LIMIT)].decode("ascii")
        else:
            text = self.src[start:min(text_node.end_byte, start + 4 * _ARG_TEXT_LIMIT)].decode("utf-8", "ignore")
            text = text[:_ARG_TEXT_LIMIT]
        arg = Arg(ArgKind.OTHER, text, None, None, spread, None, None, [], self.span(text_node))
        # The two commonest kinds first, as `classify_arg` reads them; a name or a string needs no Value.
        if t == "identifier":
            name = self.src[core.start_byte:core.end_byte].decode("utf-8", "replace")
            if text == "undefined":
                arg.kind = ArgKind.NONE
                return arg
            if name and name != "super":
                arg.kind, arg.text = ArgKind.NAME, name
                return arg
        elif t == "string":
            arg.kind = ArgKind.STRING
            arg.value = _unescape(self.src[core.start_byte:core.end_byte].decode("utf-8", "replace")[1:-1])
            return arg
        else:
            self.classify_arg(arg, core, t)
            if has_simple_value(arg):       # a literal or a name already says all its Value would
                return arg
        self.pending_values.append((arg, "expr", node))
        return arg

    def classify_arg(self, arg: Arg, core, t: str) -> None:
        if t == "string" or t == "template_string":
            value = self.string_value(core)
            if value is not None:
                arg.kind, arg.value = ArgKind.STRING, value
        elif t == "number":
            arg.kind, arg.value = ArgKind.NUMBER, _number_value(self.text(core))
        elif t == "true" or t == "false":
            arg.kind, arg.value = ArgKind.BOOL, t == "true"
        elif t == "null" or t == "undefined":
            arg.kind = ArgKind.NONE
        elif t in _FUNCTION_VALUES:
            arg.kind = ArgKind.FUNCTION
        elif t == "call_expression" or t == "new_expression":
            if not self.is_plain_call(core) and t == "call_expression":
                return
            arg.kind = ArgKind.CALL
        elif t == "object":
            arg.kind = ArgKind.OBJECT
            arg.keys = self.object_keys(core)
        elif t == "array":
            arg.kind = ArgKind.ARRAY
        elif t == "identifier" and arg.text == "undefined":
            arg.kind = ArgKind.NONE
        elif t in _PATH_BASES or t == "member_expression" or t == "subscript_expression":
            path, _ = self.walk_path(core) if t in _PATH_BASES else self.member_path(core)
            if path is None and t != "identifier":
                path, _ = self.render(core)
                if "?" in path or "()" in path:
                    return
            if path and path != "super":
                arg.kind, arg.text = ArgKind.NAME, path

    @staticmethod
    def is_plain_call(call: tree_sitter.Node) -> bool:
        """A call the model records: not `import(...)`, not a tagged template."""
        callee = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        return callee is not None and callee.type != "import" and args is not None and args.type == "arguments"

    def object_keys(self, node: tree_sitter.Node) -> list[str]:
        keys = []
        for child in node.named_children:
            t = child.type
            if t == "pair" or t == "method_definition":
                key = child.child_by_field_name("key" if t == "pair" else "name")
                if key is not None and key.type != "computed_property_name":
                    name = self.property_name(key)
                    if name is not None:
                        keys.append(name)
            elif t == "shorthand_property_identifier":
                keys.append(self.text(child))
        return keys

    def fill_value(self, binding: Binding, value: Optional[tree_sitter.Node]) -> list:
        """Aliases, literals and constructed types read straight off a bound value; returns its sinks."""
        if value is None:
            return [(binding, "value_call", "value_function")]
        binding.value_span = self.span(value)
        core = self.unwrap(value) or value
        t = core.type
        if t == "string" or t == "template_string":
            literal = self.string_value(core)
            if literal is not None:
                binding.value_literal, binding.has_literal = literal, True
        elif t == "number":
            binding.value_literal, binding.has_literal = _number_value(self.text(core)), True
        elif t == "true" or t == "false":
            binding.value_literal, binding.has_literal = t == "true", True
        elif t == "null" or t == "undefined":
            binding.value_literal, binding.has_literal = None, True
        elif t in ("identifier", "member_expression", "subscript_expression", "this"):
            path, _ = self.walk_path(core) if t in _PATH_BASES else self.member_path(core)
            if path is not None and path != "undefined":
                binding.value_name = path
            elif path == "undefined":
                binding.value_literal, binding.has_literal = None, True
        elif t == "new_expression" and binding.type_name is None:
            binding.type_name = self.render(core.child_by_field_name("constructor"))[0]
        if not binding.has_literal and binding.value_name is None:   # else its Value is derived from those
            self.pending_values.append((binding, "value_expr", value))
        return [(binding, "value_call", "value_function")]

    def decorator(self, node: tree_sitter.Node) -> Decorator:
        """Decorators are descriptions of their function, not calls the function makes."""
        expr = next((c for c in node.named_children if c.type not in _COMMENTS), None)
        core = self.unwrap(expr)
        if core is not None and core.type == "call_expression":
            args_node = core.child_by_field_name("arguments")
            args = []
            if args_node is not None and args_node.type == "arguments":
                for child in self.expressions(args_node):
                    if child.type == "spread_element":
                        inner = next(iter(self.expressions(child)), child)
                        args.append(self.arg(inner, True, child))
                    else:
                        args.append(self.arg(child, False))
            return Decorator(self.render(core.child_by_field_name("function"))[0], args, self.span(node))
        return Decorator(self.render(core)[0], [], self.span(node))

    def decorators_of(self, node: tree_sitter.Node) -> list[Decorator]:
        return [self.decorator(c) for c in node.named_children if c.type == "decorator"]
