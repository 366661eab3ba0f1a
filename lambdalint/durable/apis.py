"""Catalogue look-ups for the DF rules, with the member filters their categories use.

A category entry may be a pattern over a class's methods or a module's members
(`boto3.Client#*`, `random.*`); `except = [...]` lists members it does not
cover and `only = [...]` the ones it does, so one line names "every method of a
boto3 client but `get_paginator`". `constructed = true` limits an instance
pattern to instances the code makes itself with `new` (AWS SDK v3 aggregated
clients; the same packages export plain data classes).
"""
from __future__ import annotations

from typing import Optional

from lambdalint.handed_values import handed_value
from lambdalint.model import Call, FileModel


def _member(qualified: str) -> str:
    """The last segment of a catalogue name: `get_object` of `boto3.Client#get_object`, `v4` of `uuid:v4`."""
    tail = qualified.rsplit("#", 1)[-1] if "#" in qualified else qualified
    for sep in (":", "."):
        tail = tail.rsplit(sep, 1)[-1]
    return tail


def _fits(entry, qualified: str, ref) -> bool:
    if ("#" in qualified) != ("#" in entry.name):
        return False  # `random.*` names module functions, not the methods of a seeded `random.Random(42)`
    member = _member(qualified)
    only = entry.get("only")
    if only is not None and member not in only:
        return False
    if member in (entry.get("except") or ()):
        return False
    if entry.get("constructed") and not getattr(ref, "constructed", False):
        return False
    return True


def api(index, model: FileModel, call: Call, category: str):
    """The entry of `category` that `call` is, resolved by import (a local `v4` is not `uuid:v4`), or by what
    every caller hands the parameter it is called on (`table.put_item()` in `def save(table, item)`)."""
    ref = index.resolve_callee(model, call)
    if ref is None and call.receiver and call.receiver_call is None:
        ref = handed_value(index, model, call.function, call.callee)
    name = index.qualified(ref)
    if not name:
        return None
    for entry in index.catalog.categories.match(category, model.language.is_js, name):
        if entry.accepts(is_new=call.is_new, arg_count=len(call.args)) and _fits(entry, name, ref):
            return entry
    return None


def api_of_path(index, model: FileModel, scope: Optional[int], dotted: str, category: str):
    """The entry of `category` that a dotted read names, trying the read and its prefixes (longest first)."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        ref = index.resolve_path(model, scope, ".".join(parts[:k]))
        name = index.qualified(ref)
        if not name:
            continue
        for entry in index.catalog.categories.match(category, model.language.is_js, name):
            if _fits(entry, name, ref):
                return entry
    return None


def call_text(call: Call) -> str:
    """`Date.now()`, `new Date()`, `requests.get()` as a reader names the call."""
    callee = call.callee if len(call.callee) <= 60 else "…" + call.callee[-60:]
    return f"`{'new ' if call.is_new else ''}{callee}()`"
