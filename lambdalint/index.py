"""The project index: what one file cannot know about itself.

Built once from every file model. It answers, without a type checker:
which function or class a dotted callee names (through local scopes,
imports, re-exports, `module.exports`, typed fields and constructor
parameters); whether a call starts asynchronous work; which functions are
Lambda handlers; and which handler reaches a given function.

Resolution is deliberately conservative: when a name cannot be followed to a
definition or a catalogue entry, the answer is "unknown", and rules treat
unknown as "not async". A false alarm costs more trust than a miss.
"""
from __future__ import annotations

import enum
import os
import posixpath
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Iterable, Optional

from lambdalint.catalog import Catalog
from lambdalint.callgraph import CallGraph
from lambdalint.handlers import Handler, HandlerFinder
from lambdalint.scoping import Scoping
from lambdalint.frameworks import decorators_reached as framework_decorators
from lambdalint.frameworks import dispatched as framework_dispatch
from lambdalint.frameworks import provider_instance as framework_provider
from lambdalint.model import ArgKind, Binding, Call, FileModel, Function, FunctionKind, Import, Language, Use

_MAX_DEPTH = 48
_MISSING = object()
_JS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")


class AsyncKind(str, enum.Enum):
    PROMISE = "promise"      # JS: runs until its first await, the rest after the freeze
    COROUTINE = "coroutine"  # Python: does not run at all until awaited
    TASK = "task"            # Python: scheduled on the loop; cancelled or frozen when nobody waits
    FUTURE = "future"        # Python: `asyncio.gather(...)`: its coroutines become tasks nobody waits for


@dataclass(frozen=True)
class Ref:
    """What a name resolves to."""

    kind: str                           # function | class | instance | module | external | external_instance | external_method
    path: Optional[str] = None          # project file for function / class / instance / module
    fid: Optional[int] = None           # function id
    class_name: Optional[str] = None    # project class for class / instance
    qualified: Optional[str] = None     # external name: "asyncio.sleep", "axios:get", "@aws-sdk/client-s3:S3Client"
    member: Optional[str] = None        # external_method: the method name
    constructed: bool = False           # external_instance / external_method: made here with `new`


def _strip_type(text: str) -> str:
    """`Optional[Foo]`, `Foo | None`, `Foo<Bar>`, `readonly Foo` -> `Foo` (best effort).

    Collections of a type (`Foo[]`, `Array<Foo>`, `list[Foo]`) are not a `Foo`: they give "".
    """
    text = text.strip().strip("'\"")
    if text.endswith("[]"):
        return ""
    for wrapper in ("Optional[", "typing.Optional["):
        if text.startswith(wrapper) and text.endswith("]"):
            text = text[len(wrapper):-1]
    if "|" in text:
        parts = [p.strip() for p in text.split("|") if p.strip() not in ("None", "null", "undefined")]
        text = parts[0] if parts else ""
    text = text.split("<", 1)[0].split("[", 1)[0].strip()
    return text.removeprefix("readonly ").strip()


def _js_external(module: str, name: Optional[str]) -> str:
    module = module.removeprefix("node:")
    if name in (None, "default"):
        return f"{module}:"
    return f"{module}:{name}"


def _js_member(qualified: str, member: str) -> str:
    return qualified + member if qualified.endswith(":") else f"{qualified}.{member}"


class _FileScopes:
    """Per-file symbol table: (scope function id, name) -> symbol."""

    def __init__(self, model: FileModel):
        self.model = model
        self.table: dict[tuple[Optional[int], str], tuple[str, object]] = {}
        self.methods: dict[tuple[str, str], int] = {}
        self.classes = {c.name: c for c in model.classes}
        self.returned_calls: dict[Optional[int], list[Call]] = defaultdict(list)
        self.returned_names: dict[Optional[int], list] = defaultdict(list)
        self.scoping = Scoping(model)
        self.members: dict[tuple[str, str], list[Binding]] = defaultdict(list)
        for binding in model.bindings:
            if binding.class_name is not None:
                member = binding.name.split(".", 1)[1] if "." in binding.name else binding.name
                if "." not in member and "[" not in member:
                    self.members[(binding.class_name, member)].append(binding)
            self._add_binding(binding)
        for imp in model.imports:
            self.table[(imp.function, imp.local)] = ("import", imp)
        for cls in model.classes:
            self.table[(cls.parent, cls.name)] = ("class", cls.name)
        for fn in model.functions:
            if fn.class_name is not None:
                if fn.name and fn.class_name != "{}":
                    self.methods.setdefault((fn.class_name, fn.name), fn.id)
            elif fn.name and fn.kind is FunctionKind.DECLARATION:
                self.table[(fn.parent, fn.name)] = ("function", fn.id)
        for call in model.calls:
            d = call.disposition
            if d.use is Use.RETURNED and d.container is None and call.function is not None:
                self.returned_calls[call.function].append(call)
        for ref in model.names:
            d = ref.disposition
            if d.use is Use.RETURNED and d.container is None and ref.function is not None:
                self.returned_names[ref.function].append(ref)

    def _add_binding(self, binding: Binding) -> None:
        if ("." in binding.name or "[" in binding.name or binding.kind in ("global", "nonlocal", "update", "delete")
                or binding.class_name is not None):
            return
        key = (self.scoping.scope_of(binding.function, binding.name), binding.name)
        current = self.table.get(key)
        informative = binding.value_function is not None or binding.value_call is not None or bool(
            binding.type_name or binding.value_name
        )
        if current is None or (current[0] == "binding" and informative and not _informative(current[1])):
            self.table[key] = ("binding", binding)

    def lookup(self, scope: Optional[int], name: str):
        model = self.model
        while True:
            found = self.table.get((scope, name))
            if found is not None:
                return found
            if scope is None:
                return None
            scope = model.functions[scope].parent

    def enclosing_class(self, scope: Optional[int]) -> Optional[str]:
        for fn in self.model.enclosing_functions(scope):
            if fn.class_name and fn.class_name != "{}":
                return fn.class_name
        return None


def _informative(binding: Binding) -> bool:
    return binding.value_function is not None or binding.value_call is not None or bool(
        binding.type_name or binding.value_name
    )


class ProjectIndex:
    def __init__(self, models: Iterable[FileModel], catalog: Catalog, handler_names: Iterable[str] = (), iac=None):
        self.catalog = catalog
        self.iac = iac  # the IaC reader's `IacProject` (functions, runtimes, layers), or None
        self.files: dict[str, FileModel] = {}
        self._by_norm: dict[str, str] = {}
        self._cwd = os.getcwd()
        for model in models:
            self.files[model.path] = model
            self._by_norm[_absolute(model.path, self._cwd)] = model.path
        self._scopes: dict[str, _FileScopes] = {}
        self._module_memo: dict[tuple, Optional[str]] = {}
        self._api_memo: dict[tuple, object] = {}
        self._category_memo: dict[tuple, object] = {}
        self._derived: dict[str, object] = {}
        self._py_modules: dict[str, list[str]] = defaultdict(list)
        for path, model in self.files.items():
            if model.language is Language.PYTHON:
                for dotted in _module_suffixes(_absolute(path, self._cwd)):
                    self._py_modules[dotted].append(path)
        self._callee_memo: dict[tuple[str, int], Optional[Ref]] = {}
        self._async_memo: dict[tuple[str, int], Optional[AsyncKind]] = {}
        self._returns_memo: dict[tuple[str, int], bool] = {}
        self._export_memo: dict[tuple[str, str], Optional[Ref]] = {}
        self._depth = 0
        # Order independence: an answer that met a recursion guard or the depth cap depends on what was
        # being resolved when it was asked, so only complete answers are memoised for good; the others
        # live until the outermost query ends.
        self._in_progress: set = set()
        self._incomplete = 0
        self._active = 0
        self._provisional: dict = {}
        self._extra_handler_names = tuple(handler_names)
        self._imported_from: Optional[dict[str, set]] = None
        self.handlers: list[Handler] = HandlerFinder(self).find(self._extra_handler_names)
        self._reached: dict[tuple[str, int], list[Handler]] = self._reachability()
        self._handler_modules: frozenset = self._import_closure({h.path for h in self.handlers})

    def derived(self, key: str, build):
        """A structure built once per run from this index (`build(index)`), e.g. the project's listeners."""
        found = self._derived.get(key, _MISSING)
        if found is _MISSING:
            found = self._derived[key] = build(self)
        return found

    # ----------------------------------------------------------------- files
    def scopes(self, path: str) -> _FileScopes:
        scopes = self._scopes.get(path)
        if scopes is None:
            scopes = self._scopes[path] = _FileScopes(self.files[path])
        return scopes

    def _file(self, norm: str) -> Optional[str]:
        return self._by_norm.get(_absolute(norm, self._cwd))

    def resolve_js_module(self, importer: str, specifier: str) -> Optional[str]:
        """A relative import specifier -> the project file it names, or None (a package)."""
        if not specifier.startswith("."):
            return None
        folder = posixpath.dirname(importer.replace(os.sep, "/"))
        key = ("js", folder, specifier)  # the answer depends on the folder only: asked once per folder
        found = self._module_memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._module_memo[key] = self._resolve_js_module(folder, specifier)
        return found

    def _resolve_js_module(self, folder: str, specifier: str) -> Optional[str]:
        base = posixpath.join(folder, specifier)
        stem, ext = posixpath.splitext(base)
        candidates = [base] if ext in _JS_EXTENSIONS else []
        if ext in (".js", ".mjs", ".cjs", ".jsx"):
            candidates += [stem + e for e in (".ts", ".tsx", ".mts", ".cts")]
        candidates += [base + e for e in _JS_EXTENSIONS]
        candidates += [posixpath.join(base, "index" + e) for e in _JS_EXTENSIONS]
        for candidate in candidates:
            found = self._file(candidate)
            if found:
                return found
        return None

    def resolve_py_module(self, importer: str, module: str, level: int) -> Optional[str]:
        key = ("py", posixpath.dirname(importer.replace(os.sep, "/")), module, level)
        found = self._module_memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._module_memo[key] = self._resolve_py_module(importer, module, level)
        return found

    def _resolve_py_module(self, importer: str, module: str, level: int) -> Optional[str]:
        if level:
            base = posixpath.dirname(importer.replace(os.sep, "/"))
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            rel = module.replace(".", "/") if module else ""
            target = posixpath.join(base, rel) if rel else base
            return self._file(target + ".py") or self._file(posixpath.join(target, "__init__.py")) or (
                self._file(target + ".pyi")
            )
        candidates = self._py_modules.get(module)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        importer_dir = posixpath.dirname(_absolute(importer, self._cwd))
        return max(candidates, key=lambda c: len(
            posixpath.commonpath([importer_dir, posixpath.dirname(_absolute(c, self._cwd))])))

    def imported_from(self, path: str) -> frozenset:
        """The names other project files import from module `path` (`*` when one takes the whole module).

        Only importers whose specifier resolves to `path` count: an unrelated package's `ready`
        does not settle this module's `ready`.
        """
        if self._imported_from is None:
            table: dict[str, set] = defaultdict(set)
            for importer, model in self.files.items():
                for imp in model.imports:
                    if model.language.is_js:
                        target = self.resolve_js_module(importer, imp.module)
                        if target is not None:
                            table[target].add(imp.name or "*")
                    else:
                        target = self.resolve_py_module(importer, imp.module, imp.level)
                        if target is not None:
                            table[target].add(imp.name or "*")
            self._imported_from = table
        return frozenset(self._imported_from.get(path, ()))

    # ------------------------------------------------------------ resolution
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
        name = _strip_type(text)
        if not name or not (name[0].isalpha() or name[0] == "_") or "(" in name:
            return None  # `boto3.resource().Table` is a constructor call, not a type name: its value says more
        ref = self.resolve_path(model, scope, name)
        if ref is None:
            return None
        if ref.kind == "class":
            return Ref("instance", ref.path, class_name=ref.class_name)
        if ref.kind == "external":
            return Ref("external_instance", qualified=ref.qualified)
        return None

    def _import_ref(self, model: FileModel, imp: Import) -> Optional[Ref]:
        if model.language.is_js:
            target = self.resolve_js_module(model.path, imp.module)
            if target is None:
                return Ref("external", qualified=_js_external(imp.module, imp.name))
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
                    return Ref("external", qualified=_js_external(ex.source, ex.source_name or name))
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

    def _member(self, ref: Ref, member: str) -> Optional[Ref]:
        if ref.kind == "module":
            return self.exported(ref.path, member)
        if ref.kind == "external":
            q = ref.qualified or ""
            return Ref("external", qualified=_js_member(q, member) if ":" in q else f"{q}.{member}")
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
            base_ref = self.resolve_path(model, info.parent, _strip_type(base))
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
        base = self.resolve_path(self.files[path], info.parent, _strip_type(info.bases[0]))
        if base is None:
            return None
        if base.kind == "class":
            return Ref("instance", base.path, class_name=base.class_name)
        if base.kind == "external":
            return Ref("external_instance", qualified=base.qualified)
        return None

    def call_result(self, model: FileModel, call: Call) -> Optional[Ref]:
        """What calling `call` gives back, when the index can tell (an instance, or a `require`d module)."""
        if model.language.is_js and call.callee == "require" and call.args and call.args[0].kind is ArgKind.STRING:
            specifier = str(call.args[0].value)
            target = self.resolve_js_module(model.path, specifier)
            return Ref("module", target) if target else Ref("external", qualified=_js_external(specifier, None))
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
        return None

    # ----------------------------------------------------------- categories
    def qualified(self, ref: Optional[Ref]) -> Optional[str]:
        """The catalogue name of an external thing: `time.time`, `uuid:v4`, `global:Date.now`,
        `@aws-sdk/client-s3:S3Client#send` for a method of an instance; None for project code."""
        if ref is None:
            return None
        if ref.kind == "external":
            return ref.qualified
        if ref.kind == "external_method":
            return f"{ref.qualified}#{ref.member}"
        return None

    def api(self, model: FileModel, call: Call, category: str):
        """The catalogue entry of `category` that `call` is, resolved by import (a local `v4` is not `uuid:v4`)."""
        key = (model.path, call.id)
        name = self._api_memo.get(key, _MISSING)  # the call's qualified name: asked once per category
        if name is _MISSING:
            name = self.qualified(self.resolve_callee(model, call))
            if key in self._callee_memo:  # a final answer (see `_memoised`), not a provisional one
                self._api_memo[key] = name
        if not name:
            return None
        entry = self.category_entry(category, model.language is not Language.PYTHON, name)
        if entry is not None and not entry.accepts(is_new=call.is_new, arg_count=len(call.args)):
            entry = None
        return entry

    def category_entry(self, category: str, is_js: bool, name: Optional[str]):
        """`categories.first`, once per name: many calls of a project name one API (patterns are slow)."""
        if not name:
            return None
        key = (category, is_js, name)
        found = self._category_memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._category_memo[key] = self.catalog.categories.first(category, is_js, name)
        return found

    def api_of_path(self, model: FileModel, scope: Optional[int], dotted: str, category: str):
        """The catalogue entry of `category` that a dotted read names (`process.env.X`, `os.environ`).

        The read and each of its prefixes are tried, longest first, so `global:process.env` matches
        `process.env.TABLE`.
        """
        parts = dotted.split(".")
        for k in range(len(parts), 0, -1):
            name = self.qualified(self.resolve_path(model, scope, ".".join(parts[:k])))
            entry = self.category_entry(category, model.language.is_js, name)
            if entry is not None:
                return entry
        return None

    # ------------------------------------------------------------- async-ness
    def async_kind(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        """Whether `call` definitely starts asynchronous work, and of which kind."""
        found = self._async_memo.get((model.path, call.id), _MISSING)
        if found is not _MISSING:
            return found
        return self._memoised(self._async_memo, "async", (model.path, call.id),
                              lambda: self._async_kind(model, call), None)

    def is_safe_call(self, model: FileModel, call: Call) -> bool:
        if call.callee in self.catalog.user_safe:
            return True
        return model.is_test and call.callee in self.catalog.test_safe_calls

    def _async_kind(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        if self.is_safe_call(model, call):
            return None
        python = model.language is Language.PYTHON
        if not python:
            shape = self._js_shape(model, call)
            if shape is not None:
                return shape
        ref = self.resolve_callee(model, call)
        if not python and _node_callback(model, call) and (ref is None or ref.kind != "function"):
            return None  # node-style callback API: no promise
        if call.callee in self.catalog.user_async:
            return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
        if ref is None:
            if python and call.method == "create_task" and (
                (call.receiver or "").rsplit(".", 1)[-1] in self.catalog.loop_receivers
            ):
                return AsyncKind.TASK
            return None
        if ref.kind == "function":
            if self.returns_async(ref.path, ref.fid):
                return AsyncKind.COROUTINE if self.files[ref.path].language is Language.PYTHON else AsyncKind.PROMISE
            return None
        if ref.kind == "external":
            q = ref.qualified or ""
            spellings = _user_spellings(q)
            if any(name in self.catalog.user_safe for name in spellings):
                return None
            if any(name in self.catalog.user_async for name in spellings):
                return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
            if python:
                if q in self.catalog.py_tasks:
                    return AsyncKind.TASK
                if q in self.catalog.py_futures:
                    return AsyncKind.FUTURE
                if q in self.catalog.py_coroutines:
                    return AsyncKind.COROUTINE
                return None
            return AsyncKind.PROMISE if q in self.catalog.js_functions else None
        if ref.kind == "external_method":
            q, member = ref.qualified or "", ref.member or ""
            simple = f"{q.replace(':', '.').rsplit('.', 1)[-1]}.{member}"
            if simple in self.catalog.user_safe:
                return None
            if simple in self.catalog.user_async or f"{q}.{member}" in self.catalog.user_async:
                return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
            if python:
                if self.catalog.py_task_methods.has(q, member):
                    return AsyncKind.TASK
                return AsyncKind.COROUTINE if self.catalog.py_methods.has(q, member) else None
            if self.catalog.js_methods.has(q, member):
                return AsyncKind.PROMISE
            if ref.constructed and self.catalog.js_constructed_methods.has(q, member):
                return AsyncKind.PROMISE
            return None
        return None

    def _js_shape(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        """Promise sources recognisable by their shape alone."""
        scopes = self.scopes(model.path)
        if call.callee == "Promise" and call.is_new and scopes.lookup(call.function, "Promise") is None:
            return AsyncKind.PROMISE
        if call.receiver == "Promise" and call.method in self.catalog.promise_statics:
            return AsyncKind.PROMISE
        method = call.method
        if method in self.catalog.promise_chain and not call.is_new:
            if call.receiver_call is not None:
                return self.async_kind(model, model.calls[call.receiver_call])
            origin = self.value_origin(model, call.function, call.receiver or "")
            return self.async_kind(model, origin) if origin is not None else None
        if method == "promise" and call.receiver_call is not None and not call.args:
            return AsyncKind.PROMISE
        if method == "send" and call.args and call.args[0].kind is ArgKind.CALL:
            inner = model.calls[call.args[0].call]
            if inner.is_new and inner.callee.endswith(self.catalog.sdk_command_suffix):
                return AsyncKind.PROMISE
        return None

    def value_origin(self, model: FileModel, scope: Optional[int], name: str) -> Optional[Call]:
        """The call whose result a local name holds (`const p = fetch(u)` -> the fetch call)."""
        if not name or "." in name:
            return None
        symbol = self.scopes(model.path).lookup(scope, name)
        if symbol is None or symbol[0] != "binding":
            return None
        binding: Binding = symbol[1]
        if binding.value_call is None:
            return None
        return model.calls[binding.value_call]

    def returns_async(self, path: str, fid: int) -> bool:
        """Whether calling function `fid` gives a promise / coroutine."""
        model = self.files[path]
        return self._memoised(self._returns_memo, "returns", (path, fid),
                              lambda: self._returns_async(model, model.functions[fid]), False)

    def _returns_async(self, model: FileModel, fn: Function) -> bool:
        """Declared `async`, annotated as a promise / coroutine, or *every* return gives an async value.

        A function that returns a promise on some paths and a plain value on others is not
        "definitely async": unknown, and unknown is silent.
        """
        if fn.is_async:
            return not fn.is_generator
        annotation = (fn.return_annotation or "").strip()
        if annotation:
            if model.language.is_js:
                return annotation == "Promise" or annotation.startswith("Promise<")
            return self._py_async_annotation(model, fn.parent, annotation)
        if fn.is_generator or fn.returns == 0 or fn.plain_returns:
            return False
        scopes = self.scopes(model.path)
        returned = scopes.returned_calls.get(fn.id, ())
        names = scopes.returned_names.get(fn.id, ())
        if not returned and not names:
            return False
        if not all(self.async_kind(model, call) is not None for call in returned):
            return False
        for ref in names:
            origin = self.value_origin(model, fn.id, ref.name)
            if origin is None or self.async_kind(model, origin) is None:
                return False
        return True

    def _py_async_annotation(self, model: FileModel, scope: Optional[int], annotation: str) -> bool:
        """`Coroutine[...]` / `Awaitable[...]` / `asyncio.Task` / `asyncio.Future`, resolved through imports.

        `concurrent.futures.Future` is not one: its work is already running in a thread (FF006's business).
        """
        head = annotation.strip("'\"").split("[", 1)[0].strip()
        if not head or not (head[0].isalpha() or head[0] == "_"):
            return False
        ref = self.resolve_path(model, scope, head)
        qualified = ref.qualified if ref is not None and ref.kind == "external" else None
        if qualified is None:
            return False
        return qualified in self.catalog.py_async_annotations

    def function_ref(self, model: FileModel, scope: Optional[int], dotted: str) -> Optional[Ref]:
        ref = self.resolve_path(model, scope, dotted)
        return ref if ref is not None and ref.kind == "function" else None

    # ------------------------------------------------------------- handlers
    def unmatched_handler_names(self, entries: Iterable[str]) -> list[str]:
        """Entries of the `handlers` setting that name no function in the indexed files (a typo, a moved file)."""
        return HandlerFinder(self).unmatched(entries)

    def _reachability(self) -> dict[tuple[str, int], list[Handler]]:
        self.callgraph = CallGraph(self, dispatched=framework_dispatch, wrappers=framework_decorators)
        return self.callgraph.reach_by_handler(self.handlers)

    def _import_closure(self, roots: set) -> frozenset:
        """Handler modules and every project module they import, directly or not: the code that runs at init."""
        seen, queue = set(roots), deque(roots)
        while queue:
            path = queue.popleft()
            model = self.files[path]
            for imp in model.imports:
                if model.language.is_js:
                    target = self.resolve_js_module(path, imp.module)
                else:
                    target = self.resolve_py_module(path, imp.module, imp.level)
                    if target is None and imp.name:
                        joined = f"{imp.module}.{imp.name}" if imp.module else imp.name
                        target = self.resolve_py_module(path, joined, imp.level)
                if target is not None and target not in seen:
                    seen.add(target)
                    queue.append(target)
        return frozenset(seen)

    def in_lambda_scope(self, path: str, fid: Optional[int]) -> bool:
        """Whether code in function `fid` of `path` (None: module level) runs inside a Lambda invocation.

        With no handler in the project every function counts (a library used by
        Lambdas). Otherwise: functions a handler reaches, and the module-level code
        of handler modules and of the modules they import.
        """
        if not self.handlers:
            return True
        if fid is None:
            return path in self._handler_modules
        return (path, fid) in self._reached

    def handler_for(self, path: str, fid: Optional[int]) -> Optional[Handler]:
        """The handler that reaches function `fid` of `path`, if any."""
        if fid is None:
            return None
        reaching = self._reached.get((path, fid))
        return reaching[0] if reaching else None

    def handlers_for(self, path: str, fid: Optional[int]) -> list[Handler]:
        """Every handler that reaches function `fid` of `path` (handlers whose runtime does not wait first)."""
        if fid is None:
            return []
        return list(self._reached.get((path, fid), ()))


def _node_callback(model: FileModel, call: Call) -> bool:
    """`api.op(params, (err, data) => {...})`: the last argument is a sync function taking arguments."""
    if not call.args or call.args[-1].kind is not ArgKind.FUNCTION:
        return False
    callback = model.functions[call.args[-1].function]
    return not callback.is_async and bool(callback.params)


def _user_spellings(qualified: str) -> tuple[str, ...]:
    """How a user may write an external name in settings: `axios:get`, `axios.get`; `global:fetch`, `fetch`."""
    dotted = qualified.removeprefix("global:").rstrip(":").replace(":", ".")
    return (qualified, dotted)


def _absolute(path: str, cwd: str) -> str:
    """One spelling per file: display paths are relative below the working directory and absolute
    elsewhere, and a project may have both (a file named in a subfolder, the rest of its project above)."""
    full = path if os.path.isabs(path) else os.path.join(cwd, path)
    return posixpath.normpath(full.replace(os.sep, "/"))


def _module_suffixes(path: str) -> list[str]:
    norm = posixpath.normpath(path.replace(os.sep, "/"))
    parts = [p for p in norm.split("/") if p not in ("", ".", "..")]
    if not parts:
        return []
    stem = posixpath.splitext(parts[-1])[0]
    parts = parts[:-1] if stem == "__init__" else parts[:-1] + [stem]
    return [".".join(parts[i:]) for i in range(len(parts))]
