"""What the determinism rules share about one file: its durable operations, where nondeterministic
values come from, which names carry them, and how to say where code runs.

Taint is deliberately small and flow-insensitive: a local name is tainted when
any value bound to it (its `= …`, augmented operand or loop iterable) contains
a nondeterministic call, or a read of a tainted name, evaluated in the same
function. A durable operation's result is checkpointed, so nothing inside an
operation call (its name, its callback) taints the name its result is bound to.
Input (`event`), loop targets and step results are therefore deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from lambdalint.durable.apis import api, call_text
from lambdalint.durable.scope import Kind, Operation, durable_scope, runs_in_parent
from lambdalint.model import ArgKind, Call, FileModel, Span
from lambdalint.structure import structure_of

NONDETERMINISTIC = ("clock", "random", "random_id")
TAINT_SOURCES = NONDETERMINISTIC + ("io",)


def within(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)
    )


@dataclass
class Source:
    call: Call
    category: str

    @property
    def text(self) -> str:
        return call_text(self.call)


@dataclass
class FileFacts:
    model: FileModel
    ops: list[tuple[Call, Operation]] = field(default_factory=list)
    sources: dict[int, Source] = field(default_factory=dict)          # call id -> source (TAINT_SOURCES)
    _taint: dict[Optional[int], dict[str, Source]] = field(default_factory=dict)

    def in_operation(self, span: Span, value: Span) -> bool:
        """Inside a durable operation call that is itself part of `value` (its result is checkpointed)."""
        return any(within(call.span, value) and within(span, call.span) and span != call.span
                   for call, _ in self.ops)

    def in_name(self, span: Span) -> bool:
        """Inside the name argument of a durable operation (DF005 reports those)."""
        return any(op.name_arg is not None and op.name_arg.span is not None and within(span, op.name_arg.span)
                   for _, op in self.ops)


def file_facts(index, model: FileModel) -> FileFacts:
    cache = index.derived("durable_facts", lambda _: {})
    facts = cache.get(model.path)
    if facts is None:
        facts = cache[model.path] = _build(index, model)
    return facts


def _build(index, model: FileModel) -> FileFacts:
    scope = durable_scope(index)
    facts = FileFacts(model)
    if not scope.touches(model.path):
        return facts  # no durable function in the file: every call below would be skipped
    for call in model.calls:
        if call.function is None or scope.kind_of(model.path, call.function) is None:
            continue
        op = scope.operation(model, call)
        if op is not None:
            facts.ops.append((call, op))
            continue
        for category in TAINT_SOURCES:
            if api(index, model, call, category) is not None:
                facts.sources[call.id] = Source(call, category)
                break
    return facts


def tainted_names(index, model: FileModel, fid: int) -> dict[str, Source]:
    """Local names of `fid` that hold a value from a nondeterministic source outside any operation."""
    facts = file_facts(index, model)
    if fid in facts._taint:
        return facts._taint[fid]
    facts._taint[fid] = {}
    # A loop target is not tainted by its iterable: an index is deterministic, and a loop over a
    # nondeterministic iterable is the loop's own finding (DF006).
    bindings = [b for b in model.bindings if b.function == fid and b.value_span is not None and "." not in b.name
                and "[" not in b.name and b.kind != "for"]
    calls = [c for c in model.calls if c.function == fid and c.id in facts.sources]
    names = [n for n in model.names if n.function == fid]
    tainted: dict[str, Source] = {}
    changed = True
    while changed:
        changed = False
        for binding in bindings:
            if binding.name in tainted:
                continue
            source = _source_in(facts, binding.value_span, calls, names, tainted)
            if source is not None:
                tainted[binding.name] = source
                changed = True
    facts._taint[fid] = tainted
    return tainted


def _source_in(facts: FileFacts, span: Span, calls, names, tainted) -> Optional[Source]:
    for call in calls:
        if within(call.span, span) and not facts.in_operation(call.span, span):
            return facts.sources[call.id]
    for ref in names:
        root = ref.name.split(".", 1)[0]
        if root in tainted and within(ref.span, span) and not facts.in_operation(ref.span, span):
            return tainted[root]
    return None


def taint_of(index, model: FileModel, fid: int, span: Span, categories=TAINT_SOURCES) -> Optional[Source]:
    """The nondeterministic source a value at `span` (evaluated in `fid`) depends on, if any."""
    facts = file_facts(index, model)
    for call in model.calls:
        source = facts.sources.get(call.id)
        if source is not None and source.category in categories and call.function == fid and within(
            call.span, span
        ) and not facts.in_operation(call.span, span):
            return source
    tainted = {k: v for k, v in tainted_names(index, model, fid).items() if v.category in categories}
    if not tainted:
        return None
    for ref in model.names:
        if ref.function == fid and within(ref.span, span) and not facts.in_operation(ref.span, span):
            root = ref.name.split(".", 1)[0]
            if root in tainted:
                return tainted[root]
    return None


def durable_calls(index, model: FileModel) -> Iterator[Call]:
    """Operation calls, and calls that hand a durable context to a project helper (which issues operations)."""
    scope = durable_scope(index)
    for call, _ in file_facts(index, model).ops:
        yield call
    for call in model.calls:
        if call.function is None:
            continue
        contexts = scope.context_names(model.path, call.function)
        if contexts and any(arg.kind is ArgKind.NAME and arg.text in contexts for arg in call.args):
            ref = index.resolve_callee(model, call)
            if ref is not None and ref.kind == "function":
                yield call


def governing(index, model: FileModel, call: Call) -> Iterator[tuple[object, int]]:
    """(Governing, function) for every condition that decides whether `call` runs, in durable code:
    those of its own function, then — while the function is a callback that runs inline — those
    around the callback's definition."""
    scope = durable_scope(index)
    structure = structure_of(model)
    item, fid = call, call.function
    while fid is not None and scope.kind_of(model.path, fid) is not None:
        for found in structure.governing_conditions(item):
            yield found, fid
        fn = model.functions[fid]
        if not runs_in_parent(fn):
            return
        item, fid = fn, fn.parent


def orchestration_calls(ctx, categories) -> Iterator[tuple[Call, str]]:
    """Calls of `categories` evaluated in orchestration code of this file (outside every step)."""
    scope = durable_scope(ctx.index)
    model = ctx.file
    if not scope.touches(model.path):
        return
    for call in model.calls:
        if call.function is None or scope.kind_of(model.path, call.function) is not Kind.ORCHESTRATION:
            continue
        for category in categories:
            if api(ctx.index, model, call, category) is not None:
                yield call, category
                break


def where(index, path: str, fid: int) -> str:
    """"in `handler`" or "in `handler` → `loadUser()`": the orchestration code a site runs in."""
    scope = durable_scope(index)
    return f"in {scope.describe_chain(path, fid)}"


def context_name(index, model: FileModel, fid: Optional[int]) -> str:
    """The name a fix gives the durable context in `fid`: one in scope there, else the SDK's usual one."""
    names = sorted(durable_scope(index).context_names(model.path, fid)) if fid is not None else []
    return names[0] if names else ("ctx" if model.language.is_js else "context")


def step_call(index, model: FileModel, fid: Optional[int]) -> str:
    """How the fix names a step here: `ctx.step(…)` with the context name in scope, `context.step(…)` else."""
    names = sorted(durable_scope(index).context_names(model.path, fid)) if fid is not None else []
    own = sorted(durable_scope(index).own_context_names(model.path, fid)) if fid is not None else []
    name = (own or names or ["ctx" if model.language.is_js else "context"])[0]
    return f"`{name}.step(…)`"
