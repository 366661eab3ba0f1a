"""DF007 unordered-iteration-drives-operations."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.apis import api
from lambdalint.durable.facts import governs_operations, where
from lambdalint.durable.scope import durable_scope
from lambdalint.model import FileModel, GoverningTest, Finding, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule

_SET_TYPES = ("set", "frozenset", "Set", "FrozenSet", "AbstractSet", "typing.Set", "typing.FrozenSet",
              "typing.AbstractSet", "collections.abc.Set")


@register
class UnorderedIterationDrivesOperations(Rule):
    """Iterating a set to issue durable operations gives them a different order in another process."""

    id = "DF007"
    name = "unordered-iteration-drives-operations"
    severity = Severity.WARNING
    languages = PYTHON_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        model = ctx.file
        scope = durable_scope(ctx.index)
        for condition in model.conditions:
            fid = condition.function
            if condition.kind != "iterate" or fid is None or scope.kind_of(model.path, fid) is None:
                continue
            what = self._set(ctx, model, condition)
            if what is None or not governs_operations(ctx.index, model, fid, condition.test, condition.body):
                continue
            message = (f"the loop iterates {what} {where(ctx.index, model.path, fid)} and issues durable operations: "
                       "set order changes with string hashing per process, so a replay meets operations in another "
                       "order and fails. Fix: iterate `sorted(…)`")
            yield self.finding(ctx, condition.test, message, handler=ctx.handler_name(fid))

    def _set(self, ctx: Context, model: FileModel, condition: GoverningTest) -> Optional[str]:
        if condition.set_literal:
            return "a set"
        for call in model.calls:
            if call.span == condition.test and call.disposition.use is Use.ITERATED:
                return "a set" if api(ctx.index, model, call, "unordered_collection") is not None else None
        name = condition.iter_name
        if not name or "." in name:
            return None
        symbol = ctx.index.scopes(model.path).lookup(condition.function, name)
        if symbol is None or symbol[0] != "binding":
            return None
        binding = symbol[1]
        if _is_set_type(binding.type_name):
            return f"the set `{name}`"
        if binding.value_call is not None and api(ctx.index, model, model.calls[binding.value_call],
                                                  "unordered_collection") is not None:
            return f"the set `{name}`"
        return None


def _is_set_type(text: Optional[str]) -> bool:
    if not text:
        return False
    base = text.split("[", 1)[0].strip()
    return base in _SET_TYPES
