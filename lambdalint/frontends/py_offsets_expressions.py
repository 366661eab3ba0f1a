"""Offsets of expressions, for `py_offsets`: each handler mirrors one node type's `_codegen_impl`."""
from __future__ import annotations

import libcst as cst
from libcst import MaybeSentinel

from lambdalint.frontends.py_offsets import (
    _D,
    _DEFAULT,
    _PARENTHESIZABLE_WHITESPACE,
    _SW,
    _comma,
    _fallback,
    _get,
    _lpars,
    _rpars,
    _ws,
)


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


_ELEMENTS = {
    cst.Element: _element,
    cst.StarredElement: _starred_element,
    cst.DictElement: _dict_element,
    cst.StarredDictElement: _starred_dict_element,
}

_D.update({
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
})
