"""The event names an argument stands for, through `lambdalint.values`.

Event names are often constants kept in another module (`export const
USER_REGISTERED = 'user.registered'`, a TS enum member, `EVENT = "saved"`), or
an array of them (`@OnEvent(['a', 'b'])`). A Python enum member that is not a
string is its own key: emitter and listener match when they name the same
member. Anything computed is unknown (None), and an unknown name links to no
listener.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.index import ProjectIndex
from lambdalint.model import Arg, FileModel
from lambdalint.values import EnumMember, ListValue, as_string, resolve_value


def event_names(index: ProjectIndex, model: FileModel, scope: Optional[int], arg: Arg) -> Optional[tuple]:
    """The names `arg` gives (one, or several for an array), or None when any of them is not knowable."""
    if arg.spread:
        return None
    resolved = resolve_value(index, model, scope, arg)
    if isinstance(resolved, ListValue):
        if resolved.unknown_items:
            return None
        keys = tuple(_key(item) for item in resolved.items)
        return keys if keys and all(k is not None for k in keys) else None
    key = _key(resolved)
    return (key,) if key is not None else None


def _key(resolved) -> Optional[str]:
    text = as_string(resolved)
    if text is not None:
        return text
    if isinstance(resolved, EnumMember):
        return f"enum:{resolved.path}:{resolved.class_name}.{resolved.name}"
    return None
