"""Can a project hold durable code at all? Asked before the durable scope is built.

Durable code starts at an SDK name: a handler wrapper, a body decorator or the
context type. Such a name reaches a file only from the SDK's package named
somewhere in the project (`import`, `export … from`, `require`; a project
module that re-exports it passes it on), or, in Python, from the SDK's own
source kept in the project. So a
project none of whose files imports or holds those packages has no durable
code, and the scope is not built: building it resolves every call of the
project, which a run over one file would otherwise pay for.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ArgKind, FileModel

SEED_CATEGORIES = ("durable_handler", "durable_decorator", "durable_context_type")


def may_hold_durable_code(index) -> bool:
    roots = {is_js: _package_roots(index.catalog.categories, is_js) for is_js in (False, True)}
    if roots[False] is None or roots[True] is None:
        return True  # a pattern without a fixed package: no shortcut
    for path, model in index.files.items():
        is_js = model.language.is_js
        wanted = roots[is_js]
        if any(_package(imp.module, is_js) in wanted for imp in model.imports if imp.module):
            return True
        if is_js and any(_package(module, True) in wanted for module in _js_sources(model)):
            return True
        if not is_js and any(part in wanted for part in path.replace("\\", "/").split("/")):
            return True  # the SDK's own source, vendored or its repository
    return False


def _package_roots(categories, is_js: bool) -> Optional[set]:
    roots = set()
    for category in SEED_CATEGORIES:
        for name in categories.written(category, is_js):
            module = name.split(":", 1)[0] if is_js else name
            root = _package(module, is_js)
            if not root or any(ch in root for ch in "*?["):
                return None
            roots.add(root)
    return roots


def _package(module: str, is_js: bool) -> str:
    """`@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`; Python `pkg.mod` -> `pkg`."""
    if not is_js:
        return module.split(".", 1)[0]
    module = module.removeprefix("node:")
    parts = module.split("/")
    return "/".join(parts[:2]) if module.startswith("@") else parts[0]


def _js_sources(model: FileModel):
    """The modules a JS/TS file takes names from besides `import`: `export … from "m"` and `require("m")`."""
    for ex in model.exports:
        if ex.source:
            yield ex.source
    for call in model.calls:
        if call.callee == "require" and call.args and call.args[0].kind is ArgKind.STRING:
            yield str(call.args[0].value)
