"""The JS/TS lowering of what binds a name: declarations, destructuring, assignments, `require` and
CommonJS exports (`module.exports`, `exports.x`), updates.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.frontends.dispositions import OTHER as _OTHER
from lambdalint.frontends.js_common import (
    _assigned,
    _CLASSES,
    _COMMENTS,
    _EXPORTED_DECLARATION,
    _FUNCTION_VALUES,
    _IDENTITY,
    _Naming,
    _PATH_BASES,
    _PATTERNS,
    _Scope,
)
from lambdalint.frontends.js_elements import awaited_elements, awaited_whole
from lambdalint.frontends.js_values import destructured_values
from lambdalint.model import Binding, Export, Import


class BindingLowering:
    """Handlers of `_Lowerer` (a mixin) for declarations and assignments."""

    # ------------------------------------------------------------- bindings
    def pattern_leaves(self, pattern, items: list, scope: _Scope) -> list:
        """The names a destructuring pattern binds, in order; defaults and computed keys are scheduled as reads."""
        leaves = []
        todo = [pattern]
        while todo:
            node = todo.pop()
            t = node.type
            if t == "identifier" or t == "shorthand_property_identifier_pattern":
                leaves.append((self.text(node), node))
            elif t in _PATTERNS:
                todo.extend(reversed([c for c in node.named_children if c.type not in _COMMENTS]))
            elif t == "pair_pattern":
                key = node.child_by_field_name("key")
                if key is not None and key.type == "computed_property_name":
                    items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
                value = node.child_by_field_name("value")
                if value is not None:
                    todo.append(value)
            elif t == "assignment_pattern" or t == "object_assignment_pattern":
                right = node.child_by_field_name("right")
                if right is not None:
                    items.append((right, scope, _OTHER, None, None))
                left = node.child_by_field_name("left")
                if left is not None:
                    todo.append(left)
            elif t == "rest_pattern" or t in _IDENTITY:
                todo.extend(reversed(self.expressions(node)))
            elif t == "member_expression" or t == "subscript_expression":
                leaves.append((self.target_path(node, scope, items), node))
        leaves.sort(key=lambda leaf: leaf[1].start_byte)
        return leaves

    def target_path(self, node, scope: _Scope, items: list) -> str:
        """The dotted path of a target (or constructor); the reads hidden in it (`a[i]`'s `i`, `f().x`'s
        call) are scheduled, the path's own names are not (they are written, or called)."""
        path, stop = self.walk_path(node)
        if path is not None:
            return path
        rendered, _ = self.render(node)
        cur = node
        while cur is not None:
            t = cur.type
            if t == "member_expression":
                cur = cur.child_by_field_name("object")
            elif t == "subscript_expression":
                index = cur.child_by_field_name("index")
                if index is not None:
                    items.append((index, scope, _OTHER, None, None))
                cur = cur.child_by_field_name("object")
            elif t in _IDENTITY:
                cur = self.inner(cur)
            elif t in _PATH_BASES:
                break
            else:
                items.append((cur, scope, _OTHER, None, None))
                break
        return rendered

    def bind_target(self, target, scope: _Scope, kind: str, items: list) -> tuple[str, Optional[Binding]]:
        """Bindings for an assignment-like target; returns the disposition target and the single binding, if one."""
        core = self.unwrap(target) or target
        t = core.type
        bindings = self.model.bindings
        if t in _PATTERNS:
            for name, leaf in self.pattern_leaves(core, items, scope):
                bindings.append(self.new_binding(name, leaf, scope, kind))
            return ("{}" if t == "object_pattern" else "[]"), None
        if t == "identifier":
            name = self.text(core)
        elif t == "member_expression" or t == "subscript_expression":
            name = self.target_path(core, scope, items)
        else:
            items.append((core, scope, _OTHER, None, None))
            return "?", None
        binding = self.new_binding(name, core, scope, kind)
        bindings.append(binding)
        return name, binding

    def new_binding(self, name: str, node, scope: _Scope, kind: str, type_name=None) -> Binding:
        cls = scope.cls.name if scope.cls is not None and name.startswith("this.") else None
        return Binding(name, self.span(node), scope.fn, kind, type_name=type_name, class_name=cls)

    def _declaration(self, node, scope, disp, sinks, naming) -> None:
        exporting = naming is _EXPORTED_DECLARATION
        items = []
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name_node = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name_node is None:
                continue
            annotation = self.type_text(declarator.child_by_field_name("type"))
            self.require_imports(name_node, value, scope)
            if name_node.type == "identifier":
                name = self.text(name_node)
                binding = self.new_binding(name, name_node, scope, "declare", annotation)
                self.model.bindings.append(binding)
                value_sinks = self.fill_value(binding, value)
                if exporting:
                    export = Export(name, self.span(name_node), local=name)
                    self.model.exports.append(export)
                    value_sinks.append((export, "call", "function"))
                if value is not None:
                    whole = None if exporting else awaited_whole(self, value, binding, scope)
                    items.append(whole or (value, scope, _assigned(name, True), tuple(value_sinks),
                                           _Naming(name, name_node)))
                continue
            leaves_start = len(self.model.bindings)
            target, _ = self.bind_target(name_node, scope, "declare", items)
            self.value_spans(leaves_start, value)
            if exporting:
                for binding in self.model.bindings[leaves_start:]:
                    self.model.exports.append(Export(binding.name, binding.span, local=binding.name))
            if value is not None:
                destructured_values(self, name_node, value, self.model.bindings[leaves_start:])
                items.append(awaited_elements(self, name_node, value, self.model.bindings[leaves_start:], scope)
                             or (value, scope, _assigned(target, True), None, None))
        self.push(items)

    def require_imports(self, name_node, value, scope: _Scope) -> None:
        """`const x = require('m')`, `const {a, b: c} = require('m')`, `const p = require('m').promises`."""
        core = self.unwrap(value)
        if core is None:
            return
        member = None
        if core.type == "member_expression":
            prop = core.child_by_field_name("property")
            member = self.text(prop) if prop is not None else None
            core = self.unwrap(core.child_by_field_name("object"))
            if core is None or member is None:
                return
        module = self.required_module(core)
        if module is None:
            return
        span = self.span(name_node)
        imports = self.model.imports
        if name_node.type == "identifier":
            imports.append(Import(module, member, self.text(name_node), span, function=scope.fn))
        elif name_node.type == "object_pattern" and member is None:
            for child in name_node.named_children:
                t = child.type
                if t == "shorthand_property_identifier_pattern":
                    imports.append(Import(module, self.text(child), self.text(child), span, function=scope.fn))
                elif t == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None:
                        imports.append(Import(module, self.text(left), self.text(left), span, function=scope.fn))
                elif t == "pair_pattern":
                    key = self.property_name(child.child_by_field_name("key"))
                    local = self.unwrap(child.child_by_field_name("value"))
                    if local is not None and local.type == "assignment_pattern":
                        local = local.child_by_field_name("left")
                    if key is not None and local is not None and local.type == "identifier":
                        imports.append(Import(module, key, self.text(local), span, function=scope.fn))

    def required_module(self, call) -> Optional[str]:
        if call.type != "call_expression":
            return None
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "identifier" or self.text(callee) != "require":
            return None
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "arguments":
            return None
        first = next(iter(self.expressions(args)), None)
        return self.string_value(first) if first is not None else None

    def _assignment(self, node, scope, disp, sinks, naming) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return
        items = []
        first = len(self.model.bindings)
        target, binding = self.bind_target(left, scope, "assign", items)
        self.value_spans(first, right)
        value_sinks = self.fill_value(binding, right) if binding is not None else []
        if right is None:
            self.push(items)
            return
        core = self.unwrap(right)
        cls = scope.cls
        if cls is not None and target.startswith("this.") and target.count(".") == 1 and core is not None \
                and core.type == "new_expression":
            cls.fields.setdefault(target[5:], self.render(core.child_by_field_name("constructor"))[0])
        value_disp = _assigned(target, False)
        if target == "module.exports":
            if core is not None and core.type == "object":
                self._object(core, scope, value_disp, None, None, key_sinks=self.module_export_member)
                self.push(items)
                return
            export = Export("default", self.span(left), local=self.local_name(core))
            self.model.exports.append(export)
            value_sinks.append((export, "call", "function"))
        else:
            member = self.cjs_export_name(target)
            if member is not None and not self.is_placeholder(core):
                export = Export(member, self.span(left), local=self.local_name(core))
                self.model.exports.append(export)
                value_sinks.append((export, "call", "function"))
        function_name = None
        if target not in ("module.exports", "exports", "?", "{}", "[]") and not target.endswith("]"):
            function_name = target.rsplit(".", 1)[-1]
        elements = awaited_elements(self, self.unwrap(left) or left, right, self.model.bindings[first:], scope) \
            if target == "[]" else None
        items.append(elements or (right, scope, value_disp, tuple(value_sinks) or None, _Naming(function_name, left)))
        self.push(items)

    @staticmethod
    def cjs_export_name(target: str) -> Optional[str]:
        """`exports.x` / `module.exports.x` -> `x`."""
        for prefix in ("exports.", "module.exports."):
            if target.startswith(prefix):
                rest = target[len(prefix):]
                if rest and "." not in rest and "[" not in rest and "(" not in rest:
                    return rest
        return None

    def is_placeholder(self, core) -> bool:
        """`exports.a = exports.b = void 0;`: compilers declare CommonJS exports before assigning them."""
        while core is not None and core.type == "assignment_expression":
            core = self.unwrap(core.child_by_field_name("right"))
        if core is None:
            return False
        if core.type == "undefined":
            return True
        if core.type == "unary_expression":
            operator = core.child_by_field_name("operator")
            return operator is not None and operator.type == "void"
        return False

    def local_name(self, core) -> Optional[str]:
        """The local an exported value refers to: an identifier, or a named class/function."""
        if core is None:
            return None
        if core.type == "identifier":
            return self.text(core)
        if core.type in _CLASSES or core.type in _FUNCTION_VALUES:
            name = core.child_by_field_name("name")
            return self.text(name) if name is not None else None
        return None

    def module_export_member(self, key: str, member, value) -> Optional[tuple]:
        """One export per key of `module.exports = { ... }`; its value fills in the function or call id."""
        core = self.unwrap(value) if value is not None and value is not member else None
        local = key if value is None else self.local_name(core) if core is not None else None
        export = Export(key, self.span(member), local=local)
        self.model.exports.append(export)
        return ((export, "call", "function"),)

    def value_spans(self, first: int, value) -> None:
        """The value's extent on every binding made since `first` (destructured leaves share it)."""
        if value is None:
            return
        span = self.span(value)
        for binding in self.model.bindings[first:]:
            binding.value_span = span

    def _update(self, node, scope, disp, sinks, naming) -> None:
        """`x++` / `--o.n`: a write to the target (a binding of kind "update") that also reads it."""
        argument = node.child_by_field_name("argument")
        if argument is None:
            return
        items = []
        self.bind_target(argument, scope, "update", items)
        items.append((argument, scope, _OTHER, None, None))
        self.push(items)

    def _augmented(self, node, scope, disp, sinks, naming) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return
        items = []
        first = len(self.model.bindings)
        target, binding = self.bind_target(left, scope, "augmented", items)
        self.value_spans(first, right)
        value_sinks = [(binding, "value_call", "value_function")] if binding is not None else None
        if right is not None:
            items.append((right, scope, _assigned(target, False), tuple(value_sinks) if value_sinks else None, None))
        self.push(items)
