"""How both front ends lower values: object properties with their values, spreads, arrays, templates,
f-strings, enum members, class constants and static fields; and the caps that keep a value small."""
from __future__ import annotations

import pickle
import textwrap

from lambdalint.frontends.javascript import lower_javascript
from lambdalint.frontends.python import lower_python
from lambdalint.model import ArgKind, Value, ValueKind


def js(source: str, path: str = "handler.ts"):
    return lower_javascript(textwrap.dedent(source).lstrip("\n"), path)


def py(source: str):
    return lower_python(textwrap.dedent(source).lstrip("\n"), "handler.py")


def binding(model, name: str):
    found = [b for b in model.bindings if b.name == name]
    assert len(found) == 1, [b.name for b in model.bindings]
    return found[0]


def call(model, callee: str):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) == 1, [c.callee for c in model.calls]
    return found[0]


def entries(value: Value) -> dict:
    assert value.kind is ValueKind.OBJECT
    return {k: v for k, v in value.entries}


# --------------------------------------------------------------- JS / TS
def test_js_object_argument_keeps_nested_property_values_and_call_ids():
    model = js("""
        await lambda.send(new InvokeCommand({
          FunctionName: TARGET,
          InvocationType: 'Event',
          Qualifier: alias,
          Payload: JSON.stringify(event),
          'quoted-key': 1,
          timeout: { hours: 1 },
        }));
    """)
    command = call(model, "InvokeCommand")
    arg = command.args[0]
    assert arg.kind is ArgKind.OBJECT and arg.keys[:3] == ["FunctionName", "InvocationType", "Qualifier"]
    props = entries(arg.expr)
    assert props["FunctionName"].kind is ValueKind.NAME and props["FunctionName"].literal == "TARGET"
    assert props["InvocationType"].kind is ValueKind.STRING and props["InvocationType"].literal == "Event"
    assert props["Qualifier"].literal == "alias"
    assert props["Payload"].kind is ValueKind.CALL
    assert model.calls[props["Payload"].ref].callee == "JSON.stringify"
    assert props["quoted-key"].literal == 1
    assert entries(props["timeout"])["hours"].literal == 1
    # the outer call's argument is the `new` call itself
    send = call(model, "lambda.send")
    assert send.args[0].expr.kind is ValueKind.CALL and send.args[0].expr.ref == command.id


def test_js_spreads_computed_keys_shorthands_methods_and_getters():
    model = js("""
        const opts = { a: 1, ...base, [key]: 2, b, run() {}, get size() { return 1; }, f: () => 0 };
    """, "a.js")
    value = binding(model, "opts").value_expr
    pairs = value.entries
    assert [k for k, _ in pairs] == ["a", None, None, "b", "run", "size", "f"]
    assert pairs[1][1].kind is ValueKind.NAME and pairs[1][1].literal == "base"      # spread: its operand
    assert pairs[2][1].kind is ValueKind.COMPUTED                                      # computed key: [k, v]
    assert [v.literal for v in pairs[2][1].items] == ["key", 2]
    assert pairs[3][1].literal == "b"
    assert pairs[4][1].kind is ValueKind.FUNCTION and model.functions[pairs[4][1].ref].name == "run"
    assert pairs[5][1].kind is ValueKind.UNKNOWN                                       # getter
    assert pairs[6][1].kind is ValueKind.FUNCTION


def test_js_literals_arrays_and_wrappers():
    model = js("""
        use('s', 3, -2, 0x10, true, null, undefined, void 0, [1, ...rest], cfg as const, x!, `plain`);
    """)
    values = [a.expr for a in call(model, "use").args]
    assert [v.kind for v in values] == [
        ValueKind.STRING, ValueKind.NUMBER, ValueKind.NUMBER, ValueKind.NUMBER, ValueKind.BOOL, ValueKind.NONE,
        ValueKind.NONE, ValueKind.NONE, ValueKind.ARRAY, ValueKind.NAME, ValueKind.NAME, ValueKind.STRING]
    assert [v.literal for v in values[:5]] == ["s", 3, -2, 16, True]
    array = values[8]
    assert array.items[0].literal == 1 and array.items[1].kind is ValueKind.SPREAD
    assert array.items[1].items[0].literal == "rest"
    assert values[11].literal == "plain"


def test_js_template_literal_keeps_literal_parts_and_substitutions():
    model = js("const name = `orders.${kind}.created\\n`;\nconst sum = 'a' + PREFIX + 1;\n", "a.js")
    template = binding(model, "name").value_expr
    assert template.kind is ValueKind.TEMPLATE
    assert [(p.kind, p.literal) for p in template.items] == [
        (ValueKind.STRING, "orders."), (ValueKind.NAME, "kind"), (ValueKind.STRING, ".created\n")]
    concat = binding(model, "sum").value_expr
    assert concat.kind is ValueKind.CONCAT and [p.literal for p in concat.items] == ["a", "PREFIX", 1]


def test_ts_enum_members_with_their_values():
    model = js("""
        export enum Events { UserRegistered = 'user.registered', OrderPlaced = 'order.placed' }
        enum Level { Low, Mid, High = 10, Top }
        export const enum Flags { A = 1 << 0, B }
    """)
    by_name = {c.name: c for c in model.classes}
    events = by_name["Events"]
    assert events.is_enum and {k: v.literal for k, v in events.values.items()} == {
        "UserRegistered": "user.registered", "OrderPlaced": "order.placed"}
    assert {k: v.literal for k, v in by_name["Level"].values.items()} == {"Low": 0, "Mid": 1, "High": 10, "Top": 11}
    assert all(v.kind is ValueKind.UNKNOWN for v in by_name["Flags"].values.values())
    assert any(e.name == "Events" for e in model.exports)


def test_ts_static_fields_are_class_constants_and_instance_fields_are_not():
    model = js("""
        export class EventNames {
          static readonly CREATED = 'order.created';
          static LIST = ['a', 'b'];
          readonly instance = 'not a class constant';
          static twice = 1;
          static twice = 2;
        }
    """)
    info = model.classes[0]
    assert not info.is_enum
    assert info.values["CREATED"].literal == "order.created"
    assert [i.literal for i in info.values["LIST"].items] == ["a", "b"]
    assert "instance" not in info.values
    assert info.values["twice"].kind is ValueKind.UNKNOWN


def test_js_value_caps_keep_values_small():
    wide = "{" + ", ".join(f"k{i}: {i}" for i in range(200)) + "}"
    deep = "{a: " * 20 + "1" + "}" * 20
    model = js(f"const wide = {wide};\nconst deep = {deep};\n", "a.js")
    value = binding(model, "wide").value_expr
    assert len(value.entries) == 65 and value.entries[-1] == (None, value.entries[-1][1])
    assert value.entries[-1][1].kind is ValueKind.UNKNOWN
    depth, cur = 0, binding(model, "deep").value_expr
    while cur.kind is ValueKind.OBJECT:
        cur, depth = cur.entries[0][1], depth + 1
    assert cur.kind is ValueKind.UNKNOWN and depth == 6


def test_js_decorator_arguments_have_values():
    model = js("""
        class Listener {
          @OnEvent(Events.UserRegistered, { async: true })
          async handle(payload) {}
        }
    """)
    decorator = model.functions[0].decorators[0]
    assert decorator.args[0].expr.literal == "Events.UserRegistered"
    assert entries(decorator.args[1].expr)["async"].literal is True


# --------------------------------------------------------------- Python
def test_python_keyword_arguments_and_nested_calls():
    model = py("""
        config = CallbackConfig(timeout=Duration.from_hours(1), retries=3)
        client.invoke(FunctionName=NAME, InvocationType="Event", **extra)
    """)
    callback = call(model, "CallbackConfig")
    timeout = next(a for a in callback.args if a.keyword == "timeout")
    assert timeout.expr.kind is ValueKind.CALL and model.calls[timeout.expr.ref].callee == "Duration.from_hours"
    assert model.calls[timeout.expr.ref].args[0].expr.literal == 1
    assert binding(model, "config").value_expr.ref == callback.id
    invoke = call(model, "client.invoke")
    assert [(a.keyword, a.expr.kind) for a in invoke.args] == [
        ("FunctionName", ValueKind.NAME), ("InvocationType", ValueKind.STRING), (None, ValueKind.NAME)]
    assert invoke.args[2].spread


def test_python_dicts_lists_and_star_entries():
    model = py("""
        OPTIONS = {"timeout": {"hours": 1}, **BASE, 2: "x", "items": [1, *more], "pair": (True, None)}
    """)
    pairs = binding(model, "OPTIONS").value_expr.entries
    assert [k for k, _ in pairs] == ["timeout", None, None, "items", "pair"]
    assert entries(pairs[0][1])["hours"].literal == 1
    assert pairs[1][1].kind is ValueKind.NAME and pairs[1][1].literal == "BASE"
    assert pairs[2][1].kind is ValueKind.COMPUTED                # a key that is not a string literal
    assert [v.literal for v in pairs[2][1].items] == [2, "x"]
    items = pairs[3][1].items
    assert items[0].literal == 1 and items[1].kind is ValueKind.SPREAD
    assert [i.kind for i in pairs[4][1].items] == [ValueKind.BOOL, ValueKind.NONE]


def test_python_f_strings_and_concatenations():
    model = py("""
        A = f"orders.{kind}.created"
        B = f"{x!r}-{y:>4}-{{literal}}"
        C = "a" f"{b}" "c"
        D = PREFIX + ".x"
        E = "plain" "joined"
        F = environ["STAGE"]
    """)
    a = binding(model, "A").value_expr
    assert [(p.kind, p.literal) for p in a.items] == [
        (ValueKind.STRING, "orders."), (ValueKind.NAME, "kind"), (ValueKind.STRING, ".created")]
    b = binding(model, "B").value_expr
    assert [p.kind for p in b.items] == [ValueKind.UNKNOWN, ValueKind.STRING, ValueKind.UNKNOWN, ValueKind.STRING]
    assert b.items[3].literal == "-{literal}"
    c = binding(model, "C").value_expr
    assert c.kind is ValueKind.TEMPLATE and [p.literal for p in c.items] == ["a", "b", "c"]
    d = binding(model, "D").value_expr
    assert d.kind is ValueKind.CONCAT and [p.literal for p in d.items] == ["PREFIX", ".x"]
    assert binding(model, "E").value_expr.literal == "plainjoined"
    assert binding(model, "F").value_expr.literal == "environ.STAGE"


def test_python_class_attributes_are_class_constants():
    model = py("""
        class EventNames(str, Enum):
            CREATED = "order.created"
            TIMEOUT: int = 30
            COUNT = 1
            COUNT += 1

            def method(self):
                LOCAL = "not a class constant"
    """)
    info = model.classes[0]
    assert info.values["CREATED"].literal == "order.created"
    assert info.values["TIMEOUT"].literal == 30
    assert info.values["COUNT"].kind is ValueKind.UNKNOWN
    assert "LOCAL" not in info.values and "method" not in info.values


def test_python_lambda_values_and_decorator_arguments():
    model = py("""
        @ee.on(Events.CREATED)
        async def on_created(payload): ...

        handlers = {"created": lambda p: p}
    """)
    decorator = model.functions[0].decorators[0]
    assert decorator.args[0].expr.literal == "Events.CREATED"
    value = entries(binding(model, "handlers").value_expr)["created"]
    assert value.kind is ValueKind.FUNCTION and model.functions[value.ref].kind.value == "lambda"


def test_models_with_values_pickle_round_trip():
    for model in (js("const o = { a: [1, `x${y}`], ...z };\n"), py("O = {'a': [1, f'x{y}'], **z}\n")):
        again = pickle.loads(pickle.dumps(model))
        assert repr(again.bindings[0].value_expr) == repr(model.bindings[0].value_expr)
