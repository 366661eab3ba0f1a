"""What the JS/TS lowering reports beside the model: regions tree-sitter could not parse (and files
too broken to lower), and comments (suppressions are read from them).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter

from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.js_common import _COMMENT_START
from lambdalint.model import Comment, Span

if TYPE_CHECKING:
    from lambdalint.frontends.javascript import _Lowerer


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
