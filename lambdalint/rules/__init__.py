"""The rule registry: every rule class, in id order.

A rule module registers itself with `@register`; every module of this package
whose name starts with a rule id (`ff001_…`, `rt004_…`) is imported here, so
adding a rule is adding one file.
"""
from __future__ import annotations

import importlib
import pkgutil
import re

from lambdalint.rules.base import Context, ProjectContext, ProjectRule, Rule

ALL_RULES: list[type[Rule]] = []
_RULE_MODULE = re.compile(r"^[a-z]{2}\d{3}_")


def register(rule: type[Rule]) -> type[Rule]:
    ALL_RULES.append(rule)
    ALL_RULES.sort(key=lambda r: r.id)
    return rule


def _load() -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if _RULE_MODULE.match(module.name):
            importlib.import_module(f"{__name__}.{module.name}")


_load()

__all__ = ["ALL_RULES", "Context", "ProjectContext", "ProjectRule", "Rule", "register"]
