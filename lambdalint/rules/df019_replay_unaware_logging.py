"""DF019 replay-unaware-logging."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.apis import call_text
from lambdalint.durable.facts import context_name, orchestration_calls, where
from lambdalint.durable.scope import durable_scope
from lambdalint.model import Call, ExitKind, Finding, RegionKind, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_OPERATION_PREFIX = "DurableContext#"


@register
class ReplayUnawareLogging(Rule):
    """A plain logger in orchestration code writes the same line again on every replay."""

    id = "DF019"
    name = "replay-unaware-logging"
    severity = Severity.INFO
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call, _ in orchestration_calls(ctx, ("logger",)):
            if _replay_guarded(ctx, call):
                continue
            name = context_name(ctx.index, ctx.file, call.function)
            message = (f"{call_text(call)} logs {where(ctx.index, ctx.file.path, call.function)}, which re-runs on "
                       "every replay, so the line is written again each time. "
                       f"Fix: log with `{name}.logger`, which skips replayed code")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))


def _replay_guarded(ctx: Context, call: Call) -> bool:
    """`if not context.is_replaying(): print(…)`, or after `if context.is_replaying(): return …`: the line
    is written on the first run only."""
    model = ctx.file
    contexts = durable_scope(ctx.index).context_names(model.path, call.function)
    chain = []
    region_id = call.region
    while region_id is not None:
        region = model.regions[region_id]
        chain.append(region_id)
        if _replay_test(ctx, region, contexts) is True:
            return True
        region_id = region.parent
    chain.append(None)
    for construct in model.constructs:
        if construct.function != call.function or construct.region not in chain or \
                not (construct.span.end_line, construct.span.end_column) < (call.span.line, call.span.column):
            continue
        for arm in construct.regions:
            region = model.regions[arm]
            if _replay_test(ctx, region, contexts) is False and any(
                    e.region == arm and e.kind in (ExitKind.RETURN, ExitKind.RAISE) for e in model.exits):
                return True
    return False


def _replay_test(ctx: Context, region, contexts) -> Optional[bool]:
    """For an `if` arm testing `<context>.is_replaying()`: True when negated (`not …`), False when not;
    None for any other region."""
    condition = region.condition
    if region.kind is not RegionKind.THEN or condition is None or len(condition.calls) != 1:
        return None
    model = ctx.file
    check = model.calls[condition.calls[0]]
    root, _, member = (check.receiver or "").partition(".")
    if root not in contexts or member or ctx.index.catalog.categories.first(
            "replay_check", model.language.is_js, _OPERATION_PREFIX + check.method) is None:
        return None
    same_end = (condition.span.end_line, condition.span.end_column) == (check.span.end_line, check.span.end_column)
    if not same_end:
        return None
    if condition.span.before(check.span):
        return True
    return False if (condition.span.line, condition.span.column) == (check.span.line, check.span.column) else None
