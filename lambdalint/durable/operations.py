"""Durable operations: which argument of a context method is the name, the callback, the config.

The SDKs' signatures are data (`catalog/categories/durable.toml`); this module
applies them to one call. JS methods whose first parameter is a name are
overloaded: the first argument is the name when it is a string, a template,
`undefined` or `null` (for `invoke`, when the *second* argument is a string),
and otherwise every argument shifts left by one. Python names come by keyword
(`name=`) or position, per the SDK's parameter order. Callback slots resolve to
the functions the operation runs: an inline function, a named function, a call
of an `@durable_step`-style decorated function, every branch of `parallel`, and
config callbacks (`itemNamer`, `retryStrategy`).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from lambdalint.model import Arg, ArgKind, Call, Container, FileModel, Language, Use, ValueKind


class Kind(str, enum.Enum):
    """Where a function runs: re-run on every replay (orchestration), or once inside a step."""

    ORCHESTRATION = "orchestration"
    STEP = "step"


@dataclass
class Operation:
    """A durable operation call with its arguments sorted into roles."""

    entry: object                      # the catalogue ApiEntry
    method: str                        # `step`, `map`, `promise.all`, `run_in_child_context`
    receiver: str                      # the name holding the context (`ctx`, `context`)
    args: dict = field(default_factory=dict)          # role -> Arg (name, callback, config, items, branches...)
    callbacks: list = field(default_factory=list)     # (path, fid) of the functions the operation runs
    config_callbacks: list = field(default_factory=list)  # (path, fid, role) for config keys (`itemNamer`...)

    @property
    def scope(self) -> Optional[Kind]:
        value = self.entry.get("scope")
        return Kind(value) if value else None

    @property
    def name_arg(self) -> Optional[Arg]:
        return self.args.get("name")

    @property
    def config_arg(self) -> Optional[Arg]:
        return self.args.get("config")

    @property
    def callback_arg(self) -> Optional[Arg]:
        return self.args.get("callback")


class OperationReader:
    """Sorts one operation call's arguments into roles and finds the functions it runs."""

    def __init__(self, index, decorated: dict, sdk):
        self.index = index
        self.decorated = decorated        # (path, fid) of decorated durable bodies
        self.sdk = sdk                    # sdk(ref, category, is_js) -> the SDK catalogue entry a name resolves to

    def read(self, model: FileModel, call: Call, entry, method: str, receiver: str) -> Operation:
        op = Operation(entry, method, receiver)
        op.args = self._slots(model, call, entry)
        self._resolve_callbacks(model, call, op)
        return op

    def _slots(self, model: FileModel, call: Call, entry) -> dict:
        roles = list(entry.get("roles", ()))
        positional = [a for a in call.args if a.keyword is None and not a.spread]
        if any(a.spread for a in call.args):
            return {}
        slots: dict = {}
        if model.language is Language.PYTHON:
            params = list(entry.get("params", ()))
            for i, arg in enumerate(positional):
                if i < len(roles):
                    slots[roles[i]] = arg
            for arg in call.args:
                if arg.keyword in params:
                    slots[roles[params.index(arg.keyword)]] = arg
            return slots
        if roles and roles[0] == "name?":
            if self._name_first(model, call, entry, positional, len(roles)):
                roles[0] = "name"
            else:
                roles = roles[1:]
        for role, arg in zip(roles, positional):
            slots[role] = arg
        return slots

    def _name_first(self, model: FileModel, call: Call, entry, args: list[Arg], arity: int) -> bool:
        """The JS overload rule: is the first argument the operation's name?"""
        test = int(entry.get("name_test", 0))
        if len(args) <= test:
            return False
        probe = args[test]
        if test:
            return _is_string_like(probe, strict=True) or (
                probe.kind is ArgKind.NAME and self._literal_string(model, call.function, probe.text)
            ) or len(args) >= arity
        if _is_string_like(probe, strict=False):
            return True
        if self._is_function_like(model, call.function, probe) or probe.kind in (ArgKind.OBJECT, ArgKind.ARRAY):
            return False
        if len(args) >= arity:
            return True
        roles = list(entry.get("roles", ()))
        if "callback" in roles:
            at = roles.index("callback")
            return len(args) > at and self._is_function_like(model, call.function, args[at])
        return probe.kind is ArgKind.NAME and self._literal_string(model, call.function, probe.text)

    def _literal_string(self, model: FileModel, scope: Optional[int], name: str) -> bool:
        if "." in name:
            return False
        symbol = self.index.scopes(model.path).lookup(scope, name)
        return bool(symbol and symbol[0] == "binding" and isinstance(symbol[1].value_literal, str))

    def _is_function_like(self, model: FileModel, scope: Optional[int], arg: Arg) -> bool:
        if arg.kind is ArgKind.FUNCTION:
            return True
        return arg.kind is ArgKind.NAME and self.index.function_ref(model, scope, arg.text) is not None

    def _resolve_callbacks(self, model: FileModel, call: Call, op: Operation) -> None:
        callback = op.args.get("callback")
        if callback is not None:
            target = self._callable(model, call.function, callback)
            if target is not None:
                op.callbacks.append(target)
        branches = op.args.get("branches")
        if branches is not None:
            if branches.kind is ArgKind.ARRAY:
                for fn in model.functions:
                    d = fn.disposition
                    if d is not None and d.use is Use.ARGUMENT and d.consumer == call.id and (
                        _arg_at(call, d) is branches
                    ):
                        op.callbacks.append((model.path, fn.id))
                for inner in model.calls:
                    d = inner.disposition
                    if d.use is Use.ARGUMENT and d.consumer == call.id and d.container is Container.ARRAY:
                        target = self.decorated_target(model, inner) or self.wrapped_branch(model, inner)
                        if target is not None:
                            op.callbacks.append(target)
            else:
                target = self._callable(model, call.function, branches)
                if target is not None:
                    op.callbacks.append(target)
        config_keys = op.entry.get("config_callbacks") or {}
        config = op.args.get("config")
        if config is None or not config_keys:
            return
        config_call = None
        if config.kind is ArgKind.CALL:
            config_call = model.calls[config.call]
        elif config.kind is ArgKind.NAME:
            config_call = self.index.value_origin(model, call.function, config.text)
        for fn in model.functions:
            d = fn.disposition
            if d is None or d.use is not Use.ARGUMENT:
                continue
            if config.kind is ArgKind.OBJECT and d.consumer == call.id and _arg_at(call, d) is config:
                role = config_keys.get(fn.name or "")
            elif config_call is not None and d.consumer == config_call.id:
                role = config_keys.get(d.keyword or "")
            else:
                continue
            if role:
                op.config_callbacks.append((model.path, fn.id, role))
        if config_call is not None:
            for arg in config_call.args:
                role = config_keys.get(arg.keyword or "")
                if role and arg.kind is ArgKind.NAME:
                    ref = self.index.function_ref(model, config_call.function, arg.text)
                    if ref is not None:
                        op.config_callbacks.append((ref.path, ref.fid, role))
        for key, value in self._config_entries(model, call.function, config):
            role = config_keys.get(key or "")
            target = None
            if role and value.kind is ValueKind.NAME and isinstance(value.literal, str):
                ref = self.index.function_ref(model, call.function, value.literal)
                target = (ref.path, ref.fid) if ref is not None else None
            if target is not None and (target[0], target[1], role) not in op.config_callbacks:
                op.config_callbacks.append((target[0], target[1], role))

    def _config_entries(self, model: FileModel, scope: Optional[int], config: Arg) -> list:
        """The entries of an options object written in place or bound to a name (`{ itemNamer: namer }`)."""
        value = config.expr
        if config.kind is ArgKind.NAME and "." not in config.text:
            symbol = self.index.scopes(model.path).lookup(scope, config.text)
            if symbol is not None and symbol[0] == "binding":
                value = symbol[1].value_expr
        if value is None or value.kind is not ValueKind.OBJECT:
            return []
        return list(value.entries or ())

    def _callable(self, model: FileModel, scope: Optional[int], arg: Arg) -> Optional[tuple[str, int]]:
        if arg.kind is ArgKind.FUNCTION:
            return model.path, arg.function
        if arg.kind is ArgKind.NAME:
            ref = self.index.function_ref(model, scope, arg.text)
            return (ref.path, ref.fid) if ref is not None else None
        if arg.kind is ArgKind.CALL:
            return self.decorated_target(model, model.calls[arg.call])
        return None

    def wrapped_branch(self, model: FileModel, call: Call) -> Optional[tuple[str, int]]:
        """`ParallelBranch(func, name)`: the function the branch wraps."""
        ref = self.index.resolve_callee(model, call)
        if self.sdk(ref, "durable_branch", model.language.is_js) is None:
            return None
        func = next((a for a in call.args if a.keyword == "func"), None) or next(
            (a for a in call.args if a.keyword is None), None)
        return self._callable(model, call.function, func) if func is not None else None

    def decorated_target(self, model: FileModel, call: Call) -> Optional[tuple[str, int]]:
        """`context.step(charge(order))` with `@durable_step def charge(...)`: the decorated function."""
        ref = self.index.resolve_callee(model, call)
        if ref is not None and ref.kind == "function" and (ref.path, ref.fid) in self.decorated:
            return ref.path, ref.fid
        return None


def _arg_at(call: Call, d) -> Optional[Arg]:
    if d.keyword is not None:
        return next((a for a in call.args if a.keyword == d.keyword), None)
    if d.arg_index is None:
        return None
    positional = [a for a in call.args if a.keyword is None]
    return positional[d.arg_index] if d.arg_index < len(positional) else None


def _is_string_like(arg: Arg, strict: bool) -> bool:
    if arg.kind is ArgKind.STRING:
        return True
    if not strict and arg.kind is ArgKind.NONE:
        return True
    if arg.kind is ArgKind.OTHER:
        text = arg.text.lstrip("(")
        if text.startswith("`"):
            return True
        # `"s-" + id`: a concatenation that starts or ends with a string literal
        if " + " in text and (text[:1] in "\"'" or text.rstrip(")")[-1:] in "\"'`"):
            return True
    return False
