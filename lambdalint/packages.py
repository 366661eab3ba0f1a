"""Which external packages a project names at all, and which packages a catalogue category's APIs
come from: an API of a package no file of the project imports, re-exports or `require`s cannot be
what any call resolves to, so a file need not be resolved to know it calls none.

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
    # What a named package's calls give back may be an instance of another package's class.
    returns = index.catalog.js_returns if is_js else index.catalog.py_returns
    pending = True
    while pending:
        more = {package_of(_module_part(value, is_js), is_js) for key, value in returns.items()
                if package_of(_module_part(key, is_js), is_js) in found}
        pending = not more <= found
        found |= more
    return frozenset(found)


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
