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

import re
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
from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.structure import StructureBuilder
from lambdalint.frontends.js_text import unescape as _unescape
from lambdalint.frontends.js_values import ValueBuilder, add_class_value, destructured_values, has_simple_value
from lambdalint.model import (
    Arg,
    ArgKind,
    Binding,
    Call,
    Choice,
    ChoiceKind,
    ClassInfo,
    Comment,
    Condition,
    ConstructKind,
    Container,
    Decorator,
    Disposition,
    ExitKind,
    Export,
    FileModel,
    Function,
    FunctionKind,
    Handler,
    Import,
    Language,
    LoopKind,
    NameRef,
    Param,
    RegionKind,
    Span,
    Use,
)

__all__ = ["lower_javascript"]

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


# --------------------------------------------------------------------------- node classes

_COMMENTS = frozenset({"comment", "html_comment"})
# Wrappers whose value *is* the inner expression's value.
_IDENTITY = frozenset({
    "parenthesized_expression", "non_null_expression", "as_expression",
    "satisfies_expression", "type_assertion", "instantiation_expression",
})
_FUNCTIONS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression",
    "function", "generator_function", "arrow_function", "method_definition",
})
_FUNCTION_VALUES = frozenset({"function_expression", "function", "generator_function", "arrow_function"})
_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration", "using_declaration"})
_PATH_BASES = frozenset({"identifier", "this", "super", "property_identifier", "type_identifier"})
_PATTERNS = frozenset({"object_pattern", "array_pattern"})
_RENDERED_AS_WRITTEN = frozenset({"private_property_identifier", "meta_property", "import"})
_JSX_PARTS = frozenset({
    "jsx_element", "jsx_self_closing_element", "jsx_opening_element", "jsx_attribute", "jsx_expression",
})
# Nodes that hold nothing the model records: literals, names in non-read positions, types.
_INERT = frozenset({
    "comment", "html_comment", "hash_bang_line", "string", "number", "regex", "true", "false",
    "null", "undefined", "this", "super", "meta_property", "empty_statement", "debugger_statement", "statement_identifier", "property_identifier",
    "private_property_identifier", "decorator", "import", "optional_chain", "accessibility_modifier",
    "override_modifier", "escape_sequence", "string_fragment", "jsx_text", "html_character_reference",
    "type_identifier", "predefined_type", "type_annotation", "type_arguments", "type_parameters",
    "interface_declaration", "type_alias_declaration", "ambient_declaration", "function_signature",
    "abstract_method_signature", "method_signature", "index_signature", "property_signature",
    "call_signature", "construct_signature", "import_alias", "implements_clause",
    "asserts_annotation", "type_predicate_annotation", "opting_type_annotation",
    "omitting_type_annotation", "adding_type_annotation", "formal_parameters", "jsx_closing_element",
    "jsx_namespace_name",
})
_LOGICAL = frozenset({"&&", "||", "??"})
_CHOICE_KINDS = {"&&": ChoiceKind.AND, "||": ChoiceKind.OR, "??": ChoiceKind.NULLISH}
_NULL_CHECKS = frozenset({"!=", "!==", "==", "==="})
_NULLISH = frozenset({"null", "undefined"})
_MAIN_GUARDS = frozenset({
    "require.main===module", "module===require.main", "require.main==module", "module==require.main",
    "import.meta.main",
})
_NON_WS = re.compile(rb"[\s()]")
_COMMENT_START = re.compile(rb"/(?=[/*])")
_IDENTIFIER = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_ARG_TEXT_LIMIT = 200







def _assigned(target: str, declared: bool) -> Disposition:
    return Disposition(Use.ASSIGNED, None, None, None, False, target, declared)


def _number_value(text: str) -> object:
    clean = text.replace("_", "").rstrip("n")
    try:
        return int(clean, 0) if clean[:2].lower() in ("0x", "0o", "0b") else int(clean)
    except ValueError:
        try:
            return float(clean)
        except ValueError:
            return text


class _Naming:
    """What the parent knows about the name a function or class will be known by."""

    __slots__ = ("name", "node", "class_name", "decorators")

    def __init__(self, name, node=None, class_name=None, decorators=None):
        self.name = name
        self.node = node
        self.class_name = class_name
        self.decorators = decorators


# Handed to a `const`/`let`/`var` that sits under `export`: each declarator is also an Export.
_EXPORTED_DECLARATION = _Naming(None)


class _Scope:
    """The lexical surroundings shared by every node of one region: rarely changes, so it is shared."""

    __slots__ = ("fn", "loop", "guard", "cls", "region", "cond")

    def __init__(self, fn: Optional[int], loop: int, guard: bool, cls: Optional[ClassInfo],
                 region: Optional[int] = None, cond: Optional[Condition] = None):
        self.fn = fn
        self.loop = loop
        self.guard = guard
        self.cls = cls
        self.region = region        # innermost structure region (in this function)
        self.cond = cond            # the condition whose calls and reads are being collected

    def deeper(self) -> "_Scope":
        return _Scope(self.fn, self.loop + 1, self.guard, self.cls, self.region)

    def within(self, region: int) -> "_Scope":
        return _Scope(self.fn, self.loop, self.guard, self.cls, region)

    def collecting(self, cond: Condition) -> "_Scope":
        return _Scope(self.fn, self.loop, self.guard, self.cls, self.region, cond)


# A work item: (node, scope, disposition, sinks, naming). A sink is (record, attribute to
# receive the id if the node is a call, attribute to receive the id if it is a function).
_Item = tuple


class _Lowerer:
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

    # ------------------------------------------------------------- bindings
    def pattern_leaves(self, pattern, items: list, scope: _Scope) -> list:
        """The names a destructuring pattern binds, in order; defaults and computed keys are scheduled as reads."""
        leaves = []
        todo = [pattern]
        while todo:
            node = todo.pop()
            t = node.type
            if t == "identifier" or t == "shorthand_property_identifier_pattern":
                leaves.append((self.text(node), node))
            elif t in _PATTERNS:
                todo.extend(reversed([c for c in node.named_children if c.type not in _COMMENTS]))
            elif t == "pair_pattern":
                key = node.child_by_field_name("key")
                if key is not None and key.type == "computed_property_name":
                    items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
                value = node.child_by_field_name("value")
                if value is not None:
                    todo.append(value)
            elif t == "assignment_pattern" or t == "object_assignment_pattern":
                right = node.child_by_field_name("right")
                if right is not None:
                    items.append((right, scope, _OTHER, None, None))
                left = node.child_by_field_name("left")
                if left is not None:
                    todo.append(left)
            elif t == "rest_pattern" or t in _IDENTITY:
                todo.extend(reversed(self.expressions(node)))
            elif t == "member_expression" or t == "subscript_expression":
                leaves.append((self.target_path(node, scope, items), node))
        leaves.sort(key=lambda leaf: leaf[1].start_byte)
        return leaves

    def target_path(self, node, scope: _Scope, items: list) -> str:
        """The dotted path of a target (or constructor); the reads hidden in it (`a[i]`'s `i`, `f().x`'s
        call) are scheduled, the path's own names are not (they are written, or called)."""
        path, stop = self.walk_path(node)
        if path is not None:
            return path
        rendered, _ = self.render(node)
        cur = node
        while cur is not None:
            t = cur.type
            if t == "member_expression":
                cur = cur.child_by_field_name("object")
            elif t == "subscript_expression":
                index = cur.child_by_field_name("index")
                if index is not None:
                    items.append((index, scope, _OTHER, None, None))
                cur = cur.child_by_field_name("object")
            elif t in _IDENTITY:
                cur = self.inner(cur)
            elif t in _PATH_BASES:
                break
            else:
                items.append((cur, scope, _OTHER, None, None))
                break
        return rendered

    def bind_target(self, target, scope: _Scope, kind: str, items: list) -> tuple[str, Optional[Binding]]:
        """Bindings for an assignment-like target; returns the disposition target and the single binding, if one."""
        core = self.unwrap(target) or target
        t = core.type
        bindings = self.model.bindings
        if t in _PATTERNS:
            for name, leaf in self.pattern_leaves(core, items, scope):
                bindings.append(self.new_binding(name, leaf, scope, kind))
            return ("{}" if t == "object_pattern" else "[]"), None
        if t == "identifier":
            name = self.text(core)
        elif t == "member_expression" or t == "subscript_expression":
            name = self.target_path(core, scope, items)
        else:
            items.append((core, scope, _OTHER, None, None))
            return "?", None
        binding = self.new_binding(name, core, scope, kind)
        bindings.append(binding)
        return name, binding

    def new_binding(self, name: str, node, scope: _Scope, kind: str, type_name=None) -> Binding:
        cls = scope.cls.name if scope.cls is not None and name.startswith("this.") else None
        return Binding(name, self.span(node), scope.fn, kind, type_name=type_name, class_name=cls)

    def _declaration(self, node, scope, disp, sinks, naming) -> None:
        exporting = naming is _EXPORTED_DECLARATION
        items = []
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name_node = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name_node is None:
                continue
            annotation = self.type_text(declarator.child_by_field_name("type"))
            self.require_imports(name_node, value, scope)
            if name_node.type == "identifier":
                name = self.text(name_node)
                binding = self.new_binding(name, name_node, scope, "declare", annotation)
                self.model.bindings.append(binding)
                value_sinks = self.fill_value(binding, value)
                if exporting:
                    export = Export(name, self.span(name_node), local=name)
                    self.model.exports.append(export)
                    value_sinks.append((export, "call", "function"))
                if value is not None:
                    items.append((value, scope, _assigned(name, True), tuple(value_sinks), _Naming(name, name_node)))
                continue
            leaves_start = len(self.model.bindings)
            target, _ = self.bind_target(name_node, scope, "declare", items)
            self.value_spans(leaves_start, value)
            if exporting:
                for binding in self.model.bindings[leaves_start:]:
                    self.model.exports.append(Export(binding.name, binding.span, local=binding.name))
            if value is not None:
                destructured_values(self, name_node, value, self.model.bindings[leaves_start:])
                items.append((value, scope, _assigned(target, True), None, None))
        self.push(items)

    def require_imports(self, name_node, value, scope: _Scope) -> None:
        """`const x = require('m')`, `const {a, b: c} = require('m')`, `const p = require('m').promises`."""
        core = self.unwrap(value)
        if core is None:
            return
        member = None
        if core.type == "member_expression":
            prop = core.child_by_field_name("property")
            member = self.text(prop) if prop is not None else None
            core = self.unwrap(core.child_by_field_name("object"))
            if core is None or member is None:
                return
        module = self.required_module(core)
        if module is None:
            return
        span = self.span(name_node)
        imports = self.model.imports
        if name_node.type == "identifier":
            imports.append(Import(module, member, self.text(name_node), span, function=scope.fn))
        elif name_node.type == "object_pattern" and member is None:
            for child in name_node.named_children:
                t = child.type
                if t == "shorthand_property_identifier_pattern":
                    imports.append(Import(module, self.text(child), self.text(child), span, function=scope.fn))
                elif t == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None:
                        imports.append(Import(module, self.text(left), self.text(left), span, function=scope.fn))
                elif t == "pair_pattern":
                    key = self.property_name(child.child_by_field_name("key"))
                    local = self.unwrap(child.child_by_field_name("value"))
                    if local is not None and local.type == "assignment_pattern":
                        local = local.child_by_field_name("left")
                    if key is not None and local is not None and local.type == "identifier":
                        imports.append(Import(module, key, self.text(local), span, function=scope.fn))

    def required_module(self, call) -> Optional[str]:
        if call.type != "call_expression":
            return None
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "identifier" or self.text(callee) != "require":
            return None
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "arguments":
            return None
        first = next(iter(self.expressions(args)), None)
        return self.string_value(first) if first is not None else None

    def _assignment(self, node, scope, disp, sinks, naming) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return
        items = []
        first = len(self.model.bindings)
        target, binding = self.bind_target(left, scope, "assign", items)
        self.value_spans(first, right)
        value_sinks = self.fill_value(binding, right) if binding is not None else []
        if right is None:
            self.push(items)
            return
        core = self.unwrap(right)
        cls = scope.cls
        if cls is not None and target.startswith("this.") and target.count(".") == 1 and core is not None \
                and core.type == "new_expression":
            cls.fields.setdefault(target[5:], self.render(core.child_by_field_name("constructor"))[0])
        value_disp = _assigned(target, False)
        if target == "module.exports":
            if core is not None and core.type == "object":
                self._object(core, scope, value_disp, None, None, key_sinks=self.module_export_member)
                self.push(items)
                return
            export = Export("default", self.span(left), local=self.local_name(core))
            self.model.exports.append(export)
            value_sinks.append((export, "call", "function"))
        else:
            member = self.cjs_export_name(target)
            if member is not None and not self.is_placeholder(core):
                export = Export(member, self.span(left), local=self.local_name(core))
                self.model.exports.append(export)
                value_sinks.append((export, "call", "function"))
        function_name = None
        if target not in ("module.exports", "exports", "?", "{}", "[]") and not target.endswith("]"):
            function_name = target.rsplit(".", 1)[-1]
        items.append((right, scope, value_disp, tuple(value_sinks) or None, _Naming(function_name, left)))
        self.push(items)

    @staticmethod
    def cjs_export_name(target: str) -> Optional[str]:
        """`exports.x` / `module.exports.x` -> `x`."""
        for prefix in ("exports.", "module.exports."):
            if target.startswith(prefix):
                rest = target[len(prefix):]
                if rest and "." not in rest and "[" not in rest and "(" not in rest:
                    return rest
        return None

    def is_placeholder(self, core) -> bool:
        """`exports.a = exports.b = void 0;`: compilers declare CommonJS exports before assigning them."""
        while core is not None and core.type == "assignment_expression":
            core = self.unwrap(core.child_by_field_name("right"))
        if core is None:
            return False
        if core.type == "undefined":
            return True
        if core.type == "unary_expression":
            operator = core.child_by_field_name("operator")
            return operator is not None and operator.type == "void"
        return False

    def local_name(self, core) -> Optional[str]:
        """The local an exported value refers to: an identifier, or a named class/function."""
        if core is None:
            return None
        if core.type == "identifier":
            return self.text(core)
        if core.type in _CLASSES or core.type in _FUNCTION_VALUES:
            name = core.child_by_field_name("name")
            return self.text(name) if name is not None else None
        return None

    def module_export_member(self, key: str, member, value) -> Optional[tuple]:
        """One export per key of `module.exports = { ... }`; its value fills in the function or call id."""
        core = self.unwrap(value) if value is not None and value is not member else None
        local = key if value is None else self.local_name(core) if core is not None else None
        export = Export(key, self.span(member), local=local)
        self.model.exports.append(export)
        return ((export, "call", "function"),)

    def value_spans(self, first: int, value) -> None:
        """The value's extent on every binding made since `first` (destructured leaves share it)."""
        if value is None:
            return
        span = self.span(value)
        for binding in self.model.bindings[first:]:
            binding.value_span = span

    def _update(self, node, scope, disp, sinks, naming) -> None:
        """`x++` / `--o.n`: a write to the target (a binding of kind "update") that also reads it."""
        argument = node.child_by_field_name("argument")
        if argument is None:
            return
        items = []
        self.bind_target(argument, scope, "update", items)
        items.append((argument, scope, _OTHER, None, None))
        self.push(items)

    def _augmented(self, node, scope, disp, sinks, naming) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return
        items = []
        first = len(self.model.bindings)
        target, binding = self.bind_target(left, scope, "augmented", items)
        self.value_spans(first, right)
        value_sinks = [(binding, "value_call", "value_function")] if binding is not None else None
        if right is not None:
            items.append((right, scope, _assigned(target, False), tuple(value_sinks) if value_sinks else None, None))
        self.push(items)

    # ---------------------------------------------------------- imports/exports
    def _import(self, node, scope, disp, sinks, naming) -> None:
        source = node.child_by_field_name("source")
        module = self.string_value(source) if source is not None else None
        type_only = any(c.type == "type" for c in node.children)
        imports = self.model.imports
        for child in node.named_children:
            if child.type == "import_require_clause":
                local = next((c for c in child.named_children if c.type == "identifier"), None)
                req_source = child.child_by_field_name("source")
                req_module = self.string_value(req_source) if req_source is not None else None
                if local is not None and req_module is not None:
                    imports.append(Import(req_module, None, self.text(local), self.span(child), type_only=type_only,
                                          function=scope.fn))
                return
        self.model.is_esm = True
        if module is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                t = part.type
                if t == "identifier":
                    imports.append(Import(module, "default", self.text(part), self.span(part), type_only=type_only))
                elif t == "namespace_import":
                    local = next((c for c in part.named_children if c.type == "identifier"), None)
                    if local is not None:
                        imports.append(Import(module, None, self.text(local), self.span(part), type_only=type_only))
                elif t == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name_node = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name_node is None:
                            continue
                        name = self.property_name(name_node)
                        local = self.text(alias) if alias is not None else name
                        spec_type = type_only or any(c.type == "type" for c in spec.children)
                        imports.append(Import(module, name, local, self.span(spec), type_only=spec_type))

    def _export(self, node, scope, disp, sinks, naming) -> None:
        self.model.is_esm = True
        exports = self.model.exports
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        source_node = node.child_by_field_name("source")
        source = self.string_value(source_node) if source_node is not None else None
        is_default = False
        type_only = False
        star = False
        for child in node.children:
            t = child.type
            if t == "default":
                is_default = True
            elif t == "type":
                type_only = True
            elif t == "*":
                star = True
        decorators = self.decorators_of(node)
        if declaration is not None:
            self.export_declaration(node, declaration, is_default, decorators, scope)
            return
        if value is None and not star and source is None:
            # `export = x` (TypeScript): the module's single export.
            value = next((c for c in node.named_children
                          if c.type not in _COMMENTS and c.type not in ("decorator", "export_clause")), None)
            if value is not None:
                is_default = True
        if value is not None and is_default:
            core = self.unwrap(value)
            export = Export("default", self.span(node), local=self.local_name(core))
            exports.append(export)
            class_name = "default" if core is not None and core.type in _CLASSES else None
            self.stack.append((value, scope, _assigned("default", False), ((export, "call", "function"),),
                               _Naming(class_name, None, decorators=decorators)))
            return
        if type_only:
            return
        for child in node.named_children:
            if child.type == "export_clause":
                for spec in child.named_children:
                    if spec.type != "export_specifier":
                        continue
                    name_node = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if name_node is None or any(c.type == "type" for c in spec.children):
                        continue
                    name = self.property_name(name_node)
                    exported = self.property_name(alias) if alias is not None else name
                    if source is not None:
                        exports.append(Export(exported, self.span(spec), source=source, source_name=name))
                    else:
                        exports.append(Export(exported, self.span(spec), local=name))
                return
            if child.type == "namespace_export":
                alias = next((c for c in child.named_children if c.type not in _COMMENTS), None)
                if alias is not None:
                    exports.append(Export(self.property_name(alias), self.span(node), source=source, source_name="*"))
                return
        if star:
            exports.append(Export("*", self.span(node), source=source))

    def export_declaration(self, node, declaration, is_default, decorators, scope) -> None:
        t = declaration.type
        if t in _DECLARATIONS:
            self.stack.append((declaration, scope, None, None, _EXPORTED_DECLARATION))
            return
        if t in _FUNCTIONS or t in _CLASSES:
            name_node = declaration.child_by_field_name("name")
            local = self.text(name_node) if name_node is not None else None
            exported = "default" if is_default or local is None else local
            export = Export(exported, self.span(name_node if name_node is not None else node), local=local)
            self.model.exports.append(export)
            self.stack.append((declaration, scope, None, ((export, None, "function"),),
                               _Naming(exported if t in _CLASSES else None, None, decorators=decorators)))
            return
        if t in ("internal_module", "module", "enum_declaration"):
            name_node = declaration.child_by_field_name("name")
            if name_node is not None and t != "module":
                name = self.text(name_node)
                self.model.exports.append(Export(name, self.span(name_node), local=name))
        self.stack.append((declaration, scope, None, None, None))

    # --------------------------------------------------------------- functions
    def _function(self, node, scope, disp, sinks, naming) -> None:
        t = node.type
        if t == "arrow_function":
            kind = FunctionKind.ARROW
        elif t == "method_definition":
            kind = FunctionKind.METHOD
        elif t.endswith("_declaration"):
            kind = FunctionKind.DECLARATION
        else:
            kind = FunctionKind.EXPRESSION
        name_node = node.child_by_field_name("name")
        name = None
        if name_node is not None:
            name = self.property_name(name_node) if kind is FunctionKind.METHOD else self.text(name_node)
        elif naming is not None:
            name, name_node = naming.name, naming.node
        is_async = is_generator = False
        for child in node.children:
            ct = child.type
            if ct == "async":
                is_async = True
            elif ct == "*":
                is_generator = True
            elif ct == "formal_parameters" or ct == "statement_block" or ct == "=>":
                break
        fid = len(self.model.functions)
        self.function_ids[node.id] = fid
        function = Function(fid, name, kind, is_async, is_generator, [], self.span(node),
                            name_span=self.span(name_node) if name_node is not None else None, parent=scope.fn)
        if naming is not None:
            function.class_name = naming.class_name
            if naming.decorators:
                function.decorators = list(naming.decorators)
        if kind is FunctionKind.METHOD:
            function.decorators.extend(self.decorators_of(node))
        function.return_annotation = self.type_text(node.child_by_field_name("return_type"))
        if disp is not None and kind is not FunctionKind.DECLARATION and kind is not FunctionKind.METHOD:
            function.disposition = disp.copy()
        self.model.functions.append(function)
        if sinks:
            self.fire(sinks, function_id=fid)
            if disp is not None and any(isinstance(sink[0], Arg) for sink in sinks):
                function.passed_to, function.arg_index = disp.consumer, disp.arg_index
        function.region = scope.region
        inner = _Scope(fid, 0, scope.guard, scope.cls)
        items = []
        params = node.child_by_field_name("parameters")
        if params is not None:
            constructor = kind is FunctionKind.METHOD and name == "constructor" and scope.cls is not None
            self.parameters(params, function, inner, items, scope.cls if constructor else None)
        else:
            single = node.child_by_field_name("parameter")
            if single is not None:
                self.parameter(single, function, inner, items, None)
        body = node.child_by_field_name("body")
        if body is not None:
            concise = body.type != "statement_block"
            function.returns += concise
            items.append((body, inner, _RETURNED if concise else None, None, None))
        self.push(items)

    def parameters(self, params, function: Function, scope: _Scope, items: list, cls: Optional[ClassInfo]) -> None:
        for child in params.named_children:
            if child.type not in _COMMENTS and child.type != "decorator":
                self.parameter(child, function, scope, items, cls)

    def parameter(self, node, function: Function, scope: _Scope, items: list, cls: Optional[ClassInfo]) -> None:
        """One formal parameter: its Param, its bindings, its default value (read in the function's scope)."""
        t = node.type
        annotation = accessibility = default = None
        pattern = node
        if t == "required_parameter" or t == "optional_parameter":
            pattern = node.child_by_field_name("pattern")
            annotation = self.type_text(node.child_by_field_name("type"))
            default = node.child_by_field_name("value")
            readonly = False
            for child in node.children:
                if child.type == "accessibility_modifier":
                    accessibility = self.text(child)
                elif child.type == "readonly":
                    readonly = True
            if accessibility is None and readonly:
                accessibility = "readonly"
            if pattern is None:
                return
        if pattern.type == "assignment_pattern":
            default = pattern.child_by_field_name("right")
            pattern = pattern.child_by_field_name("left")
            if pattern is None:
                return
        is_rest = pattern.type == "rest_pattern"
        if is_rest:
            pattern = next(iter(self.expressions(pattern)), None)
            if pattern is None:
                return
        pt = pattern.type
        if pt == "this":
            return                                  # TS `this: T` declares the receiver, not a parameter
        if pt == "identifier":
            name = self.text(pattern)
            self.model.bindings.append(Binding(name, self.span(pattern), function.id, "param", type_name=annotation))
        elif pt in _PATTERNS:
            name = "{}" if pt == "object_pattern" else "[]"
            for leaf, leaf_node in self.pattern_leaves(pattern, items, scope):
                self.model.bindings.append(Binding(leaf, self.span(leaf_node), function.id, "param"))
        else:
            name = self.text(pattern)
        function.params.append(Param(name, annotation, default is not None, is_rest, accessibility))
        if default is not None:
            items.append((default, scope, _OTHER, None, None))
        if cls is not None and accessibility is not None and pt == "identifier":
            cls.fields[name] = annotation or ""

    # ----------------------------------------------------------------- classes
    def _class(self, node, scope, disp, sinks, naming) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is not None:
            name = self.text(name_node)
        elif naming is not None and naming.name:
            name = naming.name
        else:
            name = "?"
        info = ClassInfo(name, self.span(node), parent=scope.fn)
        if naming is not None and naming.decorators:
            info.decorators.extend(naming.decorators)
        info.decorators.extend(self.decorators_of(node))
        self.model.classes.append(info)
        items = []
        for child in node.named_children:
            if child.type == "class_heritage":
                self.heritage(child, info, scope, items)
        body = node.child_by_field_name("body")
        if body is not None:
            self.class_body(body, info, _Scope(scope.fn, scope.loop, scope.guard, info, scope.region), items)
        self.push(items)

    def heritage(self, node, info: ClassInfo, scope: _Scope, items: list) -> None:
        for child in node.named_children:
            t = child.type
            if t == "implements_clause" or t in _COMMENTS:
                continue
            values = [child]
            if t == "extends_clause":
                values = [c for c in child.named_children if c.type not in _COMMENTS and c.type != "type_arguments"]
            for value in values:
                path, stop = self.walk_path(value)
                if path is None:
                    path = self.render(value)[0]
                    items.append((value, scope, _OTHER, None, None))
                info.bases.append(path)

    def class_body(self, body, info: ClassInfo, scope: _Scope, items: list) -> None:
        pending: list[Decorator] = []
        for member in body.named_children:
            t = member.type
            if t == "decorator":
                pending.append(self.decorator(member))
            elif t == "method_definition":
                key = member.child_by_field_name("name")
                items.append((member, scope, None, None,
                              _Naming(self.property_name(key), key, info.name, pending)))
                pending = []
            elif t == "public_field_definition" or t == "field_definition":
                self.class_field(member, info, scope, items, pending)
                pending = []
            elif t == "class_static_block":
                block = member.child_by_field_name("body")
                if block is not None:
                    items.append((block, scope, None, None, None))
            elif t not in _COMMENTS:
                pending = []

    def class_field(self, member, info: ClassInfo, scope: _Scope, items: list, pending: list) -> None:
        key = member.child_by_field_name("name")
        if key is None:
            key = member.child_by_field_name("property")
        if key is None:
            return
        name = self.property_name(key)
        if key.type == "computed_property_name":
            items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
        static = any(c.type == "static" for c in member.children)
        annotation = self.type_text(member.child_by_field_name("type"))
        value = member.child_by_field_name("value")
        core = self.unwrap(value)
        constructed = None
        if core is not None and core.type == "new_expression":
            constructed = self.render(core.child_by_field_name("constructor"))[0]
        if annotation or constructed:
            info.fields[name] = annotation or constructed
        if value is None:
            return
        target = f"{info.name}.{name}" if static else f"this.{name}"
        if static:
            self.pending_values.append((info, name, value))
        binding = Binding(target, self.span(key), scope.fn, "declare", type_name=annotation, class_name=info.name)
        self.model.bindings.append(binding)
        value_sinks = self.fill_value(binding, value)
        decorators = pending + self.decorators_of(member)
        items.append((value, scope, _assigned(target, True), tuple(value_sinks),
                      _Naming(name, key, info.name, decorators)))

    def _enum(self, node, scope, disp, sinks, naming) -> None:
        """A TS enum is a class whose constants are its members; initialisers are not walked (as before)."""
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return
        info = ClassInfo(self.text(name_node), self.span(node), parent=scope.fn, is_enum=True)
        parent = node.parent
        ambient = parent is not None and parent.type == "ambient_declaration"
        info.values = ValueBuilder(self, self.call_ids, self.function_ids).enum_values(body, ambient)
        self.model.classes.append(info)


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


def _always_true(node) -> bool:
    """`while (true)`, `for (;; )`-like tests: the loop ends only through break, return or throw."""
    return node is not None and (node.type == "true" or (node.type == "number" and node.text in (b"1", b"1.0")))


def _is_using(statement) -> Optional[bool]:
    """For a `using` / `await using` declaration: whether it is the `await` form; None for anything else.

    The JavaScript grammar has `using_declaration`; the TypeScript grammar reads the
    same text as an assignment whose first token is `using`.
    """
    t = statement.type
    if t == "using_declaration":
        return any(c.type == "await" for c in statement.children)
    if t != "expression_statement" or not statement.named_children:
        return None
    expression = statement.named_children[0]
    is_await = expression.type == "await_expression"
    if is_await:
        expression = next((c for c in expression.named_children), None)
    if expression is not None and expression.type == "assignment_expression" and expression.children \
            and expression.children[0].type == "using":
        return is_await
    return None


# --------------------------------------------------------------------------- errors and comments

def _error_regions(root: tree_sitter.Node, lowerer: _Lowerer) -> list[Span]:
    """Every ERROR and MISSING node, merged; only subtrees that contain one are visited."""
    if not root.has_error:
        return []
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error:
            found.append(lowerer.span(node))
        elif node.is_missing:
            row, col = node.start_point
            column = lowerer.col(row, col)
            found.append(Span(row + 1, column, row + 1, column + 1))
        else:
            stack.extend(child for child in node.children if child.has_error)
    found.sort(key=lambda s: (s.line, s.column, s.end_line, s.end_column))
    merged: list[Span] = []
    for span in found:
        if merged:
            last = merged[-1]
            if (span.line, span.column) <= (last.end_line, last.end_column):
                if (span.end_line, span.end_column) > (last.end_line, last.end_column):
                    merged[-1] = Span(last.line, last.column, span.end_line, span.end_column)
                continue
        merged.append(span)
    return merged


_FUNCTION_BODIES = frozenset({"function_declaration", "function_expression", "function", "arrow_function",
                              "method_definition", "generator_function_declaration", "generator_function"})
_BROKEN_SHARE = 0.2


def _reject_broken(root: tree_sitter.Node, src: bytes, lowerer: _Lowerer, line_count: int) -> None:
    """Raise ParseError when the file is plainly broken, not merely using syntax the grammar lags behind.

    Small unreadable islands in otherwise well-formed code (a TS generic call such as
    `importOriginal<typeof import('x')>()`) stay notes. Broken means: a MISSING node (an unclosed
    bracket, a missing operand); an ERROR that reaches the end of the file, or sits at the top level of
    the program, a class body or a function body; an ERROR made of nothing but one operator or
    terminator (`const x = ;`, `1 +;`); or unreadable regions over a fifth of the file.
    """
    end = len(src.rstrip())
    error_lines = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            row, col = node.start_point
            raise ParseError(f"expected `{node.type}`", row + 1, lowerer.col(row, col))
        if node.is_error:
            row, col = node.start_point
            text = src[node.start_byte:node.end_byte].decode("utf-8", "replace").strip()
            where = (row + 1, lowerer.col(row, col))
            if node.parent is None or node.end_byte >= end:
                raise ParseError("unexpected end of file: a bracket, brace or statement is not closed", *where)
            parent = node.parent
            if parent.type in ("program", "class_body") or (
                parent.type == "statement_block" and parent.parent is not None
                and parent.parent.type in _FUNCTION_BODIES
            ):
                raise ParseError(f"unexpected `{_shorten(text)}`", *where)
            if text and len(text) <= 2 and not any(ch.isalnum() or ch in "_$<>'\"`" for ch in text):
                raise ParseError(f"unexpected `{text}`", *where)
            error_lines.update(range(node.start_point[0], node.end_point[0] + 1))
            continue
        stack.extend(child for child in node.children if child.has_error)
    if line_count >= 5 and len(error_lines) > _BROKEN_SHARE * line_count:
        first = min(error_lines) + 1
        raise ParseError(f"{len(error_lines)} of {line_count} lines could not be parsed", first, 1)


def _shorten(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= 40 else first[:39] + "…"


def _comments(root: tree_sitter.Node, src: bytes) -> list[Comment]:
    """Comments are extras that may sit anywhere (even inside types). Each starts with `//` or `/*`, so
    only those places are looked up in the tree (a `//` in a string or a URL is not a comment node);
    this finds what a `(comment)` query finds without visiting every node."""
    comments = []
    covered = -1                          # end of the last comment: nothing inside it starts another
    descend = root.descendant_for_byte_range
    for match in _COMMENT_START.finditer(src):
        start = match.start()
        if start < covered:
            continue
        node = descend(start, start + 2)
        if node is None or node.start_byte != start or node.type != "comment":
            continue
        end = covered = node.end_byte
        row, column = node.start_point
        own_line = not src[start - column:start].strip()
        comments.append(Comment(row + 1, src[start:end].decode("utf-8", "replace"), own_line))
    return comments


def _line_count(source: str) -> int:
    if not source:
        return 0
    return source.count("\n") + (0 if source.endswith("\n") else 1)


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
