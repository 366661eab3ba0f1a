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

from lambdalint.frontends.dispositions import (
    OTHER as _OTHER,
    CONDITION as _CONDITION,
    RETURNED as _RETURNED,
    AWAITED as _AWAITED,
    YIELDED as _YIELDED,
    ITERATED as _ITERATED,
    ASYNC_ITERATED as _ASYNC_ITERATED,
    CONTEXT as _CONTEXT,
)
from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.py_definitions import DefinitionLowering
from lambdalint.frontends.py_nodes import (
    _assigned,
    _constructed_type,
    _evaluated,
    _is_main_guard,
    _literal,
    _LITERAL_NAMES,
    _name_path,
    _path,
    _plain_value,
    _STRING_TYPES,
)
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
from lambdalint.frontends.py_values import UNKNOWN as _UNKNOWN_VALUE, ValueBuilder, add_class_value
from lambdalint.frontends.py_values import evaluated_value as _evaluated_value
from lambdalint.frontends.structure import StructureBuilder
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
    Disposition,
    FileModel,
    Function,
    FunctionKind,
    Handler,
    Language,
    LoopKind,
    NameRef,
    RegionKind,
    Span,
    Use,
)

__all__ = ["lower_python"]

_TEXT_LIMIT = 200


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

class _Lowerer(StatementLowering, DefinitionLowering):
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

    # ----- control structure (see `model.Construct`): heads belong to the enclosing region

    def body_span(self, suite) -> Span:
        """From a body's first statement to its last (`if x: f()` included)."""
        ranges = self.ranges
        body = suite.body
        if type(suite) is cst.IndentedBlock or not body:
            start, end = ranges.get(id(suite), (0, 0))
        else:
            start, end = ranges.get(id(body[0]), (0, 0))[0], ranges.get(id(body[-1]), (0, 0))[1]
        positions = self.positions
        start, end = positions.source_offset(start), positions.source_offset(end)
        source = self.source
        while start < end and source[start] in " \t\f":
            start += 1
        return positions.span(start, self.trim_end(start, end))

    def in_region(self, construct, kind: RegionKind, suite, condition=None, handler=None) -> None:
        saved = self.region
        self.region = self.structure.region(construct, kind, self.body_span(suite), saved, condition, handler)
        self.suite(suite)
        self.region = saved

    def collect_condition(self, node, d: Disposition, span: Optional[Span] = None) -> Condition:
        """Walk `node` with disposition `d`, collecting the calls and names it reads."""
        condition = Condition(span or self.span(node))
        if d is _CONDITION:
            condition.tests, condition.negated = _presence(node)
        saved = self.condition
        self.condition = condition
        self.expr(node, d)
        self.condition = saved
        return condition

    def if_statement(self, node: cst.If) -> None:
        construct = self.structure.construct(ConstructKind.IF, self.block_span(node), self.fid, self.region)
        guarded = self.in_main_guard
        while True:
            test = self.collect_condition(node.test, _CONDITION)
            if _is_main_guard(node.test):
                self.in_main_guard = True
            self.in_region(construct, RegionKind.THEN, node.body, test)
            self.in_main_guard = guarded
            orelse = node.orelse
            if type(orelse) is cst.If:
                node = orelse
                continue
            if orelse is not None:
                construct.has_else = True
                self.in_region(construct, RegionKind.ELSE, orelse.body)
            return

    def for_statement(self, node: cst.For) -> None:
        is_async = node.asynchronous is not None
        construct = self.structure.construct(ConstructKind.LOOP, self.block_span(node), self.fid, self.region,
                                             loop=LoopKind.ASYNC_FOR if is_async else LoopKind.FOR_OF,
                                             is_async=is_async)
        construct.iterated = self.collect_condition(node.iter, _ASYNC_ITERATED if is_async else _ITERATED)
        construct.iterated.set_display = type(node.iter) in (cst.Set, cst.SetComp)
        self.bind_target(node.target, "for", value_node=node.iter)
        self.loop_depth += 1
        self.in_region(construct, RegionKind.LOOP, node.body)
        self.loop_depth -= 1
        if node.orelse is not None:
            self.in_region(construct, RegionKind.LOOP_ELSE, node.orelse.body)

    def while_statement(self, node: cst.While) -> None:
        construct = self.structure.construct(ConstructKind.LOOP, self.block_span(node), self.fid, self.region,
                                             loop=LoopKind.WHILE, unconditional=_always_true(node.test))
        self.loop_depth += 1
        construct.condition = self.collect_condition(node.test, _CONDITION)
        self.in_region(construct, RegionKind.LOOP, node.body)
        self.loop_depth -= 1
        if node.orelse is not None:
            self.in_region(construct, RegionKind.LOOP_ELSE, node.orelse.body)

    def with_statement(self, node: cst.With) -> None:
        is_async = node.asynchronous is not None
        construct = self.structure.construct(ConstructKind.WITH, self.block_span(node), self.fid, self.region,
                                             is_async=is_async)
        for item in node.items:
            value = item.item
            value_ids = self.next_id(value)
            construct.items.append(self.collect_condition(value, _AWAITED if is_async else _CONTEXT))
            if item.asname is not None:
                self.bind_target(item.asname.name, "async_with" if is_async else "with", value, value_ids)
        self.in_region(construct, RegionKind.WITH, node.body)

    def try_statement(self, node) -> None:
        construct = self.structure.construct(ConstructKind.TRY, self.block_span(node), self.fid, self.region)
        self.in_region(construct, RegionKind.TRY, node.body)
        star = type(node) is not cst.Try
        for handler in node.handlers:
            caught = handler.type
            types = []
            if caught is not None:
                self.expr(caught, _OTHER)
                types = [_path(e.value) for e in caught.elements] if type(caught) is cst.Tuple else [_path(caught)]
            name = handler.name.name if handler.name is not None else None
            record = Handler(types, caught is None, _path(name) if name is not None else None, star=star)
            clause = self.span(handler)
            record.keyword = Span(clause.line, clause.column, clause.line, clause.column + len("except"))
            self.in_region(construct, RegionKind.HANDLER, handler.body, handler=record)
        if node.orelse is not None:
            construct.has_else = True
            self.in_region(construct, RegionKind.TRY_ELSE, node.orelse.body)
        if node.finalbody is not None:
            self.in_region(construct, RegionKind.FINALLY, node.finalbody.body)

    def match_statement(self, node: cst.Match) -> None:
        construct = self.structure.construct(ConstructKind.SWITCH, self.block_span(node), self.fid, self.region)
        construct.condition = self.collect_condition(node.subject, _OTHER)
        for case in node.cases:
            start, end = self.span(case.pattern), self.span(case.guard if case.guard is not None else case.pattern)
            condition = Condition(Span(start.line, start.column, end.end_line, end.end_column))
            saved = self.condition
            self.condition = condition
            self.pattern(case.pattern)
            if case.guard is not None:
                self.expr(case.guard, _CONDITION)
            self.condition = saved
            irrefutable = case.guard is None and _irrefutable(case.pattern)
            construct.has_else = construct.has_else or irrefutable
            self.in_region(construct, RegionKind.DEFAULT if irrefutable else RegionKind.CASE, case.body, condition)

    def pattern(self, pattern) -> None:
        """Values read by a match pattern (`Color.RED`, class names); captures are skipped."""
        t = type(pattern)
        if t is cst.MatchValue:
            self.expr(pattern.value, _OTHER)
        elif t is cst.MatchAs:
            if pattern.pattern is not None:
                self.pattern(pattern.pattern)
        elif t is cst.MatchOr:
            for element in pattern.patterns:
                self.pattern(element.pattern)
        elif t in (cst.MatchList, cst.MatchTuple):
            for element in pattern.patterns:
                if type(element) is cst.MatchSequenceElement:
                    self.pattern(element.value)
        elif t is cst.MatchMapping:
            for element in pattern.elements:
                self.expr(element.key, _OTHER)
                self.pattern(element.pattern)
        elif t is cst.MatchClass:
            self.expr(pattern.cls, _OTHER)
            for element in pattern.patterns:
                self.pattern(element.value)
            for keyword in pattern.kwds:
                self.pattern(keyword.pattern)

    # ----- functions and classes


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

    def name(self, node: cst.Name, d: Disposition) -> None:
        value = node.value
        if value in _LITERAL_NAMES or value == "self":
            return
        self.add_name(node, value, d)

    def attribute(self, node: cst.Attribute, d: Disposition) -> None:
        path = _name_path(node)
        if path is not None:
            self.add_name(node, path, d)
        else:
            self.expr(node.value, _OTHER)

    def subscript(self, node: cst.Subscript, d: Disposition) -> None:
        before = len(self.names)
        self.expr(node.value, _OTHER)
        if len(self.names) == before + 1 and len(node.slice) == 1 and type(node.value) in (cst.Name, cst.Attribute):
            index = node.slice[0].slice
            if type(index) is cst.Index and type(index.value) is cst.SimpleString:
                self.names[-1].key = _evaluated_value(index.value)
        self.subscript_slices(node)

    def subscript_slices(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = element.slice
            if type(index) is cst.Index:
                self.expr(index.value, _OTHER)
            else:
                for part in (index.lower, index.upper, index.step):
                    if part is not None:
                        self.expr(part, _OTHER)

    def call(self, node: cst.Call, d: Disposition) -> None:
        func = node.func
        call = self.add_call(node, _path(func), d)
        cid = call.id
        func_type = type(func)
        if func_type is cst.Attribute:
            receiver = func.value
            if type(receiver) is cst.Call:
                call.receiver_call = len(self.calls)
            self.expr(receiver, Disposition(Use.RECEIVER, consumer=cid))
        elif func_type is cst.Subscript:
            self.expr(func.value, Disposition(Use.RECEIVER, consumer=cid))
            self.subscript_slices(func)
        elif func_type is not cst.Name:
            if func_type is cst.Lambda:
                call.callee_function = len(self.functions)
            self.expr(func, _OTHER)
        args = []
        position = 0
        for arg in node.args:
            star = arg.star if isinstance(arg.star, str) else ""
            if arg.keyword is not None or star == "**":
                arg_d = Disposition(Use.ARGUMENT, consumer=cid, spread=star == "**",
                                    keyword=arg.keyword.value if arg.keyword is not None else None)
            else:
                arg_d = Disposition(Use.ARGUMENT, consumer=cid, arg_index=position, spread=star == "*")
                position += 1
            args.append(self.argument(arg, arg_d, cid))
        call.args = args

    def argument(self, arg: cst.Arg, d: Disposition, consumer: Optional[int]) -> Arg:
        """Walk an argument's value and describe it as an `Arg`."""
        value = arg.value
        star = arg.star if isinstance(arg.star, str) else ""
        record = Arg(
            kind=ArgKind.OTHER,
            text="",
            keyword=arg.keyword.value if arg.keyword is not None else None,
            spread=star in ("*", "**"),
            span=self.span(value),
        )
        t = type(value)
        if t is cst.Call:
            record.kind, record.call = ArgKind.CALL, len(self.calls)
        elif t is cst.Lambda:
            record.kind, record.function = ArgKind.FUNCTION, len(self.functions)
        self.expr(value, d)
        if t is cst.Call or t is cst.Lambda:
            pass
        elif t is cst.Dict:
            record.kind = ArgKind.OBJECT
            record.keys = _dict_keys(value)
        elif t in (cst.List, cst.Tuple, cst.Set):
            record.kind = ArgKind.ARRAY
        elif t is cst.FormattedString:
            if not any(type(part) is cst.FormattedStringExpression for part in value.parts):
                record.kind = ArgKind.STRING
                record.value = "".join(part.value for part in value.parts)
        else:
            path = _name_path(value)
            is_literal, literal = _literal(value)
            if is_literal:
                record.value = literal
                if t in _STRING_TYPES:
                    record.kind = ArgKind.STRING
                elif t is cst.Name:
                    record.kind = ArgKind.NONE if literal is None else ArgKind.BOOL
                else:
                    record.kind = ArgKind.NUMBER
            elif path is not None:
                record.kind, record.text = ArgKind.NAME, path
        if not record.text:
            record.text = self.text(value)[:_TEXT_LIMIT]
        record.expr = self.values.build(value, self.class_body)
        return record

    def await_expression(self, node: cst.Await, d: Disposition) -> None:
        self.expr(node.expression, _AWAITED)

    def yield_expression(self, node: cst.Yield, d: Disposition) -> None:
        if self.function is not None:
            self.function.is_generator = True
        value = node.value
        if type(value) is cst.From:
            self.expr(value.item, _AWAITED)
        elif value is not None:
            self.expr(value, _YIELDED)

    def lambda_expression(self, node: cst.Lambda, d: Disposition) -> None:
        fid = len(self.functions)
        function = Function(
            id=fid,
            name=_bound_name(d),
            kind=FunctionKind.LAMBDA,
            is_async=False,
            is_generator=False,
            params=[],
            span=self.span(node),
            parent=self.fid,
            disposition=d.copy(),
            returns=1,
            plain_returns=int(_plain_value(node.body)),
        )
        if d.use is Use.ARGUMENT and d.container is None:
            function.passed_to, function.arg_index, function.keyword = d.consumer, d.arg_index, d.keyword
        self.functions.append(function)
        self.function_ids[id(node)] = fid
        function.params = self.params(node.params, fid)
        saved = self.enter_function(function, self.method)
        self.bind_params(node.params, function.params)
        self.expr(node.body, _RETURNED)
        self.leave_function(saved)

    def if_expression(self, node: cst.IfExp, d: Disposition) -> None:
        self.model.choices.append(Choice(ChoiceKind.TERNARY, self.span(node), self.fid, self.span(node.test),
                                         [self.span(node.body), self.span(node.orelse)], self.region))
        self.expr(node.body, d)
        self.expr(node.test, _CONDITION)
        self.expr(node.orelse, d)

    def boolean_operation(self, node: cst.BooleanOperation, d: Disposition) -> None:
        kind = ChoiceKind.AND if type(node.operator) is cst.And else ChoiceKind.OR
        self.model.choices.append(Choice(kind, self.span(node), self.fid, self.span(node.left),
                                         [self.span(node.right)], self.region))
        self.expr(node.left, _CONDITION)
        self.expr(node.right, d)

    def unary_operation(self, node: cst.UnaryOperation, d: Disposition) -> None:
        self.expr(node.expression, _CONDITION if type(node.operator) is cst.Not else _OTHER)

    def binary_operation(self, node: cst.BinaryOperation, d: Disposition) -> None:
        self.expr(node.left, _OTHER)
        self.expr(node.right, _OTHER)

    def comparison(self, node: cst.Comparison, d: Disposition) -> None:
        self.expr(node.left, _OTHER)
        for target in node.comparisons:
            self.expr(target.comparator, _OTHER)

    def named_expression(self, node: cst.NamedExpr, d: Disposition) -> None:
        value = node.value
        value_ids = self.next_id(value)
        self.expr(value, _assigned(_path(node.target)))
        self.add_binding(node.target, "assign", value, value_ids)

    def sequence(self, node, d: Disposition) -> None:
        inner = d.within(Container.ARRAY)
        for element in node.elements:
            self.expr(element.value, inner)

    def starred(self, node: cst.StarredElement, d: Disposition) -> None:
        self.expr(node.value, d)

    def dictionary(self, node: cst.Dict, d: Disposition) -> None:
        inner = d.within(Container.OBJECT)
        for element in node.elements:
            if type(element) is cst.DictElement:
                self.expr(element.key, _OTHER)
                value = element.value
                if type(value) is cst.Lambda:
                    fid = len(self.functions)
                    self.expr(value, inner)
                    if self.functions[fid].name is None and type(element.key) is cst.SimpleString:
                        key = _evaluated(element.key)
                        self.functions[fid].name = key if isinstance(key, str) else None
                else:
                    self.expr(value, inner)
            else:
                self.expr(element.value, _OTHER)

    def comprehension(self, node, d: Disposition) -> None:
        self.expr(node.elt, d.within(Container.COMPREHENSION))
        self.comprehension_clauses(node.for_in)

    def dict_comprehension(self, node: cst.DictComp, d: Disposition) -> None:
        inner = d.within(Container.COMPREHENSION)
        self.expr(node.key, inner)
        self.expr(node.value, inner)
        self.comprehension_clauses(node.for_in)

    def starred_dict_comprehension(self, node, d: Disposition) -> None:
        self.expr(node.value, _OTHER)
        self.comprehension_clauses(node.for_in)

    def comprehension_clauses(self, clause: Optional[cst.CompFor]) -> None:
        while clause is not None:
            self.expr(clause.iter, _ASYNC_ITERATED if clause.asynchronous is not None else _ITERATED)
            self.bind_target(clause.target, "for")
            for condition in clause.ifs:
                self.expr(condition.test, _CONDITION)
            clause = clause.inner_for_in

    def formatted_string(self, node, d: Disposition) -> None:
        self.string_parts(node.parts)

    def string_parts(self, parts) -> None:
        for part in parts:
            expression = getattr(part, "expression", None)
            if expression is not None:
                self.expr(expression, _OTHER)
                if part.format_spec:
                    self.string_parts(part.format_spec)

    def concatenated_string(self, node: cst.ConcatenatedString, d: Disposition) -> None:
        self.expr(node.left, _OTHER)
        self.expr(node.right, _OTHER)

    def generic(self, node, d: Disposition = _OTHER) -> None:
        """Fallback for node types without a handler: walk what is inside as OTHER."""
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.expr(child, _OTHER)
            elif isinstance(child, (cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite)):
                self.block([child])
            else:
                self.generic(child)


def _nothing(lowerer, node) -> None:
    return None


def _nothing2(lowerer, node, d) -> None:
    return None


_STATEMENT_HANDLERS = _Lowerer._statement_handlers()
_EXPRESSION_HANDLERS = _Lowerer._expression_handlers()


def _presence(test) -> tuple[Optional[str], bool]:
    """(`x`, negated) when a test only checks that `x` holds a value: `x`, `not x`, `x is (not) None`."""
    negated = False
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        negated, test = not negated, test.expression
    t = type(test)
    if t is cst.Comparison and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if type(target.comparator) is cst.Name and target.comparator.value == "None":
            op = type(target.operator)
            if op is cst.IsNot or op is cst.NotEqual:
                path = _name_path(test.left)
            elif op is cst.Is or op is cst.Equal:
                path, negated = _name_path(test.left), not negated
            else:
                return None, False
            return (path, negated) if path is not None else (None, False)
        return None, False
    path = _name_path(test)
    return (path, negated) if path is not None else (None, False)


def _always_true(test) -> bool:
    """`while True:` / `while 1:`: the loop ends only through break, return or raise."""
    t = type(test)
    if t is cst.Name:
        return test.value == "True"
    if t is cst.Integer:
        return _evaluated_value(test) != 0
    return False


def _irrefutable(pattern) -> bool:
    """`case _:` / `case x:` (and an or-pattern holding one) matches anything."""
    t = type(pattern)
    if t is cst.MatchAs:
        return pattern.pattern is None or _irrefutable(pattern.pattern)
    if t is cst.MatchOr:
        return any(_irrefutable(element.pattern) for element in pattern.patterns)
    return False


def _bound_name(d: Disposition) -> Optional[str]:
    """`h = lambda: ...` / `self.h = lambda: ...` name the function after the target."""
    if d.use is not Use.ASSIGNED or d.container is not None or not d.target:
        return None
    last = d.target.rsplit(".", 1)[-1]
    return last if last.isidentifier() else None


def _dict_keys(node: cst.Dict) -> list[str]:
    keys = []
    for element in node.elements:
        if type(element) is cst.DictElement and type(element.key) in _STRING_TYPES:
            key = _evaluated(element.key)
            if isinstance(key, str):
                keys.append(key)
    return keys

