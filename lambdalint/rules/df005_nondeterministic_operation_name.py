"""DF005 nondeterministic-operation-name."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.apis import api, call_text
from lambdalint.durable.facts import NONDETERMINISTIC, TAINT_SOURCES, file_facts, taint_of, within
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule


@register
class NondeterministicOperationName(Rule):
    """An operation name built from a clock, random or I/O value differs on replay and fails the execution."""

    id = "DF005"
    name = "nondeterministic-operation-name"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        model = ctx.file
        facts = file_facts(ctx.index, model)
        namers_done: set = set()
        for call, op in facts.ops:
            name = op.name_arg
            if name is not None and name.span is not None:
                source = taint_of(ctx.index, model, call.function, name.span, TAINT_SOURCES)
                if source is not None:
                    yield self.finding(ctx, name.span, self._message(op.method, source.text, "name"),
                                       handler=ctx.handler_name(call.function))
            for path, fid, role in op.config_callbacks:
                if role != "name" or path != model.path or fid in namers_done:
                    continue
                namers_done.add(fid)
                namer = model.functions[fid]
                for inner in model.calls:
                    if inner.function is None or not within(inner.span, namer.span):
                        continue
                    if any(api(ctx.index, model, inner, c) is not None for c in NONDETERMINISTIC):
                        yield self.finding(ctx, inner.span, self._message(op.method, call_text(inner), "itemNamer"),
                                           handler=ctx.handler_name(call.function))

    @staticmethod
    def _message(method: str, source: str, what: str) -> str:
        where = "name" if what == "name" else "item names"
        return (f"the `{method}` operation's {where} depend on {source}: on replay the name differs from the "
                "checkpoint and the execution fails with NonDeterministicExecutionError. "
                "Fix: build names from the input or a loop index").replace("name depend ", "name depends ")
