"""Name resolution for the index: which function, class, instance, module or external API a dotted
name or a callee means, followed through local scopes, imports, re-exports, `module.exports`, class
members, typed fields and what calls return.

Recursion is bounded (`_MAX_DEPTH`, guards against cycles) and an answer that met a bound is not
memoised for good (`_memoised`), so answers do not depend on the order questions are asked in.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from lambdalint.frameworks import provider_instance as framework_provider
from lambdalint.model import ArgKind, Binding, Call, FileModel, Import, Language, ValueKind
from lambdalint.refs import Ref, js_external, js_member, strip_type

_MAX_DEPTH = 48
_MISSING = object()


class NameResolution:
    """The resolution queries of `ProjectIndex` (a mixin over its files, scopes, modules and memos)."""

    def _memoised(self, memo: dict, tag: str, key, compute, default):
        """`compute()` once per key; see `_in_progress` for why incomplete answers are not kept."""
        found = memo.get(key, _MISSING)
        if found is not _MISSING:
            return found
        token = (tag, key)
        if token in self._in_progress:
            self._incomplete += 1
            return default
        found = self._provisional.get(token, _MISSING)
        if found is not _MISSING:
            return found
        start = self._incomplete
        self._in_progress.add(token)
        self._active += 1
        try:
            value = compute()
        finally:
            self._in_progress.discard(token)
            self._active -= 1
        if self._incomplete == start:
            memo[key] = value
        else:
            self._provisional[token] = value
        if self._active == 0:
            self._provisional.clear()
        return value

    def resolve_callee(self, model: FileModel, call: Call) -> Optional[Ref]:
        found = self._callee_memo.get((model.path, call.id), _MISSING)  # asked very often: the memo first
        if found is not _MISSING:
            return found
        return self._memoised(self._callee_memo, "callee", (model.path, call.id),
                              lambda: self._resolve_callee(model, call), None)

    def _resolve_callee(self, model: FileModel, call: Call) -> Optional[Ref]:
        if call.callee_function is not None:
            return Ref("function", model.path, fid=call.callee_function)
        if call.receiver_call is not None:
            base = self.call_result(model, model.calls[call.receiver_call])
            return self._member(base, call.method) if base else None
        ref = self.resolve_path(model, call.function, call.callee)
        if ref is not None and ref.kind == "module" and model.language.is_js:
            return self.exported(ref.path, "default")
        return ref

    def resolve_path(self, model: FileModel, scope: Optional[int], dotted: str) -> Optional[Ref]:
        if not dotted or "?" in dotted:
            return None
        if self._depth > _MAX_DEPTH:
            self._incomplete += 1
            return None
        self._depth += 1
        try:
            return self._resolve_path(model, scope, dotted)
        finally:
            self._depth -= 1

    def _resolve_path(self, model: FileModel, scope: Optional[int], dotted: str) -> Optional[Ref]:
        parts = dotted.split(".")
        scopes = self.scopes(model.path)
        root = parts[0]
        ref: Optional[Ref] = None
        consumed = 1
        if root in ("this", "self", "cls") or root == "super":
            cls = scopes.enclosing_class(scope)
            if cls is None:
                return None
            ref = Ref("instance", model.path, class_name=cls)
            if root == "super":
                ref = self._base_instance(model.path, cls)
        else:
            for k in range(len(parts), 0, -1):
                symbol = scopes.lookup(scope, ".".join(parts[:k]))
                if symbol is not None:
                    ref = self._symbol_ref(model, scope, symbol)
                    consumed = k
                    if ref is None and k < len(parts) and model.language.is_js:
                        fid = self._literal_method(model, symbol, parts[k])  # `const o = { async run() {} }`
                        if fid is not None:
                            ref, consumed = Ref("function", model.path, fid=fid), k + 1
                    break
            else:
                ref = self._global(model, root)
        for part in parts[consumed:]:
            if ref is None:
                return None
            ref = self._member(ref, part)
        return ref

    def _global(self, model: FileModel, name: str) -> Optional[Ref]:
        if name.endswith("()") or name.endswith("[]"):
            return None
        if model.language.is_js:
            return Ref("external", qualified=f"global:{name}")
        return Ref("external", qualified=name)

    def _symbol_ref(self, model: FileModel, scope: Optional[int], symbol) -> Optional[Ref]:
        kind, value = symbol
        if kind == "function":
            return Ref("function", model.path, fid=value)
        if kind == "class":
            return Ref("class", model.path, class_name=value)
        if kind == "import":
            return self._import_ref(model, value)
        return self._binding_ref(model, value)

    def _binding_ref(self, model: FileModel, binding: Binding) -> Optional[Ref]:
        if binding.value_function is not None:
            return Ref("function", model.path, fid=binding.value_function)
        if binding.type_name:
            typed = self.resolve_type(model, binding.function, binding.type_name)
            if typed is not None:
                return typed
        if binding.value_call is not None:
            return self.call_result(model, model.calls[binding.value_call])
        if binding.value_name:
            return self.resolve_path(model, binding.function, binding.value_name)
        return None

    def resolve_type(self, model: FileModel, scope: Optional[int], text: str) -> Optional[Ref]:
        name = strip_type(text)
        if not name or not (name[0].isalpha() or name[0] == "_") or "(" in name:
            return None  # `boto3.resource().Table` is a constructor call, not a type name: its value says more
        return _instance_of(self.resolve_path(model, scope, name))

    def _import_ref(self, model: FileModel, imp: Import) -> Optional[Ref]:
        if model.language.is_js:
            target = self.resolve_js_module(model.path, imp.module)
            if target is None:
                return Ref("external", qualified=js_external(imp.module, imp.name))
            if imp.name is None:
                return Ref("module", target)
            return self.exported(target, imp.name)
        target = self.resolve_py_module(model.path, imp.module, imp.level)
        if imp.name is None:
            return Ref("module", target) if target else Ref("external", qualified=imp.module)
        if imp.name == "*":
            return None
        if target is not None:
            found = self.exported(target, imp.name)
            if found is not None:
                return found
        submodule = f"{imp.module}.{imp.name}" if imp.module else imp.name
        sub = self.resolve_py_module(model.path, submodule, imp.level)
        if sub is not None:
            return Ref("module", sub)
        if target is not None or imp.level:
            return None
        return Ref("external", qualified=submodule)

    def exported(self, path: Optional[str], name: str) -> Optional[Ref]:
        """The thing module `path` exports as `name`."""
        if path is None:
            return None
        if self._depth > _MAX_DEPTH:
            self._incomplete += 1
            return None
        self._depth += 1
        try:
            return self._memoised(self._export_memo, "export", (path, name),
                                  lambda: self._exported(path, name), None)
        finally:
            self._depth -= 1

    def _exported(self, path: str, name: str) -> Optional[Ref]:
        model = self.files[path]
        scopes = self.scopes(path)
        if model.language is Language.PYTHON:
            symbol = scopes.lookup(None, name)
            if symbol is not None:
                return self._symbol_ref(model, None, symbol)
            return None
        stars = []
        for ex in model.exports:
            if ex.name == "*":
                stars.append(ex)
                continue
            if ex.name != name:
                continue
            if ex.source is not None:
                target = self.resolve_js_module(path, ex.source)
                if target is None:
                    return Ref("external", qualified=js_external(ex.source, ex.source_name or name))
                return self.exported(target, ex.source_name or name)
            if ex.function is not None:
                return Ref("function", path, fid=ex.function)
            if ex.local:
                symbol = scopes.lookup(None, ex.local)
                if symbol is not None:
                    return self._symbol_ref(model, None, symbol)
            if ex.call is not None:
                return self.call_result(model, model.calls[ex.call])
            return None
        for ex in stars:
            target = self.resolve_js_module(path, ex.source or "")
            found = self.exported(target, name) if target else None
            if found is not None:
                return found
        return None

    def member_path(self, ref: Optional[Ref], dotted: str) -> Optional[Ref]:
        """What `dotted` (`a.b`, or "" for the thing itself) names as members of what `ref` names."""
        for part in dotted.split(".") if dotted else ():
            if ref is None:
                return None
            ref = self._member(ref, part)
        return ref

    def _member(self, ref: Ref, member: str) -> Optional[Ref]:
        if ref.kind == "module":
            return self.exported(ref.path, member)
        if ref.kind == "external":
            q = ref.qualified or ""
            return Ref("external", qualified=js_member(q, member) if ":" in q else f"{q}.{member}")
        if ref.kind == "external_instance":
            return Ref("external_method", qualified=ref.qualified, member=member, constructed=ref.constructed)
        if ref.kind in ("instance", "class"):
            return self._class_member(ref.path, ref.class_name, member, seen=set())
        return None

    def _class_member(self, path: str, cls: str, member: str, seen: set) -> Optional[Ref]:
        if (path, cls) in seen:
            return None
        if self._depth > _MAX_DEPTH:
            self._incomplete += 1
            return None
        seen.add((path, cls))
        scopes = self.scopes(path)
        fid = scopes.methods.get((cls, member))
        if fid is not None:
            return Ref("function", path, fid=fid)
        info = scopes.classes.get(cls)
        if info is None:
            return None
        model = self.files[path]
        field_type = info.fields.get(member)
        if field_type:
            typed = self.resolve_type(model, info.parent, field_type)
            if typed is not None:
                return typed
        for binding in scopes.members.get((cls, member), ()):
            typed = self._binding_ref(model, binding)
            if typed is not None:
                return typed
        for base in info.bases:
            base_ref = self.resolve_path(model, info.parent, strip_type(base))
            if base_ref is not None and base_ref.kind == "class":
                found = self._class_member(base_ref.path, base_ref.class_name, member, seen)
                if found is not None:
                    return found
            elif base_ref is not None and base_ref.kind == "external":
                return Ref("external_method", qualified=base_ref.qualified, member=member)
        return None

    def _base_instance(self, path: str, cls: str) -> Optional[Ref]:
        info = self.scopes(path).classes.get(cls)
        if not info or not info.bases:
            return None
        return _instance_of(self.resolve_path(self.files[path], info.parent, strip_type(info.bases[0])))

    def call_result(self, model: FileModel, call: Call) -> Optional[Ref]:
        """What calling `call` gives back, when the index can tell (an instance, or a `require`d module)."""
        if model.language.is_js and call.callee == "require" and call.args and call.args[0].kind is ArgKind.STRING:
            specifier = str(call.args[0].value)
            target = self.resolve_js_module(model.path, specifier)
            return Ref("module", target) if target else Ref("external", qualified=js_external(specifier, None))
        ref = self.resolve_callee(model, call)
        if ref is None:
            return framework_provider(self, model, call)  # NestJS `app.get(Service)`
        python = model.language is Language.PYTHON
        if ref.kind == "class":
            return Ref("instance", ref.path, class_name=ref.class_name)
        if ref.kind == "external":
            q = ref.qualified or ""
            returned = self.catalog.returns_instance(q, python)
            if returned:
                return Ref("external_instance", qualified=returned)
            last = q.replace(":", ".").rsplit(".", 1)[-1]
            if call.is_new or (last[:1].isupper() and not last.isupper()):
                return Ref("external_instance", qualified=q, constructed=call.is_new)
            return None
        if ref.kind == "external_method":
            returned = self.catalog.returns_instance(f"{ref.qualified}.{ref.member}", python)
            if returned:
                return Ref("external_instance", qualified=returned)
        if ref.kind == "function" and not call.is_new:
            return self.function_result(ref.path, ref.fid)
        return None

    def function_result(self, path: str, fid: int) -> Optional[Ref]:
        """The instance a project function gives back when every `return` gives the same one (a factory:
        `def table(): return boto3.resource("dynamodb").Table(NAME)`, `const client = () => new S3Client({})`),
        so that its callers' values are known too. None for anything less certain: an `async` function or a
        generator (their callers get a promise, a coroutine or a generator), a `return` of anything but a call
        or a name, two returns that give different things."""
        return self._memoised(self._result_memo, "result", (path, fid), lambda: self._function_result(path, fid),
                              None)

    def _function_result(self, path: str, fid: int) -> Optional[Ref]:
        model = self.files[path]
        fn = model.functions[fid]
        if fn.is_async or fn.is_generator or not fn.returns or fn.plain_returns:
            return None
        scopes = self.scopes(path)
        calls, names = scopes.returned_calls.get(fid, ()), scopes.returned_names.get(fid, ())
        if len(calls) + len(names) != fn.returns:
            return None
        found = {self.call_result(model, call) for call in calls}
        found |= {self.resolve_path(model, fid, ref.name) for ref in names}
        if len(found) != 1:
            return None
        (ref,) = found
        return ref if ref is not None and ref.kind in ("instance", "external_instance") else None

    def function_ref(self, model: FileModel, scope: Optional[int], dotted: str) -> Optional[Ref]:
        ref = self.resolve_path(model, scope, dotted)
        return ref if ref is not None and ref.kind == "function" else None

    def _literal_method(self, model: FileModel, symbol, key: str) -> Optional[int]:
        """The function a declared object literal holds under `key` (a method or a function-valued property),
        when the name is bound once in its function (a `let` given another object later could hold anything)."""
        kind, binding = symbol
        if kind != "binding" or binding.kind != "declare":
            return None
        value = binding.value_expr
        if value is None or value.kind is not ValueKind.OBJECT:
            return None
        counts = self.__dict__.setdefault("_bindings_per_name", {})  # path -> Counter of (function, name)
        if model.path not in counts:
            counts[model.path] = Counter((b.function, b.name) for b in model.bindings)
        if counts[model.path][(binding.function, binding.name)] != 1:
            return None
        for name, item in value.entries or ():
            if name == key and item.kind is ValueKind.FUNCTION:
                return item.ref
        return None


def _instance_of(ref: Optional[Ref]) -> Optional[Ref]:
    """An instance of what `ref` names: a project class, or an external one; None for anything else."""
    if ref is None:
        return None
    if ref.kind == "class":
        return Ref("instance", ref.path, class_name=ref.class_name)
    if ref.kind == "external":
        return Ref("external_instance", qualified=ref.qualified)
    return None
