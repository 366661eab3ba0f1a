"""Durable functions: the scope model (which code replays, which runs in a step) and what the DF rules share."""
from lambdalint.durable.scope import DurableScope, Kind, Link, Operation, durable_scope

__all__ = ["DurableScope", "Kind", "Link", "Operation", "durable_scope"]
