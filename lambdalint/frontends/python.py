"""Python front end: lowers one source file into a `FileModel` with libcst.

Two passes over the tree, no metadata providers:

1. `py_offsets.measure` finds the syntactic (start, end) offsets of every node
   that libcst marks as having a syntactic position (expressions, statements,
   decorators, ...) and the offset of every comment: the numbers libcst's own
   code generator reports through `_OffsetState` (which it still computes for
   rare syntax and unknown libcst versions), in one call per node. This is what
   `PositionProvider` computes, minus the visitor machinery, the per-node
   `CodeRange` objects and the line splitting; offsets become lines/columns only
   for what the model records.
2. `_Lowerer` walks the tree by hand (a type-dispatch table, not a
   `CSTVisitor`), carrying the disposition of each expression down from its
   context and the little scope the model needs (function, class, loop depth,
   main guard).

Before libcst sees the text, `_guard_nesting` rejects input nested so deeply
that libcst's native parser would overflow the C stack (it crashes the process
instead of raising).
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from lambdalint.frontends.dispositions import OTHER as _OTHER, RETURNED as _RETURNED
from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.py_control import ControlLowering
from lambdalint.frontends.py_definitions import DefinitionLowering
from lambdalint.frontends.py_expressions import ExpressionLowering
from lambdalint.frontends.py_nodes import _constructed_type, _literal, _name_path, _path, _plain_value
from lambdalint.frontends.py_parse import (
    _encoding_error,
    _first_line,
    _guard_nesting,
    _on_big_stack,
    _parse,
    _recursion_headroom,
    _TOO_DEEP,
)
from lambdalint.frontends.py_positions import _measured, _NO_RANGE, _Positions
from lambdalint.frontends.py_statements import StatementLowering
from lambdalint.frontends.py_values import UNKNOWN as _UNKNOWN_VALUE, ValueBuilder, add_class_value, evaluated_value
from lambdalint.frontends.structure import StructureBuilder
from lambdalint.model import Binding, Call, ClassInfo, Comment, Condition, Disposition, FileModel, Function, Language, NameRef, Span

__all__ = ["lower_python"]

def lower_python(source: str, path: str) -> FileModel:
    """Lower one Python file. Raises `ParseError` (only) when it cannot be read."""
    try:
        needs_big_stack = _guard_nesting(source)
        with _recursion_headroom():
            if needs_big_stack:
                return _on_big_stack(lambda: _lower(source, path, measure_directly=False))
            return _lower(source, path)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(_TOO_DEEP) from None
    except MemoryError:
        raise
    except UnicodeError as exc:
        raise _encoding_error(source, exc) from None
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but ParseError escapes
        raise ParseError(f"could not analyse file ({type(exc).__name__}: {_first_line(str(exc))})") from None


def _lower(source: str, path: str, measure_directly: bool = True) -> FileModel:
    """`measure_directly=False` for a file whose logical lines are long enough to nest thousands of levels
    deep: libcst's generator takes twice the frames per level of the direct measure, and decides as before
    whether such a file is too deep to analyse."""
    lowerer = _Lowerer(source, path, _parse(source), measure_directly)
    try:
        return lowerer.lower()
    finally:
        # The offset state and its exit form a cycle that would keep every node's offsets alive until a
        # collection (paused while a run lowers); the tree itself goes as soon as the lowerer lets it go.
        state = lowerer.__dict__.get("state")
        if state is not None:
            state._exit = None
        lowerer.__dict__.clear()


# --------------------------------------------------------------------------- lowering

class _Lowerer(StatementLowering, ControlLowering, DefinitionLowering, ExpressionLowering):
    def __init__(self, source: str, path: str, module: cst.Module, measure_directly: bool = True):
        self.source = source
        self.module = module
        self.state = _measured(module, len(source), measure_directly)
        self.positions = _Positions(source, module, self.state)
        self.ranges = self.state.ranges
        self.code_span = self.positions.code_span
        self.model = FileModel(path=path, language=Language.PYTHON)
        self.functions = self.model.functions
        self.calls = self.model.calls
        self.names = self.model.names
        self.bindings = self.model.bindings
        # Scope of the code being walked.
        self.function: Optional[Function] = None
        self.fid: Optional[int] = None
        self.loop_depth = 0
        self.in_main_guard = False
        self.class_body: Optional[ClassInfo] = None  # set while directly inside a class body
        self.method: Optional[tuple[ClassInfo, Optional[str]]] = None  # (class, self parameter) of the enclosing method
        self.structure = StructureBuilder(self.model, switch_breaks=False)
        self.region: Optional[int] = None           # innermost open structure region (in this function)
        self.condition: Optional[Condition] = None  # the condition whose reads are being collected
        self._comment_ends: Optional[dict[int, int]] = None
        # Values are built right after their expression is walked, from the ids its calls and lambdas got.
        self.call_ids: dict[int, int] = {}
        self.function_ids: dict[int, int] = {}
        self.values = ValueBuilder(self.call_ids, self.function_ids)

    def lower(self) -> FileModel:
        self.block(self.module.body)
        self.model.comments = self.comments()
        self.model.line_count = self.positions.line_count()
        return self.model

    # ----- positions and text

    def span(self, node) -> Span:
        return self.code_span(*self.ranges.get(id(node), _NO_RANGE))

    def text(self, node) -> str:
        start, end = self.ranges.get(id(node), (0, 0))
        positions = self.positions
        return self.source[positions.source_offset(start):positions.source_offset(end)]

    def block_span(self, node) -> Span:
        """Span of a def/class: from its keyword to the last token of its body."""
        start, end = self.ranges.get(id(node), (0, 0))
        positions = self.positions
        start, end = positions.source_offset(start), positions.source_offset(end)
        return positions.span(start, self.trim_end(start, end))

    def trim_end(self, start: int, end: int) -> int:
        """Step back over trailing whitespace, semicolons and comments."""
        source = self.source
        comment_starts = self.comment_starts_by_end()
        while end > start:
            if source[end - 1] in " \t\f\r\n;":
                end -= 1
            elif end in comment_starts:
                end = comment_starts[end]
            else:
                break
        return end

    def comment_starts_by_end(self) -> dict[int, int]:
        """Comment start offsets keyed by their end offsets, built on first use."""
        cached = self._comment_ends
        if cached is None:
            positions = self.positions
            cached = {}
            for offset, text in self.state.comments:
                start = positions.source_offset(offset)
                cached[start + len(text)] = start
            self._comment_ends = cached
        return cached

    def comments(self) -> list[Comment]:
        result = []
        positions = self.positions
        source = self.source
        for offset, text in self.state.comments:
            start = positions.source_offset(offset)
            line, column = positions.line_column(start)
            before = source[start - column + 1:start]
            result.append(Comment(line, text, not before or before.isspace()))
        return result

    # ----- records

    def add_call(self, node, callee: str, d: Disposition) -> Call:
        call = Call(
            id=len(self.calls),
            callee=callee,
            span=self.span(node),
            function=self.fid,
            disposition=d.copy(),
            loop_depth=self.loop_depth,
            in_main_guard=self.in_main_guard,
            region=self.region,
        )
        self.calls.append(call)
        if self.condition is not None:
            self.condition.calls.append(call.id)
        self.call_ids[id(node)] = call.id
        return call

    def add_name(self, node, name: str, d: Disposition) -> None:
        self.names.append(NameRef(name, self.span(node), self.fid, d.copy(), self.loop_depth, self.region))
        if self.condition is not None:
            self.condition.names.append(name)

    def add_binding(self, target, kind: str, value=None, value_ids=None, type_name=None) -> None:
        """Bind one leaf target; `value_ids` are the ids `value` got (or will get) when walked."""
        name = _path(target)
        binding = Binding(name=name, span=self.span(target), function=self.fid, kind=kind, type_name=type_name)
        if type(target) is cst.Subscript:
            binding.key = _subscript_key(target)
        if value is not None:
            self.describe_value(binding, value, value_ids)
            if kind == "assign" or kind == "declare":
                in_class = self.class_body if type(target) is cst.Name else None
                binding.value_expr = self.values.build(value, in_class)
        if self.class_body is not None and type(target) is cst.Name:
            binding.class_body = self.class_body.name
            if binding.value_expr is not None:
                add_class_value(self.class_body, name, binding.value_expr)
            elif kind != "declare" or value is not None:
                add_class_value(self.class_body, name, _UNKNOWN_VALUE)
        if self.method is not None and type(target) is cst.Attribute:
            info, self_name = self.method
            if name.split(".", 1)[0] == self_name:
                binding.class_name = info.name
                if type(target.value) is cst.Name and binding.type_name:
                    self.add_field(info, target.attr.value, binding.type_name, kind == "declare")
        if self.class_body is not None and type(target) is cst.Name:
            binding.class_name = self.class_body.name  # a class attribute: not a variable of any scope
            if binding.type_name:
                self.add_field(self.class_body, name, binding.type_name, kind == "declare")
        self.bindings.append(binding)

    def describe_value(self, binding: Binding, value, value_ids) -> None:
        t = type(value)
        if t is cst.Call:
            binding.value_call = value_ids
            if binding.type_name is None:
                binding.type_name = _constructed_type(value)
        elif t is cst.Lambda:
            binding.value_function = value_ids
        else:
            if t in (cst.Set, cst.SetComp) and binding.type_name is None:
                binding.type_name = "set"
            is_literal, literal = _literal(value)
            if is_literal:
                binding.value_literal = literal
                binding.has_literal = True
            else:
                binding.value_name = _name_path(value)

    @staticmethod
    def add_field(info: ClassInfo, field: str, type_name: str, from_annotation: bool) -> None:
        if from_annotation or field not in info.fields:
            info.fields[field] = type_name

    def next_id(self, value) -> Optional[int]:
        """The id `value` will get when walked next (call or lambda), else None."""
        t = type(value)
        if t is cst.Call:
            return len(self.calls)
        if t is cst.Lambda:
            return len(self.functions)
        return None

    # ----- statements

    def block(self, statements) -> None:
        handlers = _STATEMENT_HANDLERS
        for statement in statements:
            handler = handlers.get(type(statement))
            if handler is None:
                self.generic(statement)
            else:
                handler(self, statement)

    def suite(self, suite) -> None:
        self.block(suite.body)

    @classmethod
    def _statement_handlers(cls) -> dict:
        """Type -> unbound handler: one table for every file, and no lowerer refers to itself through it."""
        handlers = {
            cst.SimpleStatementLine: cls.suite,
            cst.SimpleStatementSuite: cls.suite,
            cst.IndentedBlock: cls.suite,
            cst.Expr: cls.expression_statement,
            cst.Assign: cls.assign,
            cst.AnnAssign: cls.annotated_assign,
            cst.AugAssign: cls.augmented_assign,
            cst.Return: cls.return_statement,
            cst.Raise: cls.raise_statement,
            cst.Assert: cls.assert_statement,
            cst.Del: cls.del_statement,
            cst.Global: cls.global_statement,
            cst.Nonlocal: cls.nonlocal_statement,
            cst.Import: cls.import_statement,
            cst.ImportFrom: cls.import_from,
            cst.Pass: _nothing,
            cst.Break: cls.break_statement,
            cst.Continue: cls.continue_statement,
            cst.FunctionDef: cls.function_def,
            cst.ClassDef: cls.class_def,
            cst.If: cls.if_statement,
            cst.For: cls.for_statement,
            cst.While: cls.while_statement,
            cst.With: cls.with_statement,
            cst.Try: cls.try_statement,
            cst.Match: cls.match_statement,
        }
        for name, handler in (
            ("TryStar", cls.try_statement),
            ("TypeAlias", _nothing),
            ("LazyImport", cls.import_statement),
            ("LazyImportFrom", cls.import_from),
        ):
            node_type = getattr(cst, name, None)
            if node_type is not None:
                handlers[node_type] = handler
        return handlers

    # ----- expressions

    def expr(self, node, d: Disposition) -> None:
        if d is _RETURNED and self.fid is not None and type(node) is cst.IfExp:
            for branch in (node.body, node.orelse):
                if _plain_value(branch):
                    self.functions[self.fid].plain_returns += 1
        handler = _EXPRESSION_HANDLERS.get(type(node))
        if handler is None:
            self.generic(node)
        else:
            handler(self, node, d)

    @classmethod
    def _expression_handlers(cls) -> dict:
        handlers = {
            cst.Name: cls.name,
            cst.Attribute: cls.attribute,
            cst.Call: cls.call,
            cst.Subscript: cls.subscript,
            cst.Await: cls.await_expression,
            cst.Yield: cls.yield_expression,
            cst.Lambda: cls.lambda_expression,
            cst.IfExp: cls.if_expression,
            cst.BooleanOperation: cls.boolean_operation,
            cst.UnaryOperation: cls.unary_operation,
            cst.BinaryOperation: cls.binary_operation,
            cst.Comparison: cls.comparison,
            cst.NamedExpr: cls.named_expression,
            cst.List: cls.sequence,
            cst.Tuple: cls.sequence,
            cst.Set: cls.sequence,
            cst.Dict: cls.dictionary,
            cst.ListComp: cls.comprehension,
            cst.SetComp: cls.comprehension,
            cst.GeneratorExp: cls.comprehension,
            cst.DictComp: cls.dict_comprehension,
            cst.FormattedString: cls.formatted_string,
            cst.ConcatenatedString: cls.concatenated_string,
            cst.StarredElement: cls.starred,
            cst.SimpleString: _nothing2,
            cst.Integer: _nothing2,
            cst.Float: _nothing2,
            cst.Imaginary: _nothing2,
            cst.Ellipsis: _nothing2,
        }
        templated = getattr(cst, "TemplatedString", None)
        if templated is not None:
            handlers[templated] = cls.formatted_string
        starred_comp = getattr(cst, "StarredDictComp", None)
        if starred_comp is not None:
            handlers[starred_comp] = cls.starred_dict_comprehension
        return handlers

    def generic(self, node, d: Disposition = _OTHER) -> None:
        """Fallback for node types without a handler: walk what is inside as OTHER."""
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.expr(child, _OTHER)
            elif isinstance(child, (cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite)):
                self.block([child])
            else:
                self.generic(child)


def _subscript_key(target: cst.Subscript) -> Optional[str]:
    """`"K"` in `x["K"] = v`, when the subscript is one literal string."""
    if len(target.slice) != 1 or type(target.slice[0].slice) is not cst.Index:
        return None
    value = target.slice[0].slice.value
    if type(value) is not cst.SimpleString:
        return None
    key = evaluated_value(value)
    return key if isinstance(key, str) else None


def _nothing(lowerer, node) -> None:
    return None


def _nothing2(lowerer, node, d) -> None:
    return None


_STATEMENT_HANDLERS = _Lowerer._statement_handlers()
_EXPRESSION_HANDLERS = _Lowerer._expression_handlers()
