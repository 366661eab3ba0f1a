"""JavaScript / TypeScript front end: one tree-sitter parse, one pass, one `FileModel`.

The walk keeps its own work stack instead of recursing, so a pathological file
(thousands of nested parentheses, arrays or callbacks) cannot exhaust Python's
recursion limit. Each work item carries the *context* the parent decided for
the node (its disposition, the enclosing function and class, loop depth) plus
optional *sinks*: records created by an ancestor that are waiting for the id
of the call or function this node will turn out to be (an `Arg`, a `Binding`,
an `Export`, the outer call's `receiver_call`). Sinks travel only through
wrappers that keep the value itself (parentheses, `as`, `!`, ...), never
through `a ? b : c` or `a && b`, which may yield something else.
"""
from __future__ import annotations

from typing import Callable, Optional

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

from lambdalint.frontends.dispositions import (
    OTHER as _OTHER,
    DISCARDED as _DISCARDED,
    CONDITION as _CONDITION,
    RETURNED as _RETURNED,
    AWAITED as _AWAITED,
    YIELDED as _YIELDED,
    VOIDED as _VOIDED,
    ITERATED as _ITERATED,
    ASYNC_ITERATED as _ASYNC_ITERATED,
)
from lambdalint.frontends.js_bindings import BindingLowering
from lambdalint.frontends.js_common import (
    _always_true,
    _ARG_TEXT_LIMIT,
    _CHAIN_PARENTS,
    _CLASSES,
    _COMMENTS,
    _FUNCTION_VALUES,
    _FUNCTIONS,
    _IDENTIFIER,
    _IDENTITY,
    _INERT,
    _is_using,
    _JSX_PARTS,
    _LOGICAL,
    _MAIN_GUARDS,
    _Naming,
    _NON_WS,
    _NULL_CHECKS,
    _NULLISH,
    _number_value,
    _PATH_BASES,
    _RENDERED_AS_WRITTEN,
    _Scope,
)
from lambdalint.frontends.js_definitions import DefinitionLowering
from lambdalint.frontends.js_errors import _comments, _error_regions, _line_count, _reject_broken
from lambdalint.frontends.js_modules import ModuleLowering
from lambdalint.frontends.js_text import unescape as _unescape
from lambdalint.frontends.js_values import ValueBuilder, add_class_value, has_simple_value
from lambdalint.frontends.structure import StructureBuilder
from lambdalint.model import (
    Arg,
    ArgKind,
    Binding,
    Call,
    Choice,
    ChoiceKind,
    ClassInfo,
    Condition,
    ConstructKind,
    Container,
    Decorator,
    Disposition,
    ExitKind,
    FileModel,
    Handler,
    Language,
    LoopKind,
    NameRef,
    RegionKind,
    Span,
    Use,
)

__all__ = ["lower_javascript"]

# The `Choice` each logical operator records: its right operand runs only as the left one decides.
_CHOICE_KINDS = {"&&": ChoiceKind.AND, "||": ChoiceKind.OR, "??": ChoiceKind.NULLISH}

# --------------------------------------------------------------------------- grammars

_GRAMMAR_BY_EXTENSION = {
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
}
_LANGUAGE_OBJECTS = {
    "typescript": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "javascript": tree_sitter_javascript.language,
}
_parsers: dict[str, tree_sitter.Parser] = {}


def _grammar_for(path: str) -> str:
    dot = path.rfind(".")
    return _GRAMMAR_BY_EXTENSION.get(path[dot:].lower() if dot >= 0 else "", "javascript")


def _parser_for(grammar: str) -> tree_sitter.Parser:
    """Languages and parsers are costly to build: one of each per grammar, kept for the process."""
    parser = _parsers.get(grammar)
    if parser is None:
        language = tree_sitter.Language(_LANGUAGE_OBJECTS[grammar]())
        parser = _parsers[grammar] = tree_sitter.Parser(language)
    return parser


# A work item: (node, scope, disposition, sinks, naming). A sink is (record, attribute to
# receive the id if the node is a call, attribute to receive the id if it is a function).
_Item = tuple


class _Lowerer(BindingLowering, ModuleLowering, DefinitionLowering):
    """Walks one tree once; every handler records what its node means and schedules its children."""

    def __init__(self, src: bytes, model: FileModel):
        self.src = src
        self.model = model
        self.stack: list[_Item] = []
        self.callee_memo: dict[int, tuple[str, bool]] = {}
        self.paths: dict[int, tuple] = {}       # node id -> `walk_path` of a member read, computed ahead
        self.structure = StructureBuilder(model, switch_breaks=True)
        self.labels: dict[int, str] = {}        # node id of a labelled statement -> its label
        # Values are built after the walk, when every call and function has its id.
        self.call_ids: dict[int, int] = {}
        self.function_ids: dict[int, int] = {}
        self.pending_values: list = []      # (record or dict, attribute or key, node)
        self.wide_lines: Optional[dict[int, bytes]] = None
        self.has_using = b"using" in src     # else no block needs looking at for `using` declarations
        if not src.isascii():
            self.wide_lines = {row: line for row, line in enumerate(src.split(b"\n")) if not line.isascii()}

    # ------------------------------------------------------------------ driver
    def run(self, root: tree_sitter.Node) -> None:
        stack = self.stack
        handlers = _HANDLERS
        generic = _Lowerer._generic
        stack.append((root, _Scope(None, 0, False, None), None, None, None))
        functions = self.model.functions
        pop = stack.pop
        while stack:
            item = pop()
            node = item[0]
            if node is not None:
                t = node.type
                if item[2] is _RETURNED and t in _PLAIN_VALUES and item[1].fn is not None:
                    functions[item[1].fn].plain_returns += 1
                handlers.get(t, generic)(self, *item)
        self.build_values()

    def build_values(self) -> None:
        """An Arg or Binding whose literal, name, call or function is already read needs no Value of its own."""
        builder = ValueBuilder(self, self.call_ids, self.function_ids)
        for record, attr, node in self.pending_values:
            if isinstance(record, ClassInfo):
                add_class_value(record, attr, builder.build(node))
            elif not has_simple_value(record):
                setattr(record, attr, builder.build(node))
        self.pending_values = []

    def push(self, items: list) -> None:
        """Children are scheduled in reverse so they are handled in source order."""
        if items:
            items.reverse()
            self.stack.extend(items)

    # --------------------------------------------------------------- positions
    def col(self, row: int, byte_col: int) -> int:
        if self.wide_lines is None:
            return byte_col + 1
        line = self.wide_lines.get(row)
        if line is None:
            return byte_col + 1
        prefix = line[:byte_col]
        try:
            return len(prefix.decode("utf-8", "surrogatepass")) + 1
        except UnicodeDecodeError:
            return len(prefix.decode("utf-8", "ignore")) + 1

    def span(self, node: tree_sitter.Node) -> Span:
        sp = node.start_point
        ep = node.end_point
        if self.wide_lines is not None:
            return Span(sp[0] + 1, self.col(sp[0], sp[1]), ep[0] + 1, self.col(ep[0], ep[1]))
        return Span(sp[0] + 1, sp[1] + 1, ep[0] + 1, ep[1] + 1)

    def text(self, node: tree_sitter.Node) -> str:
        return self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")

    # ------------------------------------------------------------ tree helpers
    @staticmethod
    def inner(node: tree_sitter.Node) -> Optional[tree_sitter.Node]:
        """The expression a transparent wrapper holds (the last one for `<T>x`, the first otherwise)."""
        found = None
        for child in node.named_children:
            if child.type in _COMMENTS or child.type == "type_arguments" and node.type == "type_assertion":
                continue
            if node.type != "type_assertion":
                return child
            found = child
        return found

    def unwrap(self, node: Optional[tree_sitter.Node]) -> Optional[tree_sitter.Node]:
        while node is not None and node.type in _IDENTITY:
            node = self.inner(node)
        return node

    @staticmethod
    def expressions(node: tree_sitter.Node) -> list:
        return [c for c in node.named_children if c.type not in _COMMENTS]

    def string_value(self, node: tree_sitter.Node) -> Optional[str]:
        """The value of a string literal, or of a template literal without substitutions."""
        t = node.type
        if t == "string":
            return _unescape(self.text(node)[1:-1])
        if t == "template_string":
            for child in node.named_children:
                if child.type == "template_substitution":
                    return None
            return _unescape(self.text(node)[1:-1])
        return None

    def member_key(self, subscript: tree_sitter.Node) -> Optional[str]:
        """`b` for `a['b']`; None when the index is computed or not a name (`a['x.y']` stays `a[]`)."""
        index = subscript.child_by_field_name("index")
        if index is None or index.type != "string":
            return None
        key = self.string_value(index)
        return key if key is not None and _IDENTIFIER.fullmatch(key) else None

    def property_name(self, node: Optional[tree_sitter.Node]) -> Optional[str]:
        """A property key as written: `a`, `'a'`, `#a`, `3`; a computed key as its source text."""
        if node is None:
            return None
        t = node.type
        if t == "string":
            return self.string_value(node)
        return self.text(node)

    def type_text(self, node: Optional[tree_sitter.Node]) -> Optional[str]:
        """Annotation text without its leading colon (`: Promise<void>` -> `Promise<void>`)."""
        if node is None:
            return None
        text = self.text(node).strip()
        if text.startswith(":"):
            text = text[1:].strip()
        return text or None

    # -------------------------------------------------------------------- paths
    def walk_path(self, node: tree_sitter.Node):
        """(`a.b.c`, None) for a pure dotted path; (None, node where the path stops being one) otherwise."""
        if node.type == "identifier":           # the common case, without the loop
            name = self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
            return (name, None) if name else (None, node)
        src = self.src
        parts = []
        cur = node
        while True:
            t = cur.type
            if t == "member_expression":
                prop = cur.child_by_field_name("property")
                obj = cur.child_by_field_name("object")
                if prop is None or obj is None:
                    return None, cur
                parts.append(src[prop.start_byte:prop.end_byte].decode("utf-8", "replace"))
                cur = obj
            elif t == "subscript_expression":
                key = self.member_key(cur)
                obj = cur.child_by_field_name("object")
                if key is None or obj is None:
                    return None, cur
                parts.append(key)
                cur = obj
            elif t in _PATH_BASES:
                name = src[cur.start_byte:cur.end_byte].decode("utf-8", "replace")
                if not name:
                    return None, cur
                parts.append(name)
                break
            elif t in _IDENTITY:
                inner = self.inner(cur)
                if inner is None:
                    return None, cur
                cur = inner
            else:
                return None, cur
        parts.reverse()
        return ".".join(parts), None

    def member_path(self, node: tree_sitter.Node):
        """`walk_path` of a member expression the walk meets again as a read: kept for `_member_read`."""
        found = self.paths[node.id] = self.walk_path(node)
        return found

    def render(self, node: Optional[tree_sitter.Node]) -> tuple[str, bool]:
        """The dotted path of any expression (calls as `f()`, computed members as `[]`, else `?`),
        and whether its own member chain uses `?.`.

        The renderings of the calls met on the way are remembered, so a chain
        `a().b().c()...` costs one walk, not one per link.
        """
        if node is None:
            return "?", False
        if node.type == "identifier":           # the common case, without the loop
            return self.src[node.start_byte:node.end_byte].decode("utf-8", "replace") or "?", False
        parts: list[str] = []
        marks: list[list] = []         # [call node, index in parts, optional]
        optional = False
        current = None                 # the mark whose member chain is being walked
        cur = node
        base = "?"
        src = self.src
        while cur is not None:
            t = cur.type
            if t == "member_expression":
                prop = cur.child_by_field_name("property")
                parts.append("." + src[prop.start_byte:prop.end_byte].decode("utf-8", "replace")
                             if prop is not None else ".?")
                if cur.child_count > 1 and cur.child(1).type == "optional_chain":
                    if current is None:
                        optional = True
                    else:
                        current[2] = True
                cur = cur.child_by_field_name("object")
            elif t == "subscript_expression":
                key = self.member_key(cur)
                parts.append("[]" if key is None else "." + key)
                if cur.child_count > 1 and cur.child(1).type == "optional_chain":
                    if current is None:
                        optional = True
                    else:
                        current[2] = True
                cur = cur.child_by_field_name("object")
            elif t == "call_expression" or t == "new_expression":
                memo = self.callee_memo.get(cur.id)
                if memo is not None:
                    base = memo[0] + "()"
                    break
                callee = cur.child_by_field_name("function" if t == "call_expression" else "constructor")
                if callee is not None and callee.type == "super":
                    base = "super"
                    break
                current = [cur, len(parts), t == "call_expression" and self.direct_optional(cur)]
                marks.append(current)
                parts.append("()")
                cur = callee
            elif t in _PATH_BASES or t in _RENDERED_AS_WRITTEN:
                base = src[cur.start_byte:cur.end_byte].decode("utf-8", "replace") or "?"
                break
            elif t in _IDENTITY:
                cur = self.inner(cur)
            elif t == "sequence_expression":
                parts_of_sequence = self.expressions(cur)
                cur = parts_of_sequence[-1] if parts_of_sequence else None
            else:
                break
        path = base
        if marks:
            mark_at = {mark[1]: mark for mark in marks}
            for i in range(len(parts) - 1, -1, -1):
                mark = mark_at.get(i)
                if mark is not None:
                    self.callee_memo[mark[0].id] = (path, mark[2])
                path += parts[i]
        else:
            parts.reverse()
            path += "".join(parts)
        return path, optional

    @staticmethod
    def direct_optional(call: tree_sitter.Node) -> bool:
        """`f?.()`: the call itself is optional."""
        for child in call.children:
            if child.type == "?." or child.type == "optional_chain":
                return True
            if child.type == "arguments":
                return False
        return False

    # ------------------------------------------------------------------ records
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

    # ----------------------------------------------------------------- generic
    def _generic(self, node, scope, disp, sinks, naming) -> None:
        """Unknown or uninteresting syntax: its sub-expressions are plain reads (OTHER)."""
        self.push([(c, scope, _OTHER, None, None) for c in node.named_children if c.type not in _INERT])

    def _skip(self, node, scope, disp, sinks, naming) -> None:
        pass

    def _identity(self, node, scope, disp, sinks, naming) -> None:
        inner = self.inner(node)
        if inner is not None:
            self.stack.append((inner, scope, disp, sinks, naming))

    def _expression_statement(self, node, scope, disp, sinks, naming) -> None:
        stack = self.stack
        for c in reversed(node.named_children):
            if c.type not in _INERT:
                stack.append((c, scope, _DISCARDED, None, None))

    # --------------------------------------------------------------- reads
    def _identifier(self, node, scope, disp, sinks, naming) -> None:
        name = self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
        if name and name != "undefined":         # as `add_name`, inlined: a file's most common node
            self.model.names.append(NameRef(name, self.span(node), scope.fn, (disp or _OTHER).copy(), scope.loop,
                                            scope.region))
            if scope.cond is not None:
                scope.cond.names.append(name)

    def _member_read(self, node, scope, disp, sinks, naming) -> None:
        """A dotted read is one NameRef (the longest path); a read through a call or `x[i]` reads its parts."""
        found = self.paths.pop(node.id, None) if self.paths else None
        path, stop = found if found is not None else self.walk_path(node)
        if path is not None:
            if path != "this" and path != "super":
                self.add_name(path, node, scope, disp)
            return
        items = []
        if stop.type == "subscript_expression":
            index = stop.child_by_field_name("index")
            obj = stop.child_by_field_name("object")
            if obj is not None:
                items.append((obj, scope, _OTHER, None, None))
            if index is not None:
                items.append((index, scope, _OTHER, None, None))
        elif stop.type == "member_expression":      # broken member (recovery): read what is there
            items = [(c, scope, _OTHER, None, None) for c in stop.named_children if c.type not in _INERT]
        else:
            items.append((stop, scope, _OTHER, None, None))
        self.push(items)

    # --------------------------------------------------------------- calls
    def _call(self, node, scope, disp, sinks, naming) -> None:
        callee_node = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        if callee_node is None or callee_node.type == "import":
            return                                  # dynamic `import()` is not a call the rules judge
        if args_node is None or args_node.type != "arguments":
            self._generic(node, scope, disp, sinks, naming)   # tagged template
            return
        if callee_node.type == "await_expression":
            # tree-sitter-typescript reads `await f<T>(x)` as `(await f)<T>(x)`; written code needs parentheses
            # for that. Lowered as `await f<T>(x)` when nothing is chained on (else the await covers the chain).
            operand = next(iter(self.expressions(callee_node)), None)
            parent = node.parent
            if operand is not None and parent is not None and parent.type not in _CHAIN_PARENTS:
                self.callee_memo.pop(node.id, None)
                self.record_call(node, operand, args_node, False, scope, _AWAITED, sinks if disp is _AWAITED else None)
                return
        self.record_call(node, callee_node, args_node, False, scope, disp, sinks)

    def _new(self, node, scope, disp, sinks, naming) -> None:
        self.record_call(node, node.child_by_field_name("constructor"), node.child_by_field_name("arguments"),
                         True, scope, disp, sinks)

    def record_call(self, node, callee_node, args_node, is_new, scope, disp, sinks) -> None:
        node_id = node.id
        memo = self.callee_memo.pop(node_id, None) if self.callee_memo else None
        core = callee_node
        t = callee_node.type if callee_node is not None else None
        if memo is not None:
            callee, optional = memo
        elif t == "identifier":                 # `f(...)`: `render`, inlined
            callee = self.src[callee_node.start_byte:callee_node.end_byte].decode("utf-8", "replace") or "?"
            # two children are the callee and the arguments: no `?.` between them
            optional = not is_new and node.child_count != 2 and self.direct_optional(node)
        else:
            callee, optional = self.render(callee_node)
            optional = optional or (not is_new and node.child_count != 2 and self.direct_optional(node))
        calls = self.model.calls
        cid = len(calls)
        self.call_ids[node_id] = cid
        call = Call(cid, callee, self.span(node), scope.fn, (disp or _OTHER).copy(), [], is_new, None, scope.loop,
                    scope.guard, optional, None, scope.region)
        calls.append(call)
        if scope.cond is not None:
            scope.cond.calls.append(cid)
        if sinks:
            self.fire(sinks, call_id=cid)
        items = []
        if t in _IDENTITY:
            core = self.unwrap(callee_node)
        if core is not None and core.type == "sequence_expression":
            # `(0, obj.fn)(x)`, as compilers emit it: a plain call of `obj.fn`.
            parts = self.expressions(core)
            items.extend((c, scope, _DISCARDED, None, None) for c in parts[:-1])
            core = self.unwrap(parts[-1]) if parts else None
        if core is not None:
            t = core.type
            if is_new and (t == "member_expression" or t == "subscript_expression"):
                self.target_path(core, scope, items)        # `new a[k]()`: only `k` is read
            elif t == "member_expression" or t == "subscript_expression":
                receiver = core.child_by_field_name("object")
                if receiver is not None:
                    items.append((receiver, scope, Disposition(Use.RECEIVER, cid),
                                  ((call, "receiver_call", None),), None))
                index = core.child_by_field_name("index") if t == "subscript_expression" else None
                if index is not None:
                    items.append((index, scope, _OTHER, None, None))
            elif t not in _PATH_BASES:
                # `(async () => {})()`, `f()()`: an immediately invoked function is linked to its call.
                items.append((core, scope, _OTHER, ((call, None, "callee_function"),), None))
        if args_node is not None:
            args = call.args
            for child in args_node.named_children:
                t = child.type
                if t in _COMMENTS:
                    continue
                spread = t == "spread_element"
                if spread:
                    value = next(iter(self.expressions(child)), None)
                    if value is None:
                        continue
                    t = value.type
                else:
                    value = child
                arg = self.arg(value, spread, child)
                args.append(arg)
                if t not in _INERT:             # a literal argument holds nothing more to walk
                    items.append((value, scope, Disposition(Use.ARGUMENT, cid, len(args) - 1, None, spread),
                                  ((arg, "call", "function"),), None))
        if items:
            items.reverse()
            self.stack.extend(items)

    # ---------------------------------------------------------- value contexts
    def _await(self, node, scope, disp, sinks, naming) -> None:
        self.push([(c, scope, _AWAITED, None, None) for c in self.expressions(node)])

    def _yield(self, node, scope, disp, sinks, naming) -> None:
        self.push([(c, scope, _YIELDED, None, None) for c in self.expressions(node)])

    def _return(self, node, scope, disp, sinks, naming) -> None:
        values = self.expressions(node)
        if scope.fn is not None:
            function = self.model.functions[scope.fn]
            function.returns += 1
            if not values:
                function.plain_returns += 1
        self.structure.exit(ExitKind.RETURN, self.span(node), scope.fn, scope.region, bool(values),
                            self.walk_path(values[0])[0] if values else None)
        self.push([(c, scope, _RETURNED, None, None) for c in values])

    def _unary(self, node, scope, disp, sinks, naming) -> None:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if argument is None:
            return
        op = operator.type if operator is not None else ""
        if op == "delete":
            items = []
            self.bind_target(argument, scope, "delete", items)
            self.push(items)
            return
        inner = _CONDITION if op == "!" else _VOIDED if op == "void" else _OTHER
        self.stack.append((argument, scope, inner, None, None))

    def _binary(self, node, scope, disp, sinks, naming) -> None:
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator is not None and operator.type in _LOGICAL:
            items = [(left, scope, _CONDITION, None, None), (right, scope, disp or _OTHER, None, None)]
            if left is not None and right is not None:
                self.model.choices.append(Choice(_CHOICE_KINDS[operator.type], self.span(node), scope.fn,
                                                 self.span(left), [self.span(right)], scope.region))
        else:
            items = [(left, scope, _OTHER, None, None), (right, scope, _OTHER, None, None)]
        self.push([item for item in items if item[0] is not None])

    def _ternary(self, node, scope, disp, sinks, naming) -> None:
        disp = disp or _OTHER
        test, consequence, alternative = (node.child_by_field_name(f) for f in ("condition", "consequence",
                                                                                 "alternative"))
        items = [
            (test, scope, _CONDITION, None, None),
            (consequence, scope, disp, None, None),
            (alternative, scope, disp, None, None),
        ]
        if test is not None and consequence is not None and alternative is not None:
            self.model.choices.append(Choice(ChoiceKind.TERNARY, self.span(node), scope.fn, self.span(test),
                                             [self.span(consequence), self.span(alternative)], scope.region))
        self.push([item for item in items if item[0] is not None])

    def _sequence(self, node, scope, disp, sinks, naming) -> None:
        parts = self.expressions(node)
        items = [(c, scope, _DISCARDED, None, None) for c in parts[:-1]]
        if parts:
            items.append((parts[-1], scope, disp or _OTHER, None, None))
        self.push(items)

    def _array(self, node, scope, disp, sinks, naming) -> None:
        inner = (disp or _OTHER).within(Container.ARRAY)
        items = []
        for child in self.expressions(node):
            if child.type == "spread_element":
                items.extend((c, scope, inner, None, None) for c in self.expressions(child))
            else:
                items.append((child, scope, inner, None, None))
        self.push(items)

    def _object(self, node, scope, disp, sinks, naming, key_sinks=None) -> None:
        """Values share the object's fate; `key_sinks(key, member)` lets `module.exports = {...}` claim them."""
        inner = (disp or _OTHER).within(Container.OBJECT)
        items = []
        src = self.src
        for child in node.named_children:
            t = child.type
            if t == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                name = None
                if key is not None:
                    kt = key.type
                    if kt == "computed_property_name":
                        items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
                    elif kt == "string":
                        name = self.string_value(key)
                    else:                                   # `property_name`, inlined
                        name = src[key.start_byte:key.end_byte].decode("utf-8", "replace")
                if value is not None:
                    member_sinks = key_sinks(name, child, value) if key_sinks and name is not None else None
                    if value.type not in _INERT:            # a literal value holds nothing to walk
                        items.append((value, scope, inner, member_sinks, _Naming(name, key)))
            elif t == "shorthand_property_identifier":
                if key_sinks:
                    key_sinks(self.text(child), child, None)
                items.append((child, scope, inner, None, None))
            elif t == "method_definition":
                key = child.child_by_field_name("name")
                name = self.property_name(key)
                member_sinks = key_sinks(name, child, child) if key_sinks and name is not None else None
                items.append((child, scope, None, member_sinks, _Naming(name, key, class_name="{}")))
            elif t == "spread_element":
                items.extend((c, scope, _OTHER, None, None) for c in self.expressions(child))
            elif t not in _COMMENTS:
                items.append((child, scope, _OTHER, None, None))
        self.push(items)

    def _spread(self, node, scope, disp, sinks, naming) -> None:
        self.push([(c, scope, _OTHER, None, None) for c in self.expressions(node)])

    def _template(self, node, scope, disp, sinks, naming) -> None:
        items = []
        for child in node.named_children:
            if child.type == "template_substitution":
                items.extend((c, scope, _OTHER, None, None) for c in self.expressions(child))
        self.push(items)

    def _jsx(self, node, scope, disp, sinks, naming) -> None:
        """Only embedded `{...}` expressions and nested elements hold code; tag and attribute names do not."""
        items = []
        if node.type == "jsx_expression":
            for child in self.expressions(node):
                items.append((child, scope, _OTHER, None, None))
        else:
            for child in node.named_children:
                if child.type in _JSX_PARTS:
                    items.append((child, scope, _OTHER, None, None))
        self.push(items)

    # ------------------------------------------------------------ statements
    # ------------------------------------------------- control structure (see `model.Construct`)
    def condition_item(self, node, scope: _Scope, items: list, disp=_CONDITION) -> Condition:
        """Schedule `node` as a condition; its calls and reads are collected as they are walked."""
        core = self.inner(node) if node.type == "parenthesized_expression" else node
        cond = Condition(self.span(core if core is not None else node))
        if disp is _CONDITION:
            cond.tests, cond.negated = self.presence(node)
        items.append((node, scope.collecting(cond), disp, None, None))
        return cond

    def presence(self, test) -> tuple[Optional[str], bool]:
        """(`x`, negated) when a test only checks that `x` holds a value: `x`, `!x`, `x != null`,
        `x === undefined`, `typeof x !== "undefined"`."""
        negated = False
        test = self.unwrap(test)
        while test is not None and test.type == "unary_expression":
            operator = test.child_by_field_name("operator")
            if operator is None or operator.type != "!":
                break
            negated, test = not negated, self.unwrap(test.child_by_field_name("argument"))
        if test is None:
            return None, False
        if test.type == "binary_expression":
            operator = test.child_by_field_name("operator")
            op = operator.type if operator is not None else ""
            if op not in _NULL_CHECKS:
                return None, False
            left, right = self.unwrap(test.child_by_field_name("left")), self.unwrap(test.child_by_field_name("right"))
            if left is None or right is None:
                return None, False
            if left.type in _NULLISH or (left.type == "string" and self.string_value(left) == "undefined"):
                left, right = right, left
            if right.type == "string" and self.string_value(right) == "undefined" and left.type == "unary_expression":
                operator = left.child_by_field_name("operator")
                if operator is None or operator.type != "typeof":
                    return None, False
                left = self.unwrap(left.child_by_field_name("argument"))
            elif right.type not in _NULLISH:
                return None, False
            if left is None:
                return None, False
            path = self.walk_path(left)[0]
            if path is None:
                return None, False
            return path, negated if op in ("!=", "!==") else not negated
        path = self.walk_path(test)[0]
        return (path, negated) if path is not None and path != "this" else (None, False)

    def label_of(self, node) -> Optional[str]:
        labels = self.labels
        return labels.pop(node.id, None) if labels else None

    def _labeled(self, node, scope, disp, sinks, naming) -> None:
        label = node.child_by_field_name("label")
        body = node.child_by_field_name("body")
        if body is not None:
            if label is not None:
                self.labels[body.id] = self.text(label)
            self.stack.append((body, scope, None, None, None))

    def _if(self, node, scope, disp, sinks, naming) -> None:
        """An `if` and its `else if` chain are one construct; each consequence is a THEN region."""
        construct = self.structure.construct(ConstructKind.IF, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        while True:
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            inner = scope
            if condition is not None and self.is_main_guard(condition):
                inner = _Scope(scope.fn, scope.loop, True, scope.cls, scope.region)
            test = self.condition_item(condition, scope, items) if condition is not None else None
            if consequence is not None:
                rid = self.structure.region(construct, RegionKind.THEN, self.span(consequence), scope.region, test)
                items.append((consequence, inner.within(rid), None, None, None))
            body = None
            if alternative is not None:
                body = next((c for c in alternative.named_children if c.type not in _COMMENTS), None)
            if body is None:
                break
            if body.type == "if_statement":
                node = body
                continue
            construct.has_else = True
            rid = self.structure.region(construct, RegionKind.ELSE, self.span(body), scope.region)
            items.append((body, scope.within(rid), None, None, None))
            break
        self.push(items)

    def is_main_guard(self, condition) -> bool:
        raw = self.src[condition.start_byte:condition.end_byte]
        if b"main" not in raw and b"import.meta" not in raw:
            return False
        compact = _NON_WS.sub(b"", raw).decode("utf-8", "replace")
        if compact in _MAIN_GUARDS:
            return True
        return "import.meta" in compact and "process.argv[1]" in compact

    def _while(self, node, scope, disp, sinks, naming) -> None:
        is_do = node.type == "do_statement"
        condition = node.child_by_field_name("condition")
        construct = self.structure.construct(
            ConstructKind.LOOP, self.span(node), scope.fn, scope.region, loop=LoopKind.DO if is_do else LoopKind.WHILE,
            unconditional=condition is not None and _always_true(self.unwrap(condition)), label=self.label_of(node))
        inner = scope.deeper()
        items = []
        if condition is not None:
            construct.condition = self.condition_item(condition, inner, items)
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, inner.within(rid), None, None, None))
        if is_do:
            items.reverse()
        self.push(items)

    def _for(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.LOOP, self.span(node), scope.fn, scope.region,
                                             loop=LoopKind.FOR, label=self.label_of(node))
        inner = scope.deeper()
        items = []
        init = node.child_by_field_name("initializer")
        if init is not None:
            items.append((init, scope, _DISCARDED, None, None))
        condition = node.child_by_field_name("condition")
        if condition is not None and condition.type == "expression_statement":
            condition = next(iter(self.expressions(condition)), None)
        if condition is not None and condition.type != "empty_statement":
            construct.condition = self.condition_item(condition, inner, items)
            construct.unconditional = _always_true(self.unwrap(condition))
        else:
            construct.unconditional = True
        increment = node.child_by_field_name("increment")
        if increment is not None:
            items.append((increment, inner, _DISCARDED, None, None))
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, inner.within(rid), None, None, None))
        self.push(items)

    def _for_in(self, node, scope, disp, sinks, naming) -> None:
        is_await = any(c.type == "await" for c in node.children)
        operator = node.child_by_field_name("operator")
        kind = LoopKind.ASYNC_FOR if is_await else (
            LoopKind.FOR_IN if operator is not None and operator.type == "in" else LoopKind.FOR_OF)
        construct = self.structure.construct(ConstructKind.LOOP, self.span(node), scope.fn, scope.region, loop=kind,
                                             is_async=is_await, label=self.label_of(node))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        body = node.child_by_field_name("body")
        items = []
        if left is not None:
            value = node.child_by_field_name("value")      # `for (var x = 1 in o)` (legacy)
            first = len(self.model.bindings)
            self.bind_target(left, scope, "for", items)
            self.value_spans(first, right)
            if value is not None:
                items.append((value, scope, _OTHER, None, None))
        if right is not None:
            construct.iterated = self.condition_item(right, scope, items,
                                                     _ASYNC_ITERATED if is_await else _ITERATED)
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, scope.deeper().within(rid), None, None, None))
        self.push(items)

    def _switch(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.SWITCH, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        value = node.child_by_field_name("value")
        if value is not None:
            construct.condition = self.condition_item(value, scope, items, _OTHER)
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            if case.type != "switch_case" and case.type != "switch_default":
                continue
            test = case.child_by_field_name("value")
            cond = self.condition_item(test, scope, items, _OTHER) if test is not None else None
            statements = [c for c in case.named_children if c.type not in _COMMENTS and c != test]
            if statements:
                first, last = self.span(statements[0]), self.span(statements[-1])
                span = Span(first.line, first.column, last.end_line, last.end_column)
            else:
                end = self.span(case)
                span = Span(end.end_line, end.end_column, end.end_line, end.end_column)
            is_default = case.type == "switch_default"
            construct.has_else = construct.has_else or is_default
            rid = self.structure.region(construct, RegionKind.DEFAULT if is_default else RegionKind.CASE, span,
                                        scope.region, cond)
            inner = scope.within(rid)
            items.extend((c, inner, None, None, None) for c in statements)
        self.push(items)

    def _try(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.TRY, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.TRY, self.span(body), scope.region)
            items.append((body, scope.within(rid), None, None, None))
        handler = node.child_by_field_name("handler")
        if handler is not None:
            parameter = handler.child_by_field_name("parameter")
            name = None
            if parameter is not None:
                name = self.text(parameter) if parameter.type == "identifier" else (
                    "[]" if parameter.type == "array_pattern" else "{}")
            catch_body = handler.child_by_field_name("body")
            if catch_body is not None:
                clause = self.span(handler)
                record = Handler([], True, name,
                                 keyword=Span(clause.line, clause.column, clause.line, clause.column + len("catch")))
                rid = self.structure.region(construct, RegionKind.HANDLER, self.span(catch_body), scope.region,
                                            handler=record)
                items.append((catch_body, scope.within(rid), None, None, None))
        finalizer = node.child_by_field_name("finalizer")
        final_body = finalizer.child_by_field_name("body") if finalizer is not None else None
        if final_body is not None:
            rid = self.structure.region(construct, RegionKind.FINALLY, self.span(final_body), scope.region)
            items.append((final_body, scope.within(rid), None, None, None))
        self.push(items)

    def _throw(self, node, scope, disp, sinks, naming) -> None:
        values = self.expressions(node)
        self.structure.exit(ExitKind.RAISE, self.span(node), scope.fn, scope.region, bool(values),
                            self.walk_path(values[0])[0] if values else None)
        self.push([(c, scope, _OTHER, None, None) for c in values])

    def _jump(self, node, scope, disp, sinks, naming) -> None:
        label = node.child_by_field_name("label")
        kind = ExitKind.BREAK if node.type == "break_statement" else ExitKind.CONTINUE
        self.structure.exit(kind, self.span(node), scope.fn, scope.region,
                            label=self.text(label) if label is not None else None)

    def _block(self, node, scope, disp, sinks, naming) -> None:
        """A block holding `using` declarations: each opens a WITH region to the end of the block."""
        if not self.has_using or self.src.find(b"using", node.start_byte, node.end_byte) < 0:
            stack = self.stack
            for c in reversed(node.named_children):
                t = c.type
                if t == "expression_statement":     # `_expression_statement`, inlined: the same items
                    for e in reversed(c.named_children):
                        if e.type not in _INERT:
                            stack.append((e, scope, _DISCARDED, None, None))
                elif t not in _INERT:
                    stack.append((c, scope, _OTHER, None, None))
            return
        children = [c for c in node.named_children if c.type not in _INERT]
        if all(_is_using(c) is None for c in children):
            self.push([(c, scope, _OTHER, None, None) for c in children])
            return
        items = []
        end = self.span(node)
        closing = node.children[-1] if node.type == "statement_block" and node.children else None
        if closing is not None and closing.type == "}":
            end = self.span(closing)
            end = Span(end.line, end.column, end.line, end.column)
        current = scope
        for child in children:
            is_await = _is_using(child)
            if is_await is None:
                items.append((child, current, _OTHER, None, None))
            else:
                start = self.span(child)
                declaration = Condition(start)
                items.append((child, current.collecting(declaration), _OTHER, None, None))
                construct = self.structure.construct(
                    ConstructKind.WITH, Span(start.line, start.column, end.end_line, end.end_column), scope.fn,
                    current.region, is_async=is_await, items=[declaration])
                rid = self.structure.region(construct, RegionKind.WITH,
                                            Span(start.end_line, start.end_column, end.end_line, end.end_column),
                                            current.region)
                current = current.within(rid)
        self.push(items)

    def _namespace(self, node, scope, disp, sinks, naming) -> None:
        body = node.child_by_field_name("body")
        if body is not None:
            self.stack.append((body, scope, None, None, None))



# Dispatch by node type; anything not listed is read generically.
# Returned values that are never a promise: they make a function "not definitely async".
_PLAIN_VALUES = frozenset({
    "null", "undefined", "true", "false", "number", "string", "template_string", "object", "array", "regex",
    "binary_expression", "unary_expression", "arrow_function", "function_expression", "function", "class",
    "jsx_element", "jsx_self_closing_element",
})

_HANDLERS: dict[str, Callable] = {
    "expression_statement": _Lowerer._expression_statement,
    "identifier": _Lowerer._identifier,
    "shorthand_property_identifier": _Lowerer._identifier,
    "member_expression": _Lowerer._member_read,
    "subscript_expression": _Lowerer._member_read,
    "call_expression": _Lowerer._call,
    "new_expression": _Lowerer._new,
    "await_expression": _Lowerer._await,
    "yield_expression": _Lowerer._yield,
    "return_statement": _Lowerer._return,
    "unary_expression": _Lowerer._unary,
    "binary_expression": _Lowerer._binary,
    "ternary_expression": _Lowerer._ternary,
    "sequence_expression": _Lowerer._sequence,
    "assignment_expression": _Lowerer._assignment,
    "augmented_assignment_expression": _Lowerer._augmented,
    "update_expression": _Lowerer._update,
    "array": _Lowerer._array,
    "object": _Lowerer._object,
    "spread_element": _Lowerer._spread,
    "template_string": _Lowerer._template,
    "lexical_declaration": _Lowerer._declaration,
    "variable_declaration": _Lowerer._declaration,
    "using_declaration": _Lowerer._declaration,
    "if_statement": _Lowerer._if,
    "while_statement": _Lowerer._while,
    "do_statement": _Lowerer._while,
    "for_statement": _Lowerer._for,
    "for_in_statement": _Lowerer._for_in,
    "switch_statement": _Lowerer._switch,
    "try_statement": _Lowerer._try,
    "throw_statement": _Lowerer._throw,
    "break_statement": _Lowerer._jump,
    "continue_statement": _Lowerer._jump,
    "statement_block": _Lowerer._block,
    "labeled_statement": _Lowerer._labeled,
    "program": _Lowerer._block,
    "import_statement": _Lowerer._import,
    "export_statement": _Lowerer._export,
    "internal_module": _Lowerer._namespace,
    "module": _Lowerer._namespace,
    "class_heritage": _Lowerer._skip,
    "enum_declaration": _Lowerer._enum,
}
_HANDLERS.update(dict.fromkeys(_IDENTITY, _Lowerer._identity))
_HANDLERS.update(dict.fromkeys(_FUNCTIONS, _Lowerer._function))
_HANDLERS.update(dict.fromkeys(_CLASSES, _Lowerer._class))
_HANDLERS.update(dict.fromkeys(_JSX_PARTS, _Lowerer._jsx))
_HANDLERS.update(dict.fromkeys(_INERT, _Lowerer._skip))



# --------------------------------------------------------------------------- entry point

def lower_javascript(source: str, path: str) -> FileModel:
    """Lower one JS/TS file. Never raises for bad syntax: unreadable regions land in `error_regions`."""
    if source.startswith("\ufeff"):
        source = source[1:]                 # a byte-order mark is not a column editors count
    grammar = _grammar_for(path)
    parser = _parser_for(grammar)
    language = Language.JAVASCRIPT if grammar == "javascript" else Language.TYPESCRIPT
    src = source.encode("utf-8", "surrogatepass")
    tree = parser.parse(src)
    root = tree.root_node
    model = FileModel(path=path, language=language, line_count=_line_count(source))
    lowerer = _Lowerer(src, model)
    lowerer.run(root)
    if root.has_error:
        _reject_broken(root, src, lowerer, model.line_count)
    model.error_regions = _error_regions(root, lowerer)
    model.comments = _comments(root, src)
    return model
