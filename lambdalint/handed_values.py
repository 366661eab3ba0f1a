"""What a parameter is handed: the thing every call of its function passes in its place.

    def save(table, item):
        table.put_item(Item=item)          # `table` is the orders table: DynamoDB I/O

    save(boto3.resource("dynamodb").Table("orders"), event)

Asked only where a rule needs a catalogue answer about a call on a parameter that says nothing of itself
(no annotation, no default), and answered only when the project shows every call: each caller hands
the same thing, named or made in place (a caller's own parameter is followed the same way, twice at
most), and the function is never handed on as a callback (then calls the project does not show may pass
anything). Building the callers means resolving the whole call graph, once per run.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ArgKind, FileModel
from lambdalint.refs import Ref

_MAX_HOPS = 2


def handed_value(index, model: FileModel, scope: Optional[int], dotted: str, hops: int = 0) -> Optional[Ref]:
    """The thing `dotted` names in function `scope` when its root is a parameter every caller hands the same
    thing; None when that is not certain."""
    root, _, rest = dotted.partition(".")
    symbol = index.scopes(model.path).lookup(scope, root)
    if symbol is None or symbol[0] != "binding" or symbol[1].kind != "param" or symbol[1].function is None:
        return None
    owner = symbol[1].function
    params = model.functions[owner].params
    position = next((i for i, p in enumerate(params) if p.name == root), None)
    if position is None or params[position].annotation or params[position].has_default or params[position].is_rest:
        return None
    edges = index.callgraph.callers(model.path, owner)
    if not edges or any(edge.callback for edge in edges):
        return None
    found: set = set()
    for edge in edges:
        value = _argument_value(index, edge, position, hops)
        if value is None:
            return None
        found.add(value)
        if len(found) > 1:
            return None
    return index.member_path(found.pop(), rest)


def _argument_value(index, edge, position: int, hops: int) -> Optional[Ref]:
    arg = index.callgraph.argument(edge, position)
    if arg is None or arg.spread:
        return None
    caller = index.files[edge.caller_path]
    if arg.kind is ArgKind.CALL and arg.call is not None:
        value = index.call_result(caller, caller.calls[arg.call])
    elif arg.kind is ArgKind.NAME:
        value = index.resolve_path(caller, edge.caller, arg.text)
        if value is None and hops < _MAX_HOPS:
            value = handed_value(index, caller, edge.caller, arg.text, hops + 1)
    else:
        return None
    return value if value is not None and value.kind in ("external_instance", "instance") else None
