"""The Python lowering of simple statements: assignments (plain, annotated, augmented, unpacking),
`return`, `raise`, `assert`, `del`, `global` / `nonlocal`, jumps and imports.
"""
from __future__ import annotations

import libcst as cst

from lambdalint.frontends.dispositions import (
    CONDITION as _CONDITION,
    DISCARDED as _DISCARDED,
    OTHER as _OTHER,
    RETURNED as _RETURNED,
)
from lambdalint.frontends.py_nodes import (
    _assigned,
    _is_destructuring,
    _name_path,
    _path,
    _plain_value,
    _target_leaves,
)
from lambdalint.model import ExitKind, Import


class StatementLowering:
    """Handlers of `_Lowerer` (a mixin) for simple statements."""

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
