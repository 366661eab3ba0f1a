"""The Python lowering of expressions: names, attributes, subscripts, calls and their arguments, and the
contexts that decide what happens to a value (`await`, `yield`, lambdas, conditionals, operators,
literals, comprehensions, f-strings).
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from lambdalint.frontends.dispositions import (
    ASYNC_ITERATED as _ASYNC_ITERATED,
    AWAITED as _AWAITED,
    CONDITION as _CONDITION,
    ITERATED as _ITERATED,
    OTHER as _OTHER,
    RETURNED as _RETURNED,
    YIELDED as _YIELDED,
)
from lambdalint.frontends.py_nodes import (
    _assigned,
    _evaluated,
    _literal,
    _LITERAL_NAMES,
    _name_path,
    _path,
    _plain_value,
    _STRING_TYPES,
)
from lambdalint.frontends.py_values import evaluated_value as _evaluated_value
from lambdalint.model import (
    Arg,
    ArgKind,
    Choice,
    ChoiceKind,
    Container,
    Disposition,
    Function,
    FunctionKind,
    Use,
)

_TEXT_LIMIT = 200


class ExpressionLowering:
    """Handlers of `_Lowerer` (a mixin) for expressions."""

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
