"""The language-neutral program model.

Front ends are the only code that sees a syntax tree. Each lowers one file into
a `FileModel`: plain, picklable data that rules and the project index read.
Everything a rule needs must be a field here; a rule never re-parses.

Conventions shared by both front ends:

* Positions are 1-based lines and 1-based *character* columns (not bytes).
* A *dotted path* renders an expression the way a reader would name it:
  identifiers joined by dots (`asyncio.create_task`, `this.mail.send`,
  `self.client.get`). A call inside a path renders as `name()`
  (`fetch().then`, `middy().use`), `new X()` as `X()`, `super()` as `super`,
  `this` / `self` / `cls` as themselves, a computed member `a[b]` as `a[]`,
  optional chaining as a plain dot. Anything else (a literal, a parenthesised
  arrow, ...) renders as `?`.
* Every function (named, anonymous, arrow, lambda, method) gets an entry in
  `FileModel.functions`; ids are indexes into that list. Module-level code has
  function id `None`.
* Every call (including `new X(...)`) gets an entry in `FileModel.calls`; ids
  are indexes into that list. Decorators are recorded on their function, not
  as calls.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from lambdalint.findings import Finding, Fix, Language, Notification, Severity, Span  # noqa: F401 - re-exported


class Use(str, enum.Enum):
    """What the surrounding code does with a value (a call result or a name read).

    Wrapping syntax is transparent: parentheses, TS `as` / `satisfies` / `!` /
    `<T>x`, both branches of `c ? a : b` and Python `a if c else b`, the right
    operand of `&&` / `||` / `??` / `and` / `or` (the left one is CONDITION), and
    the last element of a comma sequence (the others are DISCARDED).
    """

    DISCARDED = "discarded"        # expression statement (`f();`, `f()` in Python)
    AWAITED = "awaited"            # `await x`; the item of `async with x`; Python `yield from x` in a coroutine
    ASYNC_ITERATED = "async_iterated"  # `for await (... of x)`, `async for ... in x`
    RETURNED = "returned"          # `return x`; concise arrow body; lambda body
    YIELDED = "yielded"            # `yield x`, `yield* x`
    ASSIGNED = "assigned"          # bound: `const p = x`, `p = x`, `this.p = x`, `(p := x)`, `a[i] = x`
    ARGUMENT = "argument"          # passed to a call (see `consumer`, `arg_index`, `keyword`)
    RECEIVER = "receiver"          # `x.method(...)`: x is the receiver of call `consumer`
    VOIDED = "voided"              # `void x`
    ITERATED = "iterated"          # sync `for (... of x)`, `for ... in x`, comprehension source
    CONTEXT = "context"            # the item of a sync `with x`
    CONDITION = "condition"        # test of if/while/ternary, operand of `!` / `not`, left of `&&`/`||`
    OTHER = "other"                # anything else: arithmetic, property read, template, comparison...


class Container(str, enum.Enum):
    """How a value reached its disposition through a collection."""

    ARRAY = "array"                # element of `[a, b]` / Python list/tuple/set literal, or spread/star into one
    OBJECT = "object"              # value in `{k: a}` / Python dict literal
    COMPREHENSION = "comprehension"  # element expression of a Python comprehension / generator expression


@dataclass(slots=True)
class Disposition:
    """The fate of a value, read from its syntactic context.

    `container` is set when the value sits inside a literal collection or a
    comprehension: the disposition is then that of the outermost collection
    (`Promise.all([p, q])` gives `p` ARGUMENT of the `Promise.all` call with
    container ARRAY; `coros = [f(x) for x in xs]` gives `f(x)` ASSIGNED to
    `coros` with container COMPREHENSION).
    """

    use: Use
    consumer: Optional[int] = None     # call id for ARGUMENT / RECEIVER
    arg_index: Optional[int] = None    # positional index for ARGUMENT (None for keywords)
    keyword: Optional[str] = None      # Python keyword argument name
    spread: bool = False               # passed as `...x` / `*x` / `**x`
    target: Optional[str] = None       # ASSIGNED: dotted path of the target (`p`, `this.p`, `self.t`, `tasks[]`, `_`);
                                       # destructuring targets give `{}` / `[]`
    declared: bool = False             # ASSIGNED through a declaration (`const`/`let`/`var`, annotated assignment)
    container: Optional[Container] = None

    def copy(self) -> "Disposition":
        """A record's own copy: front ends hand shared templates down their walks."""
        return Disposition(self.use, self.consumer, self.arg_index, self.keyword, self.spread, self.target,
                           self.declared, self.container)

    def within(self, container: Container) -> "Disposition":
        """The disposition of a value inside a collection that has this one (the innermost kind is kept)."""
        if self.container is container:
            return self
        return Disposition(self.use, self.consumer, self.arg_index, self.keyword, self.spread, self.target,
                           self.declared, container)


@dataclass(slots=True)
class Param:
    name: str                          # `...rest` / `*args` / `**kw` give `rest` / `args` / `kw`; a pattern gives `{}` / `[]`
    annotation: Optional[str] = None   # type text as written (`MailService`, `httpx.AsyncClient`, `Promise<void>`)
    has_default: bool = False
    is_rest: bool = False              # JS `...x`, Python `*x` or `**x`
    accessibility: Optional[str] = None  # TS parameter property: `private` / `public` / `protected` / `readonly`


@dataclass(slots=True)
class Decorator:
    callee: str                        # dotted path (`OnEvent`, `logger.inject_lambda_context`, `app.route`)
    args: list["Arg"] = field(default_factory=list)  # arguments when the decorator is called
    span: Optional[Span] = None


class FunctionKind(str, enum.Enum):
    DECLARATION = "declaration"        # `function f(){}` / `def f():`
    EXPRESSION = "expression"          # `function(){}` used as a value
    ARROW = "arrow"                    # `() => ...`
    LAMBDA = "lambda"                  # Python `lambda`
    METHOD = "method"                  # class or object-literal method, getter, setter, constructor


@dataclass(slots=True)
class Function:
    id: int
    name: Optional[str]                # declared name, or the name it is bound to (`const h = () => {}`, `exports.h = function(){}`,
                                       # `{ h: () => {} }`); None when anonymous
    kind: FunctionKind
    is_async: bool
    is_generator: bool
    params: list[Param]
    span: Span
    name_span: Optional[Span] = None   # where the name is written (for messages)
    parent: Optional[int] = None       # enclosing function id (None: module level)
    class_name: Optional[str] = None   # set for methods: the enclosing class (or `{}` for object literals)
    decorators: list[Decorator] = field(default_factory=list)
    return_annotation: Optional[str] = None   # as written (`Promise<User>`, `Coroutine[Any, Any, None]`)
    passed_to: Optional[int] = None    # call id when the function is itself an argument of a call
    arg_index: Optional[int] = None    # its positional index there (None for a keyword)
    keyword: Optional[str] = None      # Python keyword name there
    disposition: Optional[Disposition] = None  # for function *expressions*: what is done with the function value
    returns: int = 0                   # `return` statements (bare ones too); a concise arrow / lambda body counts one
    plain_returns: int = 0             # of those, bare ones and ones whose value is a literal or an operator
                                       # expression (never a promise or coroutine)
    region: Optional[int] = None       # innermost `Region` (of the enclosing function) holding the definition


class ValueKind(str, enum.Enum):
    """What an expression is, as far as its own syntax tells (see `Value`)."""

    STRING = "string"      # a string literal; `literal` holds the str (escapes decoded)
    NUMBER = "number"      # `literal` holds the int / float
    BOOL = "bool"          # `literal` holds True / False
    NONE = "none"          # null / undefined / None
    NAME = "name"          # a name or dotted path to resolve; `literal` holds the path (`events.USER_REGISTERED`,
                           # `Events.UserRegistered`; `a['b']` is written `a.b`)
    CALL = "call"          # a call or `new X()`; `ref` holds the call id (its arguments: `FileModel.calls[ref].args`)
    FUNCTION = "function"  # a function expression / arrow / lambda / object method; `ref` holds its function id
    OBJECT = "object"      # an object literal / dict display; `entries` holds (key, value) pairs in order
    ARRAY = "array"        # an array / list / tuple / set display; `items` holds the elements in order
    TEMPLATE = "template"  # a template literal with substitutions / f-string / implicit concatenation with an
                           # f-string; `items` holds its parts in order (literal parts are STRING values)
    CONCAT = "concat"      # `a + b + ...`; `items` holds the operands in order
    SPREAD = "spread"      # an ARRAY element `...x` / `*x`; `items[0]` is x
    COMPUTED = "computed"  # an OBJECT entry whose key is an expression (`[k]: v`, Python `K: v`); `items` is [k, v]
    UNKNOWN = "unknown"    # anything else: computed, conditional, nested too deep, not a plain call


@dataclass(slots=True)
class Value:
    """The shape of an argument or bound expression, for rules that need literal values.

    Bounded: nesting deeper than a few levels, very long containers and very
    long templates end in UNKNOWN parts, so a value stays small. Values are
    not resolved here (a NAME is only a path); `lambdalint.values` evaluates
    them across files. Treat them as read-only: front ends may share one
    UNKNOWN instance.

    OBJECT `entries`: `(key, value)`; key is the literal key as written
    (identifier, string, number); key None marks an entry whose keys are not
    known here: a spread `...x` / `**x` (value: x's Value), or a computed key
    `[k]: v` / a dict key that is not a string literal (value: a COMPUTED
    Value holding [k, v]). A getter or setter gives its key with an UNKNOWN
    value; what lies past a cap is `(None, UNKNOWN)`.
    """

    kind: ValueKind
    literal: object = None                            # STRING / NUMBER / BOOL value; NAME path
    ref: Optional[int] = None                         # CALL: call id; FUNCTION: function id
    items: Optional[list["Value"]] = None             # ARRAY elements, TEMPLATE / CONCAT parts, SPREAD operand
    entries: Optional[list[tuple[Optional[str], "Value"]]] = None  # OBJECT (see above)

    def __reduce__(self):
        """Compact in the cache: the fields as a tuple, trailing empty ones left out."""
        fields = (self.kind, self.literal, self.ref, self.items, self.entries)
        end = len(fields)
        while end > 1 and fields[end - 1] is None:
            end -= 1
        return (Value, fields[:end])

    def __repr__(self) -> str:
        kind = self.kind
        if kind is ValueKind.OBJECT:
            return "{" + ", ".join(f"{'...' if k is None else k}: {v!r}" for k, v in self.entries or ()) + "}"
        if kind is ValueKind.ARRAY:
            return "[" + ", ".join(map(repr, self.items or ())) + "]"
        if kind is ValueKind.SPREAD:
            return "..." + repr((self.items or [None])[0])
        if kind is ValueKind.COMPUTED:
            return "[" + ": ".join(map(repr, self.items or ())) + "]"
        if kind is ValueKind.TEMPLATE or kind is ValueKind.CONCAT:
            return kind.value + "(" + ", ".join(map(repr, self.items or ())) + ")"
        if kind is ValueKind.CALL or kind is ValueKind.FUNCTION:
            return f"{kind.value}#{self.ref}"
        if kind is ValueKind.NAME:
            return f"<{self.literal}>"
        if kind is ValueKind.UNKNOWN or kind is ValueKind.NONE:
            return kind.value
        return repr(self.literal)

    def get(self, key: str) -> Optional["Value"]:
        """The value written for `key` in an OBJECT (the last one wins), or None (absent or unknown)."""
        found = None
        for k, v in self.entries or ():
            if k == key:
                found = v
        return found


_UNKNOWN_VALUE = Value(ValueKind.UNKNOWN)


def _literal_value(literal: object) -> Value:
    if literal is None:
        return Value(ValueKind.NONE)
    if isinstance(literal, bool):
        return Value(ValueKind.BOOL, literal)
    if isinstance(literal, str):
        return Value(ValueKind.STRING, literal)
    if isinstance(literal, (int, float)):
        return Value(ValueKind.NUMBER, literal)
    return _UNKNOWN_VALUE


def _arg_value(arg: "Arg") -> Value:
    kind = arg.kind
    if kind is ArgKind.NAME:
        return Value(ValueKind.NAME, arg.text)
    if kind is ArgKind.STRING:
        return Value(ValueKind.STRING, arg.value) if isinstance(arg.value, str) else _UNKNOWN_VALUE
    if kind is ArgKind.NUMBER:
        return _literal_value(arg.value) if isinstance(arg.value, (int, float)) else _UNKNOWN_VALUE
    if kind is ArgKind.BOOL or kind is ArgKind.NONE:
        return _literal_value(arg.value if kind is ArgKind.BOOL else None)
    if kind is ArgKind.CALL and arg.call is not None:
        return Value(ValueKind.CALL, ref=arg.call)
    if kind is ArgKind.FUNCTION and arg.function is not None:
        return Value(ValueKind.FUNCTION, ref=arg.function)
    return _UNKNOWN_VALUE


def _binding_value(binding: "Binding") -> Value:
    if binding.has_literal:
        return _literal_value(binding.value_literal)
    if binding.value_name is not None:
        return Value(ValueKind.NAME, binding.value_name)
    if binding.value_call is not None:
        return Value(ValueKind.CALL, ref=binding.value_call)
    if binding.value_function is not None:
        return Value(ValueKind.FUNCTION, ref=binding.value_function)
    return _UNKNOWN_VALUE


class ArgKind(str, enum.Enum):
    STRING = "string"                  # a string literal (template literals without substitutions too)
    NUMBER = "number"
    BOOL = "bool"                      # true / false / True / False
    NONE = "none"                      # null / undefined / None
    NAME = "name"                      # an identifier or dotted path (`text` holds the path)
    FUNCTION = "function"              # a function expression / arrow / lambda (`function` holds its id)
    CALL = "call"                      # a call or `new` (`call` holds its id)
    OBJECT = "object"                  # an object literal / Python dict literal (`keys` holds literal keys)
    ARRAY = "array"                    # an array / list / tuple literal
    OTHER = "other"


@dataclass(slots=True)
class Arg:
    kind: ArgKind
    text: str                          # source text, cut to 200 characters
    value: object = None               # the literal value for STRING / NUMBER / BOOL
    keyword: Optional[str] = None      # Python keyword argument name
    spread: bool = False               # `...x`, `*x`, `**x`
    function: Optional[int] = None     # FUNCTION: function id
    call: Optional[int] = None         # CALL: call id
    keys: list[str] = field(default_factory=list)  # OBJECT: literal keys, in order
    span: Optional[Span] = None
    stored_expr: Optional[Value] = field(default=None, repr=False)  # see `expr`; None when `expr` is derived

    @property
    def expr(self) -> Value:
        """The argument's value in full (object properties, template parts...): see `Value`.

        Stored only when it says more than the fields above (objects, arrays, templates...); a literal,
        name, call or function argument's Value is derived from them, which keeps the cache small.
        """
        if self.stored_expr is not None:
            return self.stored_expr
        return _arg_value(self)

    @expr.setter
    def expr(self, value: Optional[Value]) -> None:
        self.stored_expr = None if value is None or value == _arg_value(self) else value


@dataclass(slots=True)
class Call:
    id: int
    callee: str                        # dotted path of the callee (see module docstring)
    span: Span                         # the whole call expression
    function: Optional[int]            # enclosing function id (None: module level)
    disposition: Disposition
    args: list[Arg] = field(default_factory=list)
    is_new: bool = False               # `new X(...)`
    receiver_call: Optional[int] = None  # for `a().b()`: the id of `a()` (the call whose result is the receiver)
    loop_depth: int = 0                # loops enclosing the call inside its function
    in_main_guard: bool = False        # inside `if __name__ == "__main__":` / `if (require.main === module)`
    optional: bool = False             # `f?.()` / `a?.b()`
    callee_function: Optional[int] = None  # an immediately invoked function: `(async () => {...})()`
    region: Optional[int] = None       # innermost structure `Region` holding the call (None: its function's top level)

    @property
    def method(self) -> str:
        """The last segment of the callee (`then` for `p.then`)."""
        return self.callee.rsplit(".", 1)[-1]

    @property
    def receiver(self) -> Optional[str]:
        """The dotted path before the last segment, or None for a plain call."""
        return self.callee.rsplit(".", 1)[0] if "." in self.callee else None


@dataclass(slots=True)
class NameRef:
    """A read of a name or dotted path (`p`, `this.ready`, `self.tasks`, `process.env.X`).

    Recorded for every read that is not itself a callee, including receivers
    of method calls (`p` in `p.then(f)` has use RECEIVER and `consumer` the
    `.then` call). For a dotted read only the longest path is recorded
    (`this.ready`, not also `this`).
    """

    name: str
    span: Span
    function: Optional[int]
    disposition: Disposition
    loop_depth: int = 0
    region: Optional[int] = None       # innermost structure `Region` holding the read (None: its function's top level)
    key: Optional[str] = None          # Python `x["K"]`: the literal string subscript read from `x` (JS renders
                                       # `x['K']` as the dotted path `x.K`)


@dataclass(slots=True)
class Binding:
    """A name given a value: an assignment, declaration, parameter, `with ... as`, loop target.

    Calls carry their own ASSIGNED disposition; a binding adds what rules and
    the index need to know about the *name*: its declared or constructed type,
    aliasing, and literal values.
    """

    name: str                          # dotted path of the target (`s3`, `this.mail`, `self.client`, `tasks[]`)
    span: Span
    function: Optional[int]            # scope the binding lives in (None: module level)
    kind: str                          # "assign" | "declare" | "param" | "with" | "async_with" | "for" | "augmented" |
                                       # "global" | "nonlocal" | "update" (JS `x++` / `--x`) |
                                       # "delete" (JS `delete o.k`, Python `del x[k]`)
    value_call: Optional[int] = None   # the call that produced the value (`x = f()`, `with f() as x`)
    value_name: Optional[str] = None   # the dotted path aliased (`x = y`, `x = this.y`)
    value_function: Optional[int] = None  # function id when the value is a function expression
    value_literal: object = None       # literal value (`false`, `"x"`, `3`) when the value is a literal
    has_literal: bool = False          # distinguishes a literal `None`/`null` from no literal
    type_name: Optional[str] = None    # annotation text, or the callee of a `new X()` / `X()` constructor value
                                       # (Python: `set` for a set display or set comprehension)
    class_name: Optional[str] = None   # for `this.x` / `self.x` bindings and Python class-body attributes: the class
    value_span: Optional[Span] = None  # the value's extent (`= …`, an augmented operand, a loop's iterable)
    class_body: Optional[str] = None   # Python: bound directly in this class's body (a class attribute, not a
                                       # name of the enclosing scope)
    stored_value_expr: Optional[Value] = field(default=None, repr=False)  # see `value_expr`
    element: Optional[int] = None      # JS: a name at the top level of an array pattern bound from `await <call>`
                                       # (`const [promise, id] = await ctx.createCallback()`): its position...
    element_of: Optional[int] = None   # ... and the id of that call (both None for any other binding; a name
                                       # bound to the whole awaited result, `const cb = await f()`, has
                                       # `element_of` and no `element`)
    key: Optional[str] = None          # Python `x["K"] = v`: the literal string subscript written (`name` is `x[]`)

    @property
    def value_expr(self) -> Optional[Value]:
        """For "assign" / "declare" bindings: the bound value in full (see `Value`); None for other kinds.

        Stored only when it says more than `value_literal` / `value_name` / `value_call` / `value_function`.
        """
        if self.stored_value_expr is not None:
            return self.stored_value_expr
        if self.kind != "assign" and self.kind != "declare":
            return None
        return _binding_value(self)

    @value_expr.setter
    def value_expr(self, value: Optional[Value]) -> None:
        if value is not None and (self.kind == "assign" or self.kind == "declare") and value == _binding_value(self):
            value = None
        self.stored_value_expr = value


@dataclass(slots=True)
class ClassInfo:
    name: str
    span: Span
    bases: list[str] = field(default_factory=list)   # dotted paths of base classes / `extends`
    fields: dict[str, str] = field(default_factory=dict)  # field name -> type text (annotation, TS parameter
                                                          # property, `new X()` / `X()` initialiser, `self.x = X()`)
    decorators: list[Decorator] = field(default_factory=list)
    parent: Optional[int] = None       # enclosing function id, None for module level
    values: Optional[dict[str, Value]] = None  # class-level constants: Python class-body assignments, JS/TS
                                               # `static` fields, TS enum members (name -> value; a name
                                               # bound twice gives UNKNOWN)
    is_enum: bool = False              # a TS `enum` (its members are `values`, implicit numbers included)


@dataclass(slots=True)
class Import:
    """One imported binding.

    JS: `import d from 'm'` -> (module 'm', name 'default', local 'd');
    `import * as ns from 'm'` / `const ns = require('m')` -> (name None, local 'ns');
    `import { a as b } from 'm'` / `const { a: b } = require('m')` -> (name 'a', local 'b');
    `const p = require('fs').promises` -> (module 'fs', name 'promises', local 'p').
    Python: `import a.b.c` -> (module 'a.b.c', name None, local 'a.b.c');
    `import a.b as c` -> (module 'a.b', name None, local 'c');
    `from ..pkg import x as y` -> (module 'pkg', level 2, name 'x', local 'y');
    `from m import *` -> (module 'm', name '*', local '*').
    JS side-effect imports (`import 'reflect-metadata'`, `require('dotenv').config()` as a statement) ->
    (module 'm', name None, local '', side_effect True): the module loads at that point, no name is bound.
    """

    module: str
    name: Optional[str]
    local: str
    span: Span
    level: int = 0                     # Python relative import dots
    type_only: bool = False            # TS `import type`
    function: Optional[int] = None     # set when the import is inside a function
    side_effect: bool = False          # JS `import 'm'`, `require('m');`, `require('m').f()`: binds nothing


@dataclass(slots=True)
class Export:
    """One exported name (JS/TS; Python exports are its module-level names).

    `export const handler = ...` / `exports.handler = ...` / `module.exports.handler = ...`
    -> name 'handler', local 'handler' (or the function / call behind it);
    `module.exports = { handler, other: impl }` -> one export per key;
    `module.exports = fn` / `export default fn` -> name 'default';
    `export { a as b } from './x'` -> name 'b', source './x', source_name 'a';
    `export * from './x'` -> name '*', source './x'.
    """

    name: str
    span: Span
    local: Optional[str] = None        # local name the export refers to
    function: Optional[int] = None     # function id when the exported value is a function expression/declaration
    call: Optional[int] = None         # call id when the exported value is a call (`middy(fn)`, `withDurableExecution(...)`)
    source: Optional[str] = None       # module specifier for re-exports
    source_name: Optional[str] = None  # the name in `source` for re-exports


@dataclass(slots=True)
class Comment:
    line: int
    text: str                          # the comment's text including its marker (`# ...`, `// ...`, `/* ... */`)
    own_line: bool                     # nothing but whitespace before it on its line


@dataclass
class FileModel:
    path: str                          # as shown to the user (relative to the working directory when possible)
    language: Language
    functions: list[Function] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    names: list[NameRef] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # read only as suppressions: a run's facts hold
                                       # nothing else of them (`file_lowering.facts_digest`)
    error_regions: list[Span] = field(default_factory=list)  # JS/TS regions the grammar could not read
    constructs: list["Construct"] = field(default_factory=list)  # control statements (see "Control structure")
    regions: list["Region"] = field(default_factory=list)        # their bodies and arms
    exits: list["Exit"] = field(default_factory=list)            # return / raise / throw / break / continue
    choices: list["Choice"] = field(default_factory=list)        # expression-level conditionals
    element_reads: list[NameRef] = field(default_factory=list)  # JS `x[0]`: `x` with `key` "0" and the element
                                       # read's own disposition (`names` still holds `x` itself, as OTHER)
    discarded_awaits: list[int] = field(default_factory=list)   # JS: ids of calls awaited as a statement of
                                       # their own (`await f();`): the awaited value is thrown away
    is_esm: bool = False               # JS/TS file uses `import` / `export` syntax
    line_count: int = 0                # read only while lowering (not among a run's facts)

    # Filled by the engine, not the front ends.
    is_test: bool = False

    def function(self, fid: Optional[int]) -> Optional[Function]:
        return None if fid is None else self.functions[fid]

    def enclosing_functions(self, fid: Optional[int]):
        """Yield `fid` and its ancestors, innermost first."""
        while fid is not None:
            yield self.functions[fid]
            fid = self.functions[fid].parent


# --------------------------------------------------------------------------- control structure
#
# Control statements are lowered as a `Construct` (the statement: an if chain, a
# switch / match, a loop, a try, a with) owning one `Region` per body or arm.
# Regions nest: `Region.parent` is the next region out *in the same function*
# (None at the function's top level); `Function.region` links a nested
# function to the region its definition sits in, so the chain can be followed
# lexically across functions. Calls, name reads, functions and exits carry the
# id of their innermost region (`region`), set by the front end in its one walk.
#
# What belongs where:
# * A construct's *head* is outside its regions: an `if` / `elif` test, a loop's
#   test and iterated expression, a switch discriminant or case value, a `with`
#   item, a handler's exception types. Calls and reads there carry the region
#   that encloses the construct; the `Condition` records say which they are.
# * Expression-level conditionals (`a ? b : c`, `a && b()`, `x if c else y`,
#   comprehension filters) are not regions. Ternaries and `&&` / `||` / `??` /
#   `and` / `or` are recorded as a `Choice` each (which operands their test decides).
# * JS `using` / `await using` opens a WITH region from the declaration to the
#   end of its block; JS `else if` chains are folded into one IF construct,
#   like Python's `elif`.


class ConstructKind(str, enum.Enum):
    IF = "if"                      # if / elif / else (JS `else if` chains: one construct)
    SWITCH = "switch"              # JS `switch`, Python `match`
    LOOP = "loop"
    TRY = "try"                    # try / except / catch / else / finally (Python `except*` too)
    WITH = "with"                  # Python `with` / `async with`; JS `using` / `await using`


class LoopKind(str, enum.Enum):
    FOR = "for"                    # JS C-style `for (init; test; update)`
    FOR_OF = "for_of"              # JS `for (x of xs)`; Python `for x in xs` (iterates values)
    FOR_IN = "for_in"              # JS `for (k in obj)` (iterates keys)
    ASYNC_FOR = "async_for"        # Python `async for`; JS `for await (x of xs)`
    WHILE = "while"
    DO = "do"                      # JS `do ... while (test)`: the body runs at least once


class RegionKind(str, enum.Enum):
    THEN = "then"                  # the body of `if` and of each `elif` / `else if` (its `condition` is the test)
    ELSE = "else"                  # the final `else` of an if chain
    CASE = "case"                  # a JS `case v:` (its statements) or a Python `case pattern:` body
    DEFAULT = "default"            # JS `default:`; Python `case _:` / an unguarded capture pattern
    LOOP = "loop"                  # a loop body
    LOOP_ELSE = "loop_else"        # Python `for/while ... else:` (runs when the loop ends without `break`)
    TRY = "try"                    # the protected body of a try
    HANDLER = "handler"            # an `except` / `catch` clause (see `Region.handler`)
    TRY_ELSE = "try_else"          # Python `try ... else:` (runs when the body raised nothing)
    FINALLY = "finally"
    WITH = "with"                  # the body of with / async with, or the scope of a JS using declaration


@dataclass(slots=True)
class Condition:
    """An expression that decides which region runs (or how often): a test, a case, an iterated value."""

    span: Span
    names: list[str] = field(default_factory=list)   # dotted paths read in it (as `NameRef.name`), in order
    calls: list[int] = field(default_factory=list)   # ids of the calls evaluated in it (same function), in order
    set_display: bool = False      # Python: the expression is a set display or a set comprehension (or a
                                   # `|`, `&`, `-`, `^` with one as an operand)
    set_operands: list[Span] = field(default_factory=list)   # Python: the operands of such an operator
                                   # expression (`set(a) | set(b)`), flattened; it is a set when one is
    tests: Optional[str] = None    # when it only checks that one dotted path holds a value: that path
                                   # (`x`, `this.t`, `x != null`, `x is not None`, `typeof x !== "undefined"`)
    negated: bool = False          # ... the check is inverted (`!x`, `not x`, `x is None`, `x === undefined`)


@dataclass(slots=True)
class Handler:
    """What one `except` / `catch` clause catches, as written, and whether it lets the exception go on."""

    types: list[str] = field(default_factory=list)   # dotted paths: `except (A, m.B)` -> ["A", "m.B"];
                                                     # empty when nothing is named (`except:`, every JS catch)
    bare: bool = False             # no type written: Python `except:`; JS `catch (e)` and `catch {}`
    name: Optional[str] = None     # the bound name (`as e`, `catch (e)`); `{}` / `[]` for a JS pattern
    reraises: bool = False         # a bare `raise`, or `raise e` / `throw e` of the bound name, anywhere in
                                   # the clause's own code (not in a nested function), even conditionally
    raises: bool = False           # any `raise` / `throw` at all in the clause's own code
    star: bool = False             # Python `except*`
    keyword: Optional[Span] = None # where the clause's `except` / `catch` keyword is written (for messages)


@dataclass(slots=True)
class Region:
    id: int
    kind: RegionKind
    span: Span                     # the body's extent (from its first to its last statement; a JS block's braces)
    construct: int                 # the construct it is an arm or body of
    function: Optional[int]        # enclosing function id (None: module level)
    parent: Optional[int] = None   # enclosing region in the same function (None: the function's top level)
    condition: Optional[Condition] = None   # THEN: its test; CASE: the case value / pattern and guard
    handler: Optional[Handler] = None       # HANDLER only


@dataclass(slots=True)
class Construct:
    id: int
    kind: ConstructKind
    span: Span                     # the whole statement
    function: Optional[int]
    region: Optional[int] = None   # the region enclosing the statement (None: the function's top level)
    regions: list[int] = field(default_factory=list)  # its regions, in source order
    has_else: bool = False         # IF: ends in `else`; SWITCH: has a DEFAULT region; TRY: has a TRY_ELSE
    loop: Optional[LoopKind] = None          # LOOP only
    condition: Optional[Condition] = None    # LOOP: the test (while / do / C-style for); SWITCH: the discriminant
                                             # or match subject
    iterated: Optional[Condition] = None     # LOOP for_of / for_in / async_for: the iterated expression
    unconditional: bool = False    # LOOP: no test, or a literal true test (`while True`, `for (;;)`):
                                   # it ends only through break / return / raise
    is_async: bool = False         # WITH: `async with` / `await using`; LOOP: async iteration
    label: Optional[str] = None    # JS: the label of a labelled statement (`outer: for ...`)
    items: list[Condition] = field(default_factory=list)  # WITH: each context item (`with a() as x, b():`)
                                                          # or the JS using declaration, with what it reads


class ChoiceKind(str, enum.Enum):
    TERNARY = "ternary"            # JS `c ? a : b`, Python `a if c else b`
    AND = "and"                    # `c && a`, `c and a`
    OR = "or"                      # `c || a`, `c or a`
    NULLISH = "nullish"            # JS `c ?? a`


@dataclass(slots=True)
class Choice:
    """An expression-level conditional: its test decides which of its operands is evaluated.

    Not a region (paths treat both operands as reached); a rule that asks which
    test decides whether a call runs reads these (`Structure.choices_over`).
    `a && b && f()` is two choices: the outer one's test is `a && b`.
    """

    kind: ChoiceKind
    span: Span                     # the whole expression
    function: Optional[int]
    test: Span                     # the test / left operand (evaluated every time)
    arms: list[Span] = field(default_factory=list)  # what the test decides: a ternary's consequent then
                                                    # alternative; the right operand of the others
    region: Optional[int] = None   # innermost region holding the expression


class ExitKind(str, enum.Enum):
    RETURN = "return"
    RAISE = "raise"                # Python `raise`, JS `throw`
    BREAK = "break"
    CONTINUE = "continue"


@dataclass(slots=True)
class Exit:
    kind: ExitKind
    span: Span                     # the whole statement
    function: Optional[int]
    region: Optional[int] = None   # innermost region holding it (None: the function's top level)
    has_value: bool = False        # `return x` / `raise X` / `throw x`; False for a bare `return` / `raise`
    value: Optional[str] = None    # dotted path of the returned / raised expression when it is a name
    target: Optional[int] = None   # BREAK / CONTINUE: the construct they leave or continue (None: unknown,
                                   # e.g. a label on a plain block)
    label: Optional[str] = None    # JS `break outer` / `continue outer`
