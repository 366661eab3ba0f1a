"""Can a project hold durable code at all? Asked before the durable scope is built.

Durable code starts at an SDK name: a handler wrapper, a body decorator or the
context type. Such a name reaches a file only from the SDK's package named
somewhere in the project (`import`, `export … from`, `require`; a project
module that re-exports it passes it on), or, in Python, from the SDK's own
source kept in the project. So a project none of whose files names or holds
those packages has no durable code, and the scope is not built: building it
resolves every call of the project, which a run over one file would otherwise
pay for.
"""
from __future__ import annotations

from lambdalint.packages import ANY, category_packages, named_packages

SEED_CATEGORIES = ("durable_handler", "durable_decorator", "durable_context_type")


def may_hold_durable_code(index) -> bool:
    categories = index.catalog.categories
    for is_js in (False, True):
        packages = [category_packages(categories, category, is_js) for category in SEED_CATEGORIES]
        if any(p is None for p in packages):
            return True  # an entry without a fixed package: no shortcut
        wanted = frozenset().union(*packages)
        named = named_packages(index, is_js)
        if ANY in named or not wanted.isdisjoint(named):
            return True
        if not is_js and any(part in wanted for path, model in index.files.items() if not model.language.is_js
                             for part in path.replace("\\", "/").split("/")):
            return True  # the SDK's own source, vendored or its repository
    return False
