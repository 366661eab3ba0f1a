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

import fnmatch
import os
from functools import cached_property
from typing import Iterable, Optional

from lambdalint.async_resolution import AsyncKind, AsyncResolution
from lambdalint.catalog import Catalog
from lambdalint.callgraph import CallGraph
from lambdalint.file_scopes import FileScopes
from lambdalint.frameworks import decorators_reached as framework_decorators
from lambdalint.frameworks import dispatched as framework_dispatch
from lambdalint.handlers import Handler, HandlerFinder
from lambdalint.iac.providers import other_cloud
from lambdalint.model import Call, FileModel, Language
from lambdalint.modules import ModuleResolver
from lambdalint.packages import catalogued_js_packages
from lambdalint.resolution import NameResolution
from lambdalint.refs import Ref

__all__ = ["AsyncKind", "ProjectIndex", "Ref"]

_MISSING = object()


class ProjectIndex(NameResolution, AsyncResolution):
    """Catalogue categories and handlers here; name resolution in `resolution`, async-ness in
    `async_resolution`, module lookups in `modules`, per-file symbol tables in `file_scopes`."""

    def __init__(self, models: Iterable[FileModel], catalog: Catalog, handler_names: Iterable[str] = (), iac=None):
        self.catalog = catalog
        self.iac = iac  # the IaC reader's `IacProject` (functions, runtimes, layers), or None
        self.files: dict[str, FileModel] = {}
        for model in models:
            self.files[model.path] = model
        self.modules = ModuleResolver(self.files, os.getcwd(), external=self._catalogued_package)
        self._scopes: dict[str, FileScopes] = {}
        self._api_memo: dict[tuple, object] = {}
        self._category_memo: dict[tuple, object] = {}
        self._derived: dict[str, object] = {}
        self._callee_memo: dict[tuple[str, int], Optional[Ref]] = {}
        self._async_memo: dict[tuple[str, int], Optional[AsyncKind]] = {}
        self._returns_memo: dict[tuple[str, int], bool] = {}
        self._export_memo: dict[tuple[str, str], Optional[Ref]] = {}
        self._result_memo: dict[tuple[str, int], Optional[Ref]] = {}
        self._depth = 0
        # Order independence: an answer that met a recursion guard or the depth cap depends on what was
        # being resolved when it was asked, so only complete answers are memoised for good; the others
        # live until the outermost query ends.
        self._in_progress: set = set()
        self._incomplete = 0
        self._active = 0
        self._provisional: dict = {}
        self._extra_handler_names = tuple(handler_names)
        self.handlers: list[Handler] = HandlerFinder(self).find(self._extra_handler_names)
        # Handlers whose function is a library's (see `HandlerFinder.opaque_modules`): known by their module.
        self.opaque_handler_modules = HandlerFinder(self).opaque_modules(self._extra_handler_names)

    def _catalogued_package(self, name: str) -> bool:
        exact, patterns = self.derived("catalogued_js_packages", lambda ix: catalogued_js_packages(ix.catalog))
        return name in exact or any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)

    def derived(self, key: str, build):
        """A structure built once per run from this index (`build(index)`), e.g. the project's listeners."""
        found = self._derived.get(key, _MISSING)
        if found is _MISSING:
            found = self._derived[key] = build(self)
        return found

    # ----------------------------------------------------------------- files
    def scopes(self, path: str) -> FileScopes:
        scopes = self._scopes.get(path)
        if scopes is None:
            scopes = self._scopes[path] = FileScopes(self.files[path])
        return scopes

    def resolve_js_module(self, importer: str, specifier: str) -> Optional[str]:
        """A relative import specifier -> the project file it names, or None (a package)."""
        return self.modules.resolve_js_module(importer, specifier)

    def resolve_py_module(self, importer: str, module: str, level: int) -> Optional[str]:
        """A Python module (relative with `level` dots) -> the project file it names, or None."""
        return self.modules.resolve_py_module(importer, module, level)

    def imported_from(self, path: str) -> frozenset:
        """The names other project files import from module `path` (see `ModuleResolver.imported_from`)."""
        return self.modules.imported_from(path)

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

    # ------------------------------------------------------------- handlers
    def unmatched_handler_names(self, entries: Iterable[str]) -> list[str]:
        """Entries of the `handlers` setting that name no function in the indexed files (a typo, a moved file)."""
        return HandlerFinder(self).unmatched(entries)

    # What the handlers reach is built on first use: an index built only to read CDK apps' props (and then
    # built again with the handlers they name) never needs it.
    @cached_property
    def callgraph(self) -> CallGraph:
        return CallGraph(self, dispatched=framework_dispatch, wrappers=framework_decorators)

    @cached_property
    def _reached(self) -> dict[tuple[str, int], list[Handler]]:
        return self.callgraph.reach_by_handler(self.handlers)

    @cached_property
    def _handler_modules(self) -> frozenset:
        return self.modules.import_closure({h.path for h in self.handlers} | self.opaque_handler_modules)

    @cached_property
    def _opaque_closure(self) -> frozenset:
        """The modules a library's handler loads: the library may call any function they define."""
        return self.modules.import_closure(set(self.opaque_handler_modules))


    def in_lambda_scope(self, path: str, fid: Optional[int]) -> bool:
        """Whether code in function `fid` of `path` (None: module level) runs inside a Lambda invocation.

        With no handler in the project every function counts (a library used by
        Lambdas). Otherwise: functions a handler reaches, and the module-level code
        of handler modules and of the modules they import; for a handler that is a
        library's function (`opaque_handler_modules`), every function of the modules
        its module loads.
        """
        if self.other_cloud(path):
            return False
        if not self.handlers and not self.opaque_handler_modules:
            return True
        if fid is None:
            return path in self._handler_modules
        return (path, fid) in self._reached or path in self._opaque_closure

    def other_cloud(self, path: str) -> Optional[str]:
        """The provider (`google`, `azure`…) when `path` is code of a Serverless Framework service for another
        cloud that no Lambda handler imports (see `iac.providers`): no Lambda rule judges it. None otherwise."""
        if self.iac is None or not self.iac.other_clouds or path in self._handler_modules:
            return None
        return other_cloud(self.iac, path)

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
