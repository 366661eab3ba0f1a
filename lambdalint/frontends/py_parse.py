"""Parsing Python with libcst safely: syntax errors with CPython's own positions, and input nested
so deeply that libcst's native parser would overflow the C stack (it crashes the process instead of
raising) rejected first, or parsed on a thread with a larger stack.
"""
from __future__ import annotations

import ast
import re
import sys
import threading
from contextlib import contextmanager
from typing import Optional

import libcst as cst

from lambdalint.frontends.errors import ParseError

_validating = cst.CSTNode.__post_init__

_TOO_DEEP = "too deeply nested"


def _parse(source: str) -> cst.Module:
    try:
        with _without_node_validation():
            return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise _syntax_error(exc, source) from None


_validation_lock = threading.Lock()
_unvalidated_parses = 0


def _skip_validation(_node) -> None:
    pass


@contextmanager
def _without_node_validation():
    """libcst checks every node as it is built (`CSTNode.__post_init__`), for trees built by hand; a tree
    from its own parser passes by construction (libcst's comment there says as much). Not checking
    while parsing takes about 13% off the parse. Restored once no thread is parsing, so other users of
    libcst in the process keep their checks."""
    global _unvalidated_parses
    with _validation_lock:
        if _unvalidated_parses == 0:
            cst.CSTNode.__post_init__ = _skip_validation
        _unvalidated_parses += 1
    try:
        yield
    finally:
        with _validation_lock:
            _unvalidated_parses -= 1
            if _unvalidated_parses == 0:
                cst.CSTNode.__post_init__ = _validating




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
