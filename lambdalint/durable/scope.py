"""The durable scope model: which code re-runs on every replay, and which runs once inside a step.

A durable function is replayed from the top after every suspension; completed
operations return their checkpoints and everything between them runs again. A
determinism rule therefore needs to know, for every function of the project,
whether it runs as **orchestration** (the handler, child-context, map-item and
parallel-branch bodies, and every helper they call), as a **step-like** body
(step functions, `waitForCondition` checks, `waitForCallback` submitters, retry
and wait strategies — run once, their results checkpointed), or neither.

Everything is found from syntax and imports, never from names alone: a durable
handler is a function wrapped by the SDK's `withDurableExecution` or
`durable_execution` (resolved through imports, so a same-named function from
another package is not durable); a durable context is the handler's second
parameter, the first parameter of a child / map / parallel callback or of a
`@durable_with_child_context` / `@durable_parallel_branch` function, a
parameter annotated with the SDK's `DurableContext`, or a parameter of a helper
the context is passed to (followed across files through the call graph); an
operation is a call of a catalogued method (`catalog/categories/durable.toml`)
on a name that holds a context. A function reached both from orchestration and
from a step counts as orchestration: it runs at least once per replay.

API (`durable_scope(index)` builds the model once per index and caches it):

    scope = durable_scope(index)
    scope.kind_of(path, fid)          -> Kind.ORCHESTRATION | Kind.STEP | None (neither);
                                         fid None (module level) is never durable
    scope.kinds(path, fid)            -> frozenset of every kind the function runs as
    scope.context_names(path, fid)    -> names holding a durable context in that function
                                         (its own parameters and those it captures)
    scope.own_context_names(path, fid)-> only the function's own context parameters (and, for a method,
                                         the context its object keeps: `self.ctx`)
    scope.operation(model, call)      -> Operation (entry, name / callback / config / items
                                         arguments resolved, callback function ids) or None
    scope.is_durable_handler(path, fid)
    scope.chain(path, fid)            -> [Link] from a durable handler (or a durable body with no
                                         known caller) to the function; `describe_chain` renders it
                                         as "`handler` → `loadUser()` → …"
    scope.bodies(path)                -> (fid, kind, operation) of every durable body in a file
    scope.functions()                 -> every classified (path, fid, kind), for `--verbose`
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator, Optional

from lambdalint.durable.forwarding import forwarded_callbacks
from lambdalint.durable.object_contexts import ObjectContexts, mapped_contexts
from lambdalint.durable.operations import Kind, Operation, OperationReader
from lambdalint.durable.sdk_imports import may_hold_durable_code, may_seed_durable_code
from lambdalint.model import ArgKind, Call, FileModel, Function, Language, Use
from lambdalint.modules import module_suffixes
from lambdalint.refs import Ref

_OPERATION_PREFIX = "DurableContext#"
_NO_KINDS: frozenset = frozenset()
_MISSING = object()
_INLINE = "<inline>"   # the chain label of a callback that runs inside the function that contains it


@dataclass(frozen=True)
class Link:
    """One function of a call chain, and the call that reached the next one (None for the last)."""

    path: str
    fid: int
    label: str                         # "`handler`", "`loadUser()`", "the `map` callback"


def durable_scope(index) -> "DurableScope":
    """The durable scope model of `index`, built on first use and kept on the index."""
    return index.derived("durable_scope", DurableScope)


class DurableScope(ObjectContexts):
    def __init__(self, index):
        self.index = index
        self._kinds: dict[tuple[str, int], set] = {}
        self._ctx_params: dict[tuple[str, int], set] = {}
        self._pred: dict[tuple[tuple[str, int], Kind], tuple[Optional[tuple[str, int]], str]] = {}
        self._handlers: set = set()
        self._decorated: dict[tuple[str, int], object] = {}
        self._bodies: dict[tuple[str, int], tuple[Kind, str]] = {}
        self._bodies_by_path: Optional[dict] = None
        self._names_memo: Optional[dict] = None
        self._op_memo: dict[tuple[str, int], Optional[Operation]] = {}
        self._reader = OperationReader(index, self._decorated, self._sdk)
        self._children: dict[tuple[str, Optional[int]], list[int]] = {}
        self._calls_in: dict[tuple[str, Optional[int]], list[Call]] = {}
        self._sdk_files: dict[str, bool] = {}
        self._sdk_memo: dict = {}
        self._attributes_memo: dict = {}
        self._extended_by: Optional[dict[str, set]] = None   # base class name -> names of classes extending it
        self._issuing: set = set()         # functions that call a durable operation themselves
        self._paths: Optional[frozenset] = None
        self._context_paths: frozenset = frozenset()
        for path, model in index.files.items():
            for fn in model.functions:
                self._children.setdefault((path, fn.parent), []).append(fn.id)
            for call in model.calls:
                self._calls_in.setdefault((path, call.function), []).append(call)
        if may_hold_durable_code(index):
            self._build()
        self._names_memo = {}
        self._paths = frozenset(path for path, _fid in self._kinds)
        # Files where some function holds a context: only there can a call be an operation.
        self._context_paths = frozenset(path for (path, _fid), names in self._ctx_params.items() if names)

    def touches(self, path: str) -> bool:
        """Whether any function of file `path` is durable code (rules over durable code skip the others)."""
        return self._paths is not None and path in self._paths

    def may_operate(self, path: str) -> bool:
        """Whether a call in `path` can be a durable operation (some function of it holds a context)."""
        return self._paths is None or path in self._context_paths

    # ------------------------------------------------------------ queries
    def kind_of(self, path: str, fid: Optional[int]) -> Optional[Kind]:
        if fid is None or (self._paths is not None and path not in self._paths):
            return None
        kinds = self._kinds.get((path, fid))
        if not kinds:
            return None
        return Kind.ORCHESTRATION if Kind.ORCHESTRATION in kinds else Kind.STEP

    def kinds(self, path: str, fid: Optional[int]) -> frozenset:
        if self._paths is not None and path not in self._paths:
            return _NO_KINDS
        return frozenset(self._kinds.get((path, fid), ())) if fid is not None else frozenset()

    def is_durable_handler(self, path: str, fid: Optional[int]) -> bool:
        return (path, fid) in self._handlers

    def own_context_names(self, path: str, fid: Optional[int]) -> frozenset:
        if fid is None:
            return frozenset()
        own = frozenset(self._ctx_params.get((path, fid), ()))
        model = self.index.files.get(path)
        if model is not None and model.functions[fid].class_name:
            own |= self._context_attributes(model, model.functions[fid])  # `this.ctx`: the method's object's
        return own

    def context_names(self, path: str, fid: Optional[int]) -> frozenset:
        """Names that hold a durable context in `fid`: its own, and those of enclosing functions it
        captures (unless a parameter or local of the same name shadows them)."""
        model = self.index.files.get(path)
        if model is None or fid is None:
            return frozenset()
        key = (path, fid)
        if self._names_memo is not None and key in self._names_memo:
            return self._names_memo[key]
        scoping = self.index.scopes(path).scoping
        names = set(self._captured_attributes(model, fid, scoping))
        for fn in model.enclosing_functions(fid):
            for name in self._ctx_params.get((path, fn.id), ()):
                if fn.id == fid or scoping.scope_of(fid, name) == fn.id:
                    names.add(name)
        found = frozenset(names)
        if self._names_memo is not None:      # contexts only grow while the model is being built
            self._names_memo[key] = found
        return found

    def bodies(self, path: str) -> Iterator[tuple[int, Kind, str]]:
        """The functions of `path` that a durable operation runs as its body (step functions, condition
        checks, callback submitters, child / map / parallel callbacks, decorated functions), with the
        body's kind and the operation (`step`, `map`, `@durable_step`)."""
        if self._bodies_by_path is None:
            self._bodies_by_path = {}
            for (p, fid), (kind, operation) in sorted(self._bodies.items(), key=lambda item: item[0]):
                self._bodies_by_path.setdefault(p, []).append((fid, kind, operation))
        yield from self._bodies_by_path.get(path, ())

    def functions(self) -> Iterator[tuple[str, int, Kind]]:
        for (path, fid) in sorted(self._kinds, key=lambda k: (k[0], k[1])):
            kind = self.kind_of(path, fid)
            if kind is not None:
                yield path, fid, kind

    def chain(self, path: str, fid: int) -> list[Link]:
        """The functions from a durable handler (or a durable body nobody is known to call) to `fid`."""
        links: list[Link] = []
        key: Optional[tuple[str, int]] = (path, fid)
        seen = set()
        while key is not None and key not in seen:
            seen.add(key)
            kind = Kind.ORCHESTRATION if (key, Kind.ORCHESTRATION) in self._pred else Kind.STEP
            prev, label = self._pred.get((key, kind), (None, ""))
            if label != _INLINE or prev is None:
                links.append(Link(key[0], key[1], self._label(key) if label in ("", _INLINE) else label))
            key = prev
        links.reverse()
        return links

    def describe_chain(self, path: str, fid: int, last: Optional[str] = None) -> str:
        """"`handler` → `loadUser()` → `fetch()`": the chain to `fid`, then `last` (the source site)."""
        parts = [link.label for link in self.chain(path, fid)]
        if len(parts) > 3:
            parts = [parts[0], "…", parts[-1]]
        if last:
            parts.append(last)
        return " → ".join(parts)

    # --------------------------------------------------------- operations
    def operation(self, model: FileModel, call: Call) -> Optional[Operation]:
        if self._names_memo is not None and model.path not in self._context_paths:
            return None  # no context in the file (built: contexts no longer arrive)
        key = (model.path, call.id)
        if key in self._op_memo:
            return self._op_memo[key]
        op = self._operation(model, call)
        if op is not None or self._names_memo is not None:   # while building, a context may still arrive
            self._op_memo[key] = op
        return op

    def _operation(self, model: FileModel, call: Call) -> Optional[Operation]:
        if call.function is None or call.is_new or call.receiver is None or call.receiver_call is not None:
            return None
        names = self.context_names(model.path, call.function)
        parts = call.receiver.split(".")
        held = next((k for k in range(len(parts), 0, -1) if ".".join(parts[:k]) in names), None)
        # `ctx.promise.all`: the member between the context and the method is part of the operation.
        if held is None or len(parts) - held > 1:
            return None
        root, method = ".".join(parts[:held]), call.method
        if held < len(parts):
            method = f"{parts[held]}.{method}"
        entry = self.index.category_entry("durable_operation", model.language.is_js, _OPERATION_PREFIX + method)
        if entry is None:
            return None
        return self._reader.read(model, call, entry, method, root)

    # ------------------------------------------------------------- build
    def _sdk(self, ref, category: str, is_js: bool):
        """The catalogue entry an SDK name resolves to: an external name, or the SDK's own module
        when its source is part of the project (the SDK's repository, a vendored copy)."""
        if ref is None:
            return None
        qualified = self.index.qualified(ref)
        if qualified:
            return self.index.category_entry(category, is_js, qualified)
        if is_js or ref.kind not in ("function", "class") or ref.path is None:
            return None
        key = (ref, category)  # every call of a project function asks: once per function
        found = self._sdk_memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._sdk_memo[key] = self._sdk_module_entry(ref, category)
        return found

    def _sdk_module_entry(self, ref, category: str):
        categories = self.index.catalog.categories
        model = self.index.files[ref.path]
        name = model.functions[ref.fid].name if ref.kind == "function" else ref.class_name
        for module in module_suffixes(ref.path):
            entry = categories.first(category, False, f"{module}.{name}")
            if entry is not None:
                return entry
        return None

    def _build(self) -> None:
        queue: deque = deque()
        edges: dict = {}
        roots: set = set()

        def mark(key, kind: Kind, pred=None, label: str = "", contexts=()) -> None:
            kinds = self._kinds.setdefault(key, set())
            params = self._ctx_params.setdefault(key, set())
            changed = kind not in kinds or not set(contexts) <= params
            kinds.add(kind)
            params.update(contexts)
            if pred is not None and pred != key:
                edges.setdefault(pred, set()).add(key)
            else:
                roots.add(key)
            current = self._pred.get((key, kind))
            if current is None or (current[0] is None and pred is not None and pred != key):
                self._pred[(key, kind)] = (pred, label or (current[1] if current else ""))
            elif label and not current[1]:
                self._pred[(key, kind)] = (current[0], label)
            if changed:
                queue.append(key)
                if contexts:
                    queue.extend(self._method_changed(key))

        for path, model in self.index.files.items():
            if self._in_sdk(path):
                continue  # the SDK's own source, when the project holds it, is library code
            if not may_seed_durable_code(self.index, model):
                continue
            is_js = model.language.is_js
            for fn in model.functions:
                for dec in fn.decorators:
                    ref = self.index.resolve_path(model, fn.parent, dec.callee)
                    handler = self._sdk(ref, "durable_handler", is_js)
                    if handler is not None:
                        self._handlers.add((path, fn.id))
                        contexts = _param_names(fn, handler.get("context"))
                        if contexts:  # without a context it issues no operation, so nothing replays
                            mark((path, fn.id), Kind.ORCHESTRATION, label=f"`{fn.name}`", contexts=contexts)
                        continue
                    entry = self._sdk(ref, "durable_decorator", is_js)
                    if entry is not None:
                        self._decorated[(path, fn.id)] = entry
                        self._bodies[(path, fn.id)] = (Kind(entry.get("scope")), f"@{dec.callee}")
                        mark((path, fn.id), Kind(entry.get("scope")), label=f"`{fn.name}()`",
                             contexts=_param_names(fn, entry.get("context")))
                typed = self._typed_contexts(model, fn)
                if typed:
                    # A `@durable_step` function stays a step even when it is handed the context.
                    decorated = self._decorated.get((path, fn.id))
                    kind = Kind(decorated.get("scope")) if decorated is not None else Kind.ORCHESTRATION
                    mark((path, fn.id), kind, contexts=typed)
            for call in model.calls:
                ref = self.index.resolve_callee(model, call)
                handler = self._sdk(ref, "durable_handler", is_js)
                if handler is None or not call.args:
                    continue
                target = self._wrapped(model, call, set())
                if target is not None:
                    self._handlers.add(target)
                    fn = self.index.files[target[0]].functions[target[1]]
                    label = f"`{fn.name or _bound_name(model, call) or 'handler'}`"
                    contexts = _param_names(fn, handler.get("context"))
                    if contexts:  # without a context it issues no operation, so nothing replays
                        mark(target, Kind.ORCHESTRATION, label=label, contexts=contexts)
        while queue:
            key = queue.popleft()
            self._visit(key, mark)
        self._drop_executions_without_operations(edges, roots)

    def _drop_executions_without_operations(self, edges: dict, roots: set) -> None:
        """A durable function that never issues an operation is never suspended, so nothing of it replays."""
        live: set = set()
        for root in roots:
            reached, queue = {root}, deque([root])
            while queue:
                for nxt in edges.get(queue.popleft(), ()):
                    if nxt not in reached:
                        reached.add(nxt)
                        queue.append(nxt)
            if reached & self._issuing:
                live |= reached
        for key in [k for k in self._kinds if k not in live]:
            del self._kinds[key]
            self._bodies.pop(key, None)

    def _in_sdk(self, path: str) -> bool:
        memo = self._sdk_files
        if path not in memo:
            model = self.index.files[path]
            memo[path] = not model.language.is_js and any(
                self.index.catalog.categories.first("durable_sdk_module", False, m) is not None
                for m in module_suffixes(path)
            )
        return memo[path]

    def _typed_contexts(self, model: FileModel, fn: Function) -> set:
        return {param.name for param in fn.params
                if param.annotation and self._is_context_type(model, fn.id, param.annotation)}

    def _is_context_type(self, model: FileModel, fid: int, annotation: str) -> bool:
        ref = self.index.resolve_type(model, fid, annotation)
        if ref is not None and ref.kind == "external_instance":
            ref = Ref("external", qualified=ref.qualified)
        elif ref is not None and ref.kind == "instance":
            ref = Ref("class", ref.path, class_name=ref.class_name)
        return self._sdk(ref, "durable_context_type", model.language.is_js) is not None

    def _wrapped(self, model: FileModel, call: Call, seen: set) -> Optional[tuple[str, int]]:
        """The function a wrapper call wraps (`withDurableExecution(fn)`, `withDurableExecution(middy(fn))`)."""
        if call.id in seen or len(seen) > 8 or not call.args:
            return None
        seen.add(call.id)
        arg = call.args[0]
        if arg.kind is ArgKind.FUNCTION:
            return model.path, arg.function
        if arg.kind is ArgKind.NAME:
            ref = self.index.function_ref(model, call.function, arg.text)
            if ref is not None:
                return ref.path, ref.fid
            origin = self.index.value_origin(model, call.function, arg.text)
            return self._wrapped(model, origin, seen) if origin is not None else None
        if arg.kind is ArgKind.CALL:
            return self._wrapped(model, model.calls[arg.call], seen)
        return None

    def _visit(self, key: tuple[str, int], mark) -> None:
        path, fid = key
        model = self.index.files[path]
        kinds = self._kinds.get(key, set())
        kind = Kind.ORCHESTRATION if Kind.ORCHESTRATION in kinds else Kind.STEP
        contexts = self.context_names(path, fid)
        consumed: set = set()
        for call in self._calls_in.get((path, fid), ()):
            op = self.operation(model, call) if contexts else None
            if op is not None:
                self._issuing.add(key)
                scope = op.scope
                for target in op.callbacks:
                    consumed.add(target)
                    body_kind = Kind.STEP if kind is Kind.STEP else scope
                    if body_kind is None:
                        continue
                    tfn = self.index.files[target[0]].functions[target[1]]
                    self._bodies.setdefault(target, (body_kind, op.method))
                    ctx_index = op.entry.get("context") if body_kind is Kind.ORCHESTRATION else None
                    mark(target, body_kind, key, _callback_label(op, tfn), _param_names(tfn, ctx_index))
                for tpath, tfid, role in op.config_callbacks:
                    consumed.add((tpath, tfid))
                    if role == "step":
                        tfn = self.index.files[tpath].functions[tfid]
                        mark((tpath, tfid), Kind.STEP, key, f"the `{tfn.name or op.method}` callback")
                self._wrapped_bodies(model, key, kind, op, consumed, mark)
                continue
            ref = self.index.resolve_callee(model, call)
            if ref is None:
                ref = self._base_initialised(model, call)  # `super().__init__(context)`
            elif call.callee == "super" and ref.kind == "instance":
                ref = Ref("class", ref.path, class_name=ref.class_name)  # JS `super(ctx)`
            if ref is not None and ref.kind == "class":
                self._construct(key, kind, call, ref, contexts, mark)
                continue
            if ref is None or ref.kind != "function":
                continue
            target = (ref.path, ref.fid)
            if target in self._decorated or self._in_sdk(ref.path):
                continue  # a decorated function's call only builds the callable an operation runs;
                #           the SDK's own source (when the project holds it) is not user code
            tmodel = self.index.files[ref.path]
            tfn = tmodel.functions[ref.fid]
            passed = mapped_contexts(call, tfn, contexts, tmodel.language is Language.PYTHON)
            mark(target, kind, key, f"`{_function_label(tfn, call)}()`", passed)
            for child, fop in forwarded_callbacks(self, call, ref.path, tfn, tmodel.language is Language.PYTHON):
                consumed.add((path, child))   # `runStep(ctx, "a", async () => …)`: run by the wrapper's step
                cfn = model.functions[child]
                body_kind = Kind.STEP if kind is Kind.STEP else fop.scope
                ctx_index = fop.entry.get("context") if body_kind is Kind.ORCHESTRATION else None
                self._bodies.setdefault((path, child), (body_kind, fop.method))
                mark((path, child), body_kind, key, _callback_label(fop, cfn), _param_names(cfn, ctx_index))
        for child in self._children.get((path, fid), ()):
            cfn = model.functions[child]
            if (path, child) in consumed or (path, child) in self._decorated or not runs_in_parent(cfn):
                continue
            mark((path, child), kind, key, _INLINE)

    def calls_in(self, path: str, fid: Optional[int]) -> list:
        return self._calls_in.get((path, fid), [])

    def _wrapped_bodies(self, model: FileModel, key, kind: Kind, op: Operation, consumed: set, mark) -> None:
        """Functions written inside an operation's callback or config argument without being its callback
        (`ctx.step("a", withRetry(async () => …))`, `{ waitStrategy: createWaitStrategy({ … }) }`) run when
        the operation runs them: as its body, or, in the config, as step-like code; never inline here."""
        path, fid = key
        slots = [(op.args.get(role), op.scope) for role in ("callback", "branches")]
        slots.append((op.args.get("config"), Kind.STEP))
        for arg, body_kind in slots:
            if arg is None or arg.span is None or arg.kind in (ArgKind.FUNCTION, ArgKind.NAME):
                continue
            for child in self._children.get((path, fid), ()):
                cfn = model.functions[child]
                if (path, child) in consumed or not _within(cfn.span, arg.span):
                    continue
                consumed.add((path, child))
                if body_kind is not None:
                    mark((path, child), Kind.STEP if kind is Kind.STEP else body_kind, key,
                         _callback_label(op, cfn))

    def _label(self, key: tuple[str, int]) -> str:
        fn = self.index.files[key[0]].functions[key[1]]
        return f"`{fn.name}()`" if fn.name else "a callback"


def _within(inner, outer) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column))


def runs_in_parent(fn: Function) -> bool:
    """An anonymous function passed to a plain call (`rows.map(r => …)`, `new Promise(r => …)`) or
    invoked in place runs as part of the function that contains it; a named one runs where it is called."""
    d = fn.disposition
    if fn.name and (d is None or d.use is Use.ASSIGNED):
        return False
    if d is None:
        return False
    # A returned function runs wherever its caller runs it (`ctx.step("a", makeStep(x))`): unknown here.
    return d.use in (Use.ARGUMENT, Use.RECEIVER, Use.OTHER, Use.AWAITED, Use.DISCARDED)



def _param_names(fn: Function, index) -> set:
    if index is None:
        return set()
    params = [p for p in fn.params if not p.is_rest]
    i = int(index)
    if params and params[0].name in ("self", "cls") and fn.class_name:
        i += 1
    if i < len(params) and params[i].name not in ("{}", "[]"):
        return {params[i].name}
    return set()


def _callback_label(op: Operation, fn: Function) -> str:
    if fn.name and fn.kind.value != "arrow" and fn.kind.value != "lambda":
        return f"`{fn.name}()`"
    return f"the `{op.method}` callback"


def _function_label(fn: Function, call: Call) -> str:
    return fn.name or call.callee


def _bound_name(model: FileModel, call: Call) -> Optional[str]:
    d = call.disposition
    return d.target if d.use is Use.ASSIGNED and d.target and "." not in d.target else None



def classification(index) -> list[tuple[str, int, str, str]]:
    """(path, line, name, kind) of every durable function, for `--verbose`: how the DF rules see the code."""
    scope = durable_scope(index)
    rows = []
    for path, fid, kind in scope.functions():
        fn = index.files[path].functions[fid]
        label = "durable handler" if scope.is_durable_handler(path, fid) else kind.value
        rows.append((path, fn.span.line, scope.describe_chain(path, fid), label))
    return rows
