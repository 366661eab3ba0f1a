"""Where every node of a libcst tree starts and ends, without running libcst's code generator.

The Python front end needs, for the nodes it records, the character offsets that
libcst's `record_syntactic_position` hooks would report while the module is
regenerated, and the offset of every comment. Regenerating the module through
`Module._codegen` costs several Python calls per node (context managers for
parentheses and positions, a call per whitespace token). This module computes
the same numbers in one walk with one call per node: each handler below mirrors
one node type's `_codegen_impl` and returns the offset after the node instead of
emitting tokens. Whitespace that is a plain `SimpleWhitespace` is measured in
place.

Exactness:
- A node type without a handler here, and every node inside it, is measured by
  libcst's own code generator on the same state (`_fallback`), so rare syntax
  (f-strings, match statements, type parameters, ...) is exact by construction.
  f-strings in particular always go through libcst: a `#` inside one is text,
  not a comment, and only the generator's open ranges can tell.
- The handlers replicate the generator of the libcst sources they were written
  against; `available()` checks, once, that the installed libcst's node modules
  are those sources. Any other version uses libcst's generator throughout.
- The caller compares the final offset with the length of the source and falls
  back to libcst's generator when they differ (libcst drops a few characters on
  some files; its own offsets are then aligned with the text).

Operators (`,` `.` `=` `+` ...) get no range here: nothing reads one.
"""
from __future__ import annotations

import hashlib
import os
from typing import Optional

import libcst as cst
import libcst._nodes.base as _libcst_base
from libcst import MaybeSentinel

__all__ = ["available", "measure"]

_DEFAULT = MaybeSentinel.DEFAULT
_SW = cst.SimpleWhitespace
_NEWLINE = cst.Newline
_PARENTHESIZABLE_WHITESPACE = cst.BaseParenthesizableWhitespace

# sha256 of libcst/_nodes/{base,expression,internal,module,op,statement,whitespace}.py the handlers mirror.
_KNOWN_SOURCES = frozenset({
    "a8bef734c59cae0e54fb4319366606cf803228678a94565279149f9996a256cc",  # libcst 1.9.0
})
CHECKED_RELEASES = frozenset({"1.9.0"})   # the releases whose node modules gave those digests
_NODE_MODULES = ("base", "expression", "internal", "module", "op", "statement", "whitespace")
_available: Optional[bool] = None


def available() -> bool:
    """True when the installed libcst generates code the way the handlers assume (checked once)."""
    global _available
    if _available is None:
        _available = _sources_digest() in _KNOWN_SOURCES
    return _available


def _sources_digest() -> Optional[str]:
    folder = os.path.dirname(_libcst_base.__file__)
    digest = hashlib.sha256()
    try:
        for name in _NODE_MODULES:
            with open(os.path.join(folder, name + ".py"), "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    except OSError:
        return None
    return digest.hexdigest()


def measure(module: cst.Module, state) -> int:
    """Fill `state.ranges` and `state.comments` as `module._codegen(state)` would; the final offset.

    `state` is the front end's offset state: `ranges`, `comments`, `indent_length`,
    `increase_indent`/`decrease_indent`, the module's defaults, and what libcst's
    generator needs for the subtrees measured by it.
    """
    return _module(state, module, 0)


# --------------------------------------------------------------------------- dispatch

def _fallback(st, node, off, **kwargs):
    """libcst's own generator for this subtree, on the same state."""
    st.offset = off
    node._codegen(st, **kwargs)
    return st.offset


_D: dict = {}
_get = _D.get


def _ws(st, node, off):
    if type(node) is _SW:
        return off + len(node.value)
    return _get(type(node), _fallback)(st, node, off)


# --------------------------------------------------------------------------- whitespace

def _simple_whitespace(st, node, off):
    return off + len(node.value)


def _newline(st, node, off):
    value = node.value
    return off + len(st.default_newline if value is None else value)


def _comment(st, node, off):
    value = node.value
    if "#" in value and value[0] == "#":
        st.comments.append((off, value))
    return off + len(value)


def _trailing_whitespace(st, node, off):
    w = node.whitespace
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    comment = node.comment
    if comment is not None:
        off = _get(type(comment), _fallback)(st, comment, off)
    newline = node.newline
    if type(newline) is _NEWLINE:
        value = newline.value
        return off + len(st.default_newline if value is None else value)
    return _get(type(newline), _fallback)(st, newline, off)


def _empty_line(st, node, off):
    if node.indent:
        off += st.indent_length
    w = node.whitespace
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    comment = node.comment
    if comment is not None:
        off = _get(type(comment), _fallback)(st, comment, off)
    newline = node.newline
    if type(newline) is _NEWLINE:
        value = newline.value
        return off + len(st.default_newline if value is None else value)
    return _get(type(newline), _fallback)(st, newline, off)


def _parenthesized_whitespace(st, node, off):
    child = node.first_line
    off = _get(type(child), _fallback)(st, child, off)
    for line in node.empty_lines:
        off = _get(type(line), _fallback)(st, line, off)
    if node.indent:
        off += st.indent_length
    child = node.last_line
    return _get(type(child), _fallback)(st, child, off)


def _lines(st, lines, off):
    for line in lines:
        off = _get(type(line), _fallback)(st, line, off)
    return off


# --------------------------------------------------------------------------- operators and brackets

def _one_token_op(st, node, off):
    w = node.whitespace_before
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    length = _TOKEN_LENGTH.get(type(node))
    off += len(node._get_token()) if length is None else length
    w = node.whitespace_after
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _two_token_op(st, node, off):
    w = node.whitespace_before
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    tokens = node._get_tokens()
    off += len(tokens[0])
    w = node.whitespace_between
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += len(node._get_tokens()[1])
    w = node.whitespace_after
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _unary_op(st, node, off):
    length = _TOKEN_LENGTH.get(type(node))
    off += len(node._get_token()) if length is None else length
    w = node.whitespace_after
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _opening(st, node, off):
    """`(`, `[`, `{` and the whitespace after."""
    w = node.whitespace_after
    off += 1
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _closing(st, node, off):
    """The whitespace before, and `)`, `]`, `}`."""
    w = node.whitespace_before
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    return off + 1


def _lpars(st, lpar, off):
    for paren in lpar:
        off = _get(type(paren), _fallback)(st, paren, off)
    return off


def _rpars(st, rpar, off):
    for paren in rpar:
        off = _get(type(paren), _fallback)(st, paren, off)
    return off


def _comma(st, node, off, default_comma):
    """A trailing `comma` field: the node's own, or `, ` when libcst would supply one."""
    comma = node.comma
    if comma is _DEFAULT:
        return off + 2 if default_comma else off
    if isinstance(comma, cst.Comma):
        return _get(type(comma), _fallback)(st, comma, off)
    return off


def _semicolon(st, node, off, default_semicolon):
    semicolon = node.semicolon
    if semicolon is _DEFAULT or isinstance(semicolon, MaybeSentinel):
        return off + 2 if default_semicolon else off
    if isinstance(semicolon, cst.Semicolon):
        return _get(type(semicolon), _fallback)(st, semicolon, off)
    return off


_D.update({
    cst.SimpleWhitespace: _simple_whitespace,
    cst.Newline: _newline,
    cst.Comment: _comment,
    cst.TrailingWhitespace: _trailing_whitespace,
    cst.EmptyLine: _empty_line,
    cst.ParenthesizedWhitespace: _parenthesized_whitespace,
    cst.LeftParen: _opening,
    cst.LeftSquareBracket: _opening,
    cst.LeftCurlyBrace: _opening,
    cst.RightParen: _closing,
    cst.RightSquareBracket: _closing,
    cst.RightCurlyBrace: _closing,
})


# Operators whose token is a constant of their type (all but `NotEqual`, whose `value` is `!=` or `<>`).
_TOKEN_LENGTH: dict = {}
_WHITESPACE_FIELDS = {"whitespace_before", "whitespace_after", "__slots__"}  # libcst lists its __slots__ too


def _constant_token_length(node_type) -> Optional[int]:
    fields = getattr(node_type, "__dataclass_fields__", None)
    if fields is None or not set(fields) <= _WHITESPACE_FIELDS:
        return None
    try:
        return len(node_type()._get_token())
    except Exception:  # noqa: BLE001 - then each node is asked
        return None


def _register_operators() -> None:
    from libcst._nodes.op import BaseUnaryOp, _BaseOneTokenOp, _BaseTwoTokenOp

    for name in dir(cst):
        node_type = getattr(cst, name)
        if not isinstance(node_type, type) or getattr(node_type, "__abstractmethods__", None):
            continue
        if issubclass(node_type, _BaseOneTokenOp):
            _D[node_type] = _one_token_op
        elif issubclass(node_type, _BaseTwoTokenOp):
            _D[node_type] = _two_token_op
        elif issubclass(node_type, BaseUnaryOp):
            _D[node_type] = _unary_op
        else:
            continue
        length = _constant_token_length(node_type)
        if length is not None:
            _TOKEN_LENGTH[node_type] = length


_register_operators()


# The handlers of expressions and statements add themselves to `_D`; the walk starts at the module.
from lambdalint.frontends.py_offsets_statements import _module  # noqa: E402 - after the table they fill
