"""The project's call graph, built once per run, with arguments mapped to parameters.

An edge says: call `call_id` in function `caller` (None: module level) of
`caller_path` runs function `callee` of `callee_path`, either directly or
because a function was passed to it by name (a callback: `app.use(handle)`).
`bindings` maps the callee's parameter indexes to the argument positions
that feed them, so a rule can ask "which functions receive the durable
context / this emitter?" and follow it across files.

Per-handler reachability lives here too: every handler that reaches a
function, not only the first one found.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

from lambdalint.model import Arg, ArgKind, Call, FileModel, Function

if TYPE_CHECKING:
    from lambdalint.index import Handler, ProjectIndex

Key = tuple[str, Optional[int]]


@dataclass(frozen=True, slots=True)
class Edge:
    caller_path: str
    caller: Optional[int]
    call_id: int
    callee_path: str
    callee: int
    callback: bool = False                     # the callee was passed by name, not called here
    bindings: tuple[tuple[int, int], ...] = ()  # (parameter index, argument index) pairs


class CallGraph:
    """`dispatched(index, model, call)` yields the functions a call hands the request to (framework
    routes and controllers); `wrappers(index, model, fid)` the functions that run around function `fid`
    (framework decorators). Both become edges, so reachability follows them."""

    def __init__(self, index: "ProjectIndex", dispatched=None, wrappers=None):
        self.index = index
        self._dispatched = dispatched
        self._wrappers = wrappers
        # A function's edges are resolved when first asked for: reachability visits only what the handlers
        # reach, and a run over one file resolves little more than what that file's rules ask about.
        self._out: dict[Key, list[Edge]] = {}
        self._in: Optional[dict[tuple[str, int], list[Edge]]] = None
        self._children: dict[Key, list[int]] = defaultdict(list)
        self._calls: dict[Key, list[Call]] = defaultdict(list)
        for path, model in index.files.items():
            for fn in model.functions:
                self._children[(path, fn.parent)].append(fn.id)
            for call in model.calls:
                self._calls[(path, call.function)].append(call)

    def _edges(self, model: FileModel, call: Call) -> Iterable[Edge]:
        index = self.index
        ref = index.resolve_callee(model, call)
        if ref is not None and ref.kind == "function":
            target = index.files[ref.path].functions[ref.fid]
            yield Edge(model.path, call.function, call.id, ref.path, ref.fid, False,
                       _bind(call, target, self._receiver_offset(call, target)))
        for arg in call.args:
            if arg.kind is ArgKind.NAME:
                target = index.function_ref(model, call.function, arg.text)
                if target is not None:
                    yield Edge(model.path, call.function, call.id, target.path, target.fid, True)
        if self._dispatched is not None:
            for path, fid in self._dispatched(index, model, call):
                yield Edge(model.path, call.function, call.id, path, fid, True)

    @staticmethod
    def _receiver_offset(call: Call, target: Function) -> int:
        """Python methods called on an instance take `self` first; the arguments start at parameter 1."""
        if target.class_name is None or target.class_name == "{}" or not target.params:
            return 0
        if target.params[0].name in ("self", "cls") and call.receiver is not None:
            return 1
        return 0

    # ------------------------------------------------------------- queries
    def callees(self, path: str, fid: Optional[int]) -> list[Edge]:
        found = self._out.get((path, fid))
        if found is None:
            model = self.index.files[path]
            found = self._out[(path, fid)] = [edge for call in self._calls.get((path, fid), ())
                                              for edge in self._edges(model, call)]
        return found

    def callers(self, path: str, fid: int) -> list[Edge]:
        """The edges into function `fid` of `path` (the whole graph is resolved on the first question)."""
        if self._in is None:
            self._in = defaultdict(list)
            for key in list(self._calls):
                for edge in self.callees(*key):
                    self._in[(edge.callee_path, edge.callee)].append(edge)
        return self._in.get((path, fid), [])

    def nested(self, path: str, fid: Optional[int]) -> list[int]:
        return self._children.get((path, fid), [])

    def argument(self, edge: Edge, param_index: int) -> Optional[Arg]:
        """The argument that feeds parameter `param_index` of the callee at this edge, if any."""
        call = self.index.files[edge.caller_path].calls[edge.call_id]
        for param, position in edge.bindings:
            if param == param_index and position < len(call.args):
                return call.args[position]
        return None

    def reachable(self, roots: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """Functions run by the roots: what they call (also callbacks passed by name) and what they nest."""
        seen: set[tuple[str, int]] = set()
        queue = deque(roots)
        while queue:
            key = queue.popleft()
            if key in seen:
                continue
            seen.add(key)
            path, fid = key
            queue.extend((path, child) for child in self.nested(path, fid))
            queue.extend((edge.callee_path, edge.callee) for edge in self.callees(path, fid))
            if self._wrappers is not None:
                queue.extend(self._wrappers(self.index, self.index.files[path], fid))
        return seen

    def reach_by_handler(self, handlers: list["Handler"]) -> dict[tuple[str, int], list["Handler"]]:
        """Every function a handler reaches -> the handlers that reach it, in handler order."""
        reached: dict[tuple[str, int], list["Handler"]] = defaultdict(list)
        for handler in handlers:
            for key in self.reachable([(handler.path, handler.fid)]):
                reached[key].append(handler)
        return dict(reached)


def _bind(call: Call, target: Function, offset: int) -> tuple[tuple[int, int], ...]:
    """Map positional and keyword arguments of `call` to parameter indexes of `target`."""
    params = target.params
    pairs = []
    position = offset
    by_name = {p.name: i for i, p in enumerate(params)}
    for i, arg in enumerate(call.args):
        if arg.keyword is not None:
            if arg.keyword in by_name:
                pairs.append((by_name[arg.keyword], i))
            continue
        if arg.spread:
            break  # positions after a spread are unknown
        if position < len(params):
            pairs.append((position, i))
            if not params[position].is_rest:
                position += 1
    return tuple(pairs)
