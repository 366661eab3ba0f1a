"""Source positions of libcst nodes: offsets measured by `py_offsets` (or, for rare syntax and
unknown libcst releases, by libcst's own code generator), turned into lines and columns only for what
the model records.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from typing import Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

from lambdalint.frontends import py_offsets
from lambdalint.model import Span


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
