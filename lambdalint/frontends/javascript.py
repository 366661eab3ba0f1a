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

from lambdalint.frontends.dispositions import DISCARDED as _DISCARDED, OTHER as _OTHER, RETURNED as _RETURNED
from lambdalint.frontends.js_bindings import BindingLowering
from lambdalint.frontends.js_common import (
    _CLASSES,
    _COMMENTS,
    _FUNCTIONS,
    _IDENTIFIER,
    _IDENTITY,
    _INERT,
    _JSX_PARTS,
    _Scope,
)
from lambdalint.frontends.js_control import ControlLowering
from lambdalint.frontends.js_definitions import DefinitionLowering
from lambdalint.frontends.js_errors import _comments, _error_regions, _line_count, _reject_broken
from lambdalint.frontends.js_expressions import ExpressionLowering
from lambdalint.frontends.js_modules import ModuleLowering
from lambdalint.frontends.js_paths import PathReading
from lambdalint.frontends.js_records import RecordBuilding
from lambdalint.frontends.js_text import unescape as _unescape
from lambdalint.frontends.js_values import ValueBuilder, add_class_value, has_simple_value
from lambdalint.frontends.structure import StructureBuilder
from lambdalint.model import ClassInfo, FileModel, Language, Span

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


# A work item: (node, scope, disposition, sinks, naming). A sink is (record, attribute to
# receive the id if the node is a call, attribute to receive the id if it is a function).
_Item = tuple


class _Lowerer(PathReading, RecordBuilding, ExpressionLowering, ControlLowering, BindingLowering, ModuleLowering,
               DefinitionLowering):
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
