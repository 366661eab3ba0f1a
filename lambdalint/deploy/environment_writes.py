"""Variables that a module's init code puts into the process environment itself (RT006).

`os.environ["X"] = v`, `os.environ.setdefault("X", v)`, `process.env.X = v`, `Object.assign(process.env, {X})`
at module level: a read of `X` later in init does not fail, whatever the IaC says. A write whose variables
cannot be listed (`os.environ.update(secrets)`) makes every variable unknown.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from lambdalint.model import ArgKind, FileModel, Language
from lambdalint.values import string_value

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex

ANY = None  # returned when init code sets variables that cannot be listed


def written_at_init(index: "ProjectIndex", model: FileModel) -> Optional[frozenset]:
    """The variables module-level code of `model` sets, or `ANY` when it sets some it does not name."""
    written: set[str] = set()
    for binding in model.bindings:
        if binding.function is not None or binding.kind != "assign":
            continue
        variable = _assigned_variable(index, model, binding)
        if variable:
            written.add(variable)
    for call in model.calls:
        if call.function is not None:
            continue
        entry = index.api(model, call, "environment_write")
        if entry is None:
            continue
        target = entry.get("target")
        if target is not None:
            arg = call.args[target] if target < len(call.args) else None
            if arg is None or arg.kind is not ArgKind.NAME or not index.api_of_path(
                    model, None, arg.text, "environment_map"):
                continue
        key, keys = entry.get("key"), entry.get("keys")
        if key is not None and key < len(call.args):
            name = string_value(index, model, None, call.args[key])
            if not isinstance(name, str):
                return ANY
            written.add(name)
        elif keys is not None and keys < len(call.args):
            arg = call.args[keys]
            if arg.kind is not ArgKind.OBJECT or arg.spread:
                return ANY
            written.update(arg.keys)
    return frozenset(written)


def _assigned_variable(index: "ProjectIndex", model: FileModel, binding) -> Optional[str]:
    name = binding.name
    if model.language is Language.PYTHON:
        if binding.key and name.endswith("[]") and index.api_of_path(model, None, name[:-2], "environment_map"):
            return binding.key
        return None
    base, _, variable = name.rpartition(".")
    if base and variable and index.api_of_path(model, None, base, "environment_map"):
        return variable
    return None
