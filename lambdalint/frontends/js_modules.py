"""The JS/TS lowering of ES module syntax: `import` (default, named, namespace, side effect) and every
form of `export`, each recorded as the model's `Import` / `Export`.
"""
from __future__ import annotations

from lambdalint.frontends.js_common import (
    _assigned,
    _CLASSES,
    _COMMENTS,
    _DECLARATIONS,
    _EXPORTED_DECLARATION,
    _FUNCTIONS,
    _Naming,
)
from lambdalint.model import Export, Import


class ModuleLowering:
    """Handlers of `_Lowerer` (a mixin) for `import` and `export` statements."""

    # ---------------------------------------------------------- imports/exports
    def _import(self, node, scope, disp, sinks, naming) -> None:
        source = node.child_by_field_name("source")
        module = self.string_value(source) if source is not None else None
        type_only = any(c.type == "type" for c in node.children)
        imports = self.model.imports
        for child in node.named_children:
            if child.type == "import_require_clause":
                local = next((c for c in child.named_children if c.type == "identifier"), None)
                req_source = child.child_by_field_name("source")
                req_module = self.string_value(req_source) if req_source is not None else None
                if local is not None and req_module is not None:
                    imports.append(Import(req_module, None, self.text(local), self.span(child), type_only=type_only,
                                          function=scope.fn))
                return
        self.model.is_esm = True
        if module is None:
            return
        if not any(c.type == "import_clause" for c in node.named_children):
            imports.append(Import(module, None, "", self.span(node), side_effect=True))
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                t = part.type
                if t == "identifier":
                    imports.append(Import(module, "default", self.text(part), self.span(part), type_only=type_only))
                elif t == "namespace_import":
                    local = next((c for c in part.named_children if c.type == "identifier"), None)
                    if local is not None:
                        imports.append(Import(module, None, self.text(local), self.span(part), type_only=type_only))
                elif t == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name_node = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name_node is None:
                            continue
                        name = self.property_name(name_node)
                        local = self.text(alias) if alias is not None else name
                        spec_type = type_only or any(c.type == "type" for c in spec.children)
                        imports.append(Import(module, name, local, self.span(spec), type_only=spec_type))

    def side_effect_require(self, call, scope) -> None:
        """`require('m');` or `require('m').config();` as a statement loads `m` and binds nothing; bound forms
        (`const x = require('m')`) are recorded with their declaration."""
        node, parent = call, call.parent
        while parent is not None and (parent.type == "parenthesized_expression"
                                      or (parent.type == "member_expression"
                                          and parent.child_by_field_name("object") == node)
                                      or (parent.type == "call_expression"
                                          and parent.child_by_field_name("function") == node)):
            node, parent = parent, parent.parent
        if parent is None or parent.type != "expression_statement":
            return
        module = self.required_module(call)
        if module is not None:
            self.model.imports.append(Import(module, None, "", self.span(call), function=scope.fn, side_effect=True))

    def _export(self, node, scope, disp, sinks, naming) -> None:
        self.model.is_esm = True
        exports = self.model.exports
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        source_node = node.child_by_field_name("source")
        source = self.string_value(source_node) if source_node is not None else None
        is_default = False
        type_only = False
        star = False
        for child in node.children:
            t = child.type
            if t == "default":
                is_default = True
            elif t == "type":
                type_only = True
            elif t == "*":
                star = True
        decorators = self.decorators_of(node)
        if declaration is not None:
            self.export_declaration(node, declaration, is_default, decorators, scope)
            return
        if value is None and not star and source is None:
            # `export = x` (TypeScript): the module's single export.
            value = next((c for c in node.named_children
                          if c.type not in _COMMENTS and c.type not in ("decorator", "export_clause")), None)
            if value is not None:
                is_default = True
        if value is not None and is_default:
            core = self.unwrap(value)
            export = Export("default", self.span(node), local=self.local_name(core))
            exports.append(export)
            class_name = "default" if core is not None and core.type in _CLASSES else None
            self.stack.append((value, scope, _assigned("default", False), ((export, "call", "function"),),
                               _Naming(class_name, None, decorators=decorators)))
            return
        if type_only:
            return
        for child in node.named_children:
            if child.type == "export_clause":
                for spec in child.named_children:
                    if spec.type != "export_specifier":
                        continue
                    name_node = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if name_node is None or any(c.type == "type" for c in spec.children):
                        continue
                    name = self.property_name(name_node)
                    exported = self.property_name(alias) if alias is not None else name
                    if source is not None:
                        exports.append(Export(exported, self.span(spec), source=source, source_name=name))
                    else:
                        exports.append(Export(exported, self.span(spec), local=name))
                return
            if child.type == "namespace_export":
                alias = next((c for c in child.named_children if c.type not in _COMMENTS), None)
                if alias is not None:
                    exports.append(Export(self.property_name(alias), self.span(node), source=source, source_name="*"))
                return
        if star:
            exports.append(Export("*", self.span(node), source=source))

    def export_declaration(self, node, declaration, is_default, decorators, scope) -> None:
        t = declaration.type
        if t in _DECLARATIONS:
            self.stack.append((declaration, scope, None, None, _EXPORTED_DECLARATION))
            return
        if t in _FUNCTIONS or t in _CLASSES:
            name_node = declaration.child_by_field_name("name")
            local = self.text(name_node) if name_node is not None else None
            exported = "default" if is_default or local is None else local
            export = Export(exported, self.span(name_node if name_node is not None else node), local=local)
            self.model.exports.append(export)
            self.stack.append((declaration, scope, None, ((export, None, "function"),),
                               _Naming(exported if t in _CLASSES else None, None, decorators=decorators)))
            return
        if t in ("internal_module", "module", "enum_declaration"):
            name_node = declaration.child_by_field_name("name")
            if name_node is not None and t != "module":
                name = self.text(name_node)
                self.model.exports.append(Export(name, self.span(name_node), local=name))
        self.stack.append((declaration, scope, None, None, None))
