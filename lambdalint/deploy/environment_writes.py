"""Variables that a module's init code puts into the process environment itself (RT006).

`os.environ["X"] = v`, `os.environ.setdefault("X", v)`, `process.env.X = v`, `Object.assign(process.env, {X})`
at module level, or in a project function called there: a read of `X` later in init does not fail, whatever
the IaC says (a read above the write, in the same module, still does). A write whose variables cannot be listed (`os.environ.update(secrets)`, `os.environ[name] = v`)
makes every variable unknown.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from lambdalint.model import ArgKind, FileModel, Language
from lambdalint.values import string_value

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex

ANY = None  # returned when init code sets variables that cannot be listed
ANY_NAME = ""  # a write whose variable is not a literal


def written_at_init(index: "ProjectIndex", model: FileModel) -> Optional[dict[str, int]]:
    """The variables module-level code of `model` sets, each with the line of its first write there, or
    `ANY` when it sets some it does not name.

    A project function called at module level (`load_settings()`) runs at init too: its own writes count,
    at the line of the call.
    """
    written = _written_by(index, model, None)
    if written is ANY:
        return ANY
    found = dict(written)
    for call in model.calls:
        if call.function is not None:
            continue
        ref = index.resolve_callee(model, call)
        if ref is None or ref.kind != "function" or ref.path not in index.files:
            continue
        inner = _written_by(index, index.files[ref.path], ref.fid)
        if inner is ANY:
            return ANY
        for variable in inner:
            found[variable] = min(found.get(variable, call.span.line), call.span.line)
    return found


def _written_by(index: "ProjectIndex", model: FileModel, fid: Optional[int]) -> Optional[dict[str, int]]:
    """The variables the code of function `fid` (None: the module level) itself sets, with the line of each
    one's first write, or `ANY`."""
    written: dict[str, int] = {}

    def note(variable: str, line: int) -> None:
        written[variable] = min(written.get(variable, line), line)

    for binding in model.bindings:
        if binding.function != fid or binding.kind != "assign":
            continue
        variable = _assigned_variable(index, model, binding, fid)
        if variable is ANY_NAME:
            return ANY
        if variable:
            note(variable, binding.span.line)
    for call in model.calls:
        if call.function != fid:
            continue
        entry = index.api(model, call, "environment_write")
        if entry is None:
            continue
        target = entry.get("target")
        if target is not None:
            arg = call.args[target] if target < len(call.args) else None
            if arg is None or arg.kind is not ArgKind.NAME or not index.api_of_path(
                    model, fid, arg.text, "environment_map"):
                continue
        key, keys = entry.get("key"), entry.get("keys")
        if key is not None and key < len(call.args):
            name = string_value(index, model, fid, call.args[key])
            if not isinstance(name, str):
                return ANY
            note(name, call.span.line)
        elif keys is not None and keys < len(call.args):
            arg = call.args[keys]
            entries = arg.expr.entries if arg.kind is ArgKind.OBJECT and not arg.spread else None
            if entries is None or any(k is None for k, _ in entries):
                return ANY  # not a literal, or a spread / computed key in it
            for k, _ in entries:
                note(str(k), call.span.line)
    return written


def _assigned_variable(index: "ProjectIndex", model: FileModel, binding, fid: Optional[int]) -> Optional[str]:
    name = binding.name
    if model.language is Language.PYTHON:
        if not name.endswith("[]") or not index.api_of_path(model, fid, name[:-2], "environment_map"):
            return None
        return binding.key or ANY_NAME  # `os.environ[k] = v`: a variable we cannot name
    if name.endswith("[]"):  # `process.env[name] = v`
        return ANY_NAME if index.api_of_path(model, fid, name[:-2], "environment_map") else None
    base, _, variable = name.rpartition(".")
    if base and variable and index.api_of_path(model, fid, base, "environment_map"):
        return variable
    return None
