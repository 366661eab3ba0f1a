"""The value resolver: evaluates `Value`s for one project index, following names across files.

See the package docstring for what is resolved and what stays UNKNOWN.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import Arg, Binding, Call, ClassInfo, FileModel, Language, Use, Value, ValueKind
from lambdalint.values.paths import own_location, path_function
from lambdalint.values.results import (
    ABSENT,
    UNKNOWN,
    _EXTERNAL,
    _MISSING,
    CallValue,
    ClassValue,
    EnumMember,
    ExternalValue,
    FunctionValue,
    ListValue,
    ModuleValue,
    ObjectValue,
    Resolved,
    _is_int,
    _is_number,
    _plain,
    _stringify,
)
from lambdalint.values.scopes import FileTable

_MAX_DEPTH = 24
_MAX_KEYS = 256


class ValueResolver:
    """Evaluates Values for one project index; memoises name results."""

    def __init__(self, index):
        self.index = index
        self._tables: dict[str, FileTable] = {}
        self._memo: dict[tuple, Resolved] = {}
        self._query_memo: dict[tuple, Resolved] = {}   # results cut by a cycle: valid for one question only
        self._active: set = set()
        self._cuts = 0
        self._depth = 0
        self._enum_memo: dict[tuple[str, str], tuple[bool, bool, bool]] = {}

    # ----------------------------------------------------------------- entry
    def resolve_like(self, model: FileModel, scope: Optional[int], value) -> Resolved:
        if isinstance(value, str):
            return self.name(model, scope, value)
        if isinstance(value, Binding):
            if value.kind not in ("assign", "declare") or value.value_expr is None:
                return UNKNOWN
            return self.resolve(model, value.function, value.value_expr)
        expr = _expr_of(value)
        return UNKNOWN if expr is None else self.resolve(model, scope, expr)

    def table(self, model: FileModel) -> "FileTable":
        table = self._tables.get(model.path)
        if table is None:
            table = self._tables[model.path] = FileTable(model)
        return table

    def _guarded(self, key: tuple, compute) -> Resolved:
        """Memoised, cycle-safe evaluation of one named thing."""
        found = self._memo.get(key, _MISSING)
        if found is not _MISSING:
            return found
        found = self._query_memo.get(key, _MISSING)
        if found is not _MISSING:
            self._cuts += 1                     # whatever uses a cut-shaped result is cut-shaped too
            return found
        if key in self._active or self._depth >= _MAX_DEPTH:
            self._cuts += 1
            return UNKNOWN
        cuts = self._cuts
        self._active.add(key)
        self._depth += 1
        try:
            result = compute()
        finally:
            self._depth -= 1
            self._active.discard(key)
            if self._depth == 0:
                self._query_memo.clear()
        if self._cuts == cuts:
            self._memo[key] = result
        elif self._depth:
            # A result shaped by a cut depends on where the question started: kept for this question only,
            # so that a structure that refers to a cycle many times is still evaluated once per name.
            self._query_memo[key] = result
        return result

    # ----------------------------------------------------------------- values
    def resolve(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        kind = value.kind
        if kind is ValueKind.STRING or kind is ValueKind.NUMBER or kind is ValueKind.BOOL:
            return value.literal
        if kind is ValueKind.NONE:
            return None
        if kind is ValueKind.NAME:
            return self.name(model, scope, value.literal) if isinstance(value.literal, str) else UNKNOWN
        if kind is ValueKind.CALL:
            return self.call(model, value.ref)
        if kind is ValueKind.FUNCTION:
            return FunctionValue(model.path, value.ref) if value.ref is not None else UNKNOWN
        if kind is ValueKind.OBJECT:
            return self.object(model, scope, value)
        if kind is ValueKind.ARRAY:
            return self.array(model, scope, value)
        if kind is ValueKind.TEMPLATE:
            return self.template(model, scope, value)
        if kind is ValueKind.CONCAT:
            return self.concat(model, scope, value)
        return UNKNOWN

    def call(self, model: FileModel, cid: Optional[int]) -> Resolved:
        if cid is None or cid >= len(model.calls):
            return UNKNOWN
        return self._guarded(("call", model.path, cid), lambda: self._call(model, model.calls[cid]))

    def _call(self, model: FileModel, call: Call) -> Resolved:
        cid = call.id
        entry = self.index.api(model, call, "value_identity")
        if entry is not None:
            arg = _argument(call, int(entry.get("arg", 0)), None)
            if arg is ABSENT or arg is UNKNOWN:
                return UNKNOWN
            return self.resolve_like(model, call.function, arg)
        entry = self.index.api(model, call, "path_function")
        if entry is not None:
            return path_function(self, model, call, str(entry.get("op", "")))
        return CallValue(model.path, cid)

    def object(self, model: FileModel, scope: Optional[int], value: Value) -> ObjectValue:
        entries: dict = {}
        unknown = False
        js = model.language.is_js
        for key, item in value.entries or ():
            if key is not None:
                entries[key] = self.resolve(model, scope, item)     # a repeated key keeps its place
                continue
            if item.kind is ValueKind.COMPUTED and item.items and len(item.items) == 2:
                computed = _plain(self.resolve(model, scope, item.items[0]))
                if js and _is_int(computed):
                    computed = str(computed)
                if isinstance(computed, str):
                    entries[computed] = self.resolve(model, scope, item.items[1])
                elif not js and (computed is None or isinstance(computed, (int, float))):
                    unknown = True              # a number key is no string key: listed values stay known
                else:
                    entries = dict.fromkeys(entries, UNKNOWN)
                    unknown = True
                continue
            spread = self.resolve(model, scope, item)
            if isinstance(spread, ObjectValue):
                if spread.unknown_keys:             # it may override what came before, not its own listed keys
                    entries = dict.fromkeys(entries, UNKNOWN)
                    unknown = True
                entries.update(spread.entries)
            elif spread is None and js and item.kind is not ValueKind.UNKNOWN:
                continue                        # `...undefined` / `...null` adds nothing
            else:
                entries = dict.fromkeys(entries, UNKNOWN)
                unknown = True
            if len(entries) > _MAX_KEYS:
                return ObjectValue({}, True)
        return ObjectValue(entries, unknown)

    def array(self, model: FileModel, scope: Optional[int], value: Value) -> ListValue:
        items = []
        unknown = False
        for item in value.items or ():
            if item.kind is ValueKind.SPREAD:
                inner = self.resolve(model, scope, item.items[0]) if item.items else UNKNOWN
                if isinstance(inner, ListValue):
                    items.extend(inner.items)
                    unknown = unknown or inner.unknown_items
                else:
                    unknown = True
            else:
                items.append(self.resolve(model, scope, item))
            if len(items) > _MAX_KEYS:
                return ListValue(tuple(items[:_MAX_KEYS]), True)
        return ListValue(tuple(items), unknown)

    def template(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        js = model.language.is_js
        pieces = []
        for item in value.items or ():
            resolved = self.resolve(model, scope, item)
            if isinstance(resolved, EnumMember):
                resolved = resolved.value if resolved.formats_as_value else UNKNOWN
            piece = _stringify(resolved, js)
            if piece is None:
                return UNKNOWN
            pieces.append(piece)
        return "".join(pieces)

    def concat(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        """`+` as the language means it: JS joins as soon as one side is a string; Python only adds like types."""
        js = model.language.is_js
        items = value.items or ()
        if not items:
            return UNKNOWN
        acc = _plain(self.resolve(model, scope, items[0]))
        for item in items[1:]:
            right = _plain(self.resolve(model, scope, item))
            if acc is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            if js:
                if isinstance(acc, str) or isinstance(right, str):
                    left_s, right_s = _stringify(acc, True), _stringify(right, True)
                    if left_s is None or right_s is None:
                        return UNKNOWN
                    acc = left_s + right_s
                elif _is_int(acc) and _is_int(right):
                    acc = acc + right
                else:
                    return UNKNOWN
            elif isinstance(acc, str) and isinstance(right, str):
                acc = acc + right
            elif _is_number(acc) and _is_number(right):
                acc = acc + right
            else:
                return UNKNOWN
        return acc

    # ------------------------------------------------------------------ names
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
                    return ExternalValue(_js_external(ex.source, ex.source_name or name))
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
            return ExternalValue(_js_member(q, part) if ":" in q else f"{q}.{part}")
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

    def python_enum(self, model: FileModel, info: ClassInfo) -> tuple[bool, bool, bool]:
        """(is an enumeration, members equal their values, members format as their values), from the bases."""
        key = (model.path, info.name)
        if key in self._enum_memo:
            return self._enum_memo[key]
        self._enum_memo[key] = (False, False, False)
        categories = self.index.catalog.categories
        is_enum = equals = formats = False
        mixin = False
        for base in info.bases:
            if not base or "(" in base or "[" in base or "?" in base:
                continue
            ref = self.index.resolve_path(model, info.parent, base)
            if ref is None:
                continue
            if ref.kind == "class" and ref.path is not None:
                inherited = self.python_enum(self.index.files[ref.path],
                                             self.table(self.index.files[ref.path]).classes.get(ref.class_name)
                                             or info)
                is_enum, equals, formats = is_enum or inherited[0], equals or inherited[1], formats or inherited[2]
                continue
            qualified = self.index.qualified(ref)
            entry = categories.first("enum_class", False, qualified)
            if entry is not None:
                is_enum = True
                equals = equals or bool(entry.get("equals_value"))
                formats = formats or bool(entry.get("formats_as_value"))
            elif categories.first("enum_mixin", False, qualified) is not None:
                mixin = True
        result = (is_enum, equals or (is_enum and mixin), formats)
        self._enum_memo[key] = result
        return result


def _expr_of(value) -> Optional[Value]:
    if isinstance(value, Value):
        return value
    if isinstance(value, Arg):
        return value.expr
    if isinstance(value, Binding):
        return value.value_expr
    return None


def _found(value: Resolved) -> Resolved:
    return UNKNOWN if value is _MISSING or value is _EXTERNAL else value


def _argument(call: Call, position: Optional[int], keyword: Optional[str]):
    """The Arg at a positional index or keyword, ABSENT, or UNKNOWN when a spread may supply it."""
    spread_positional = spread_keyword = False
    seen = 0
    for arg in call.args:
        if arg.spread:
            spread_keyword = True           # Python `*a` and `**kw` are not told apart in the model
            spread_positional = True
            continue
        if arg.keyword is not None:
            if keyword is not None and arg.keyword == keyword:
                return arg
            continue
        if position is not None and seen == position and not spread_positional:
            return arg
        seen += 1
    if position is not None and spread_positional:
        return UNKNOWN
    if keyword is not None and spread_keyword:
        return UNKNOWN
    return ABSENT


def _js_external(module: str, name: Optional[str]) -> str:
    module = module.removeprefix("node:")
    return f"{module}:" if name in (None, "default") else f"{module}:{name}"


def _js_member(qualified: str, member: str) -> str:
    return qualified + member if qualified.endswith(":") else f"{qualified}.{member}"
