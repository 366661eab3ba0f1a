"""DF007 unordered-iteration-drives-operations."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.apis import api
from lambdalint.durable.facts import durable_calls, governing, where
from lambdalint.model import Call, Condition, FileModel, Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule

_SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
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
        reported = set()
        for call in durable_calls(ctx.index, model):
            for found, fid in governing(ctx.index, model, call):
                condition = found.condition
                if found.role != "iterated" or condition.span in reported:
                    continue
                what = self._set(ctx, model, fid, condition)
                if what is None:
                    continue
                reported.add(condition.span)
                message = (f"the loop iterates {what} {where(ctx.index, model.path, fid)} and issues durable "
                           "operations: set order changes with string hashing per process, so a replay meets "
                           "operations in another order and fails. Fix: iterate `sorted(…)`")
                yield self.finding(ctx, condition.span, message, handler=ctx.handler_name(fid))

    def _set(self, ctx: Context, model: FileModel, fid: int, condition: Condition) -> Optional[str]:
        if condition.set_display:
            return "a set"
        for cid in condition.calls:
            call = model.calls[cid]
            if call.span == condition.span:
                return "a set" if _makes_set(ctx, model, call) else None
            if call.span in condition.set_operands and _makes_set(ctx, model, call):
                return "a set"  # `set(a) | b`: an operator with a set operand gives a set
        if condition.calls or len(condition.names) != 1 or "." in condition.names[0]:
            return None
        name = condition.names[0]
        symbol = ctx.index.scopes(model.path).lookup(fid, name)
        if symbol is None or symbol[0] != "binding":
            return None
        binding = symbol[1]
        if _is_set_type(binding.type_name):
            return f"the set `{name}`"
        if binding.value_call is not None and api(ctx.index, model, model.calls[binding.value_call],
                                                  "unordered_collection") is not None:
            return f"the set `{name}`"
        return None


def _makes_set(ctx: Context, model: FileModel, call: Call) -> bool:
    """`set(…)`, `frozenset(…)`, and set methods that give a new set: `set(a).union(b)`."""
    if api(ctx.index, model, call, "unordered_collection") is not None:
        return True
    return (call.method in _SET_METHODS and call.receiver_call is not None
            and _makes_set(ctx, model, model.calls[call.receiver_call]))


def _is_set_type(text: Optional[str]) -> bool:
    if not text:
        return False
    return text.split("[", 1)[0].strip() in _SET_TYPES
