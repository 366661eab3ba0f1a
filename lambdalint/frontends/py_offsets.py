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
from collections.abc import Sequence
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


# --------------------------------------------------------------------------- expressions

def _parenthesized(inner):
    """Handler for an expression whose `_codegen_impl` is `with self._parenthesize(state): ...`."""
    def handler(st, node, off):
        lpar = node.lpar
        if lpar:
            off = _lpars(st, lpar, off)
        start = off
        off = inner(st, node, off)
        st.ranges[id(node)] = (start, off)
        rpar = node.rpar
        if rpar:
            off = _rpars(st, rpar, off)
        return off
    return handler


def _valued(st, node, off):
    """Name, numbers, simple strings: one token, `value`."""
    lpar = node.lpar
    if lpar:
        off = _lpars(st, lpar, off)
    end = off + len(node.value)
    st.ranges[id(node)] = (off, end)
    rpar = node.rpar
    if rpar:
        end = _rpars(st, rpar, end)
    return end


def _ellipsis(st, node, off):
    return off + 3


def _attribute(st, node, off):
    lpar = node.lpar
    if lpar:
        off = _lpars(st, lpar, off)
    start = off
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    dot = node.dot
    off = _get(type(dot), _fallback)(st, dot, off)
    attr = node.attr
    off = _get(type(attr), _fallback)(st, attr, off)
    st.ranges[id(node)] = (start, off)
    rpar = node.rpar
    if rpar:
        off = _rpars(st, rpar, off)
    return off


def _call(st, node, off):
    lpar = node.lpar
    if lpar:
        off = _lpars(st, lpar, off)
    start = off
    func = node.func
    off = _get(type(func), _fallback)(st, func, off)
    w = node.whitespace_after_func
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 1
    w = node.whitespace_before_args
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    args = node.args
    last = len(args) - 1
    for i, arg in enumerate(args):
        if type(arg) is cst.Arg:
            off = _arg(st, arg, off, i != last)
        else:
            off = _fallback(st, arg, off, default_comma=(i != last))
    off += 1
    st.ranges[id(node)] = (start, off)
    rpar = node.rpar
    if rpar:
        off = _rpars(st, rpar, off)
    return off


def _arg(st, node, off, default_comma):
    start = off
    off += len(node.star)
    w = node.whitespace_after_star
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    keyword = node.keyword
    if keyword is not None:
        off = _get(type(keyword), _fallback)(st, keyword, off)
    equal = node.equal
    if equal is _DEFAULT and node.keyword is not None:
        off += 3
    elif isinstance(equal, cst.AssignEqual):
        off = _get(type(equal), _fallback)(st, equal, off)
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    off = _comma(st, node, off, default_comma)
    w = node.whitespace_after_arg
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _subscript(st, node, off):
    lpar = node.lpar
    if lpar:
        off = _lpars(st, lpar, off)
    start = off
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    w = node.whitespace_after_value
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.lbracket
    off = _get(type(child), _fallback)(st, child, off)
    slices = node.slice
    last = len(slices) - 1
    for i, element in enumerate(slices):
        if type(element) is cst.SubscriptElement:
            off = _subscript_element(st, element, off, i != last)
        else:
            off = _fallback(st, element, off, default_comma=(i != last))
    child = node.rbracket
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    rpar = node.rpar
    if rpar:
        off = _rpars(st, rpar, off)
    return off


def _subscript_element(st, node, off, default_comma):
    start = off
    child = node.slice
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _comma(st, node, off, default_comma)


def _index(st, node, off):
    star = node.star
    if star is not None:
        off += len(star)
    w = node.whitespace_after_star
    if w is not None:
        off = _ws(st, w, off)
    child = node.value
    return _get(type(child), _fallback)(st, child, off)


def _slice(st, node, off):
    lower = node.lower
    if lower is not None:
        off = _get(type(lower), _fallback)(st, lower, off)
    child = node.first_colon
    off = _get(type(child), _fallback)(st, child, off)
    upper = node.upper
    if upper is not None:
        off = _get(type(upper), _fallback)(st, upper, off)
    second_colon = node.second_colon
    if second_colon is _DEFAULT and node.step is not None:
        off += 1
    elif isinstance(second_colon, cst.Colon):
        off = _get(type(second_colon), _fallback)(st, second_colon, off)
    step = node.step
    if step is not None:
        off = _get(type(step), _fallback)(st, step, off)
    return off


def _comparison(st, node, off):
    child = node.left
    off = _get(type(child), _fallback)(st, child, off)
    for target in node.comparisons:
        off = _get(type(target), _fallback)(st, target, off)
    return off


def _comparison_target(st, node, off):
    child = node.operator
    off = _get(type(child), _fallback)(st, child, off)
    child = node.comparator
    return _get(type(child), _fallback)(st, child, off)


def _unary_operation(st, node, off):
    child = node.operator
    off = _get(type(child), _fallback)(st, child, off)
    child = node.expression
    return _get(type(child), _fallback)(st, child, off)


def _binary_operation(st, node, off):
    child = node.left
    off = _get(type(child), _fallback)(st, child, off)
    child = node.operator
    off = _get(type(child), _fallback)(st, child, off)
    child = node.right
    return _get(type(child), _fallback)(st, child, off)


def _elements(st, node, off):
    """List / Set / Dict elements between their brackets."""
    elements = node.elements
    count = len(elements)
    for i, element in enumerate(elements):
        handler = _ELEMENTS.get(type(element))
        if handler is None:
            off = _fallback(st, element, off, default_comma=(i < count - 1), default_comma_whitespace=True)
        else:
            off = handler(st, element, off, i < count - 1, True)
    return off


def _bracketed(st, node, off):
    child = node.lbracket
    off = _get(type(child), _fallback)(st, child, off)
    off = _elements(st, node, off)
    child = node.rbracket
    return _get(type(child), _fallback)(st, child, off)


def _braced(st, node, off):
    child = node.lbrace
    off = _get(type(child), _fallback)(st, child, off)
    off = _elements(st, node, off)
    child = node.rbrace
    return _get(type(child), _fallback)(st, child, off)


def _tuple(st, node, off):
    elements = node.elements
    if len(elements) == 1:
        element = elements[0]
        handler = _ELEMENTS.get(type(element))
        if handler is None:
            return _fallback(st, element, off, default_comma=True, default_comma_whitespace=False)
        return handler(st, element, off, True, False)
    return _elements(st, node, off)


def _element_comma(st, node, off, default_comma, default_comma_whitespace):
    comma = node.comma
    if comma is _DEFAULT and default_comma:
        return off + (2 if default_comma_whitespace else 1)
    if isinstance(comma, cst.Comma):
        return _get(type(comma), _fallback)(st, comma, off)
    return off


def _element(st, node, off, default_comma, default_comma_whitespace):
    start = off
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    return _element_comma(st, node, off, default_comma, default_comma_whitespace)


def _dict_element(st, node, off, default_comma, default_comma_whitespace):
    start = off
    child = node.key
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 1
    w = node.whitespace_after_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.value
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _element_comma(st, node, off, default_comma, default_comma_whitespace)


def _starred_element(st, node, off, default_comma, default_comma_whitespace):
    lpar = node.lpar
    if lpar:
        off = _lpars(st, lpar, off)
    start = off
    off += 1
    w = node.whitespace_before_value
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.value
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    rpar = node.rpar
    if rpar:
        off = _rpars(st, rpar, off)
    return _element_comma(st, node, off, default_comma, default_comma_whitespace)


def _starred_dict_element(st, node, off, default_comma, default_comma_whitespace):
    start = off
    off += 2
    w = node.whitespace_before_value
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.value
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _element_comma(st, node, off, default_comma, default_comma_whitespace)


def _starred_expression(st, node, off):
    """A StarredElement met as an expression (libcst's defaults for the comma)."""
    return _starred_element(st, node, off, False, False)


def _generator(st, node, off):
    child = node.elt
    off = _get(type(child), _fallback)(st, child, off)
    child = node.for_in
    return _get(type(child), _fallback)(st, child, off)


def _bracketed_comprehension(st, node, off):
    child = node.lbracket
    off = _get(type(child), _fallback)(st, child, off)
    child = node.elt
    off = _get(type(child), _fallback)(st, child, off)
    child = node.for_in
    off = _get(type(child), _fallback)(st, child, off)
    child = node.rbracket
    return _get(type(child), _fallback)(st, child, off)


def _braced_comprehension(st, node, off):
    child = node.lbrace
    off = _get(type(child), _fallback)(st, child, off)
    child = node.elt
    off = _get(type(child), _fallback)(st, child, off)
    child = node.for_in
    off = _get(type(child), _fallback)(st, child, off)
    child = node.rbrace
    return _get(type(child), _fallback)(st, child, off)


def _dict_comprehension(st, node, off):
    child = node.lbrace
    off = _get(type(child), _fallback)(st, child, off)
    child = node.key
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 1
    w = node.whitespace_after_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.value
    off = _get(type(child), _fallback)(st, child, off)
    child = node.for_in
    off = _get(type(child), _fallback)(st, child, off)
    child = node.rbrace
    return _get(type(child), _fallback)(st, child, off)


def _comp_for(st, node, off):
    w = node.whitespace_before
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    asynchronous = node.asynchronous
    if asynchronous is not None:
        off = _get(type(asynchronous), _fallback)(st, asynchronous, off)
    off += 3
    w = node.whitespace_after_for
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_in
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 2
    w = node.whitespace_after_in
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.iter
    off = _get(type(child), _fallback)(st, child, off)
    for clause in node.ifs:
        off = _get(type(clause), _fallback)(st, clause, off)
    inner = node.inner_for_in
    if inner is not None:
        off = _get(type(inner), _fallback)(st, inner, off)
    return off


def _comp_if(st, node, off):
    w = node.whitespace_before
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 2
    w = node.whitespace_before_test
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.test
    return _get(type(child), _fallback)(st, child, off)


def _asynchronous(st, node, off):
    st.ranges[id(node)] = (off, off + 5)
    w = node.whitespace_after
    return off + 5 + len(w.value) if type(w) is _SW else _ws(st, w, off + 5)


def _await(st, node, off):
    off += 5
    w = node.whitespace_after_await
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.expression
    return _get(type(child), _fallback)(st, child, off)


def _if_expression(st, node, off):
    child = node.body
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_if
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 2
    w = node.whitespace_after_if
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.test
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_else
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 4
    w = node.whitespace_after_else
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.orelse
    return _get(type(child), _fallback)(st, child, off)


def _concatenated_string(st, node, off):
    child = node.left
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_between
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.right
    return _get(type(child), _fallback)(st, child, off)


def _named_expression(st, node, off):
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_walrus
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    off += 2
    w = node.whitespace_after_walrus
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.value
    return _get(type(child), _fallback)(st, child, off)


def _yield(st, node, off):
    off += 5
    whitespace = node.whitespace_after_yield
    if isinstance(whitespace, _PARENTHESIZABLE_WHITESPACE):
        off = _ws(st, whitespace, off)
    elif node.value is not None:
        off += 1
    value = node.value
    if isinstance(value, cst.From):
        off = _from(st, value, off, "")
    elif value is not None:
        off = _get(type(value), _fallback)(st, value, off)
    return off


def _from(st, node, off, default_space):
    whitespace = node.whitespace_before_from
    if isinstance(whitespace, _PARENTHESIZABLE_WHITESPACE):
        off = _ws(st, whitespace, off)
    else:
        off += len(default_space)
    start = off
    off += 4
    w = node.whitespace_after_from
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.item
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return off


def _lambda(st, node, off):
    off += 6
    whitespace = node.whitespace_after_lambda
    params = node.params
    if isinstance(whitespace, MaybeSentinel):
        if not (
            len(params.posonly_params) == 0
            and len(params.params) == 0
            and not isinstance(params.star_arg, cst.Param)
            and len(params.kwonly_params) == 0
            and params.star_kwarg is None
        ):
            off += 1
    elif isinstance(whitespace, _PARENTHESIZABLE_WHITESPACE):
        off = _ws(st, whitespace, off)
    off = _get(type(params), _fallback)(st, params, off)
    child = node.colon
    off = _get(type(child), _fallback)(st, child, off)
    child = node.body
    return _get(type(child), _fallback)(st, child, off)


def _parameters(st, node, off):
    star_arg = node.star_arg
    if isinstance(star_arg, MaybeSentinel):
        star_included = len(node.kwonly_params) > 0
    elif isinstance(star_arg, (cst.Param, cst.ParamStar)):
        star_included = True
    else:
        star_included = False
    for param in node.posonly_params:
        off = _param_of(st, param, off, "", True)
    more_values = (star_included or len(node.params) > 0 or len(node.kwonly_params) > 0
                   or node.star_kwarg is not None)
    posonly_ind = node.posonly_ind
    if isinstance(posonly_ind, cst.ParamSlash):
        off = _param_slash(st, posonly_ind, off, more_values)
    elif len(node.posonly_params) > 0:
        off += 3 if more_values else 1
    params = node.params
    last = len(params) - 1
    more_values = star_included or len(node.kwonly_params) > 0 or node.star_kwarg is not None
    for i, param in enumerate(params):
        off = _param_of(st, param, off, "", i < last or more_values)
    if isinstance(star_arg, MaybeSentinel):
        if star_included:
            off += 3
    elif isinstance(star_arg, cst.Param):
        more_values = len(node.kwonly_params) > 0 or node.star_kwarg is not None
        off = _param_of(st, star_arg, off, "*", more_values)
    elif isinstance(star_arg, cst.ParamStar):
        off = _get(type(star_arg), _fallback)(st, star_arg, off)
    kwonly = node.kwonly_params
    last = len(kwonly) - 1
    more_values = node.star_kwarg is not None
    for i, param in enumerate(kwonly):
        off = _param_of(st, param, off, "", i < last or more_values)
    star_kwarg = node.star_kwarg
    if star_kwarg is not None:
        off = _param_of(st, star_kwarg, off, "**", False)
    return off


def _param_of(st, node, off, default_star, default_comma):
    if type(node) is cst.Param:
        return _param(st, node, off, default_star, default_comma)
    return _fallback(st, node, off, default_star=default_star, default_comma=default_comma)


def _param(st, node, off, default_star, default_comma):
    start = off
    star = node.star
    if isinstance(star, MaybeSentinel):
        if default_star is None:
            raise TypeError("no default star")
        star = default_star
    if isinstance(star, str):
        off += len(star)
    w = node.whitespace_after_star
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.name
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    annotation = node.annotation
    if annotation is not None:
        off = _annotation_of(st, annotation, off, ":")
    equal = node.equal
    if equal is _DEFAULT and node.default is not None:
        off += 3
    elif isinstance(equal, cst.AssignEqual):
        off = _get(type(equal), _fallback)(st, equal, off)
    default = node.default
    if default is not None:
        off = _get(type(default), _fallback)(st, default, off)
    off = _comma(st, node, off, default_comma)
    w = node.whitespace_after_param
    return off + len(w.value) if type(w) is _SW else _ws(st, w, off)


def _param_star(st, node, off):
    child = node.comma
    return _get(type(child), _fallback)(st, child, off + 1)


def _param_slash(st, node, off, default_comma):
    if type(node) is not cst.ParamSlash:
        return _fallback(st, node, off, default_comma=default_comma)
    w = node.whitespace_after
    off = off + 1 + len(w.value) if type(w) is _SW else _ws(st, w, off + 1)
    return _comma(st, node, off, default_comma)


def _annotation_of(st, node, off, default_indicator):
    if type(node) is not cst.Annotation:
        return _fallback(st, node, off, default_indicator=default_indicator)
    whitespace = node.whitespace_before_indicator
    if isinstance(whitespace, _PARENTHESIZABLE_WHITESPACE):
        off = _ws(st, whitespace, off)
    elif isinstance(whitespace, MaybeSentinel):
        if default_indicator == "->":
            off += 1
    else:
        raise TypeError("unexpected whitespace")
    off += len(default_indicator)
    w = node.whitespace_after_indicator
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    start = off
    child = node.annotation
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return off


# --------------------------------------------------------------------------- statements

def _module(st, node, off):
    off = _lines(st, node.header, off)
    for statement in node.body:
        off = _get(type(statement), _fallback)(st, statement, off)
    off = _lines(st, node.footer, off)
    if not node.has_trailing_newline:
        off -= len(st.default_newline)
    # With a trailing newline libcst adds one only when nothing was generated, which the
    # front end's state (a placeholder token) rules out as well.
    return off


def _small_statements(st, node, off):
    """The body of a simple statement line or suite, and its trailing whitespace."""
    body = node.body
    start = off
    if body:
        last = len(body) - 1
        for i, statement in enumerate(body):
            handler = _SMALL.get(type(statement))
            if handler is None:
                off = _fallback(st, statement, off, default_semicolon=(i != last))
            else:
                off = handler(st, statement, off, i != last)
    else:
        off += 4
    st.ranges[id(node)] = (start, off)
    child = node.trailing_whitespace
    return _get(type(child), _fallback)(st, child, off)


def _simple_statement_line(st, node, off):
    leading = node.leading_lines
    if leading:
        off = _lines(st, leading, off)
    return _small_statements(st, node, off + st.indent_length)


def _simple_statement_suite(st, node, off):
    w = node.leading_whitespace
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    return _small_statements(st, node, off)


def _indented_block(st, node, off):
    child = node.header
    off = _get(type(child), _fallback)(st, child, off)
    indent = node.indent
    st.increase_indent(st.default_indent if indent is None else indent)
    body = node.body
    if body:
        start = off
        for statement in body:
            off = _get(type(statement), _fallback)(st, statement, off)
        st.ranges[id(node)] = (start, off)
    else:
        off += st.indent_length
        st.ranges[id(node)] = (off, off + 4)
        off += 4 + len(st.default_newline)
    off = _lines(st, node.footer, off)
    st.decrease_indent()
    return off


def _headed(keyword_length):
    """Else / Finally: leading lines, indent, keyword, colon, body."""
    def handler(st, node, off):
        off = _lines(st, node.leading_lines, off) + st.indent_length
        start = off
        w = node.whitespace_before_colon
        off = off + keyword_length + len(w.value) if type(w) is _SW else _ws(st, w, off + keyword_length)
        child = node.body
        off = _get(type(child), _fallback)(st, child, off + 1)
        st.ranges[id(node)] = (start, off)
        return off
    return handler


def _if(st, node, off, is_elif=False):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    off += 4 if is_elif else 2
    w = node.whitespace_before_test
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.test
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_after_test
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    orelse = node.orelse
    if orelse is not None:
        if isinstance(orelse, cst.If):
            off = _if(st, orelse, off, True) if type(orelse) is cst.If else _fallback(st, orelse, off, is_elif=True)
        else:
            off = _get(type(orelse), _fallback)(st, orelse, off)
    st.ranges[id(node)] = (start, off)
    return off


def _for(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    asynchronous = node.asynchronous
    if asynchronous is not None:
        off = _get(type(asynchronous), _fallback)(st, asynchronous, off)
    w = node.whitespace_after_for
    off = off + 3 + len(w.value) if type(w) is _SW else _ws(st, w, off + 3)
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_in
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    w = node.whitespace_after_in
    off = off + 2 + len(w.value) if type(w) is _SW else _ws(st, w, off + 2)
    child = node.iter
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    orelse = node.orelse
    if orelse is not None:
        off = _get(type(orelse), _fallback)(st, orelse, off)
    st.ranges[id(node)] = (start, off)
    return off


def _while(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    w = node.whitespace_after_while
    off = off + 5 + len(w.value) if type(w) is _SW else _ws(st, w, off + 5)
    child = node.test
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    orelse = node.orelse
    if orelse is not None:
        off = _get(type(orelse), _fallback)(st, orelse, off)
    st.ranges[id(node)] = (start, off)
    return off


_LINE_BREAKING = (cst.EmptyLine, cst.TrailingWhitespace, cst.ParenthesizedWhitespace)


def _with(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    needs_paren = False
    for item in node.items:
        comma = item.comma
        if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, _LINE_BREAKING):
            needs_paren = True
            break
    start = off
    asynchronous = node.asynchronous
    if asynchronous is not None:
        off = _get(type(asynchronous), _fallback)(st, asynchronous, off)
    w = node.whitespace_after_with
    off = off + 4 + len(w.value) if type(w) is _SW else _ws(st, w, off + 4)
    lpar = node.lpar
    if isinstance(lpar, cst.LeftParen):
        off = _get(type(lpar), _fallback)(st, lpar, off)
    elif needs_paren:
        off += 1
    items = node.items
    last = len(items) - 1
    for i, item in enumerate(items):
        if type(item) is cst.WithItem:
            off = _with_item(st, item, off, i != last)
        else:
            off = _fallback(st, item, off, default_comma=(i != last))
    rpar = node.rpar
    if isinstance(rpar, cst.RightParen):
        off = _get(type(rpar), _fallback)(st, rpar, off)
    elif needs_paren:
        off += 1
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    st.ranges[id(node)] = (start, off)
    return off


def _with_item(st, node, off, default_comma):
    start = off
    child = node.item
    off = _get(type(child), _fallback)(st, child, off)
    asname = node.asname
    if asname is not None:
        off = _get(type(asname), _fallback)(st, asname, off)
    st.ranges[id(node)] = (start, off)
    return _comma(st, node, off, default_comma)


def _as_name(st, node, off):
    w = node.whitespace_before_as
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    w = node.whitespace_after_as
    off = off + 2 + len(w.value) if type(w) is _SW else _ws(st, w, off + 2)
    child = node.name
    return _get(type(child), _fallback)(st, child, off)


def _try(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    w = node.whitespace_before_colon
    off = off + 3 + len(w.value) if type(w) is _SW else _ws(st, w, off + 3)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    for handler in node.handlers:
        off = _get(type(handler), _fallback)(st, handler, off)
    orelse = node.orelse
    if orelse is not None:
        off = _get(type(orelse), _fallback)(st, orelse, off)
    finalbody = node.finalbody
    if finalbody is not None:
        off = _get(type(finalbody), _fallback)(st, finalbody, off)
    st.ranges[id(node)] = (start, off)
    return off


def _except_handler(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    w = node.whitespace_after_except
    off = off + 6 + len(w.value) if type(w) is _SW else _ws(st, w, off + 6)
    caught = node.type
    if caught is not None:
        off = _get(type(caught), _fallback)(st, caught, off)
    name = node.name
    if name is not None:
        off = _get(type(name), _fallback)(st, name, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    st.ranges[id(node)] = (start, off)
    return off


def _decorator(st, node, off):
    off = _lines(st, node.leading_lines, off) + st.indent_length
    start = off
    w = node.whitespace_after_at
    off = off + 1 + len(w.value) if type(w) is _SW else _ws(st, w, off + 1)
    child = node.decorator
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    child = node.trailing_whitespace
    return _get(type(child), _fallback)(st, child, off)


def _function_def(st, node, off):
    off = _lines(st, node.leading_lines, off)
    off = _lines(st, node.decorators, off)
    off = _lines(st, node.lines_after_decorators, off) + st.indent_length
    start = off
    asynchronous = node.asynchronous
    if asynchronous is not None:
        off = _get(type(asynchronous), _fallback)(st, asynchronous, off)
    w = node.whitespace_after_def
    off = off + 3 + len(w.value) if type(w) is _SW else _ws(st, w, off + 3)
    child = node.name
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_after_name
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    type_params = node.type_parameters
    if type_params is not None:
        off = _get(type(type_params), _fallback)(st, type_params, off)
    w = node.whitespace_after_type_parameters
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    w = node.whitespace_before_params
    off = off + 1 + len(w.value) if type(w) is _SW else _ws(st, w, off + 1)
    child = node.params
    off = _get(type(child), _fallback)(st, child, off) + 1
    returns = node.returns
    if returns is not None:
        off = _annotation_of(st, returns, off, "->")
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    st.ranges[id(node)] = (start, off)
    return off


def _class_def(st, node, off):
    off = _lines(st, node.leading_lines, off)
    off = _lines(st, node.decorators, off)
    off = _lines(st, node.lines_after_decorators, off) + st.indent_length
    start = off
    w = node.whitespace_after_class
    off = off + 5 + len(w.value) if type(w) is _SW else _ws(st, w, off + 5)
    child = node.name
    off = _get(type(child), _fallback)(st, child, off)
    w = node.whitespace_after_name
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    type_params = node.type_parameters
    if type_params is not None:
        off = _get(type(type_params), _fallback)(st, type_params, off)
    w = node.whitespace_after_type_parameters
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    has_arguments = bool(node.bases or node.keywords)
    lpar = node.lpar
    if isinstance(lpar, MaybeSentinel):
        if has_arguments:
            off += 1
    elif isinstance(lpar, cst.LeftParen):
        off = _get(type(lpar), _fallback)(st, lpar, off)
    arguments = [*node.bases, *node.keywords]
    last = len(arguments) - 1
    for i, arg in enumerate(arguments):
        if type(arg) is cst.Arg:
            off = _arg(st, arg, off, i != last)
        else:
            off = _fallback(st, arg, off, default_comma=(i != last))
    rpar = node.rpar
    if isinstance(rpar, MaybeSentinel):
        if has_arguments:
            off += 1
    elif isinstance(rpar, cst.RightParen):
        off = _get(type(rpar), _fallback)(st, rpar, off)
    w = node.whitespace_before_colon
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    child = node.body
    off = _get(type(child), _fallback)(st, child, off + 1)
    st.ranges[id(node)] = (start, off)
    return off


# ----- small statements: (st, node, off, default_semicolon)

def _expr(st, node, off, default_semicolon):
    start = off
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _assign(st, node, off, default_semicolon):
    start = off
    for target in node.targets:
        off = _get(type(target), _fallback)(st, target, off)
    value = node.value
    off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _assign_target(st, node, off):
    start = off
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    w = node.whitespace_before_equal
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    w = node.whitespace_after_equal
    return off + 1 + len(w.value) if type(w) is _SW else _ws(st, w, off + 1)


def _annotated_assign(st, node, off, default_semicolon):
    start = off
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    off = _annotation_of(st, node.annotation, off, ":")
    equal = node.equal
    if equal is _DEFAULT and node.value is not None:
        off += 3
    elif isinstance(equal, cst.AssignEqual):
        off = _get(type(equal), _fallback)(st, equal, off)
    value = node.value
    if value is not None:
        off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _augmented_assign(st, node, off, default_semicolon):
    start = off
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    child = node.operator
    off = _get(type(child), _fallback)(st, child, off)
    child = node.value
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _keyword_only(length):
    """pass / break / continue."""
    def handler(st, node, off, default_semicolon):
        st.ranges[id(node)] = (off, off + length)
        return _semicolon(st, node, off + length, default_semicolon)
    return handler


def _return(st, node, off, default_semicolon):
    start = off
    off += 6
    whitespace = node.whitespace_after_return
    value = node.value
    if isinstance(whitespace, MaybeSentinel):
        if value is not None:
            off += 1
    else:
        off = _ws(st, whitespace, off)
    if value is not None:
        off = _get(type(value), _fallback)(st, value, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _raise(st, node, off, default_semicolon):
    start = off
    exc = node.exc
    cause = node.cause
    off += 5
    whitespace = node.whitespace_after_raise
    if isinstance(whitespace, MaybeSentinel):
        if exc is not None:
            off += 1
    else:
        off = _ws(st, whitespace, off)
    if exc is not None:
        off = _get(type(exc), _fallback)(st, exc, off)
    if cause is not None:
        off = _from(st, cause, off, " ") if type(cause) is cst.From else _fallback(st, cause, off, default_space=" ")
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _assert(st, node, off, default_semicolon):
    start = off
    w = node.whitespace_after_assert
    off = off + 6 + len(w.value) if type(w) is _SW else _ws(st, w, off + 6)
    child = node.test
    off = _get(type(child), _fallback)(st, child, off)
    comma = node.comma
    msg = node.msg
    if isinstance(comma, MaybeSentinel):
        if msg is not None:
            off += 2
    else:
        off = _get(type(comma), _fallback)(st, comma, off)
    if msg is not None:
        off = _get(type(msg), _fallback)(st, msg, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _del(st, node, off, default_semicolon):
    start = off
    w = node.whitespace_after_del
    off = off + 3 + len(w.value) if type(w) is _SW else _ws(st, w, off + 3)
    child = node.target
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _names_statement(keyword_length, whitespace_field):
    """global / nonlocal."""
    def handler(st, node, off, default_semicolon):
        start = off
        w = getattr(node, whitespace_field)
        off = off + keyword_length + len(w.value) if type(w) is _SW else _ws(st, w, off + keyword_length)
        off = _aliases(st, node.names, off, cst.NameItem, _name_item)
        st.ranges[id(node)] = (start, off)
        return _semicolon(st, node, off, default_semicolon)
    return handler


def _aliases(st, names, off, node_type, handler):
    last = len(names) - 1
    for i, name in enumerate(names):
        if type(name) is node_type:
            off = handler(st, name, off, i != last)
        else:
            off = _fallback(st, name, off, default_comma=(i != last))
    return off


def _name_item(st, node, off, default_comma):
    start = off
    child = node.name
    off = _get(type(child), _fallback)(st, child, off)
    st.ranges[id(node)] = (start, off)
    return _comma(st, node, off, default_comma)


def _import_alias(st, node, off, default_comma):
    start = off
    child = node.name
    off = _get(type(child), _fallback)(st, child, off)
    asname = node.asname
    if asname is not None:
        off = _get(type(asname), _fallback)(st, asname, off)
    st.ranges[id(node)] = (start, off)
    return _comma(st, node, off, default_comma)


def _import(st, node, off, default_semicolon):
    start = off
    w = node.whitespace_after_import
    off = off + 6 + len(w.value) if type(w) is _SW else _ws(st, w, off + 6)
    off = _aliases(st, node.names, off, cst.ImportAlias, _import_alias)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


def _import_from(st, node, off, default_semicolon):
    start = off
    w = node.whitespace_after_from
    off = off + 4 + len(w.value) if type(w) is _SW else _ws(st, w, off + 4)
    for dot in node.relative:
        off = _get(type(dot), _fallback)(st, dot, off)
    module = node.module
    if module is not None:
        off = _get(type(module), _fallback)(st, module, off)
    w = node.whitespace_before_import
    off = off + len(w.value) if type(w) is _SW else _ws(st, w, off)
    w = node.whitespace_after_import
    off = off + 6 + len(w.value) if type(w) is _SW else _ws(st, w, off + 6)
    lpar = node.lpar
    if lpar is not None:
        off = _get(type(lpar), _fallback)(st, lpar, off)
    names = node.names
    if isinstance(names, Sequence):
        off = _aliases(st, names, off, cst.ImportAlias, _import_alias)
    if isinstance(names, cst.ImportStar):
        off += 1
    rpar = node.rpar
    if rpar is not None:
        off = _get(type(rpar), _fallback)(st, rpar, off)
    st.ranges[id(node)] = (start, off)
    return _semicolon(st, node, off, default_semicolon)


# --------------------------------------------------------------------------- tables

_ELEMENTS = {
    cst.Element: _element,
    cst.StarredElement: _starred_element,
    cst.DictElement: _dict_element,
    cst.StarredDictElement: _starred_dict_element,
}

_SMALL = {
    cst.Expr: _expr,
    cst.Assign: _assign,
    cst.AnnAssign: _annotated_assign,
    cst.AugAssign: _augmented_assign,
    cst.Return: _return,
    cst.Raise: _raise,
    cst.Assert: _assert,
    cst.Del: _del,
    cst.Pass: _keyword_only(4),
    cst.Break: _keyword_only(5),
    cst.Continue: _keyword_only(8),
    cst.Global: _names_statement(6, "whitespace_after_global"),
    cst.Nonlocal: _names_statement(8, "whitespace_after_nonlocal"),
    cst.Import: _import,
    cst.ImportFrom: _import_from,
}

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
    cst.Name: _valued,
    cst.Integer: _valued,
    cst.Float: _valued,
    cst.Imaginary: _valued,
    cst.SimpleString: _valued,
    cst.Ellipsis: _parenthesized(_ellipsis),
    cst.Attribute: _attribute,
    cst.Call: _call,
    cst.Subscript: _subscript,
    cst.Index: _index,
    cst.Slice: _slice,
    cst.Comparison: _parenthesized(_comparison),
    cst.ComparisonTarget: _comparison_target,
    cst.UnaryOperation: _parenthesized(_unary_operation),
    cst.BinaryOperation: _parenthesized(_binary_operation),
    cst.BooleanOperation: _parenthesized(_binary_operation),
    cst.List: _parenthesized(_bracketed),
    cst.Set: _parenthesized(_braced),
    cst.Dict: _parenthesized(_braced),
    cst.Tuple: _parenthesized(_tuple),
    cst.StarredElement: _starred_expression,
    cst.GeneratorExp: _parenthesized(_generator),
    cst.ListComp: _parenthesized(_bracketed_comprehension),
    cst.SetComp: _parenthesized(_braced_comprehension),
    cst.DictComp: _parenthesized(_dict_comprehension),
    cst.CompFor: _comp_for,
    cst.CompIf: _comp_if,
    cst.Asynchronous: _asynchronous,
    cst.Await: _parenthesized(_await),
    cst.IfExp: _parenthesized(_if_expression),
    cst.ConcatenatedString: _parenthesized(_concatenated_string),
    cst.NamedExpr: _parenthesized(_named_expression),
    cst.Yield: _parenthesized(_yield),
    cst.Lambda: _parenthesized(_lambda),
    cst.Parameters: _parameters,
    cst.ParamStar: _param_star,
    cst.SimpleStatementLine: _simple_statement_line,
    cst.SimpleStatementSuite: _simple_statement_suite,
    cst.IndentedBlock: _indented_block,
    cst.Else: _headed(4),
    cst.Finally: _headed(7),
    cst.If: _if,
    cst.For: _for,
    cst.While: _while,
    cst.With: _with,
    cst.AsName: _as_name,
    cst.Try: _try,
    cst.ExceptHandler: _except_handler,
    cst.Decorator: _decorator,
    cst.FunctionDef: _function_def,
    cst.ClassDef: _class_def,
    cst.AssignTarget: _assign_target,
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
