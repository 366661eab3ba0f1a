"""Invokes of durable functions, shared by DF017 and DF018: what is invoked, how, and whether it is durable.

A target is read as a string where lambdalint can know it: a literal, a constant (also imported), or an
environment variable the template sets for the function running the code — literally, or as a
reference to another function of the same template (`!Ref Workflow` / `!GetAtt Workflow.Arn`:
unqualified; `!Ref Workflow.Alias` / `.Version`: qualified). It is known to be durable when the invoked
name is a function the project's template defines with `DurableConfig` (by its literal `FunctionName`
or that reference) or whose handler is a durable handler of the project. Anything else is unknown,
and unknown is silent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from lambdalint.durable import durable_scope
from lambdalint.file_apis import may_call
from lambdalint.iac.resolve import FOUND
from lambdalint.model import Call, Span
from lambdalint.rules.durable_ops import operations
from lambdalint.values import (ABSENT, UNKNOWN, CallValue, ExternalValue, ObjectValue, as_string, call_argument,
                               call_of, resolve_value)

_OPERATION_PREFIX = "DurableContext#"
_CACHE_ATTR = "_durable_function_names"
_LOGICAL = "@"          # a target known only by its template's logical id (`!Ref OrderWorkflow`): `@template.yaml#OrderWorkflow`
_QUALIFYING_ATTRIBUTES = {"Alias": "alias", "Version": "version"}   # `!Ref X.Alias`, `!Ref X.Version`
_UNQUALIFIED_ATTRIBUTES = {"", "Arn"}                                # `!Ref X` (its name), `!GetAtt X.Arn`


@dataclass
class Invoke:
    call: Call
    span: Span
    target: Optional[str]              # the function name / ARN as a string, None when unknown
    qualifier: object                  # the `Qualifier` value: ABSENT, UNKNOWN or a value
    invocation_type: object            # ABSENT, UNKNOWN or a string
    execution_name: object             # ABSENT, UNKNOWN or a value
    async_value: str = "Event"
    durable_context: bool = False      # `ctx.invoke` / `context.invoke`: the target is durable by definition


def is_qualified(target: str) -> bool:
    """`name:alias`, `name:7`, `arn:…:function:name:alias`, `123456789012:function:name:alias`."""
    parts = target.split(":")
    if target.startswith("arn:"):
        return len(parts) >= 8 and bool(parts[7])
    if len(parts) >= 3 and parts[1] == "function":
        return len(parts) >= 4 and bool(parts[3])
    return len(parts) >= 2 and bool(parts[-1])


def function_name_of(target: str) -> str:
    """The bare function name in a name, partial ARN or ARN, without its qualifier."""
    parts = target.split(":")
    if target.startswith("arn:") and len(parts) >= 7:
        return parts[6]
    if len(parts) >= 3 and parts[1] == "function":
        return parts[2]
    return parts[0]


def display_name(target: str) -> str:
    """The bare function name for a message (a logical id without its marker)."""
    name = function_name_of(target)
    return name.rsplit("#", 1)[-1] if name.startswith(_LOGICAL) else name


def _logical(template: str, logical_id: str) -> str:
    """Logical ids are only unique within one template."""
    return f"{_LOGICAL}{template}#{logical_id}"


def durable_names(index) -> frozenset:
    """Names (and `@logical ids`) of the functions the project's IaC deploys as durable ones."""
    found = getattr(index, _CACHE_ATTR, None)
    if found is not None:
        return found
    names = set()
    iac = getattr(index, "iac", None)
    scope = durable_scope(index)
    for fn in (iac.functions if iac is not None else ()):
        durable = fn.durable
        resolution = iac.resolution(fn)
        if not durable and resolution is not None and resolution.status == FOUND and resolution.file \
                and resolution.export and resolution.file in index.files:
            durable = any(h.path == resolution.file and h.name.rsplit(".", 1)[-1] == resolution.export
                          and scope.is_durable_handler(h.path, h.fid) for h in index.handlers)
        if durable:
            names.add(_logical(fn.path, fn.logical_id))
            if fn.function_name is not None:
                names.add(fn.function_name.value)
    found = frozenset(names)
    setattr(index, _CACHE_ATTR, found)
    return found


def is_durable_target(index, target: Optional[str]) -> bool:
    return target is not None and function_name_of(target) in durable_names(index)


def invokes(ctx) -> Iterator[Invoke]:
    """Every invoke of a Lambda function in the file: durable-context invokes and SDK invokes."""
    categories = ctx.index.catalog.categories
    for call, op in operations(ctx):
        entry = categories.first("durable_invoke_operation", ctx.file.language.is_js, _OPERATION_PREFIX + op.method)
        if entry is None:
            continue
        arg = _context_target(ctx, call, op, str(entry.get("role", "target")))
        if arg is None:
            continue
        target = _string(ctx, call, resolve_value(ctx.index, ctx.file, call.function, arg))
        yield Invoke(call, call.span, target, ABSENT, ABSENT, ABSENT, durable_context=True)
    if not may_call(ctx.index, ctx.file, "lambda_invoke" if ctx.file.language.is_js else "aws_client_factory"):
        return  # no invoke API (JS), no AWS client made in the file (Python: the client's factory call is local)
    for call in ctx.file.calls:
        if call.function is None:
            continue
        entry = ctx.index.api(ctx.file, call, "lambda_invoke") if ctx.file.language.is_js else _boto3_invoke(ctx, call)
        if entry is None:
            continue
        found = _sdk_invoke(ctx, call, entry)
        if found is not None:
            yield found


def _context_target(ctx, call: Call, op, role: str):
    """The target argument of `ctx.invoke`, when the overload is certain. JS decides at run time: the
    arguments are name-first when the second one is a string (`invoke(name, target, input?)`), else
    `invoke(target, input?, config?)`; a second argument of unknown type leaves the target unknown."""
    if not ctx.file.language.is_js:
        return op.args.get(role)
    positional = [a for a in call.args if a.keyword is None and not a.spread]
    if len(positional) != len(call.args) or not positional:
        return None
    if len(positional) == 1:
        return positional[0]
    second = resolve_value(ctx.index, ctx.file, call.function, positional[1])
    if isinstance(second, str):
        return positional[1]
    if second is UNKNOWN or isinstance(second, (ExternalValue, CallValue)):
        return None
    return positional[0]


def _boto3_invoke(ctx, call: Call):
    """`client.invoke(...)` where `client = boto3.client("lambda")` (or the factory call is the receiver)."""
    if call.receiver is None and call.receiver_call is None:
        return None
    if call.receiver_call is not None:
        origin = ctx.file.calls[call.receiver_call]
    else:
        origin = ctx.index.value_origin(ctx.file, call.function, call.receiver)
    if origin is None:
        return None
    factory = ctx.index.api(ctx.file, origin, "aws_client_factory")
    if factory is None:
        return None
    service = call_argument(ctx.index, ctx.file, origin, position=int(factory.get("service_arg", 0)),
                            keyword=factory.get("service_keyword"))
    if as_string(service) != factory.get("service"):
        return None
    return ctx.index.catalog.categories.first("lambda_invoke", False, f"{as_string(service)}#{call.method}")


def _sdk_invoke(ctx, call: Call, entry) -> Optional[Invoke]:
    keys = {role: str(entry.get(role)) for role in ("function", "qualifier", "invocation_type", "execution_name")}
    if entry.get("params") is not None:
        params = call_argument(ctx.index, ctx.file, call, position=int(entry.get("params")))
        if not isinstance(params, ObjectValue):
            return None
        values = {role: params.get(key) for role, key in keys.items()}
    else:
        if any(a.spread for a in call.args):
            return None
        values = {role: call_argument(ctx.index, ctx.file, call, keyword=key) for role, key in keys.items()}
    function = values["function"]
    if function is ABSENT:
        return None
    target = _string(ctx, call, function)
    invocation = values["invocation_type"]
    if invocation is not ABSENT and invocation is not UNKNOWN:
        invocation = as_string(invocation) or UNKNOWN
    return Invoke(call, call.span, target, values["qualifier"], invocation, values["execution_name"],
                  async_value=str(entry.get("async_value", "Event")))


def _string(ctx, call: Call, resolved) -> Optional[str]:
    """A resolved target as a string; an environment variable read is looked up in the template."""
    text = as_string(resolved)
    if text is not None:
        return text
    variable = _env_variable(ctx, resolved)
    return _iac_env(ctx, call, variable) if variable else None


def _env_variable(ctx, resolved) -> Optional[str]:
    categories = ctx.index.catalog.categories
    is_js = ctx.file.language.is_js
    if isinstance(resolved, ExternalValue):
        entry = categories.first("env_variable", is_js, resolved.qualified)
        prefix = entry.get("prefix") if entry is not None else None
        if prefix and resolved.qualified.startswith(prefix):
            rest = resolved.qualified[len(prefix):]
            return rest if rest and "." not in rest else None
        return None
    if isinstance(resolved, CallValue):
        model, inner = call_of(ctx.index, resolved)
        entry = ctx.index.api(model, inner, "env_variable")
        if entry is None or entry.get("arg") is None:
            return None
        return as_string(call_argument(ctx.index, model, inner, position=int(entry.get("arg"))))
    return None


def _iac_env(ctx, call: Call, variable: str) -> Optional[str]:
    """The literal value the template gives `variable` for the function(s) running this file's handler."""
    iac = getattr(ctx.index, "iac", None)
    if iac is None:
        return None
    handler = ctx.index.handler_for(ctx.file.path, call.function)
    files = {handler.path} if handler is not None else {ctx.file.path}
    values = set()
    for fn in iac.functions:
        resolution = iac.resolution(fn)
        if resolution is None or resolution.file not in files:
            continue
        if fn.environment_unknown:
            return None
        located = fn.environment.get(variable)
        value = located.value if located is not None else _referenced(iac, fn, variable)
        if value is None:
            return None
        values.add(value)
    return values.pop() if len(values) == 1 else None


def _referenced(iac, fn, variable: str) -> Optional[str]:
    """A variable set to another function of the template (`!Ref Workflow.Alias`, `!GetAtt Workflow.Arn`), as a
    target: its literal name (or `@logical id`), with a qualifier when the reference names an alias or version."""
    ref = fn.environment_refs.get(variable)
    if ref is None:
        return None
    logical, attribute = ref
    target = next((other for other in iac.functions if other.path == fn.path and other.logical_id == logical), None)
    if target is None:
        return None
    name = target.function_name.value if target.function_name is not None else _logical(fn.path, logical)
    if attribute in _QUALIFYING_ATTRIBUTES:
        return f"{name}:{_QUALIFYING_ATTRIBUTES[attribute]}"
    return name if attribute in _UNQUALIFIED_ATTRIBUTES else None
