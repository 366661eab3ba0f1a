"""DF020 event-source-on-durable-function."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterator

from lambdalint.deploy.durable_handlers import is_durable_function
from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ProjectContext, ProjectRule

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@lru_cache(maxsize=1)
def _mapping_types() -> frozenset[str]:
    with resources.files("lambdalint.catalog").joinpath("deploy.toml").open("rb") as handle:
        return frozenset(tomllib.load(handle)["event_source_mappings"]["types"])


@register
class EventSourceOnDurableFunction(ProjectRule):
    """An event source mapping (SQS, Kinesis, DynamoDB, MQ, Kafka) attached to a durable function."""

    id = "DF020"
    name = "event-source-on-durable-function"
    severity = Severity.ERROR
    languages = frozenset(Language)

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        iac = getattr(ctx.index, "iac", None)
        if iac is None:
            return
        types = _mapping_types()
        for fn in iac.functions:
            mappings = [event for event in fn.events if event.type in types]
            if not mappings or not is_durable_function(ctx.index, iac, fn):
                continue
            for event in mappings:
                yield self.finding_at(event.path, event.span, (
                    f"`{event.name}` ({event.type}) invokes durable function `{fn.logical_id}` synchronously, so each "
                    "execution is capped at 15 minutes and longer waits fail. Fix: let an intermediary function "
                    "invoke it with `InvocationType: 'Event'` and a `DurableExecutionName`"))
