"""Values that only ever reach a log line: a timestamp or an environment value written to a log decides
nothing on replay, so the determinism rules leave it alone (DF019 judges the logging itself).

A value is logged when it sits inside a log call, when the one name it is bound to is read only inside
log calls, or when it is handed to a project function whose parameter is read only inside that
function's log calls (`emit_metric(context.logger, "duration", {"ms": elapsed})`), with the logger
the function is handed counting as one of its log calls.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.durable.apis import api
from lambdalint.durable.facts import within
from lambdalint.durable.scope import durable_scope
from lambdalint.model import Arg, ArgKind, Call, FileModel, Span

_MAX_DEPTH = 6   # names and helpers followed from the value, in all
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
                          "trace"})


def only_logged(index, model: FileModel, call: Call) -> bool:
    """Whether the value of `call` is only ever written to a log (`console.log(`${new Date().toISOString()} …`)`,
    a structured logger's `timestamp` field, a metric helper's log line)."""
    loggers = log_calls(index, model, call.function, exclude=call.id)
    return _logged(index, model, call.function, call.span, loggers, depth=0)


def logged_at(index, model: FileModel, fid: int, span: Span, loggers: list) -> bool:
    """Whether the value at `span` only ever reaches log lines (`loggers`: the spans of `fid`'s log calls)."""
    return _logged(index, model, fid, span, loggers, depth=0)


def log_calls(index, model: FileModel, fid: Optional[int], exclude: Optional[int] = None,
              logger_params: frozenset = frozenset()) -> list:
    """The spans of the log calls in `fid`: plain loggers, the durable context's own logger
    (`context.logger.info(…)`), whose lines decide nothing on replay either, and the log methods of the
    parameters in `logger_params` (a logger the caller hands in)."""
    contexts = durable_scope(index).context_names(model.path, fid) if fid is not None else frozenset()
    return [c.span for c in model.calls if c.function == fid and c.id != exclude
            and (api(index, model, c, "logger") is not None or _context_logger(index, model, c, contexts)
                 or (c.receiver in logger_params and c.method in _LOG_METHODS))]


def _context_logger(index, model: FileModel, call: Call, contexts) -> bool:
    root, _, member = (call.receiver or "").partition(".")
    return bool(member) and root in contexts and "." not in member and _is_context_logger(index, model, member)


def _is_context_logger(index, model: FileModel, member: str) -> bool:
    return index.catalog.categories.first("durable_logger", model.language.is_js, "DurableContext#" + member) is not None


def _logged(index, model: FileModel, fid: int, span: Span, loggers: list, depth: int) -> bool:
    if any(within(span, log) for log in loggers):
        return True
    if depth >= _MAX_DEPTH:
        return False
    helped = _handed_to_helper(index, model, fid, span, depth)
    if helped is not None:
        return helped
    holders = [b for b in model.bindings if b.function == fid and b.value_span is not None and within(span, b.value_span)
               and "." not in b.name and "[" not in b.name and b.kind in ("declare", "assign")]
    if len(holders) != 1:
        return False
    return _reads_logged(index, model, fid, holders[0].name, loggers, depth)


def _reads_logged(index, model: FileModel, fid: int, name: str, loggers: list, depth: int) -> bool:
    reads = [r for r in model.names if r.name.split(".", 1)[0] == name
             and any(f.id == fid for f in model.enclosing_functions(r.function))]
    # A read in a closure (`lambda _: started`) takes the value somewhere else than the log line.
    return bool(reads) and all(r.function == fid and _logged(index, model, fid, r.span, loggers, depth + 1)
                               for r in reads)


def _handed_to_helper(index, model: FileModel, fid: int, span: Span, depth: int) -> Optional[bool]:
    """When the value is (inside) an argument of a call to a project function: whether that parameter only
    reaches the function's log lines. None when it is no such argument."""
    for edge in index.callgraph.callees(model.path, fid):
        if edge.callback:
            continue
        call = model.calls[edge.call_id]
        for param, position in edge.bindings:
            arg = call.args[position] if position < len(call.args) else None
            if arg is None or arg.span is None or not within(span, arg.span):
                continue
            helper = index.files[edge.callee_path]
            target = helper.functions[edge.callee]
            name = target.params[param].name
            if name in ("{}", "[]") or target.params[param].is_rest:
                return False
            handed = frozenset(target.params[p].name for p, at in edge.bindings
                               if at < len(call.args) and _is_logger(index, model, fid, call.args[at]))
            loggers = log_calls(index, helper, target.id, logger_params=handed)
            return _reads_logged(index, helper, target.id, name, loggers, depth)
    return None


def _is_logger(index, model: FileModel, fid: int, arg: Arg) -> bool:
    """`context.logger`, or a logger object (`logging.getLogger()`, Powertools' `Logger()`), as an argument."""
    if arg.kind is not ArgKind.NAME:
        return False
    root, _, member = arg.text.partition(".")
    if member and "." not in member and root in durable_scope(index).context_names(model.path, fid):
        return _is_context_logger(index, model, member)
    ref = index.resolve_path(model, fid, arg.text)
    return ref is not None and ref.kind == "external_instance" and index.catalog.categories.first(
        "logger", model.language.is_js, f"{ref.qualified}#info") is not None
