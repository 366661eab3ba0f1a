"""DF011 step-mutates-outer-state."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import Binding, FileModel, Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_WRITES = frozenset({"assign", "augmented", "update", "delete"})
_JS_LOCAL = frozenset({"declare", "param", "for", "with", "async_with"})
_PY_LOCAL = frozenset({"declare", "param", "for", "with", "async_with", "assign", "augmented", "delete"})
_OWN_OBJECT = frozenset({"this", "self", "cls", "super"})


@register
class StepMutatesOuterState(Rule):
    """A step-like or child body that writes to captured or module state loses the write on replay."""

    id = "DF011"
    name = "step-mutates-outer-state"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        model = ctx.file
        scope = durable_scope(ctx.index)
        bodies = {fid: (kind, op) for fid, kind, op in scope.bodies(model.path)}
        if not bodies:
            return
        locals_of = _locals(model)
        body_of = {}
        for fn in model.functions:
            body_of[fn.id] = _owning_body(model, fn.id, bodies)
        seen = set()
        for binding in model.bindings:
            if binding.kind not in _WRITES or binding.function is None:
                continue
            body = body_of.get(binding.function)
            if body is None:
                continue
            target = self._outer_target(model, binding, body, locals_of)
            if target is None or (binding.span.line, binding.span.column) in seen:
                continue
            seen.add((binding.span.line, binding.span.column))
            verb = "deletes" if binding.kind == "delete" else "writes"
            yield self._finding(ctx, binding.span, f"{verb} `{target}`", body, bodies[body])
        categories = ctx.index.catalog.categories
        for call in model.calls:
            if call.function is None or call.receiver is None or call.receiver_call is not None:
                continue
            body = body_of.get(call.function)
            if body is None or categories.first("mutating_method", model.language.is_js, call.method) is None:
                continue
            root = _root(call.receiver)
            if root in _OWN_OBJECT or _is_local(root, call.function, body, model, locals_of):
                continue
            if not self._plain_collection(ctx, model, call.function, root):
                continue
            yield self._finding(ctx, call.span, f"changes `{call.receiver}` (`.{call.method}()`)", body,
                                bodies[body])

    def _outer_target(self, model: FileModel, binding: Binding, body: int, locals_of) -> Optional[str]:
        name = binding.name
        root = _root(name)
        if not root or root in _OWN_OBJECT or root in ("{}", "[]", "?"):
            return None
        plain = root == name
        if plain and model.language is Language.PYTHON:
            # a plain assignment makes a Python name local, unless `global` / `nonlocal` says otherwise
            declared = any(b.kind == "global" and b.name == name and b.function == binding.function
                           for b in model.bindings)
            return name if declared else None
        if _is_local(root, binding.function, body, model, locals_of):
            return None
        return name.replace("[]", "[…]")

    def _plain_collection(self, ctx: Context, model: FileModel, fid: int, root: str) -> bool:
        """A receiver the code holds itself (a literal, a local collection), not a client or a module."""
        symbol = ctx.index.scopes(model.path).lookup(fid, root)
        if symbol is None or symbol[0] != "binding":
            return False
        ref = ctx.index.resolve_path(model, fid, root)
        if ref is None:
            return True
        if ref.kind == "external_instance":
            return ctx.index.catalog.categories.first("collection_type", model.language.is_js,
                                                      ref.qualified) is not None
        return False

    def _finding(self, ctx: Context, span, what: str, body: int, info) -> Finding:
        kind, operation = info
        model = ctx.file
        fn = model.functions[body]
        label = f"`{fn.name}()`" if fn.name and operation.startswith("@") else f"the `{operation}` callback"
        if kind is Kind.STEP:
            lost = "on replay the step returns its checkpoint without running, so the change is lost"
        else:
            lost = "on replay a completed child returns its checkpoint without running, so the change is lost"
        message = f"{label} {what}, declared outside it: {lost}. Fix: return the value and use the result"
        return self.finding(ctx, span, message, handler=ctx.handler_name(body))


def _root(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _locals(model: FileModel) -> dict:
    local_kinds = _PY_LOCAL if model.language is Language.PYTHON else _JS_LOCAL
    found: dict = {}
    for binding in model.bindings:
        if binding.function is not None and binding.kind in local_kinds and "." not in binding.name and (
            "[" not in binding.name
        ):
            found.setdefault(binding.function, set()).add(binding.name)
    for fn in model.functions:
        found.setdefault(fn.id, set()).update(p.name for p in fn.params)
        if fn.parent is not None and fn.name and fn.class_name is None:
            found.setdefault(fn.parent, set()).add(fn.name)
    for imp in model.imports:
        if imp.function is not None:
            found.setdefault(imp.function, set()).add(imp.local)
    if model.language is Language.PYTHON:
        for binding in model.bindings:
            if binding.kind == "global" and binding.function is not None:
                found.get(binding.function, set()).discard(binding.name)
    return found


def _is_local(root: str, fid: int, body: int, model: FileModel, locals_of) -> bool:
    """Declared in `fid` or a function between it and the body (the body's own parameters and locals)."""
    for fn in model.enclosing_functions(fid):
        if root in locals_of.get(fn.id, ()):
            return True
        if fn.id == body:
            return False
    return False


def _owning_body(model: FileModel, fid: int, bodies: dict) -> Optional[int]:
    """The innermost durable body that contains `fid` (itself included)."""
    for fn in model.enclosing_functions(fid):
        if fn.id in bodies:
            return fn.id
    return None
