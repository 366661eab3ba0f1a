"""Evaluating the model's `Value`s across files: literal strings, numbers, objects, lists — or UNKNOWN.

Rules need what an argument *is*: the event name behind `events.USER_REGISTERED`,
the keys of an options object held in a constant of another module, the
timeout inside `CallbackConfig(timeout=Duration.from_hours(1))`. The front ends
record each argument's and binding's shape (`Arg.expr`, `Binding.value_expr`,
`ClassInfo.values`: see `model.Value`); this module follows its names through
local bindings, module constants, imports and re-exports (ESM, CommonJS,
Python relative / absolute / star imports), TS enums, class constants and
static fields, Python enumerations, and destructured constants.

Never guessed: a name bound more than once in its scope, reassigned from a
nested function or updated (`i++`, JS) or through `global` (Python), an object
or list mutated through a property (`cfg.x = 1`, `cfg[k] = v`), a property set
by assignment (except a CommonJS `exports.X = ...` set once at module level),
a parameter, a loop variable, a conditional, a computation, `this.x` /
`self.x` — all are UNKNOWN, and a rule that meets UNKNOWN stays silent. Not
seen: another module assigning to a module's attribute (`config.X = ...`
from outside), a mutation through an alias (`const c = cfg; c.x = 1`) or
inside a function the object is passed to. Mutating methods and calls
(`cfg.update(...)`, `items.push(x)`, `Object.assign(cfg, x)`) are data
(categories `value_mutating_method`, `value_mutating_call`). A spread of something unknown (`{...opts}`,
`**kw`) leaves the listed keys known but marks the object `unknown_keys`, and
the values listed before it UNKNOWN (it may override them).

API (`index` is the `ProjectIndex`, `model` a `FileModel`, `scope` the id of
the function the expression sits in — `call.function` for a call's argument,
`fn.parent` for an argument of a decorator of `fn`, `info.parent` for a
class constant — or None for module level):

* `resolve_value(index, model, scope, v)` -> a result below. `v`: a `Value`,
  an `Arg` (its `expr`), a `Binding` (its `value_expr`, in its own scope) or
  a dotted path string (`"events.USER_REGISTERED"`).
* `string_value(index, model, scope, v)` -> `str` or None.
* `call_argument(index, model, call, position=None, keyword=None)` -> the
  resolved argument (positional index counts positional arguments only), or
  ABSENT when the call surely lacks it, UNKNOWN when a spread may supply it.
  `call` is a `Call` or a `CallValue` (then `model` may be None).
* `call_of(index, call_value)` -> `(FileModel, Call)` behind a CallValue
  (ask `index.api(model, call, category)` what it is).
* `template_parts(index, model, scope, v)` -> a template / f-string /
  concatenation as `[str | UNKNOWN, ...]`, or None when `v` is not one.
* Pure helpers on results: `as_string(r)`, `object_keys(r)` (exact key set or
  None), `has_key(r, key)` (True / False / None = unknown),
  `property(r, "timeout", "hours")` (value, ABSENT or UNKNOWN).

Results:

* `str`, `int`, `float`, `bool`, `None` (JS `null` / `undefined`, Python `None`);
* `ObjectValue(entries: {key: result}, unknown_keys: bool)`, with `.get(key)`
  (value, UNKNOWN or ABSENT) and `.has_spread` (= `unknown_keys`);
* `ListValue(items: tuple, unknown_items: bool)`;
* `CallValue(path, call)`: what a call returns, not evaluated (calls are never
  run); `Object.freeze(x)` / `typing.cast(T, x)` give `x` (category
  `value_identity`);
* `FunctionValue(path, fid)`, `ClassValue(path, name)` (a class or TS enum),
  `ModuleValue(path)`;
* `EnumMember(path, class_name, name, value, equals_value, formats_as_value)`:
  a Python enumeration member (`Plain.X.value` gives its value; a `StrEnum` or
  `(str, Enum)` member `equals_value`, so `string_value` gives its string);
  TS enum members are their values;
* `PathValue(path)`: a path computed from the file's own location
  (`path.join(__dirname, '../src/x.ts')`, `os.path.join(os.path.dirname(__file__), "lambda")`), written
  like `FileModel.path` (categories `path_location`, `path_function`); path functions of literals
  only give a plain `str` where the result does not depend on the working directory;
* `ExternalValue(qualified)`: a name outside the project, as the index
  qualifies it (`global:process.env.FN`, `os.environ.FN`,
  `aws-cdk-lib/aws-lambda:Runtime.NODEJS_24_X`, `aws_cdk.aws_lambda.Runtime.PYTHON_3_12`);
* `UNKNOWN`.

Results are plain frozen data and compare by value: two sites naming the same
enum member or class give equal results, so rules can match them without a
string.

Work is bounded: name results are memoised per (file, scope, path); cycles
across imports are cut (a result shaped by a cut is kept for the current
question only, so answers do not depend on the order of questions); depth is
capped; objects and lists are capped in size.
"""
from __future__ import annotations

import weakref
from typing import Optional, Union

from lambdalint.model import Arg, Binding, Call, FileModel, Value, ValueKind
from lambdalint.values.resolver import ValueResolver, _argument, _expr_of
from lambdalint.values.results import (
    ABSENT,
    UNKNOWN,
    CallValue,
    ClassValue,
    EnumMember,
    ExternalValue,
    FunctionValue,
    ListValue,
    ModuleValue,
    ObjectValue,
    PathValue,
    Resolved,
    _stringify,
    as_string,
    has_key,
    object_keys,
    property,
)

__all__ = [
    "UNKNOWN", "ABSENT", "ObjectValue", "ListValue", "CallValue", "FunctionValue", "ClassValue", "ModuleValue",
    "EnumMember", "ExternalValue", "PathValue", "resolve_value", "string_value", "as_string", "object_keys",
    "has_key", "property", "call_argument", "call_of", "template_parts", "resolver",
]

ValueLike = Union[Value, Arg, Binding, str, None]
_RESOLVERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


# --------------------------------------------------------------------------- public API

def resolver(index) -> "ValueResolver":
    """The resolver of `index` (one per index, created on first use)."""
    found = _RESOLVERS.get(index)
    if found is None:
        found = _RESOLVERS[index] = ValueResolver(index)
    return found


def resolve_value(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Resolved:
    """Evaluate `value` as seen from function `scope` of `model` (None: module level).

    `value` may be a `Value`, an `Arg` (its `expr`), a `Binding` (its `value_expr`, evaluated in the
    binding's own scope; `scope` is then ignored) or a dotted path (`"events.USER_REGISTERED"`).
    """
    return resolver(index).resolve_like(model, scope, value)


def string_value(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Optional[str]:
    """The string `value` surely is (a literal, a constant, an enum member equal to one, a template whose parts
    are all known), else None."""
    return as_string(resolve_value(index, model, scope, value))


def call_of(index, value: CallValue) -> tuple[FileModel, Call]:
    """The file model and `Call` record behind a CallValue."""
    model = index.files[value.path]
    return model, model.calls[value.call]


def call_argument(index, model: FileModel, call: Union[Call, CallValue], position: Optional[int] = None,
                  keyword: Optional[str] = None) -> Resolved:
    """The resolved argument of `call` at `position` (counting positional arguments only) or by `keyword`
    (Python). ABSENT when the call surely has no such argument, UNKNOWN when a spread (`...a`, `*a`, `**kw`)
    may supply it. `model` may be None when `call` is a CallValue."""
    if isinstance(call, CallValue):
        model, call = call_of(index, call)
    arg = _argument(call, position, keyword)
    if arg is ABSENT or arg is UNKNOWN:
        return arg
    return resolve_value(index, model, call.function, arg)


def template_parts(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Optional[list]:
    """A template / f-string / concatenation as its parts: literal strings, and each substitution's string when
    known, else UNKNOWN (`f"user.{kind}"` with an unknown `kind` -> ["user.", UNKNOWN]). None when `value`
    is not one of those. For matching wildcards or prefixes; `string_value` gives the whole string."""
    r = resolver(index)
    expr = _expr_of(value)
    if isinstance(value, Binding):
        scope = value.function
    if expr is None or expr.kind not in (ValueKind.TEMPLATE, ValueKind.CONCAT):
        return None
    js = model.language.is_js
    parts = []
    for item in expr.items or ():
        piece = _stringify(r.resolve(model, scope, item), js)
        parts.append(UNKNOWN if piece is None else piece)
    return parts
