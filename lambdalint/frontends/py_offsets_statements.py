"""Offsets of statements, for `py_offsets`: each handler mirrors one node type's `_codegen_impl`."""
from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst import MaybeSentinel

from lambdalint.frontends.py_offsets import (
    _D,
    _DEFAULT,
    _SW,
    _comma,
    _fallback,
    _get,
    _lines,
    _semicolon,
    _ws,
)
from lambdalint.frontends.py_offsets_expressions import _annotation_of, _arg, _from


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
