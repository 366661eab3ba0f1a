"""Which external packages a project names at all, and which packages a catalogue category's APIs
come from: an API of a package no file of the project imports, re-exports or `require`s cannot be
what any call resolves to, so a file need not be resolved to know it calls none.

The same holds file by file: a call can only resolve to a package's API when the file names that
package or takes names (imports, re-exports, `require`s), directly or not, from a project file that
does (`reached_packages`).

Names that need no import (JS `global:…`, Python builtins and undotted names) and entries whose
package is a pattern give no such answer: for those every file is asked as before.
"""
from __future__ import annotations

import builtins
from typing import Optional

from lambdalint.model import ArgKind, FileModel

_BUILTINS = frozenset(dir(builtins))
ANY = "*"  # in `named_packages`: a star import may bring any module's name along (`from pkg import *`)


def package_of(module: str, is_js: bool) -> str:
    """`@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`, `node:fs` -> `fs`; Python `pkg.mod` -> `pkg`."""
    if not is_js:
        return module.split(".", 1)[0]
    module = module.removeprefix("node:")
    parts = module.split("/")
    return "/".join(parts[:2]) if module.startswith("@") else parts[0]


def named_packages(index, is_js: bool) -> frozenset:
    """The packages the project's files of one language import, re-export or `require` (level-0 imports);
    `ANY` among them when a Python file star-imports a module."""
    return index.derived(f"named_packages:{is_js}", lambda ix: _named(ix, is_js))


def category_packages(categories, category: str, is_js: bool) -> Optional[frozenset]:
    """The packages `category`'s APIs come from, or None when one of them needs no import."""
    found = set()
    for name in categories.written(category, is_js):
        if is_js:
            module, colon, _rest = name.partition(":")
            if not colon or module == "global":
                return None
        else:
            module = name
            if "." not in name:
                return None
        root = package_of(module, is_js)
        if not root or root in _BUILTINS or any(ch in root for ch in "*?["):
            return None
        found.add(root)
    return frozenset(found)


def may_be_named(index, category: str, is_js: bool) -> bool:
    """False when no file of the project (in that language) names a package `category`'s APIs come from."""
    table = index.derived("category_named", lambda _ix: {})
    key = (category, is_js)
    found = table.get(key)
    if found is None:
        packages = category_packages(index.catalog.categories, category, is_js)
        named = named_packages(index, is_js)
        found = table[key] = packages is None or ANY in named or not packages.isdisjoint(named)
    return found


def may_reach(index, model: FileModel, packages: Optional[frozenset]) -> bool:
    """False when no name of one of `packages` can reach the file (None: any package may)."""
    if packages is None:
        return True
    reached = reached_packages(index, model)
    return ANY in reached or not packages.isdisjoint(reached)


def reached_packages(index, model: FileModel) -> frozenset:
    """The packages whose names can reach `model`: those it names and those of every project file it
    takes names from, directly or not (and the packages their APIs give instances of); `ANY` when a
    Python file among them star-imports a module."""
    return index.derived("reached_packages", _reached_by_file).get(model.path, frozenset())


def _reached_by_file(index) -> dict[str, frozenset]:
    """Every file's reached packages, over the strongly connected parts of the import graph (modules
    that import each other reach the same packages), each part once."""
    own = {path: _own_packages(model) for path, model in index.files.items()}
    edges = {path: _sources(index, model) for path, model in index.files.items()}
    reached: dict[str, frozenset] = {}
    expanded: dict[frozenset, frozenset] = {}
    for part in _strong_parts(edges):  # dependencies first
        found = set()
        for path in part:
            found |= own[path]
            for target in edges[path]:
                if target not in part:
                    found |= reached[target]
        key = frozenset(found)
        if key not in expanded:
            is_js = index.files[part[0]].language.is_js
            expanded[key] = frozenset(_with_returned(index, set(key), is_js))
        for path in part:
            reached[path] = expanded[key]
    return reached


def _own_packages(model: FileModel) -> frozenset:
    is_js = model.language.is_js
    found = {package_of(imp.module, is_js) for imp in model.imports
             if imp.module and not imp.level and not (is_js and imp.module.startswith("."))}
    if is_js:
        found.update(package_of(module, True) for module in js_sources(model) if not module.startswith("."))
    elif any(imp.name == ANY for imp in model.imports):
        found.add(ANY)
    return frozenset(found)


def _sources(index, model: FileModel) -> set:
    """The project files `model` takes names from (a superset: Python packages above a module too)."""
    path, targets = model.path, set()
    if model.language.is_js:
        for module in [imp.module for imp in model.imports if imp.module] + list(js_sources(model)):
            targets.add(index.resolve_js_module(path, module))
    else:
        for imp in model.imports:
            dotted = [imp.module] if imp.module or imp.level else []
            if imp.name and imp.name != ANY:
                dotted.append(f"{imp.module}.{imp.name}" if imp.module else imp.name)
            for module in list(dotted):
                parts = module.split(".")
                dotted.extend(".".join(parts[:k]) for k in range(1, len(parts)))
            targets.update(index.resolve_py_module(path, module, imp.level) for module in dotted)
    targets.discard(None)
    targets.discard(path)
    return {t for t in targets if t in index.files}


def _strong_parts(edges: dict[str, set]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively; each component after those it depends on."""
    order, low, on_stack, stack, parts = {}, {}, set(), [], []
    for start in edges:
        if start in order:
            continue
        work = [(start, iter(edges[start]))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in order:
                    order[child] = low[child] = len(order)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], order[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    part = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        part.append(member)
                        if member == node:
                            break
                    parts.append(part)
    return parts


def _with_returned(index, found: set, is_js: bool) -> set:
    """What a named package's calls give back may be an instance of another package's class."""
    returns = index.catalog.js_returns if is_js else index.catalog.py_returns
    pending = True
    while pending:
        more = {package_of(_module_part(value, is_js), is_js) for key, value in returns.items()
                if package_of(_module_part(key, is_js), is_js) in found}
        pending = not more <= found
        found |= more
    return found


def _named(index, is_js: bool) -> frozenset:
    found = set()
    for model in index.files.values():
        if model.language.is_js is not is_js:
            continue
        found.update(package_of(imp.module, is_js) for imp in model.imports if imp.module and not imp.level)
        if not is_js and any(imp.name == ANY for imp in model.imports):
            found.add(ANY)
        if is_js:
            found.update(package_of(module, True) for module in js_sources(model))
    return frozenset(_with_returned(index, found, is_js))


def _module_part(qualified: str, is_js: bool) -> str:
    return qualified.partition(":")[0] if is_js else qualified


def js_sources(model: FileModel):
    """The modules a JS/TS file takes names from besides `import`: `export … from "m"` and `require("m")`."""
    for ex in model.exports:
        if ex.source:
            yield ex.source
    for call in model.calls:
        if call.callee == "require" and call.args and call.args[0].kind is ArgKind.STRING:
            yield str(call.args[0].value)


def catalogued_js_packages(catalog) -> tuple[frozenset, tuple[str, ...]]:
    """The JS packages the catalogue describes (exact roots, and patterns such as `@aws-sdk/client-*`):
    their API is what the catalogue says, even where their source is part of the project."""
    written: list[str] = [*catalog.js_functions.exact, *catalog.js_functions.globs, *catalog.js_returns,
                          *catalog.durable_wrappers]
    for table in (catalog.js_methods, catalog.js_constructed_methods):
        written += [pattern for pattern, _methods in table.table]
    categories = catalog.categories
    for category in sorted(categories.names):
        written += categories.written(category, True)
    roots = {package_of(name.partition(":")[0], True) for name in written if ":" in name}
    roots -= {"global", ""}
    exact = frozenset(r for r in roots if not any(ch in r for ch in "*?["))
    return exact, tuple(sorted(roots - exact))
