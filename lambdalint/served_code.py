"""Code a web framework runs per request inside a Lambda (NestJS controllers behind serverless-express).

The handler hands the event to the framework (`server(event, context)`), so
the call graph from the handler stops there. When a handler's code imports a
framework's bootstrap module, the methods of the framework's entry classes
(`@Controller`) and everything they reach are treated as invocation code, and
findings there name that handler. Where the project index itself follows the
dispatch into the framework, `ProjectIndex.in_lambda_scope` / `handler_for`
answer first and this only fills the gaps.
"""
from __future__ import annotations

from collections import deque
from typing import Optional

from lambdalint.index import Handler, ProjectIndex
from lambdalint.model import ArgKind


class FrameworkScope:
    def __init__(self, index: ProjectIndex):
        self.index = index
        self.reached: set = set()
        self.handler: Optional[Handler] = self._serving_handler()
        if self.handler is not None:
            self._walk()

    def _serving_handler(self) -> Optional[Handler]:
        """The first handler whose code (the handler module and what it imports) bootstraps a framework app."""
        index = self.index
        for handler in index.handlers:
            seen, queue = {handler.path}, deque([handler.path])
            while queue:
                path = queue.popleft()
                model = index.files[path]
                if not model.language.is_js:
                    continue
                for imp in model.imports:
                    if index.catalog.categories.first("framework_bootstrap", True, f"{imp.module}:{imp.name or ''}"):
                        return handler
                    target = index.resolve_js_module(path, imp.module)
                    if target is not None and target not in seen:
                        seen.add(target)
                        queue.append(target)
        return None

    def _walk(self) -> None:
        index = self.index
        queue = deque()
        for path, model in index.files.items():
            if not model.language.is_js:
                continue
            entry_classes = set()
            for cls in model.classes:
                for decorator in cls.decorators:
                    ref = index.resolve_path(model, cls.parent, decorator.callee)
                    if index.catalog.categories.first("framework_entry_class", True, index.qualified(ref)):
                        entry_classes.add(cls.name)
            for fn in model.functions:
                if fn.class_name in entry_classes:
                    queue.append((path, fn.id))
        children: dict = {}
        calls_in: dict = {}
        for path, model in index.files.items():
            for fn in model.functions:
                children.setdefault((path, fn.parent), []).append(fn.id)
            for call in model.calls:
                calls_in.setdefault((path, call.function), []).append(call)
        while queue:
            key = queue.popleft()
            if key in self.reached:
                continue
            self.reached.add(key)
            path, fid = key
            model = index.files[path]
            queue.extend((path, child) for child in children.get((path, fid), ()))
            for call in calls_in.get((path, fid), ()):
                ref = index.resolve_callee(model, call)
                if ref is not None and ref.kind == "function":
                    queue.append((ref.path, ref.fid))
                for arg in call.args:
                    if arg.kind is ArgKind.NAME:
                        target = index.function_ref(model, fid, arg.text)
                        if target is not None:
                            queue.append((target.path, target.fid))


def runs_in_invocation(index: ProjectIndex, path: str, fid: Optional[int]) -> bool:
    """`ProjectIndex.in_lambda_scope`, widened by the framework entry points a handler serves."""
    if index.in_lambda_scope(path, fid):
        return True
    return fid is not None and (path, fid) in index.derived("framework_scope", FrameworkScope).reached


def serving_handler(index: ProjectIndex, path: str, fid: Optional[int]) -> Optional[Handler]:
    """The handler that reaches `fid`: through the call graph, else through the framework app it serves."""
    handler = index.handler_for(path, fid)
    if handler is not None or fid is None:
        return handler
    scope = index.derived("framework_scope", FrameworkScope)
    return scope.handler if (path, fid) in scope.reached else None
