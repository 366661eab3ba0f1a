"""Which API categories the calls of a file can name at all.

A rule that reports only calls of one category asks `may_call` once per file
instead of asking the index about every call: a file whose calls resolve to no
API of the category cannot hold what the rule looks for. It is a necessary
condition only (the entry's call-shape checks are still the rule's per call).
When the project names none of the category's packages, or no name of them can
reach the file (`packages`), the file is not resolved to know it.
"""
from __future__ import annotations

from lambdalint.model import FileModel
from lambdalint.packages import category_packages, may_be_named, may_reach


def call_names(index, model: FileModel) -> frozenset:
    """The qualified names the file's calls resolve to (external APIs; project code has none)."""
    table = index.derived("file_api_names", lambda _ix: {})
    names = table.get(model.path)
    if names is None:
        found = (index.qualified(index.resolve_callee(model, call)) for call in model.calls)
        names = table[model.path] = frozenset(name for name in found if name)
    return names


def may_call(index, model: FileModel, category: str) -> bool:
    """Whether some call of the file can be an API of `category` (False: none is)."""
    table = index.derived("file_api_categories", lambda _ix: {})
    key = (model.path, category)
    found = table.get(key)
    if found is None:
        is_js = model.language.is_js
        found = table[key] = (
            may_be_named(index, category, is_js)
            and may_reach(index, model, _packages(index, category, is_js))
            and any(index.category_entry(category, is_js, name) is not None for name in call_names(index, model)))
    return found


def _packages(index, category: str, is_js: bool):
    table = index.derived("category_packages", lambda _ix: {})
    key = (category, is_js)
    if key not in table:
        table[key] = category_packages(index.catalog.categories, category, is_js)
    return table[key]
