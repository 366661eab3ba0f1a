"""The JS/TS lowering of definitions: functions (declarations, expressions, arrows, methods) with their
parameters, classes with heritage, fields and members, and TS enums.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.frontends.dispositions import OTHER as _OTHER, RETURNED as _RETURNED
from lambdalint.frontends.js_common import _assigned, _COMMENTS, _Naming, _PATTERNS, _Scope
from lambdalint.frontends.js_values import ValueBuilder
from lambdalint.model import Arg, Binding, ClassInfo, Decorator, Function, FunctionKind, Param


class DefinitionLowering:
    """Handlers of `_Lowerer` (a mixin) for functions, classes and enums."""

    # --------------------------------------------------------------- functions
    def _function(self, node, scope, disp, sinks, naming) -> None:
        t = node.type
        if t == "arrow_function":
            kind = FunctionKind.ARROW
        elif t == "method_definition":
            kind = FunctionKind.METHOD
        elif t.endswith("_declaration"):
            kind = FunctionKind.DECLARATION
        else:
            kind = FunctionKind.EXPRESSION
        name_node = node.child_by_field_name("name")
        name = None
        if name_node is not None:
            name = self.property_name(name_node) if kind is FunctionKind.METHOD else self.text(name_node)
        elif naming is not None:
            name, name_node = naming.name, naming.node
        is_async = is_generator = False
        for child in node.children:
            ct = child.type
            if ct == "async":
                is_async = True
            elif ct == "*":
                is_generator = True
            elif ct == "formal_parameters" or ct == "statement_block" or ct == "=>":
                break
        fid = len(self.model.functions)
        self.function_ids[node.id] = fid
        function = Function(fid, name, kind, is_async, is_generator, [], self.span(node),
                            name_span=self.span(name_node) if name_node is not None else None, parent=scope.fn)
        if naming is not None:
            function.class_name = naming.class_name
            if naming.decorators:
                function.decorators = list(naming.decorators)
        if kind is FunctionKind.METHOD:
            function.decorators.extend(self.decorators_of(node))
        function.return_annotation = self.type_text(node.child_by_field_name("return_type"))
        if disp is not None and kind is not FunctionKind.DECLARATION and kind is not FunctionKind.METHOD:
            function.disposition = disp.copy()
        self.model.functions.append(function)
        if sinks:
            self.fire(sinks, function_id=fid)
            if disp is not None and any(isinstance(sink[0], Arg) for sink in sinks):
                function.passed_to, function.arg_index = disp.consumer, disp.arg_index
        function.region = scope.region
        inner = _Scope(fid, 0, scope.guard, scope.cls)
        items = []
        params = node.child_by_field_name("parameters")
        if params is not None:
            constructor = kind is FunctionKind.METHOD and name == "constructor" and scope.cls is not None
            self.parameters(params, function, inner, items, scope.cls if constructor else None)
        else:
            single = node.child_by_field_name("parameter")
            if single is not None:
                self.parameter(single, function, inner, items, None)
        body = node.child_by_field_name("body")
        if body is not None:
            concise = body.type != "statement_block"
            function.returns += concise
            items.append((body, inner, _RETURNED if concise else None, None, None))
        self.push(items)

    def parameters(self, params, function: Function, scope: _Scope, items: list, cls: Optional[ClassInfo]) -> None:
        for child in params.named_children:
            if child.type not in _COMMENTS and child.type != "decorator":
                self.parameter(child, function, scope, items, cls)

    def parameter(self, node, function: Function, scope: _Scope, items: list, cls: Optional[ClassInfo]) -> None:
        """One formal parameter: its Param, its bindings, its default value (read in the function's scope)."""
        t = node.type
        annotation = accessibility = default = None
        pattern = node
        if t == "required_parameter" or t == "optional_parameter":
            pattern = node.child_by_field_name("pattern")
            annotation = self.type_text(node.child_by_field_name("type"))
            default = node.child_by_field_name("value")
            readonly = False
            for child in node.children:
                if child.type == "accessibility_modifier":
                    accessibility = self.text(child)
                elif child.type == "readonly":
                    readonly = True
            if accessibility is None and readonly:
                accessibility = "readonly"
            if pattern is None:
                return
        if pattern.type == "assignment_pattern":
            default = pattern.child_by_field_name("right")
            pattern = pattern.child_by_field_name("left")
            if pattern is None:
                return
        is_rest = pattern.type == "rest_pattern"
        if is_rest:
            pattern = next(iter(self.expressions(pattern)), None)
            if pattern is None:
                return
        pt = pattern.type
        if pt == "this":
            return                                  # TS `this: T` declares the receiver, not a parameter
        if pt == "identifier":
            name = self.text(pattern)
            self.model.bindings.append(Binding(name, self.span(pattern), function.id, "param", type_name=annotation))
        elif pt in _PATTERNS:
            name = "{}" if pt == "object_pattern" else "[]"
            for leaf, leaf_node in self.pattern_leaves(pattern, items, scope):
                self.model.bindings.append(Binding(leaf, self.span(leaf_node), function.id, "param"))
        else:
            name = self.text(pattern)
        function.params.append(Param(name, annotation, default is not None, is_rest, accessibility))
        if default is not None:
            items.append((default, scope, _OTHER, None, None))
        if cls is not None and accessibility is not None and pt == "identifier":
            cls.fields[name] = annotation or ""

    # ----------------------------------------------------------------- classes
    def _class(self, node, scope, disp, sinks, naming) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is not None:
            name = self.text(name_node)
        elif naming is not None and naming.name:
            name = naming.name
        else:
            name = "?"
        info = ClassInfo(name, self.span(node), parent=scope.fn)
        if naming is not None and naming.decorators:
            info.decorators.extend(naming.decorators)
        info.decorators.extend(self.decorators_of(node))
        self.model.classes.append(info)
        items = []
        for child in node.named_children:
            if child.type == "class_heritage":
                self.heritage(child, info, scope, items)
        body = node.child_by_field_name("body")
        if body is not None:
            self.class_body(body, info, _Scope(scope.fn, scope.loop, scope.guard, info, scope.region), items)
        self.push(items)

    def heritage(self, node, info: ClassInfo, scope: _Scope, items: list) -> None:
        for child in node.named_children:
            t = child.type
            if t == "implements_clause" or t in _COMMENTS:
                continue
            values = [child]
            if t == "extends_clause":
                values = [c for c in child.named_children if c.type not in _COMMENTS and c.type != "type_arguments"]
            for value in values:
                path, stop = self.walk_path(value)
                if path is None:
                    path = self.render(value)[0]
                    items.append((value, scope, _OTHER, None, None))
                info.bases.append(path)

    def class_body(self, body, info: ClassInfo, scope: _Scope, items: list) -> None:
        pending: list[Decorator] = []
        for member in body.named_children:
            t = member.type
            if t == "decorator":
                pending.append(self.decorator(member))
            elif t == "method_definition":
                key = member.child_by_field_name("name")
                items.append((member, scope, None, None,
                              _Naming(self.property_name(key), key, info.name, pending)))
                pending = []
            elif t == "public_field_definition" or t == "field_definition":
                self.class_field(member, info, scope, items, pending)
                pending = []
            elif t == "class_static_block":
                block = member.child_by_field_name("body")
                if block is not None:
                    items.append((block, scope, None, None, None))
            elif t not in _COMMENTS:
                pending = []

    def class_field(self, member, info: ClassInfo, scope: _Scope, items: list, pending: list) -> None:
        key = member.child_by_field_name("name")
        if key is None:
            key = member.child_by_field_name("property")
        if key is None:
            return
        name = self.property_name(key)
        if key.type == "computed_property_name":
            items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
        static = any(c.type == "static" for c in member.children)
        annotation = self.type_text(member.child_by_field_name("type"))
        value = member.child_by_field_name("value")
        core = self.unwrap(value)
        constructed = None
        if core is not None and core.type == "new_expression":
            constructed = self.render(core.child_by_field_name("constructor"))[0]
        if annotation or constructed:
            info.fields[name] = annotation or constructed
        if value is None:
            return
        target = f"{info.name}.{name}" if static else f"this.{name}"
        if static:
            self.pending_values.append((info, name, value))
        binding = Binding(target, self.span(key), scope.fn, "declare", type_name=annotation, class_name=info.name)
        self.model.bindings.append(binding)
        value_sinks = self.fill_value(binding, value)
        decorators = pending + self.decorators_of(member)
        items.append((value, scope, _assigned(target, True), tuple(value_sinks),
                      _Naming(name, key, info.name, decorators)))

    def _enum(self, node, scope, disp, sinks, naming) -> None:
        """A TS enum is a class whose constants are its members; initialisers are not walked (as before)."""
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return
        info = ClassInfo(self.text(name_node), self.span(node), parent=scope.fn, is_enum=True)
        parent = node.parent
        ambient = parent is not None and parent.type == "ambient_declaration"
        info.values = ValueBuilder(self, self.call_ids, self.function_ids).enum_values(body, ambient)
        self.model.classes.append(info)
