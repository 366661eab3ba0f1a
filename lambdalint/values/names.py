"""What a name in a `Value` stands for: local bindings (unless a call may have mutated them), imports and
exports across files, CommonJS members, module and class members, followed by the value resolver.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import Binding, FileModel, Language, Use
from lambdalint.refs import js_external, js_member
from lambdalint.values.paths import own_location
from lambdalint.values.results import (
    ABSENT,
    ClassValue,
    EnumMember,
    _EXTERNAL,
    ExternalValue,
    FunctionValue,
    ListValue,
    _MISSING,
    ModuleValue,
    ObjectValue,
    Resolved,
    UNKNOWN,
)


class NameValues:
    """The name-following half of `ValueResolver` (a mixin over its index, memos and guards)."""

    def name(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        if not dotted or "?" in dotted or "(" in dotted or "[" in dotted:
            return UNKNOWN
        return self._guarded(("name", model.path, scope, dotted), lambda: self._name(model, scope, dotted))

    def _name(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        parts = dotted.split(".")
        root = parts[0]
        if root in ("this", "self", "cls", "super"):
            return UNKNOWN
        table = self.table(model)
        for k in range(len(parts), 0, -1):
            prefix = ".".join(parts[:k]) if k > 1 else root
            found = table.lookup(scope, prefix)
            if found is None:
                continue
            where, symbols = found
            base = self.symbol(model, where, prefix, symbols)
            if base is _EXTERNAL:
                return self.external(model, scope, dotted)
            for part in parts[k:]:
                base = self.member(base, part)
                if base is UNKNOWN:
                    return UNKNOWN
            return base
        if model.language.is_js and root == "undefined" and len(parts) == 1:
            return None
        return self.external(model, scope, dotted)

    def external(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        ref = self.index.resolve_path(model, scope, dotted)
        if ref is not None and ref.kind == "external" and ref.qualified:
            location = own_location(self.index, model, ref.qualified)
            return location if location is not None else ExternalValue(ref.qualified)
        return UNKNOWN

    def symbol(self, model: FileModel, where: Optional[int], name: str, symbols: list) -> Resolved:
        """What one declared name holds; a name declared twice in its scope is not a constant."""
        if len(symbols) != 1:
            return UNKNOWN
        kind, obj = symbols[0]
        if kind == "binding":
            return self.binding(model, where, name, obj)
        if kind == "import":
            return self.imported(model, obj)
        if kind == "class":
            return ClassValue(model.path, obj.name)
        if kind == "function":
            return FunctionValue(model.path, obj)
        return UNKNOWN

    def binding(self, model: FileModel, where: Optional[int], name: str, binding: Binding) -> Resolved:
        table = self.table(model)
        if binding.value_expr is None or binding.kind not in ("assign", "declare"):
            return UNKNOWN
        if "." in name:
            # A property set by assignment is a constant only as a CommonJS export set once at module level
            # (`exports.X = 'x'`); a static field (`static X = 'x'`) is a declaration.
            if table.dotted_counts.get(name, 0) != 1:
                return UNKNOWN
            if binding.kind == "assign" and (binding.function is not None or name.split(".", 1)[0] not in (
                    "exports", "module")):
                return UNKNOWN
        elif model.language.is_js:
            if binding.kind == "assign":
                return UNKNOWN                  # an assignment to a name declared elsewhere: not a constant
            if table.reassigned_below(name, where):
                return UNKNOWN
        elif name in table.python_globals:
            return UNKNOWN
        result = self.resolve(model, binding.function, binding.value_expr)
        if isinstance(result, (ObjectValue, ListValue)) and (name in table.mutated or self.mutated_by_call(model,
                                                                                                             name)):
            return UNKNOWN                      # `cfg.timeout = 5`, `cfg[k] = v`, `Object.assign(cfg, x)` changes it
        return result

    def mutated_by_call(self, model: FileModel, name: str) -> bool:
        """Whether `name` is, anywhere in its file, the receiver of a mutating method or the target of a
        mutating call (categories `value_mutating_method`, `value_mutating_call`)."""
        table = self.table(model)
        if table.call_mutated is None:
            table.call_mutated = self._call_mutated(model)
        return name in table.call_mutated

    def _call_mutated(self, model: FileModel) -> frozenset:
        categories = self.index.catalog.categories
        js = model.language.is_js
        hit = set()
        for ref in model.names:
            d = ref.disposition
            if d.consumer is None or d.container is not None:
                continue
            call = model.calls[d.consumer]
            if d.use is Use.RECEIVER:
                if categories.first("value_mutating_method", js, call.method) is not None:
                    hit.add(ref.name)
            elif d.use is Use.ARGUMENT and d.arg_index is not None and not d.spread:
                entry = self.index.api(model, call, "value_mutating_call")
                if entry is not None and int(entry.get("arg", 0)) == d.arg_index:
                    hit.add(ref.name)
        found = set()
        for name in hit:                        # changing `cfg.items` changes `cfg` too
            parts = name.split(".")
            found.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
        return frozenset(found)

    def imported(self, model: FileModel, imp) -> Resolved:
        index = self.index
        if model.language.is_js:
            target = index.resolve_js_module(model.path, imp.module)
            if target is None:
                return _EXTERNAL
            if imp.name is None:
                return ModuleValue(target)
            return _found(self.exported(target, imp.name))
        if imp.name is None:
            target = index.resolve_py_module(model.path, imp.module, imp.level)
            return ModuleValue(target) if target is not None else _EXTERNAL
        target = index.resolve_py_module(model.path, imp.module, imp.level)
        if target is not None:
            found = self.module_member(target, imp.name)
            if found is not _MISSING:
                return found
        submodule = f"{imp.module}.{imp.name}" if imp.module else imp.name
        sub = index.resolve_py_module(model.path, submodule, imp.level)
        if sub is not None:
            return ModuleValue(sub)
        if target is None and not imp.level:
            return _EXTERNAL
        return UNKNOWN

    def exported(self, path: str, name: str) -> Resolved:
        """What JS module `path` exports as `name` (`_MISSING` when it exports no such name)."""
        return self._guarded(("export", path, name), lambda: self._exported(path, name))

    def _exported(self, path: str, name: str) -> Resolved:
        index = self.index
        model = index.files[path]
        table = self.table(model)
        ex = table.exports.get(name)
        if ex is not None:
            if ex.source is not None:
                target = index.resolve_js_module(path, ex.source)
                if target is None:
                    return ExternalValue(js_external(ex.source, ex.source_name or name))
                if ex.source_name == "*":
                    return ModuleValue(target)
                return _found(self.exported(target, ex.source_name or name))
            if ex.local:
                return self.name(model, None, ex.local)
            if ex.function is not None:
                return FunctionValue(path, ex.function)
            if ex.call is not None:
                return self.call(model, ex.call)
            return self.commonjs_member(model, name)
        for ex in table.star_exports:
            target = index.resolve_js_module(path, ex.source or "")
            if target is not None:
                found = self.exported(target, name)
                if found is not _MISSING:
                    return found
        return _MISSING

    def commonjs_member(self, model: FileModel, name: str) -> Resolved:
        """`exports.X = v`, `module.exports.X = v`, `module.exports = { X: v }`."""
        table = self.table(model)
        for dotted in (f"exports.{name}", f"module.exports.{name}"):
            if table.lookup(None, dotted) is not None:
                return self.name(model, None, dotted)
        whole = self.name(model, None, "module.exports")
        if isinstance(whole, ObjectValue):
            value = whole.get(name)
            return UNKNOWN if value is ABSENT else value
        return UNKNOWN

    def module_member(self, path: str, name: str) -> Resolved:
        """What Python module `path` binds as `name` at module level (`_MISSING` when nothing)."""
        return self._guarded(("member", path, name), lambda: self._module_member(path, name))

    def _module_member(self, path: str, name: str) -> Resolved:
        model = self.index.files[path]
        table = self.table(model)
        found = table.symbols.get((None, name))
        if found is not None:
            base = self.symbol(model, None, name, found)
            return self.external(model, None, name) if base is _EXTERNAL else base
        for imp in reversed(model.imports):
            if imp.name == "*" and imp.function is None:
                target = self.index.resolve_py_module(path, imp.module, imp.level)
                if target is not None:
                    found = self.module_member(target, name)
                    if found is not _MISSING:
                        return found
        return _MISSING

    def member(self, base: Resolved, part: str) -> Resolved:
        if isinstance(base, ObjectValue):
            value = base.get(part)
            return UNKNOWN if value is ABSENT else value
        if isinstance(base, ModuleValue):
            model = self.index.files[base.path]
            found = self.exported(base.path, part) if model.language.is_js else self.module_member(base.path, part)
            return _found(found)
        if isinstance(base, ClassValue):
            return self.class_member(base.path, base.name, part)
        if isinstance(base, EnumMember):
            if part == "value":
                return base.value
            if part == "name":
                return base.name
            return UNKNOWN
        if isinstance(base, ExternalValue):
            q = base.qualified
            return ExternalValue(js_member(q, part) if ":" in q else f"{q}.{part}")
        return UNKNOWN

    def class_member(self, path: str, class_name: str, part: str) -> Resolved:
        return self._guarded(("class", path, class_name, part), lambda: self._class_member(path, class_name, part))

    def _class_member(self, path: str, class_name: str, part: str) -> Resolved:
        model = self.index.files[path]
        info = self.table(model).classes.get(class_name)
        if info is None:
            return UNKNOWN
        values = info.values or {}
        if part in values:
            value = self.resolve(model, info.parent, values[part])
            if model.language is Language.PYTHON:
                is_enum, equals, formats = self.python_enum(model, info)
                if is_enum:
                    return EnumMember(path, class_name, part, value, equals, formats)
            return value
        if info.is_enum:
            return UNKNOWN
        fid = self.index.scopes(path).methods.get((class_name, part))
        if fid is not None:
            return FunctionValue(path, fid)
        for base in info.bases:
            base_value = self.name(model, info.parent, base)
            if isinstance(base_value, ClassValue):
                found = self.class_member(base_value.path, base_value.name, part)
                if found is not UNKNOWN:
                    return found
        return UNKNOWN


def _found(value: Resolved) -> Resolved:
    return UNKNOWN if value is _MISSING or value is _EXTERNAL else value
