"""The Python lowering of definitions: decorators, parameters, functions (and lambdas' scopes) and
classes with their fields.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from lambdalint.frontends.dispositions import OTHER as _OTHER
from lambdalint.frontends.py_nodes import _literal, _name_path, _param_list, _path, _Scope
from lambdalint.model import Binding, ClassInfo, Decorator, Function, FunctionKind, Param


class DefinitionLowering:
    """Handlers of `_Lowerer` (a mixin) for functions and classes."""

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
