"""The rule registry: every rule class, in id order."""
from __future__ import annotations

from lambdalint.rules.base import Context, Rule

ALL_RULES: list[type[Rule]] = []


def register(rule: type[Rule]) -> type[Rule]:
    ALL_RULES.append(rule)
    ALL_RULES.sort(key=lambda r: r.id)
    return rule


def _load() -> None:
    # Importing the rule modules registers them.
    from lambdalint.rules import (  # noqa: F401
        ff001_unawaited_async_call,
        ff002_async_result_dropped,
        ff003_async_callback_not_awaited,
        ff005_dangling_task,
    )


_load()

__all__ = ["ALL_RULES", "Context", "Rule", "register"]
