"""DF011 step-mutates-outer-state."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import Binding, FileModel, Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule

_WRITES = frozenset({"assign", "augmented", "update", "delete"})
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
            target = self._outer_target(ctx, binding, body)
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
            if root in _OWN_OBJECT or _owned_by_body(ctx, root, call.function, body):
                continue
            if not self._plain_collection(ctx, model, call.function, root):
                continue
            yield self._finding(ctx, call.span, f"changes `{call.receiver}` (`.{call.method}()`)", body,
                                bodies[body])

    def _outer_target(self, ctx: Context, binding: Binding, body: int) -> Optional[str]:
        name = binding.name
        root = _root(name)
        if not root or root in _OWN_OBJECT or root in ("{}", "[]", "?"):
            return None
        if _owned_by_body(ctx, root, binding.function, body):
            return None
        return name.replace("[]", "[…]")

    def _plain_collection(self, ctx: Context, model: FileModel, fid: int, root: str) -> bool:
        """A receiver the code holds itself (a literal, a local collection), not a client or a module."""
        symbol = ctx.index.scopes(model.path).lookup(fid, root)
        if symbol is None or symbol[0] != "binding":
            return False
        ref = ctx.index.resolve_path(model, fid, root)
        if ref is None:
            # A value made by a call lambdalint cannot type (`const redis = createClient()`) may be a client
            # whose `set` / `add` / `delete` writes elsewhere: unknown, so silent.
            made_by = getattr(symbol[1], "value_call", None)
            if made_by is None:
                return True
            return ctx.index.api(model, model.calls[made_by], "collection_type") is not None
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


def _owned_by_body(ctx: Context, name: str, fid: int, body: int) -> bool:
    """Whether `name`, as code in `fid` sees it, is a variable of the body or of a function inside it
    (each language's own scoping: JS declarations, Python assignment, `global` and `nonlocal`)."""
    owner = ctx.index.scopes(ctx.file.path).scoping.scope_of(fid, name)
    if owner is None:
        return False
    return any(fn.id == body for fn in ctx.file.enclosing_functions(owner))


def _owning_body(model: FileModel, fid: int, bodies: dict) -> Optional[int]:
    """The innermost durable body that contains `fid` (itself included)."""
    for fn in model.enclosing_functions(fid):
        if fn.id in bodies:
            return fn.id
    return None
