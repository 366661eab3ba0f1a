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

import ast
import bisect
import re
import sys
import threading
from contextlib import contextmanager
from itertools import accumulate
from typing import Iterable, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

from lambdalint.frontends import py_offsets
from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.structure import StructureBuilder
from lambdalint.frontends.py_values import UNKNOWN as _UNKNOWN_VALUE, ValueBuilder, add_class_value
from lambdalint.frontends.py_values import evaluated_value as _evaluated_value
from lambdalint.frontends.dispositions import (
    OTHER as _OTHER,
    DISCARDED as _DISCARDED,
    CONDITION as _CONDITION,
    RETURNED as _RETURNED,
    AWAITED as _AWAITED,
    YIELDED as _YIELDED,
    ITERATED as _ITERATED,
    ASYNC_ITERATED as _ASYNC_ITERATED,
    CONTEXT as _CONTEXT,
)
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

__all__ = ["lower_python"]

_TEXT_LIMIT = 200
_TOO_DEEP = "too deeply nested"


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


# --------------------------------------------------------------------------- parsing

def _parse(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise _syntax_error(exc, source) from None


_ERROR_AT = re.compile(r"(?:parser|tokenizer) error: (?:error at (\d+):(\d+): )?(.*)")


def _syntax_error(exc: cst.ParserSyntaxError, source: str) -> ParseError:
    """libcst's message, first line only; its position, or CPython's when it has none."""
    first = _first_line(exc.message) or "invalid syntax"
    line, column = exc.raw_line, exc.raw_column + 1
    match = _ERROR_AT.match(first)
    if match:
        first = match.group(3)
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line, column = _cpython_error_position(source) or (line, column)
    return ParseError(f"invalid syntax: {first}", max(line, 1), max(column, 1))


def _cpython_error_position(source: str) -> Optional[tuple[int, int]]:
    """Where CPython's parser stops; libcst's tokenizer errors carry no position."""
    try:
        ast.parse(source)
    except SyntaxError as exc:
        if exc.lineno:
            return exc.lineno, exc.offset or 1
    except Exception:  # noqa: BLE001 - only a better position is at stake
        pass
    return None


def _encoding_error(source: str, exc: UnicodeError) -> ParseError:
    start = getattr(exc, "start", None)
    if not isinstance(start, int) or start > len(source):
        return ParseError("invalid character in source")
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    return ParseError(f"invalid character in source: {_first_line(getattr(exc, 'reason', ''))}", line, column)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


# libcst's native parser recurses once (or more) per nesting level and overflows
# the C stack near 1,000 nested brackets or 3,000 chained lambdas; CPython itself
# refuses more than 200 nested brackets. A logical line short enough cannot hold
# a dangerous chain of unbracketed nesting (unary operators, lambdas, ternaries).
_MAX_BRACKET_DEPTH = 200
_SAFE_LOGICAL_LINE = 4000
_UNCHECKED_LOGICAL_LINE_LIMIT = 400_000
_BIG_STACK = 256 * 1024 * 1024
# Strings are matched from their quote: a prefix (`rb"..."`) holds no bracket, so skipping it as
# ordinary text finds the same brackets. The lookahead (every alternative starts with one of its
# characters) lets the scan pass over other text without trying each alternative.
_NEST_SCAN = re.compile(
    r"""(?=['"#(\[{)\]}])"""
    r"""(?:(?:'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")"""
    r"""|\#[^\r\n]*|(?P<open>[(\[{])|(?P<close>[)\]}]))""",
    re.S,
)


def _guard_nesting(source: str) -> bool:
    """Raise ParseError for pathological nesting; True when the parse needs a big stack.

    The scan skips strings and comments approximately; a wrong guess only costs
    a slower safe path, never a crash.
    """
    if len(source) <= _SAFE_LOGICAL_LINE and sum(map(source.count, "([{")) <= _MAX_BRACKET_DEPTH:
        return False  # what the scan would find: no span is longer than the file, no depth above its brackets
    depth = deepest = longest = 0
    span_start = 0
    for match in _NEST_SCAN.finditer(source):
        if match.lastgroup == "open":
            if depth == 0:
                span_start = match.start()
            depth += 1
            if depth > deepest:
                deepest = depth
        elif match.lastgroup == "close" and depth:
            depth -= 1
            if depth == 0 and match.end() - span_start > longest:
                longest = match.end() - span_start
    if deepest > _MAX_BRACKET_DEPTH:
        raise ParseError(_TOO_DEEP)
    if depth:
        longest = max(longest, len(source) - span_start)
    unbracketed = max(map(len, source.replace("\\\r\n", "").replace("\\\n", "").split("\n")), default=0)
    longest = max(longest, unbracketed)
    if longest <= _SAFE_LOGICAL_LINE:
        return False
    if not _depth_checked_by_cpython(source) and longest > _UNCHECKED_LOGICAL_LINE_LIMIT:
        raise ParseError(_TOO_DEEP)
    return True


def _depth_checked_by_cpython(source: str) -> bool:
    """Let CPython's parser, which guards its own depth, vet a file with very long lines.

    True when CPython parsed it (so its nesting is bounded); False when CPython
    rejected it for some other reason (e.g. syntax newer than this interpreter).
    """
    try:
        ast.parse(source)
    except (RecursionError, MemoryError):
        raise ParseError(_TOO_DEEP) from None
    except SyntaxError as exc:
        if "nested" in str(exc.msg):
            raise ParseError(_TOO_DEEP) from None
        return False
    except ValueError:
        return False
    return True


_stack_size_lock = threading.Lock()


def _on_big_stack(work):
    """Run `work` in a thread with a large stack so deep-but-legal nesting cannot crash."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed back to the calling thread
            outcome["error"] = exc

    with _stack_size_lock:
        previous = threading.stack_size()
        try:
            threading.stack_size(_BIG_STACK)
            worker = threading.Thread(target=run, name="lambdalint-parse", daemon=True)
            worker.start()
        except (RuntimeError, ValueError, MemoryError):
            worker = None
        finally:
            threading.stack_size(previous)
    if worker is None:
        return work()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# libcst's code generator and this walker recurse once or twice per nesting level;
# a long implicit string concatenation or `a + b + ...` chain in real code goes
# past Python's default limit of 1000 frames. The nesting guard bounds the depth
# well below this limit, so the extra frames cannot exhaust the C stack.
_RECURSION_LIMIT = 20_000
_recursion_lock = threading.Lock()
_recursion_users = 0
_recursion_saved = 0


@contextmanager
def _recursion_headroom():
    """Raise the recursion limit while any thread is lowering, restore it after the last."""
    global _recursion_users, _recursion_saved
    with _recursion_lock:
        if _recursion_users == 0:
            _recursion_saved = sys.getrecursionlimit()
            if _recursion_saved < _RECURSION_LIMIT:
                sys.setrecursionlimit(_RECURSION_LIMIT)
        _recursion_users += 1
    try:
        yield
    finally:
        with _recursion_lock:
            _recursion_users -= 1
            if _recursion_users == 0:
                sys.setrecursionlimit(_recursion_saved)


# --------------------------------------------------------------------------- positions

class _SyntacticExit:
    """Shared context manager closing the innermost open syntactic range."""

    __slots__ = ("state",)

    def __init__(self, state: "_OffsetState"):
        self.state = state

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info) -> None:
        state = self.state
        node, start = state.open_ranges.pop()
        state.ranges[id(node)] = (start, state.offset)


class _OffsetState(CodegenState):
    """Code generation that emits nothing and remembers where nodes and comments are."""

    __slots__ = ("offset", "indent_length", "ranges", "open_ranges", "comments", "_exit")

    def __init__(self, module: cst.Module):
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        # Module codegen adds a newline when `tokens` is empty; a placeholder keeps it honest.
        self.tokens = [""]
        self.offset = 0
        self.indent_length = 0
        self.ranges: dict[int, tuple[int, int]] = {}
        self.open_ranges: list = []
        self.comments: list[tuple[int, str]] = []
        self._exit = _SyntacticExit(self)

    def increase_indent(self, value: str) -> None:
        self.indent_tokens.append(value)
        self.indent_length += len(value)

    def decrease_indent(self) -> None:
        self.indent_length -= len(self.indent_tokens.pop())

    def add_indent_tokens(self) -> None:
        self.offset += self.indent_length

    def add_token(self, value: str) -> None:
        if "#" in value and value[0] == "#" and not self._inside_string():
            self.comments.append((self.offset, value))
        self.offset += len(value)

    def _inside_string(self) -> bool:
        """A `#` token is a comment unless it is literal text of an f-string / t-string."""
        open_ranges = self.open_ranges
        return bool(open_ranges) and type(open_ranges[-1][0]) in _STRING_WITH_TEXT_PARTS

    def pop_trailing_newline(self) -> None:
        # Only the final length depends on this; a different last newline just
        # makes `_Positions` align the text instead of trusting the offsets.
        self.offset -= len(self.default_newline)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        self.open_ranges.append((node, self.offset))
        return self._exit


_STRING_WITH_TEXT_PARTS = frozenset(
    t for t in (getattr(cst, "FormattedString", None), getattr(cst, "TemplatedString", None)) if t is not None
)


def _measured(module: cst.Module, source_length: int, directly: bool = True) -> _OffsetState:
    """Node and comment offsets: measured directly when libcst's own generator is known and the
    measure accounts for every character; libcst's generator otherwise (see `py_offsets`)."""
    if directly and py_offsets.available():
        state = _OffsetState(module)
        try:
            end = py_offsets.measure(module, state)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - an unexpected tree (or too deep): the generator below decides
            end = None
        if end == source_length:
            state.offset = end
            return state
        state._exit = None  # its cycle holds every offset measured
    state = _OffsetState(module)
    module._codegen(state)
    return state


class _Positions:
    """Turns generated-code offsets into 1-based lines/columns of the original text.

    libcst normally regenerates the source exactly. It drops a few characters
    (a byte-order mark, form feeds in some indentation, a leading line
    continuation, trailing blank lines); then the offsets are mapped back by
    aligning the generated code with the source.
    """

    def __init__(self, source: str, module: cst.Module, state: _OffsetState):
        self.source = source
        self.length = len(source)
        if "\r" in source:
            self.line_starts = [0]
            self.line_starts.extend(m.end() for m in re.finditer(r"\r\n?|\n", source))
        else:  # the same list: 0 and the offset after every newline
            self.line_starts = list(accumulate(map(_PLUS_ONE, map(len, source.split("\n"))), initial=0))
            self.line_starts.pop()
        self.shift_at: Optional[list[int]] = None
        self.shift_by: Optional[list[int]] = None
        if state.offset != len(source):
            self._align(module.code)

    def _align(self, code: str) -> None:
        """Record where characters were dropped (code must be a subsequence of source)."""
        source = self.source
        at, by = [0], [0]
        i = j = 0
        while j < len(code) and i < len(source):
            same = _common_prefix_length(source, i, code, j)
            i += same
            j += same
            if j >= len(code):
                break
            skipped = 0
            while i < len(source) and source[i] != code[j]:
                i += 1
                skipped += 1
            if skipped:
                at.append(j)
                by.append(i - j)
            else:  # not a subsequence: give up on exact mapping beyond this point
                break
        self.shift_at, self.shift_by = at, by

    def source_offset(self, offset: int) -> int:
        if self.shift_at is not None:
            offset += self.shift_by[bisect.bisect_right(self.shift_at, offset) - 1]
        # A file without a final newline still has one in the generated code.
        return offset if offset <= self.length else self.length

    def line_column(self, source_offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, source_offset) - 1
        return line + 1, source_offset - self.line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.line_column(start)
        end_line, end_column = self.line_column(end)
        return Span(line, column, end_line, end_column)

    def code_span(self, start: int, end: int) -> Span:
        """`span(source_offset(start), source_offset(end))` in one call: the lowerer asks for one per record."""
        if self.shift_at is not None:
            start, end = self.source_offset(start), self.source_offset(end)
        else:
            length = self.length
            if start > length:
                start = length
            if end > length:
                end = length
        line_starts = self.line_starts
        line = _bisect_right(line_starts, start) - 1
        end_line = _bisect_right(line_starts, end) - 1
        return Span(line + 1, start - line_starts[line] + 1, end_line + 1, end - line_starts[end_line] + 1)

    def line_count(self) -> int:
        lines = len(self.line_starts)
        if self.line_starts[-1] == len(self.source):
            lines -= 1
        return lines


_bisect_right = bisect.bisect_right
_NO_RANGE = (0, 0)
_PLUS_ONE = (1).__add__


def _common_prefix_length(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of a[i:] and b[j:], by bisecting with slice compares."""
    limit = min(len(a) - i, len(b) - j)
    if a[i:i + limit] == b[j:j + limit]:
        return limit
    low, high = 0, limit  # a prefix of `low` characters matches, one of `high` does not
    while high - low > 1:
        middle = (low + high) // 2
        if a[i + low:i + middle] == b[j + low:j + middle]:
            low = middle
        else:
            high = middle
    return low


# --------------------------------------------------------------------------- dispositions

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


# --------------------------------------------------------------------------- lowering

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


class _Lowerer:
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

    def expression_statement(self, node: cst.Expr) -> None:
        self.expr(node.value, _DISCARDED)

    def assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        value = node.value
        if len(targets) == 1 and self.assign_pairwise(targets[0], value, "assign"):
            return
        first = targets[0]
        value_ids = self.next_id(value)
        self.expr(value, _assigned("[]" if _is_destructuring(first) else _path(first)))
        for target in targets:
            self.bind_target(target, "assign", value, value_ids)

    def assign_pairwise(self, target, value, kind: str) -> bool:
        """`a, b = f(), g()`: each element goes to its own target."""
        if type(target) not in (cst.Tuple, cst.List) or type(value) not in (cst.Tuple, cst.List):
            return False
        if len(target.elements) != len(value.elements):
            return False
        if any(type(e) is cst.StarredElement for e in (*target.elements, *value.elements)):
            return False
        for target_element, value_element in zip(target.elements, value.elements):
            sub_target, sub_value = target_element.value, value_element.value
            if self.assign_pairwise(sub_target, sub_value, kind):
                continue
            value_ids = self.next_id(sub_value)
            self.expr(sub_value, _assigned("[]" if _is_destructuring(sub_target) else _path(sub_target)))
            self.bind_target(sub_target, kind, sub_value, value_ids)
        return True

    def bind_target(self, target, kind: str, value=None, value_ids=None, type_name=None, value_node=None) -> None:
        """Bindings for every leaf of a target; a value is described only for a single leaf.

        Every leaf gets the value's extent (`value_node` when the value is not described, as for
        an augmented operand or a loop's iterable)."""
        first = len(self.bindings)
        self._bind_target(target, kind, value, value_ids, type_name)
        value_node = value if value_node is None else value_node
        if value_node is not None:
            span = self.span(value_node)
            for binding in self.bindings[first:]:
                binding.value_span = span

    def _bind_target(self, target, kind: str, value=None, value_ids=None, type_name=None) -> None:
        if _is_destructuring(target):
            for leaf in _target_leaves(target):
                self.target_reads(leaf)
                self.add_binding(leaf, kind, type_name=type_name)
            return
        self.target_reads(target)
        self.add_binding(target, kind, value, value_ids, type_name)

    def target_reads(self, target) -> None:
        """Reads hidden in a target: the index in `a[i] = x`, the call in `f().x = y`."""
        t = type(target)
        if t is cst.Subscript:
            self.subscript_slices(target)
            if _name_path(target.value) is None:
                self.target_reads(target.value)
        elif t is cst.Attribute:
            if _name_path(target) is None:
                root = target.value
                if type(root) in (cst.Attribute, cst.Subscript):
                    self.target_reads(root)
                else:
                    self.expr(root, _OTHER)

    def annotated_assign(self, node: cst.AnnAssign) -> None:
        target, value = node.target, node.value
        annotation = self.text(node.annotation.annotation)
        value_ids = None
        if value is not None:
            value_ids = self.next_id(value)
            self.expr(value, _assigned(_path(target), declared=True))
        self.bind_target(target, "declare", value, value_ids, annotation)

    def augmented_assign(self, node: cst.AugAssign) -> None:
        self.expr(node.value, _assigned(_path(node.target)))
        self.bind_target(node.target, "augmented", value_node=node.value)

    def return_statement(self, node: cst.Return) -> None:
        value = node.value
        if self.fid is not None:
            function = self.functions[self.fid]
            function.returns += 1
            if value is None or _plain_value(value):
                function.plain_returns += 1
        self.structure.exit(ExitKind.RETURN, self.span(node), self.fid, self.region, value is not None,
                            _name_path(value) if value is not None else None)
        if value is not None:
            self.expr(value, _RETURNED)

    def raise_statement(self, node: cst.Raise) -> None:
        exc = node.exc
        self.structure.exit(ExitKind.RAISE, self.span(node), self.fid, self.region, exc is not None,
                            _name_path(exc) if exc is not None else None)
        if exc is not None:
            self.expr(exc, _OTHER)
        if node.cause is not None:
            self.expr(node.cause.item, _OTHER)

    def break_statement(self, node) -> None:
        self.structure.exit(ExitKind.BREAK, self.span(node), self.fid, self.region)

    def continue_statement(self, node) -> None:
        self.structure.exit(ExitKind.CONTINUE, self.span(node), self.fid, self.region)

    def assert_statement(self, node: cst.Assert) -> None:
        self.expr(node.test, _CONDITION)
        if node.msg is not None:
            self.expr(node.msg, _OTHER)

    def del_statement(self, node: cst.Del) -> None:
        for leaf in _target_leaves(node.target):
            self.target_reads(leaf)
            self.add_binding(leaf, "delete")

    def global_statement(self, node) -> None:
        for item in node.names:
            self.add_binding(item.name, "global")

    def nonlocal_statement(self, node) -> None:
        for item in node.names:
            self.add_binding(item.name, "nonlocal")

    def import_statement(self, node) -> None:
        span = self.span(node)
        for alias in node.names:
            module = _path(alias.name)
            local = alias.asname.name.value if alias.asname is not None else module
            self.model.imports.append(Import(module, None, local, span, function=self.fid))

    def import_from(self, node) -> None:
        span = self.span(node)
        module = _path(node.module) if node.module is not None else ""
        level = len(node.relative)
        if isinstance(node.names, cst.ImportStar):
            self.model.imports.append(Import(module, "*", "*", span, level=level, function=self.fid))
            return
        for alias in node.names:
            name = _path(alias.name)
            local = alias.asname.name.value if alias.asname is not None else name
            self.model.imports.append(Import(module, name, local, span, level=level, function=self.fid))

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

    def decorator(self, node: cst.Decorator) -> Decorator:
        """Decorators are not calls; calls inside their arguments are (with OTHER)."""
        expression = node.decorator
        if type(expression) is cst.Call:
            args = [self.argument(arg, _OTHER, None) for arg in expression.args]
            return Decorator(_path(expression.func), args, self.span(node))
        self.expr_reads_in_decorator(expression)
        return Decorator(_path(expression), [], self.span(node))

    def expr_reads_in_decorator(self, expression) -> None:
        """`@a[f()]`-style decorators: walk what is not a plain dotted name."""
        if _name_path(expression) is None:
            self.expr(expression, _OTHER)

    def params(self, parameters: cst.Parameters, fid: int) -> list[Param]:
        """Model params; defaults are evaluated (and walked) in the enclosing scope."""
        result = []
        for param in _param_list(parameters):
            star = param.star if isinstance(param.star, str) else ""
            annotation = self.text(param.annotation.annotation) if param.annotation is not None else None
            if param.default is not None:
                self.expr(param.default, _OTHER)
            result.append(Param(param.name.value, annotation, param.default is not None, star in ("*", "**")))
        return result

    def bind_params(self, parameters: cst.Parameters, params: list[Param]) -> None:
        for param, model_param in zip(_param_list(parameters), params):
            binding = Binding(
                name=model_param.name,
                span=self.span(param.name),
                function=self.fid,
                kind="param",
                type_name=model_param.annotation,
            )
            if param.default is not None:
                is_literal, literal = _literal(param.default)
                if is_literal:
                    binding.value_literal, binding.has_literal = literal, True
                else:
                    binding.value_name = _name_path(param.default)
            self.bindings.append(binding)

    def enter_function(self, function: Function, method: Optional[tuple]) -> _Scope:
        saved = _Scope(self.function, self.loop_depth, self.class_body, self.method, self.region, self.condition)
        function.region = self.region
        self.function, self.fid = function, function.id
        self.loop_depth = 0
        self.region = self.condition = None
        self.class_body = None
        self.method = method
        return saved

    def leave_function(self, saved: _Scope) -> None:
        self.function = saved.function
        self.fid = saved.function.id if saved.function is not None else None
        self.loop_depth = saved.loop_depth
        self.class_body = saved.class_body
        self.method = saved.method
        self.region = saved.region
        self.condition = saved.condition

    def function_def(self, node: cst.FunctionDef) -> None:
        info = self.class_body
        fid = len(self.functions)
        function = Function(
            id=fid,
            name=node.name.value,
            kind=FunctionKind.METHOD if info is not None else FunctionKind.DECLARATION,
            is_async=node.asynchronous is not None,
            is_generator=False,
            params=[],
            span=self.block_span(node),
            name_span=self.span(node.name),
            parent=self.fid,
            class_name=info.name if info is not None else None,
            return_annotation=self.text(node.returns.annotation) if node.returns is not None else None,
        )
        self.functions.append(function)
        function.decorators = [self.decorator(d) for d in node.decorators]
        function.params = self.params(node.params, fid)
        method = self.method
        if info is not None:
            self_name = function.params[0].name if function.params else None
            if any(d.callee == "staticmethod" for d in function.decorators):
                self_name = None
            method = (info, self_name)
        saved = self.enter_function(function, method)
        self.bind_params(node.params, function.params)
        self.suite(node.body)
        self.leave_function(saved)

    def class_def(self, node: cst.ClassDef) -> None:
        info = ClassInfo(name=node.name.value, span=self.block_span(node), parent=self.fid)
        self.model.classes.append(info)
        info.decorators = [self.decorator(d) for d in node.decorators]
        for base in node.bases:
            info.bases.append(_path(base.value))
            self.expr(base.value, _OTHER)
        for keyword in node.keywords:
            self.expr(keyword.value, _OTHER)
        saved_body = self.class_body
        self.class_body = info
        self.suite(node.body)
        self.class_body = saved_body

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


_PLAIN_TYPES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float,
                cst.Imaginary, cst.Dict, cst.List, cst.Tuple, cst.Set, cst.BinaryOperation, cst.Comparison,
                cst.UnaryOperation, cst.ListComp, cst.DictComp, cst.SetComp)


def _plain_value(node) -> bool:
    """A returned value that is never a coroutine: a literal, a display, an operator expression, `None`."""
    return isinstance(node, _PLAIN_TYPES) or (type(node) is cst.Name and node.value in ("None", "True", "False"))
