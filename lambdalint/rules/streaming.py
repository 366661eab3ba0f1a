"""Streaming handlers (`awslambda.streamifyResponse`) and the work they start after the response ends.

Ending the response stream and then awaiting more work is the documented
after-response pattern; work started there and not awaited is FF009's, and
the other fire-and-forget rules leave those calls to it (one finding per call).
"""
from __future__ import annotations

from typing import Optional

from lambdalint.file_apis import may_call
from lambdalint.index import ProjectIndex
from lambdalint.model import ArgKind, Call, FileModel, Use
from lambdalint.rules.paths import runs_after


def _streaming_bodies(index: ProjectIndex, model: FileModel) -> dict[int, tuple[str, tuple]]:
    """Function id of each streaming handler body -> (its stream parameter, the stream's end methods)."""
    bodies: dict[int, tuple[str, tuple]] = {}
    if not model.language.is_js or not may_call(index, model, "response_stream_wrapper"):
        return bodies
    for call in model.calls:
        entry = index.api(model, call, "response_stream_wrapper")
        if entry is None or not call.args:
            continue
        arg = call.args[0]
        fid = None
        if arg.kind is ArgKind.FUNCTION:
            fid = arg.function
        elif arg.kind is ArgKind.NAME:
            ref = index.function_ref(model, call.function, arg.text)
            if ref is not None and ref.path == model.path:
                fid = ref.fid
        slot = int(entry.get("stream", 1))
        if fid is None or slot >= len(model.functions[fid].params):
            continue
        bodies[fid] = (model.functions[fid].params[slot].name, tuple(entry.get("end", ())))
    return bodies


def _bodies_of(index: ProjectIndex, model: FileModel) -> dict[int, tuple[str, tuple]]:
    table = index.derived("streaming_bodies", lambda ix: {})  # path -> bodies, asked for every call
    bodies = table.get(model.path)
    if bodies is None:
        bodies = table[model.path] = _streaming_bodies(index, model)
    return bodies


def stream_ends(index: ProjectIndex, model: FileModel, fid: Optional[int]) -> list[Call]:
    """The calls in streaming handler body `fid` after which the response is finished."""
    bodies = _bodies_of(index, model)
    if fid not in bodies:
        return []
    stream, end_methods = bodies[fid]
    ends = []
    for call in model.calls:
        if call.function != fid:
            continue
        if call.receiver == stream and call.method in end_methods:
            ends.append(call)
        elif (call.disposition.use is Use.AWAITED and call.args and call.args[-1].kind is ArgKind.NAME
              and call.args[-1].text == stream and index.api(model, call, "response_stream_finisher")):
            ends.append(call)
    return ends


def after_stream_end(index: ProjectIndex, model: FileModel, call: Call) -> Optional[Call]:
    """The `responseStream.end()` (or awaited `pipeline(…, responseStream)`) that `call` runs after, if any."""
    if call.function not in _bodies_of(index, model):
        return None  # not in a streaming body: no end to run after
    for end in stream_ends(index, model, call.function):
        if end is not call and runs_after(model, end, call):
            return end
    return None
