"""Which project file an import names: JS relative specifiers, TypeScript path aliases (`tsconfig`), packages
of the project's own workspace (`workspaces`) and Python modules, resolved the way Node, the TypeScript
bundlers and Python's import system would find them among the indexed files.

Answers depend on the importing folder only, so each is found once per folder.
"""
from __future__ import annotations

import os
import posixpath
from collections import defaultdict, deque
from typing import Callable, Optional

from lambdalint.model import FileModel, Language
from lambdalint.tsconfig import TsConfigs
from lambdalint.workspaces import Workspaces

_MISSING = object()
_NEVER_ALIASES = ("node:", "#", "/")   # built-ins, package-internal imports, absolute paths
JS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")


class ModuleResolver:
    def __init__(self, files: dict[str, FileModel], cwd: str, external: Callable[[str], bool] = lambda _n: False):
        """`external(package)`: a JS package the catalogue describes, never resolved into the workspace."""
        self.files = files
        self._cwd = cwd
        self._by_norm = {absolute(path, cwd): path for path in files}
        self._module_memo: dict[tuple, Optional[str]] = {}
        self._py_modules: dict[str, list[str]] = defaultdict(list)
        for path, model in files.items():
            if model.language is Language.PYTHON:
                for dotted in module_suffixes(absolute(path, cwd)):
                    self._py_modules[dotted].append(path)
        self._imported_from: Optional[dict[str, set]] = None
        self._tsconfigs = TsConfigs()
        self._workspaces = Workspaces(sorted({posixpath.dirname(absolute(path, cwd).replace(os.sep, "/"))
                                              for path, model in files.items() if model.language.is_js}),
                                      external)
        self._folders: dict[str, str] = {}

    def file(self, norm: str) -> Optional[str]:
        return self._by_norm.get(absolute(norm, self._cwd))

    def resolve_js_module(self, importer: str, specifier: str) -> Optional[str]:
        """An import specifier -> the project file it names (relative, or a TypeScript path alias), or None
        (a package)."""
        if specifier.startswith(_NEVER_ALIASES):
            return None
        folder = self._folders.get(importer)
        if folder is None:
            folder = self._folders[importer] = posixpath.dirname(importer.replace(os.sep, "/"))
        key = ("js", folder, specifier)  # the answer depends on the folder only: asked once per folder
        found = self._module_memo.get(key, _MISSING)
        if found is _MISSING:
            if specifier.startswith("."):
                found = self._resolve_js_module(folder, specifier)
            else:
                found = next((f for base in self._tsconfigs.for_folder(absolute(folder, self._cwd)).candidates(
                    specifier) if (f := self._resolve_js_module(folder, base))), None)
                if found is None:  # a package of the project's own workspace
                    found = next((f for base in self._workspaces.candidates(specifier)
                                  if (f := self._resolve_js_module(folder, base))), None)
            self._module_memo[key] = found
        return found

    def _resolve_js_module(self, folder: str, specifier: str) -> Optional[str]:
        base = posixpath.join(folder, specifier)
        stem, ext = posixpath.splitext(base)
        candidates = [base] if ext in JS_EXTENSIONS else []
        if ext in (".js", ".mjs", ".cjs", ".jsx"):
            candidates += [stem + e for e in (".ts", ".tsx", ".mts", ".cts")]
        candidates += [base + e for e in JS_EXTENSIONS]
        candidates += [posixpath.join(base, "index" + e) for e in JS_EXTENSIONS]
        for candidate in candidates:
            found = self.file(candidate)
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
            return self.file(target + ".py") or self.file(posixpath.join(target, "__init__.py")) or (
                self.file(target + ".pyi")
            )
        candidates = self._py_modules.get(module)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        importer_dir = posixpath.dirname(absolute(importer, self._cwd))
        return max(candidates, key=lambda c: len(
            posixpath.commonpath([importer_dir, posixpath.dirname(absolute(c, self._cwd))])))

    def imported_from(self, path: str) -> frozenset:
        """The names other project files import from module `path` (`*` when one takes the whole module).

        Only importers whose specifier resolves to `path` count: an unrelated package's `ready`
        does not settle this module's `ready`.
        """
        if self._imported_from is None:
            table: dict[str, set] = defaultdict(set)
            for importer, model in self.files.items():
                for imp in model.imports:
                    if imp.side_effect:
                        continue  # `import './setup'` takes no name from the module
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

    def import_closure(self, roots: set) -> frozenset:
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


def absolute(path: str, cwd: str) -> str:
    """One spelling per file: display paths are relative below the working directory and absolute
    elsewhere, and a project may have both (a file named in a subfolder, the rest of its project above)."""
    full = path if os.path.isabs(path) else os.path.join(cwd, path)
    return posixpath.normpath(full.replace(os.sep, "/"))


def module_suffixes(path: str) -> list[str]:
    norm = posixpath.normpath(path.replace(os.sep, "/"))
    parts = [p for p in norm.split("/") if p not in ("", ".", "..")]
    if not parts:
        return []
    stem = posixpath.splitext(parts[-1])[0]
    parts = parts[:-1] if stem == "__init__" else parts[:-1] + [stem]
    return [".".join(parts[i:]) for i in range(len(parts))]
