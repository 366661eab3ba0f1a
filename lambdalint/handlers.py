"""Which functions are Lambda handlers, found in the code (IaC-named ones arrive as `handlers` entries).

A handler is a module-level Python function named like one (`lambda_handler`,
`handler`, two parameters) or under a handler decorator (Powertools, the
durable SDK, a framework's entry points); a JS/TS export named like one or
wrapped by a durable wrapper; or whatever the `handlers` setting and the IaC
name (`name`, `module.name`, `path/to/file.py:name`). Wrappers are seen
through: `middy(fn).use(x)`, `withDurableExecution(fn)`, `Mangum(app)`.
The names are catalogue data (`catalog/semantics.toml`, `[handlers]`).
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from lambdalint.frameworks import is_entry_point as framework_entry
from lambdalint.iac.providers import other_cloud
from lambdalint.model import ArgKind, Binding, Call, FileModel, Function, Language

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex

_MAX_WRAPPERS = 48
_NODE_WITHOUT_CALLBACKS = 24   # the first Node.js runtime that answers a plain function's return at once


@dataclass(frozen=True)
class Handler:
    path: str
    fid: int
    name: str                           # "api.handler"
    line: int
    waits_for_event_loop: bool = False  # a Node callback-style handler: the runtime waits for pending work

    @property
    def display(self) -> str:
        return f"`{self.name}` ({self.path}:{self.line})"

    @property
    def short_display(self) -> str:
        """For messages: the file's name only (the finding's own path says where the project is)."""
        return f"`{self.name}` ({posixpath.basename(self.path.replace(os.sep, '/'))}:{self.line})"


class HandlerNames:
    """Handler names from configuration and IaC: `name`, `module.name` or `path/to/file.py:name`."""

    def __init__(self, entries: Iterable[str]):
        self.everywhere: set[str] = set()
        self.by_path: list[tuple[str, str]] = []
        for entry in entries:
            if ":" in entry:
                file_part, name = entry.rsplit(":", 1)
                self.by_path.append((file_part.replace(os.sep, "/"), name))
            elif "." in entry:
                module, name = entry.rsplit(".", 1)
                self.by_path.append((module.replace(".", "/"), name))
            else:
                self.everywhere.add(entry)

    def names_for(self, path: str) -> set:
        names = set(self.everywhere)
        norm = path.replace(os.sep, "/")
        stem = posixpath.splitext(norm)[0]
        for suffix, name in self.by_path:
            if stem.endswith(suffix) or norm.endswith(suffix):
                names.add(name)
        return names


class HandlerFinder:
    def __init__(self, index: "ProjectIndex"):
        self.index = index
        catalog = index.catalog
        self.python_names = catalog.handler_python_names
        self.js_exports = catalog.handler_js_exports
        self.decorators = catalog.handler_decorators
        self.durable_wrappers = catalog.durable_wrappers

    def find(self, entries: Iterable[str]) -> list[Handler]:
        index = self.index
        found: dict[tuple[str, int], Handler] = {}
        wanted = HandlerNames(entries)
        for path, model in index.files.items():
            if other_cloud(index.iac, path):
                continue  # a Google / Azure / OpenWhisk… function: not a Lambda handler
            for target_path, fid, name in self.handlers_in(model, wanted):
                if (target_path, fid) not in found:
                    target = index.files[target_path]
                    fn = target.functions[fid]
                    waits = self._is_callback_style(target, fn) or (
                        target_path == path and self._plain_on_older_node(target, fn, name))
                    found[(target_path, fid)] = Handler(target_path, fid, f"{module_name(path)}.{name}",
                                                        fn.span.line, waits)
        # Handlers whose runtime does not wait come first, so that code they share is judged by them.
        return sorted(found.values(), key=lambda h: (h.waits_for_event_loop, h.path, h.line))

    def opaque_modules(self, entries: Iterable[str]) -> frozenset:
        """Files whose export (or module-level name) a handler entry names but whose function the code does
        not show: a library's result (`awslambda.streamifyResponse(trpcHandler({ router }))`). Such a
        project has a handler all the same; what that module loads runs in Lambda."""
        wanted = HandlerNames(entry for entry in entries if ":" in entry or "." in entry)
        if not wanted.by_path:
            return frozenset()
        found = set()
        for path, model in self.index.files.items():
            names = {name for suffix, name in wanted.by_path
                     if posixpath.splitext(path.replace(os.sep, "/"))[0].endswith(suffix)
                     or path.replace(os.sep, "/").endswith(suffix)}
            if not names:
                continue
            defined = ({ex.name for ex in model.exports} if model.language.is_js
                       else {b.name for b in model.bindings if b.function is None}
                       | {imp.local for imp in model.imports if imp.function is None})
            shown = {name for _, _, name in self.handlers_in(model, wanted)}
            if (names & defined) - shown:
                found.add(path)
        return frozenset(found)

    def unmatched(self, entries: Iterable[str]) -> list[str]:
        """Entries that name no function in the indexed files (a typo, a moved file)."""
        missing = []
        for entry in entries:
            name = entry.rsplit(":", 1)[-1] if ":" in entry else entry.rsplit(".", 1)[-1]
            wanted = HandlerNames([entry])
            if not any(name in wanted.names_for(path) and any(n == name for _, _, n in self.handlers_in(model, wanted))
                       for path, model in self.index.files.items()):
                missing.append(entry)
        return missing

    def _is_callback_style(self, model: FileModel, fn: Function) -> bool:
        """`(event, context, callback) => {...}`: Node waits for the event loop to drain before responding."""
        if not model.language.is_js or self.index.returns_async(model.path, fn.id):
            return False
        arity = 0
        for param in fn.params:
            if param.has_default or param.is_rest:
                break
            arity += 1
        return arity >= 3  # even with `callbackWaitsForEmptyEventLoop = false`: FF008 judges that case

    def _plain_on_older_node(self, model: FileModel, fn: Function, export: str) -> bool:
        """A plain function that returns no promise, exported as it is and deployed only on runtimes before
        Node.js 24: those answer when the event loop is empty (or the callback / `context.succeed` is called),
        whatever the function returns, so pending work finishes first. Node.js 24 answers with the return value."""
        annotation = (fn.return_annotation or "void").strip()
        if not model.language.is_js or fn.is_async or fn.is_generator or annotation not in ("void", "undefined"):
            return False
        if self.index.iac is None or self._may_return_promise(model, fn):
            return False  # the runtime waits for that promise instead, then answers
        if not _exported_as_written(model, fn, export):
            return False  # a wrapper (`middy(fn)`) is what the runtime calls
        from lambdalint.deploy.runtime_provided import node_major
        from lambdalint.iac import runtimes_of

        majors = [node_major(runtime) for runtime in runtimes_of(self.index.iac, model.path, export)]
        return bool(majors) and all(major is not None and major < _NODE_WITHOUT_CALLBACKS for major in majors)

    def _may_return_promise(self, model: FileModel, fn: Function) -> bool:
        """Some `return` gives what is known to be a promise (a call or a name bound to one); what cannot be
        told, such as a library call's result, is not taken for one (unknown is silent)."""
        scopes = self.index.scopes(model.path)
        if any(self.index.async_kind(model, call) is not None for call in scopes.returned_calls.get(fn.id, ())):
            return True
        for ref in scopes.returned_names.get(fn.id, ()):
            origin = self.index.value_origin(model, fn.id, ref.name)
            if origin is not None and self.index.async_kind(model, origin) is not None:
                return True
        return False

    def handlers_in(self, model: FileModel, wanted: HandlerNames) -> Iterator[tuple[str, int, str]]:
        names_here = wanted.names_for(model.path)
        if model.language is Language.PYTHON:
            for fn in model.functions:
                if fn.parent is not None or fn.class_name is not None or not fn.name:
                    continue
                decorated = any(d.callee.rsplit(".", 1)[-1] in self.decorators for d in fn.decorators) or (
                    framework_entry(self.index, model, fn))  # Chalice `@app.lambda_function()`, `@app.on_sqs_message`…
                by_name = fn.name in self.python_names and len(fn.params) >= 2
                if decorated or by_name or fn.name in names_here:
                    yield model.path, fn.id, fn.name
            for binding in model.bindings:
                if binding.function is None and binding.value_call is not None and (
                    binding.name in names_here or binding.name in self.python_names
                ):
                    fid = self._unwrap(model, model.calls[binding.value_call], set())
                    if fid is not None:
                        yield fid[0], fid[1], binding.name
            return
        for ex in model.exports:
            durable = ex.call is not None and self._calls_wrapper(model, model.calls[ex.call])
            if ex.name not in self.js_exports and ex.name not in names_here and not durable:
                continue
            target = self._export_function(model, ex)
            if target is not None:
                yield target[0], target[1], ex.name

    def _calls_wrapper(self, model: FileModel, call: Optional[Call]) -> bool:
        seen = 0
        while call is not None and seen < _MAX_WRAPPERS:
            if call.callee.rsplit(".", 1)[-1] in self.durable_wrappers:
                return True
            for arg in call.args:
                if arg.kind is ArgKind.CALL and self._calls_wrapper(model, model.calls[arg.call]):
                    return True
            call = model.calls[call.receiver_call] if call.receiver_call is not None else None
            seen += 1
        return False

    def _export_function(self, model: FileModel, ex) -> Optional[tuple[str, int]]:
        if ex.function is not None:
            return model.path, ex.function
        if ex.call is not None:
            return self._unwrap(model, model.calls[ex.call], set())
        if ex.local:
            symbol = self.index.scopes(model.path).lookup(None, ex.local)
            if symbol is None:
                return None
            if symbol[0] == "function":
                return model.path, symbol[1]
            if symbol[0] == "binding":
                binding: Binding = symbol[1]
                if binding.value_function is not None:
                    return model.path, binding.value_function
                if binding.value_call is not None:
                    return self._unwrap(model, model.calls[binding.value_call], set())
        return None

    def _unwrap(self, model: FileModel, call: Call, seen: set) -> Optional[tuple[str, int]]:
        """The function a wrapper call (`middy(fn).use(x)`, `withDurableExecution(fn)`) wraps."""
        if call.id in seen or len(seen) > _MAX_WRAPPERS:
            return None
        seen.add(call.id)
        for arg in call.args:
            if arg.kind is ArgKind.FUNCTION:
                return model.path, arg.function
            if arg.kind is ArgKind.NAME:
                ref = self.index.function_ref(model, call.function, arg.text)
                if ref is not None:
                    return ref.path, ref.fid
            if arg.kind is ArgKind.CALL:
                inner = self._unwrap(model, model.calls[arg.call], seen)
                if inner is not None:
                    return inner
        if call.receiver_call is not None:
            return self._unwrap(model, model.calls[call.receiver_call], seen)
        return None


def _exported_as_written(model: FileModel, fn: Function, export: str) -> bool:
    """`export` is `fn` itself (`exports.h = function …`, `export function h`, `const h = () => …; export { h }`),
    not the result of a call that wraps it."""
    for ex in model.exports:
        if ex.name != export or ex.call is not None:
            continue
        if ex.function == fn.id:
            return True
        if ex.local and fn.name == ex.local and fn.parent is None and fn.class_name is None:
            return True
        if ex.local and any(b.function is None and b.name == ex.local and b.value_function == fn.id
                            and b.value_call is None for b in model.bindings):
            return True
    return False


def module_name(path: str) -> str:
    """`src/api.ts` -> `api`: how a handler's name starts (`api.handler`)."""
    return posixpath.splitext(posixpath.basename(path.replace(os.sep, "/")))[0]
