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

from lambdalint.packages import ANY, category_packages, may_reach, named_packages

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
        if not is_js and holds_sdk_source(index, wanted):
            return True
    return False


def holds_sdk_source(index, packages: frozenset) -> bool:
    """The SDK's own source, vendored or its repository: its modules may import each other relatively."""
    return any(part in packages for path, model in index.files.items() if not model.language.is_js
               for part in path.replace("\\", "/").split("/"))


def may_seed_durable_code(index, model) -> bool:
    """Whether an SDK name can reach the file at all (see `packages.reached_packages`): a file none can
    reach holds no durable handler, body decorator or context-typed parameter of its own (it may still
    be called from one: that is followed from the callers)."""
    return index.derived("durable_seed_files", _seed_files)(model)


def _seed_files(index):
    categories = index.catalog.categories
    wanted = {}
    for is_js in (False, True):
        packages = [category_packages(categories, category, is_js) for category in SEED_CATEGORIES]
        wanted[is_js] = None if any(p is None for p in packages) else frozenset().union(*packages)
    if wanted[False] is None or holds_sdk_source(index, wanted[False]):
        wanted[False] = None  # no shortcut for Python files
    return lambda model: may_reach(index, model, wanted[model.language.is_js])
