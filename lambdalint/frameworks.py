"""Handlers from frameworks: the functions a framework dispatches an invocation to.

A Powertools resolver's `app.resolve(event, context)` runs the routes
registered on `app`; a NestJS bootstrap (`NestFactory.create(...)`) runs
controller methods, and `app.get(Service)` hands out a project provider.
The handler never calls these functions by name, so the index asks here
which functions a reached call makes reachable. API names are catalogue
data (`catalog/categories/frameworks.toml`).
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Iterator, Optional

from lambdalint.file_apis import may_call
from lambdalint.model import ArgKind, Call, FileModel, Use

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex, Ref

_MAX_ROUTERS = 8
_CHAINS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def dispatched(index: "ProjectIndex", model: FileModel, call: Call) -> Iterator[tuple[str, int]]:
    """(path, function id) of the functions a reached `call` dispatches to."""
    if (may_call(index, model, "route_dispatch") and index.api(model, call, "route_dispatch") is not None
            and call.receiver and "." not in call.receiver):
        yield from _routes(index, model, call.receiver, set())
    elif model.language.is_js and may_call(index, model, "nest_bootstrap") and (
            index.api(model, call, "nest_bootstrap") is not None):
        yield from _nest_controllers(index)


def is_entry_point(index: "ProjectIndex", model: FileModel, fn) -> bool:
    """A function a framework deploys as a Lambda handler by its decorator (Chalice `@app.lambda_function()`)."""
    categories = index.catalog.categories
    for decorator in fn.decorators:
        name = index.qualified(index.resolve_path(model, fn.parent, decorator.callee))
        if categories.first("handler_decorator", model.language.is_js, name):
            return True
    return False


def decorators_reached(index: "ProjectIndex", model: FileModel, fid: Optional[int]) -> Iterator[tuple[str, int]]:
    """What runs around every call of a reached function: the project's own decorators of it (their wrappers),
    and the middlewares of a middy chain that wraps it (`middy(fn).use({ before })`, `.use(audit())`)."""
    if fid is None:
        return
    fn = model.functions[fid]
    for decorator in fn.decorators:
        ref = index.function_ref(model, fn.parent, decorator.callee)
        if ref is not None:
            yield ref.path, ref.fid
    if model.language.is_js and fn.parent is None:
        yield from _middlewares(index, model, fid)


def _chains(index: "ProjectIndex", model: FileModel) -> list[list[Call]]:
    """Module-level middleware chains of a file (`middy(fn).use(a).use(b)`), each root call first; memoised."""
    memo = _CHAINS.setdefault(index, {})
    found = memo.get(model.path)
    if found is not None:
        return found
    above: dict[int, list[Call]] = {}
    for call in model.calls:
        if call.receiver_call is not None:
            above.setdefault(call.receiver_call, []).append(call)
    found = []
    for root in model.calls:
        if root.function is not None or index.api(model, root, "middleware_chain") is None:
            continue
        chain, todo = [], [root]
        while todo and len(chain) < 64:
            call = todo.pop()
            chain.append(call)
            todo.extend(above.get(call.id, ()))
        found.append(chain)
    memo[model.path] = found
    return found


def _middlewares(index: "ProjectIndex", model: FileModel, fid: int) -> Iterator[tuple[str, int]]:
    for chain in _chains(index, model):
        if not any(_passes(index, model, call, fid) for call in chain):
            continue
        ids = {call.id for call in chain}
        for call in chain:
            for arg in call.args:
                if arg.kind is ArgKind.FUNCTION and arg.function is not None and arg.function != fid:
                    yield model.path, arg.function
                elif arg.kind is ArgKind.CALL and arg.call is not None:
                    ref = index.resolve_callee(model, model.calls[arg.call])
                    if ref is not None and ref.kind == "function":
                        yield ref.path, ref.fid  # a middleware factory: what it returns runs per invocation
                elif arg.kind is ArgKind.NAME:
                    ref = index.function_ref(model, None, arg.text)
                    if ref is not None and (ref.path, ref.fid) != (model.path, fid):
                        yield ref.path, ref.fid
        for other in model.functions:  # `{ before: async (request) => … }` written in the chain
            if other.disposition is not None and other.disposition.consumer in ids:
                yield model.path, other.id


def _passes(index: "ProjectIndex", model: FileModel, call: Call, fid: int) -> bool:
    for arg in call.args:
        if arg.kind is ArgKind.FUNCTION and arg.function == fid:
            return True
        if arg.kind is ArgKind.NAME:
            ref = index.function_ref(model, None, arg.text)
            if ref is not None and (ref.path, ref.fid) == (model.path, fid):
                return True
    return False


def _routes(index: "ProjectIndex", model: FileModel, receiver: str, seen: set) -> Iterator[tuple[str, int]]:
    """Routes registered on `receiver` in `model`: decorated functions, functions passed to its methods,
    and the routes of routers it includes (followed into the modules they come from)."""
    if (model.path, receiver) in seen or len(seen) > _MAX_ROUTERS:
        return
    seen.add((model.path, receiver))
    prefix = receiver + "."
    for fn in model.functions:
        if any(d.callee.startswith(prefix) for d in fn.decorators):
            yield model.path, fn.id
    for other in model.calls:
        if other.receiver != receiver:
            continue
        for arg in other.args:
            if arg.kind is ArgKind.FUNCTION and arg.function is not None:
                yield model.path, arg.function
            elif arg.kind is ArgKind.NAME:
                ref = index.function_ref(model, other.function, arg.text)
                if ref is not None:
                    yield ref.path, ref.fid
                    continue
                router = _imported_router(index, model, other.function, arg.text)
                if router is not None:
                    yield from _routes(index, *router, seen)


def _imported_router(index: "ProjectIndex", model: FileModel, scope: Optional[int],
                     name: str) -> Optional[tuple[FileModel, str]]:
    """`from .routes import router` / `import { router } from './routes'` -> (that module, `router`)."""
    if "." in name:
        return None
    symbol = index.scopes(model.path).lookup(scope, name)
    if symbol is None:
        return None
    kind, value = symbol
    if kind == "binding":
        return (model, name) if value.value_call is not None else None
    if kind != "import" or not value.name or value.name in ("*", "default"):
        return None
    if model.language.is_js:
        target = index.resolve_js_module(model.path, value.module)
    else:
        target = index.resolve_py_module(model.path, value.module, value.level)
    return (index.files[target], value.name) if target else None


def _nest_controllers(index: "ProjectIndex") -> Iterator[tuple[str, int]]:
    for path, model in index.files.items():
        if not model.language.is_js or model.is_test:
            continue
        dispatch = set()
        for cls in model.classes:
            for decorator in cls.decorators:
                ref = index.resolve_path(model, cls.parent, decorator.callee)
                name = index.qualified(ref)
                if index.catalog.categories.first("nest_dispatch_class", True, name):
                    dispatch.add(cls.name)
        for fn in model.functions:
            if fn.class_name in dispatch:
                yield path, fn.id


def provider_instance(index: "ProjectIndex", model: FileModel, call: Call) -> Optional["Ref"]:
    """`app.get(OrdersService)` on a NestJS application: an instance of the project class `OrdersService`."""
    from lambdalint.index import Ref

    if not model.language.is_js or not call.args or call.args[0].kind is not ArgKind.NAME or not call.receiver:
        return None
    if not index.catalog.categories.first("nest_container_lookup", True, f"?#{call.method}"):
        return None
    origin = _origin(index, model, call.function, call.receiver)
    if origin is None or index.api(model, origin, "nest_bootstrap") is None:
        return None
    cls = index.resolve_path(model, call.function, call.args[0].text)
    if cls is None or cls.kind != "class":
        return None
    return Ref("instance", cls.path, class_name=cls.class_name)


def _origin(index: "ProjectIndex", model: FileModel, scope: Optional[int], name: str) -> Optional[Call]:
    """The call whose result `name` holds: `const app = NestFactory.create(M)`, also through `await` and a
    module-level `let app` assigned in a function (the cached-bootstrap pattern)."""
    if "." in name:
        return None
    scopes = {fn.id for fn in model.enclosing_functions(scope)} | {None}
    for binding in model.bindings:
        if binding.name != name or (binding.function not in scopes and binding.kind != "assign"):
            continue
        if binding.value_call is not None:
            return model.calls[binding.value_call]
        for call in model.calls:  # `x = await f()`: the awaited call written right after the target
            if (call.function == binding.function and call.span.line == binding.span.line
                    and call.span.column > binding.span.end_column and call.disposition.use is Use.AWAITED):
                return call
    return None
