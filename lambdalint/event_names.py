"""The string an event-name argument stands for: a literal, an array of literals, or a constant.

Event names are often constants kept in another module (`export const
USER_REGISTERED = 'user.registered'`, `EVENT = "saved"`); this follows a name
through local scopes and imports to a literal binding. Anything computed is
unknown (None), and an unknown name links to no listener.
"""
from __future__ import annotations

import re
from typing import Optional

from lambdalint.index import ProjectIndex
from lambdalint.model import Arg, ArgKind, FileModel

_STRING = r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`$\\]*)`)\s*"""
_ARRAY = re.compile(r"^[\[(](?:" + _STRING + r",)*(?:" + _STRING + r")?,?\s*[\])]$")
_ITEM = re.compile(_STRING)
_MAX_DEPTH = 8


def event_names(index: ProjectIndex, model: FileModel, scope: Optional[int], arg: Arg) -> Optional[tuple]:
    """The names `arg` gives (one, or several for an array of literals), or None when not knowable."""
    if arg.spread:
        return None
    if arg.kind is ArgKind.STRING and isinstance(arg.value, str):
        return (arg.value,)
    if arg.kind is ArgKind.ARRAY:
        return _array(arg.text)
    if arg.kind is ArgKind.NAME:
        value = constant(index, model, scope, arg.text)
        return (value,) if value is not None else None
    return None


def _array(text: str) -> Optional[tuple]:
    if not _ARRAY.match(text):
        return None
    items = tuple(next(g for g in m.groups() if g is not None) for m in _ITEM.finditer(text.strip()[1:-1]))
    return items or None


def constant(index: ProjectIndex, model: FileModel, scope: Optional[int], dotted: str, depth: int = 0) -> Optional[str]:
    """The string literal a name is bound to, followed through aliases and imports; None when unknown."""
    if depth > _MAX_DEPTH or not dotted or "." in dotted or "?" in dotted:
        return None
    symbol = index.scopes(model.path).lookup(scope, dotted)
    if symbol is None:
        return None
    kind, value = symbol
    if kind == "binding":
        if value.has_literal and isinstance(value.value_literal, str) and value.kind in ("declare", "assign"):
            if _rebound(model, value):
                return None
            return value.value_literal
        if value.value_name:
            return constant(index, model, value.function, value.value_name, depth + 1)
        return None
    if kind == "import" and value.name not in (None, "*", "default"):
        if model.language.is_js:
            target = index.resolve_js_module(model.path, value.module)
            if target is None:
                return None
            for ex in index.files[target].exports:
                if ex.name == value.name and ex.source is None and ex.local:
                    return constant(index, index.files[target], None, ex.local, depth + 1)
                if ex.name == value.name and ex.source is not None:
                    inner = index.resolve_js_module(target, ex.source)
                    if inner is None:
                        return None
                    for ex2 in index.files[inner].exports:
                        if ex2.name == (ex.source_name or ex.name) and ex2.local and ex2.source is None:
                            return constant(index, index.files[inner], None, ex2.local, depth + 1)
            return None
        target = index.resolve_py_module(model.path, value.module, value.level)
        if target is not None:
            return constant(index, index.files[target], None, value.name, depth + 1)
    return None


def _rebound(model: FileModel, binding) -> bool:
    """A name assigned more than once in its scope is no constant."""
    return sum(1 for b in model.bindings if b.function == binding.function and b.name == binding.name) > 1
