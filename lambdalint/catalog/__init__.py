"""Loads the API catalogues (TOML data beside this file) into fast lookups.

Rules never hard-code API names; they ask a `Catalog`. Users extend it with
the `async-apis` and `safe-calls` settings.
"""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Optional

from lambdalint.catalog.categories import Categories, default_categories

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class Patterns:
    """A set of shell-style patterns, with `!pattern` exclusions, matched against names."""

    def __init__(self, patterns: Iterable[str]):
        self.exact: set[str] = set()
        self.globs: list[str] = []
        self.excluded: set[str] = set()
        for pattern in patterns:
            if pattern.startswith("!"):
                self.excluded.add(pattern[1:])
            elif any(ch in pattern for ch in "*?["):
                self.globs.append(pattern)
            else:
                self.exact.add(pattern)

    def __contains__(self, name: str) -> bool:
        if name in self.excluded:
            return False
        return name in self.exact or any(fnmatch.fnmatchcase(name, g) for g in self.globs)


@dataclass
class ClassMethods:
    """Methods of instances of classes matched by a pattern (`module:Class` or `pkg.Class`)."""

    table: list[tuple[str, Patterns]] = field(default_factory=list)

    def has(self, class_name: str, method: str) -> bool:
        for pattern, methods in self.table:
            if fnmatch.fnmatchcase(class_name, pattern) and method in methods:
                return True
        return False


@dataclass
class Catalog:
    py_coroutines: Patterns
    py_tasks: Patterns
    py_futures: Patterns
    py_methods: ClassMethods
    py_task_methods: ClassMethods
    py_returns: dict[str, str]
    js_functions: Patterns
    js_methods: ClassMethods
    js_constructed_methods: ClassMethods
    js_returns: dict[str, str]
    store_methods: frozenset[str]
    passthrough_calls: frozenset[str]
    promise_chain: frozenset[str]
    inspecting_methods: frozenset[str]
    inspecting_calls: Patterns
    ignore_result_callbacks: frozenset[str]
    collect_result_callbacks: dict[str, int]
    collect_result_static: dict[str, int]
    collect_result_python: dict[str, int]
    test_safe_calls: Patterns
    py_async_annotations: frozenset[str] = frozenset()
    handler_python_names: frozenset[str] = frozenset()
    handler_js_exports: frozenset[str] = frozenset()
    handler_decorators: frozenset[str] = frozenset()
    durable_wrappers: frozenset[str] = frozenset()
    promise_statics: frozenset[str] = frozenset()
    sdk_command_suffix: str = "Command"
    loop_receivers: frozenset[str] = frozenset()
    user_async: Patterns = field(default_factory=lambda: Patterns(()))
    user_safe: Patterns = field(default_factory=lambda: Patterns(()))
    categories: Categories = field(default_factory=default_categories)

    def with_user_settings(self, async_apis: Iterable[str], safe_calls: Iterable[str],
                           apis: Optional[Mapping[str, Iterable[str]]] = None) -> "Catalog":
        """A copy extended by the `async-apis`, `safe-calls` and `apis` settings."""
        clone = Catalog(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        clone.user_async = Patterns(async_apis)
        clone.user_safe = Patterns(safe_calls)
        if apis:
            clone.categories = self.categories.extended(apis)
        return clone

    def returns_instance(self, qualified: str, python: bool) -> Optional[str]:
        return (self.py_returns if python else self.js_returns).get(qualified)


def _read(name: str) -> dict:
    with resources.files(__package__).joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


def _class_methods(table: dict) -> ClassMethods:
    return ClassMethods([(pattern, Patterns(methods)) for pattern, methods in table.items()])


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    apis = _read("async_apis.toml")
    sem = _read("semantics.toml")
    py, js = apis["python"], apis["javascript"]
    return Catalog(
        py_coroutines=Patterns(py["coroutines"]),
        py_tasks=Patterns(py["tasks"]),
        py_futures=Patterns(py["futures"]),
        py_methods=_class_methods(py["methods"]),
        py_task_methods=_class_methods(py["task_methods"]),
        py_returns=dict(py["returns"]),
        js_functions=Patterns(js["functions"]),
        js_methods=_class_methods(js["methods"]),
        js_constructed_methods=_class_methods(js["constructed_methods"]),
        js_returns=dict(js["returns"]),
        store_methods=frozenset(sem["holders"]["store_methods"]),
        passthrough_calls=frozenset(sem["holders"]["passthrough_calls"]),
        promise_chain=frozenset(sem["chains"]["promise_chain"]),
        inspecting_methods=frozenset(sem["chains"]["inspecting_methods"]),
        inspecting_calls=Patterns(sem["chains"]["inspecting_calls"]),
        ignore_result_callbacks=frozenset(sem["callbacks"]["ignore_result"]),
        collect_result_callbacks=dict(sem["callbacks"]["collect_result"]),
        collect_result_static=dict(sem["callbacks"]["collect_result_static"]),
        collect_result_python=dict(sem["callbacks"]["collect_result_python"]),
        test_safe_calls=Patterns(sem["tests"]["safe_calls"]),
        py_async_annotations=frozenset(py["async_annotations"]),
        handler_python_names=frozenset(sem["handlers"]["python_names"]),
        handler_js_exports=frozenset(sem["handlers"]["js_exports"]),
        handler_decorators=frozenset(sem["handlers"]["decorators"]),
        durable_wrappers=frozenset(sem["handlers"]["durable_wrappers"]),
        promise_statics=frozenset(sem["shapes"]["promise_statics"]),
        sdk_command_suffix=sem["shapes"]["sdk_command_suffix"],
        loop_receivers=frozenset(sem["shapes"]["loop_receivers"]),
    )
