"""Values resolved across files: constants, enum members, class constants, options objects, templates.

Each case is a small project lowered and indexed as the engine does; the question is the one a rule
asks about an argument (`resolve_value` and its helpers). Unknown must stay unknown.
"""
from __future__ import annotations

import textwrap

from lambdalint.catalog import default_catalog
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language
from lambdalint.values import (
    ABSENT,
    UNKNOWN,
    CallValue,
    ClassValue,
    EnumMember,
    ExternalValue,
    FunctionValue,
    ListValue,
    ObjectValue,
    PathValue,
    call_argument,
    call_of,
    has_key,
    object_keys,
    property,
    resolve_value,
    string_value,
    template_parts,
)


def _language(path: str) -> Language:
    if path.endswith(".py"):
        return Language.PYTHON
    return Language.TYPESCRIPT if path.endswith((".ts", ".tsx")) else Language.JAVASCRIPT


def _project(files: dict[str, str]):
    models = [lower(textwrap.dedent(src).lstrip("\n"), path, _language(path)) for path, src in files.items()]
    index = ProjectIndex(models, default_catalog())
    return index, {m.path: m for m in models}


def _call(model, callee: str):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) == 1, [c.callee for c in model.calls]
    return found[0]


def _arg(index, model, callee: str, position: int = 0, keyword=None):
    call = _call(model, callee)
    return call_argument(index, model, call, position if keyword is None else None, keyword)


# --------------------------------------------------------------- event names (FF004's question)
def test_event_name_from_an_imported_enum_member_resolves_to_its_string():
    index, files = _project({
        "src/events.ts": """
            export enum Events {
              UserRegistered = 'user.registered',
              OrderPlaced = 'order.placed',
            }
        """,
        "src/service.ts": """
            import { Events } from './events';
            export class UserService {
              constructor(private readonly eventEmitter: EventEmitter2) {}
              register(user) {
                this.eventEmitter.emit(Events.UserRegistered, user);
              }
            }
        """,
    })
    model = files["src/service.ts"]
    emit = _call(model, "this.eventEmitter.emit")
    assert string_value(index, model, emit.function, emit.args[0]) == "user.registered"


def test_event_name_from_an_imported_constant_and_from_a_constants_object():
    index, files = _project({
        "src/events.js": """
            export const USER_REGISTERED = 'user.registered';
            export const EVENTS = { ORDER: 'order.placed' };
        """,
        "src/handler.js": """
            import { USER_REGISTERED } from './events';
            import * as events from './events';
            const { EVENTS } = require('./events');
            emitter.emit(USER_REGISTERED);
            emitter.emit(events.USER_REGISTERED);
            bus.emit(EVENTS.ORDER);
        """,
    })
    model = files["src/handler.js"]
    names = [string_value(index, model, None, c.args[0]) for c in model.calls if c.method == "emit"]
    assert names == ["user.registered", "user.registered", "order.placed"]


def test_python_event_name_from_a_relative_import_and_a_module_attribute():
    index, files = _project({
        "app/events.py": """
            USER_REGISTERED = "user.registered"
        """,
        "app/handler.py": """
            from .events import USER_REGISTERED
            from . import events

            def lambda_handler(event, context):
                ee.emit(USER_REGISTERED, event)
                ee.emit(events.USER_REGISTERED, event)
        """,
    })
    model = files["app/handler.py"]
    names = [string_value(index, model, c.function, c.args[0]) for c in model.calls if c.method == "emit"]
    assert names == ["user.registered", "user.registered"]


def test_class_constants_and_static_fields_resolve():
    index, files = _project({
        "names.ts": """
            export class EventNames {
              static readonly CREATED = 'order.created';
              static DELETED = `order.${EventNames.CREATED}.deleted`;
            }
        """,
        "use.ts": """
            import { EventNames } from './names';
            emit(EventNames.CREATED);
            emit(EventNames.DELETED);
            emit(EventNames.MISSING);
        """,
        "names.py": """
            class EventNames:
                CREATED = "order.created"
        """,
        "use.py": """
            from names import EventNames
            emit(EventNames.CREATED)
        """,
    })
    ts = files["use.ts"]
    assert [string_value(index, ts, None, c.args[0]) for c in ts.calls] == [
        "order.created", "order.order.created.deleted", None]
    py = files["use.py"]
    assert string_value(index, py, None, py.calls[0].args[0]) == "order.created"


def test_python_enum_members_equal_to_their_values_only_for_str_enums():
    index, files = _project({
        "events.py": """
            import enum
            from enum import Enum, StrEnum

            class Plain(Enum):
                CREATED = "created"

            class Mixed(str, Enum):
                CREATED = "created"

            class Modern(StrEnum):
                CREATED = "created"

            emit(Plain.CREATED)
            emit(Mixed.CREATED)
            emit(Modern.CREATED)
            emit(Plain.CREATED.value)
            emit(f"x.{Modern.CREATED}")
            emit(f"x.{Mixed.CREATED}")
        """,
    })
    model = files["events.py"]
    values = [resolve_value(index, model, None, c.args[0]) for c in model.calls if c.callee == "emit"]
    assert isinstance(values[0], EnumMember) and not values[0].equals_value
    assert [string_value(index, model, None, c.args[0]) for c in model.calls if c.callee == "emit"] == [
        None, "created", "created", "created", "x.created", None]
    # The same member written twice is the same value, so two sites can be matched without a string.
    assert values[0] == resolve_value(index, model, None, "Plain.CREATED")


def test_ts_enum_implicit_members_count_on_and_a_member_after_a_computed_one_is_unknown():
    index, files = _project({
        "e.ts": """
            export const enum Level { Low, Mid, High = 10, Top, Odd = 1 << 2, After }
            use(Level.Low, Level.Mid, Level.High, Level.Top, Level.Odd, Level.After);
        """,
    })
    model = files["e.ts"]
    call = _call(model, "use")
    assert [resolve_value(index, model, None, a) for a in call.args] == [0, 1, 10, 11, UNKNOWN, UNKNOWN]


# --------------------------------------------------------------- options objects (DF016-DF018, RT)
def test_options_object_held_in_a_const_of_another_module_resolves_to_its_keys_and_values():
    index, files = _project({
        "src/config.ts": """
            export const INVOKE_OPTIONS = {
              FunctionName: 'orders-workflow',
              InvocationType: 'Event',
              Qualifier: 'live',
              Retry: { attempts: 3, backoff: [1, 2, 4] },
            } as const;
        """,
        "src/handler.ts": """
            import { INVOKE_OPTIONS } from './config';
            export const handler = async (event) => {
              await client.send(new InvokeCommand(INVOKE_OPTIONS));
            };
        """,
    })
    model = files["src/handler.ts"]
    options = _arg(index, model, "InvokeCommand")
    assert isinstance(options, ObjectValue) and not options.unknown_keys
    assert object_keys(options) == {"FunctionName", "InvocationType", "Qualifier", "Retry"}
    assert property(options, "InvocationType") == "Event"
    assert property(options, "Retry", "attempts") == 3
    assert property(options, "Retry", "backoff") == ListValue((1, 2, 4))
    assert property(options, "DurableExecutionName") is ABSENT
    assert has_key(options, "DurableExecutionName") is False


def test_a_spread_of_something_unknown_makes_the_keys_unknown():
    index, files = _project({
        "src/config.ts": """
            export function options(extra) {
              return { FunctionName: 'orders', ...extra };
            }
            export const BASE = { InvocationType: 'Event' };
            export const KNOWN = { ...BASE, Qualifier: 'live' };
            export const LATE = { Qualifier: 'live', ...process.env.OPTS };
        """,
        "src/handler.ts": """
            import { KNOWN, LATE } from './config';
            export const handler = async (event, extra) => {
              send({ FunctionName: 'orders', ...extra });
              send(KNOWN);
              send(LATE);
            };
        """,
    })
    model = files["src/handler.ts"]
    first, known, late = (resolve_value(index, model, c.function, c.args[0]) for c in model.calls)
    assert first.unknown_keys and object_keys(first) is None
    assert property(first, "DurableExecutionName") is UNKNOWN and has_key(first, "DurableExecutionName") is None
    # a spread of a known constant is merged: nothing is unknown
    assert object_keys(known) == {"InvocationType", "Qualifier"} and property(known, "InvocationType") == "Event"
    # a key listed before an unknown spread is present, but the spread may override its value
    assert has_key(late, "Qualifier") is True and property(late, "Qualifier") is UNKNOWN


def test_python_callback_config_in_a_module_constant_and_its_duration_call():
    index, files = _project({
        "app/settings.py": """
            from aws_durable_execution_sdk_python.config import CallbackConfig, Duration

            APPROVAL = CallbackConfig(timeout=Duration.from_hours(1), heartbeat_timeout=None)
        """,
        "app/handler.py": """
            from .settings import APPROVAL

            def workflow(event, context):
                context.create_callback(name="approval", config=APPROVAL)
        """,
    })
    model = files["app/handler.py"]
    config = _arg(index, model, "context.create_callback", keyword="config")
    assert isinstance(config, CallValue)
    config_model, config_call = call_of(index, config)
    assert config_model.path == "app/settings.py" and config_call.callee == "CallbackConfig"
    timeout = call_argument(index, None, config, keyword="timeout")
    timeout_model, timeout_call = call_of(index, timeout)
    assert timeout_call.callee == "Duration.from_hours"
    assert call_argument(index, timeout_model, timeout_call, 0) == 1
    assert call_argument(index, None, config, keyword="heartbeat_timeout") is None
    assert call_argument(index, None, config, keyword="retention") is ABSENT


def test_python_dict_with_double_star_and_boto3_keywords():
    index, files = _project({
        "handler.py": """
            import boto3
            BASE = {"InvocationType": "Event"}
            client = boto3.client("lambda")

            def handler(event, context, **kwargs):
                client.invoke(FunctionName="orders:live", InvocationType="Event", Payload=b"{}")
                client.invoke(**BASE, FunctionName="orders")
                params = {"FunctionName": "orders", **kwargs}
                client.invoke(**params)
        """,
    })
    model = files["handler.py"]
    first, second, third = [c for c in model.calls if c.method == "invoke"]
    assert call_argument(index, model, first, keyword="InvocationType") == "Event"
    assert call_argument(index, model, first, keyword="Qualifier") is ABSENT
    assert call_argument(index, model, second, keyword="FunctionName") == "orders"
    assert call_argument(index, model, second, keyword="Qualifier") is UNKNOWN
    params = resolve_value(index, model, third.function, third.args[0])
    assert params.unknown_keys and property(params, "FunctionName") is UNKNOWN


def test_cdk_props_give_literals_and_external_names():
    index, files = _project({
        "lib/stack.ts": """
            import { Runtime } from 'aws-cdk-lib/aws-lambda';
            import * as lambda from 'aws-cdk-lib/aws-lambda';
            import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
            const ENTRY = 'src/orders.ts';
            new NodejsFunction(this, 'Orders', { entry: ENTRY, handler: 'main', runtime: Runtime.NODEJS_24_X });
            new lambda.Function(this, 'Other', { runtime: lambda.Runtime.NODEJS_20_X, code: lambda.Code.fromAsset('dist') });
        """,
    })
    model = files["lib/stack.ts"]
    props = _arg(index, model, "NodejsFunction", 2)
    assert property(props, "entry") == "src/orders.ts" and property(props, "handler") == "main"
    assert property(props, "runtime") == ExternalValue("aws-cdk-lib/aws-lambda:Runtime.NODEJS_24_X")
    other = _arg(index, model, "lambda.Function", 2)
    assert property(other, "runtime") == ExternalValue("aws-cdk-lib/aws-lambda:Runtime.NODEJS_20_X")
    code = property(other, "code")
    assert isinstance(code, CallValue) and call_argument(index, None, code, 0) == "dist"


def test_durable_wait_config_object_and_a_function_value():
    index, files = _project({
        "wf.js": """
            const CALLBACK = { timeout: { hours: 1 } };
            async function onCallback(id) {}
            const handler = withDurableExecution(async (event, ctx) => {
              await ctx.waitForCallback('approval', onCallback, CALLBACK);
              await ctx.waitForCallback('other', async (id) => {}, { retries: 2 });
            });
        """,
    })
    model = files["wf.js"]
    first, second = [c for c in model.calls if c.method == "waitForCallback"]
    assert property(call_argument(index, model, first, 2), "timeout", "hours") == 1
    assert isinstance(call_argument(index, model, first, 1), FunctionValue)
    assert has_key(call_argument(index, model, second, 2), "timeout") is False
    assert isinstance(call_argument(index, model, second, 1), FunctionValue)
    assert call_argument(index, model, second, 3) is ABSENT


# --------------------------------------------------------------- templates and concatenation
def test_template_literal_from_a_constant_resolves_and_from_a_parameter_is_unknown():
    index, files = _project({
        "t.ts": """
            const PREFIX = 'orders';
            const VERSION = 2;
            export function handler(event, stage) {
              emit(`${PREFIX}.v${VERSION}.created`);
              emit(`${stage}.created`);
              emit(PREFIX + '.' + 'deleted');
              emit(PREFIX + stage);
            }
        """,
    })
    model = files["t.ts"]
    emits = [c for c in model.calls if c.callee == "emit"]
    values = [string_value(index, model, c.function, c.args[0]) for c in emits]
    assert values == ["orders.v2.created", None, "orders.deleted", None]
    assert template_parts(index, model, emits[1].function, emits[1].args[0]) == [UNKNOWN, ".created"]


def test_python_f_string_and_concatenation():
    index, files = _project({
        "f.py": """
            PREFIX = "orders"
            COUNT = 3

            def handler(event, stage):
                emit(f"{PREFIX}.{COUNT}.created")
                emit(f"{stage}.created")
                emit(f"{PREFIX!r}")
                emit(PREFIX + ".deleted")
                emit(PREFIX + 1)
                emit("a" "b")
        """,
    })
    model = files["f.py"]
    values = [string_value(index, model, c.function, c.args[0]) for c in model.calls if c.callee == "emit"]
    assert values == ["orders.3.created", None, None, "orders.deleted", None, "ab"]


# --------------------------------------------------------------- never guess
def test_names_that_are_not_constants_stay_unknown():
    index, files = _project({
        "n.js": """
            let mode = 'a';
            function flip() { mode = 'b'; }
            const cfg = { timeout: 5 };
            cfg.timeout = 10;
            var twice = 'x';
            var twice = 'y';
            export function handler(event) {
              const local = 'fine';
              for (const item of event.items) { use(item); }
              use(mode, cfg, twice, local, event.name, cfg.timeout);
            }
        """,
        "n.py": """
            MODE = "a"
            LIMIT = 1
            LIMIT = 2

            def reset():
                global MODE
                MODE = "b"

            def handler(event, context):
                use(MODE, LIMIT, event)
        """,
    })
    js = files["n.js"]
    call = [c for c in js.calls if c.callee == "use" and len(c.args) > 1][0]
    values = [resolve_value(index, js, call.function, a) for a in call.args]
    assert values == [UNKNOWN, UNKNOWN, UNKNOWN, "fine", UNKNOWN, UNKNOWN]
    py = files["n.py"]
    call = _call(py, "use")
    assert [resolve_value(index, py, call.function, a) for a in call.args] == [UNKNOWN, UNKNOWN, UNKNOWN]


def test_a_local_name_shadowing_a_constant_is_the_local_one():
    index, files = _project({
        "s.ts": """
            const NAME = 'outer';
            export function a() { const NAME = 'inner'; emit(NAME); }
            export function b(NAME) { emit(NAME); }
            export function c() { emit(NAME); }
        """,
    })
    model = files["s.ts"]
    assert [string_value(index, model, c.function, c.args[0]) for c in model.calls] == ["inner", None, "outer"]


def test_cycles_across_imports_end_in_unknown_and_the_answer_does_not_depend_on_order():
    files = {
        "a.ts": "import { B } from './b';\nexport const A = B;\nemit(A);\n",
        "b.ts": "import { A } from './a';\nexport const B = A;\nemit(B);\n",
        "c.py": "from d import D\nC = D\nemit(C)\n",
        "d.py": "from c import C\nD = C\n",
    }
    index, models = _project(files)
    for path in ("a.ts", "b.ts", "c.py"):
        model = models[path]
        assert resolve_value(index, model, None, model.calls[0].args[0]) is UNKNOWN
    reordered, models = _project(dict(reversed(list(files.items()))))
    assert resolve_value(reordered, models["b.ts"], None, models["b.ts"].calls[0].args[0]) is UNKNOWN


def test_re_exports_and_commonjs_exports():
    index, files = _project({
        "lib/names.js": "exports.CREATED = 'created';\nmodule.exports.DELETED = 'deleted';\n",
        "lib/more.js": "module.exports = { UPDATED: 'updated', nested: { deep: 'x' } };\n",
        "lib/index.ts": "export * from './names';\nexport { UPDATED as CHANGED } from './more';\n",
        "app.ts": """
            import { CREATED, DELETED, CHANGED } from './lib';
            const more = require('./lib/more');
            emit(CREATED, DELETED, CHANGED, more.nested.deep);
        """,
    })
    model = files["app.ts"]
    call = _call(model, "emit")
    assert [string_value(index, model, None, a) for a in call.args] == ["created", "deleted", "updated", "x"]


def test_object_freeze_and_typing_cast_give_their_argument():
    index, files = _project({
        "f.js": "const E = Object.freeze({ A: 'a' });\nemit(E.A);\n",
        "f.py": "from typing import cast\nE = cast(str, 'a')\nemit(E)\n",
    })
    for path in ("f.js", "f.py"):
        model = files[path]
        call = _call(model, "emit")
        assert string_value(index, model, None, call.args[0]) == "a"


def test_a_project_class_is_a_class_value():
    index, files = _project({
        "ev.ts": "export class UserCreated {}\n",
        "h.ts": "import { UserCreated } from './ev';\nbus.publish(UserCreated);\n",
    })
    model = files["h.ts"]
    assert _arg(index, model, "bus.publish") == ClassValue("ev.ts", "UserCreated")


def test_computed_keys_from_constants_are_known_keys():
    index, files = _project({
        "k.ts": """
            import { Events } from './events';
            const KEY = 'timeout';
            export function handler(event, name) {
              use({ [KEY]: 5, [Events.Created]: 'on', [2]: 'two' });
              use({ a: 1, [name]: 2 });
            }
        """,
        "events.ts": "export enum Events { Created = 'created' }\n",
        "k.py": """
            KEY = "timeout"
            use({KEY: 5, 2: "two"})
        """,
    })
    ts = files["k.ts"]
    known, unknown = (resolve_value(index, ts, c.function, c.args[0]) for c in ts.calls)
    assert known == ObjectValue({"timeout": 5, "created": "on", "2": "two"})
    assert unknown.unknown_keys and property(unknown, "a") is UNKNOWN
    py = files["k.py"]
    value = resolve_value(index, py, None, py.calls[0].args[0])
    # a number key is not modelled (keys are strings), but it cannot hide the string key
    assert value.unknown_keys and property(value, "timeout") == 5


def test_destructured_constants_read_their_source():
    index, files = _project({
        "d.js": """
            const { DURABLE_FN, OTHER: renamed, WITH_DEFAULT = 'x' } = process.env;
            const EVENTS = { ORDER: 'order.placed' };
            const { ORDER } = EVENTS;
            use(DURABLE_FN, renamed, WITH_DEFAULT, ORDER);
        """,
    })
    model = files["d.js"]
    call = _call(model, "use")
    assert [resolve_value(index, model, None, a) for a in call.args] == [
        ExternalValue("global:process.env.DURABLE_FN"), ExternalValue("global:process.env.OTHER"), UNKNOWN,
        "order.placed"]


def test_python_absolute_module_import_and_star_import():
    index, files = _project({
        "pkg/events.py": "USER_REGISTERED = 'user.registered'\n",
        "pkg/all.py": "from pkg.events import *\n",
        "pkg/handler.py": """
            import pkg.events
            import pkg.events as ev
            from pkg.all import USER_REGISTERED

            def handler(event, context):
                emit(pkg.events.USER_REGISTERED, ev.USER_REGISTERED, USER_REGISTERED)
        """,
    })
    model = files["pkg/handler.py"]
    call = _call(model, "emit")
    assert [string_value(index, model, call.function, a) for a in call.args] == ["user.registered"] * 3


def test_objects_that_refer_to_each_other_many_times_end_in_unknown_without_blowing_up():
    keys = ", ".join(f"k{i}: B" for i in range(30))
    back = ", ".join(f"k{i}: A" for i in range(30))
    index, files = _project({"m.js": f"const A = {{ {keys} }};\nconst B = {{ {back} }};\nuse(A);\n"})
    model = files["m.js"]
    value = resolve_value(index, model, None, model.calls[0].args[0])
    assert isinstance(value, ObjectValue) and set(value.entries) == {f"k{i}" for i in range(30)}
    inner = value.entries["k0"]
    assert isinstance(inner, ObjectValue) and all(v is UNKNOWN for v in inner.entries.values())


def test_paths_computed_from_the_files_own_location():
    index, files = _project({
        "infra/lib/stack.ts": """
            import * as path from 'path';
            import { join } from 'node:path';
            new NodejsFunction(this, 'A', { entry: path.join(__dirname, '../../src/orders.ts') });
            new NodejsFunction(this, 'B', { entry: join(__dirname, 'handlers', 'b.ts') });
            new NodejsFunction(this, 'C', { entry: path.resolve(__dirname, '..', 'c.ts') });
            new NodejsFunction(this, 'D', { entry: path.resolve('src/d.ts') });
            new NodejsFunction(this, 'E', { entry: path.join(__dirname, name) });
        """,
        "infra/esm/stack.mts": """
            import { dirname, join } from 'node:path';
            import { fileURLToPath } from 'node:url';
            const __filename = fileURLToPath(import.meta.url);
            const __dirname = dirname(__filename);
            new NodejsFunction(this, 'F', { entry: join(__dirname, '../src/f.ts') });
            new NodejsFunction(this, 'G', { entry: join(import.meta.dirname, 'g.ts') });
            new NodejsFunction(this, 'H', { entry: join(import.meta.url, 'h.ts') });
        """,
        "cdk/app.py": """
            import os
            from os import path
            HERE = os.path.dirname(__file__)
            Function(self, "A", code=Code.from_asset(os.path.join(HERE, "lambda")))
            Function(self, "B", code=Code.from_asset(path.join(path.dirname(__file__), "..", "src")))
            Function(self, "C", code=Code.from_asset(os.path.join(HERE, "/abs/dir")))
            Function(self, "D", code=Code.from_asset(os.path.abspath("src")))
        """,
    })
    ts = files["infra/lib/stack.ts"]
    entries = [property(_value_of(index, ts, c, 2), "entry") for c in ts.calls if c.callee == "NodejsFunction"]
    assert entries == [PathValue("src/orders.ts"), PathValue("infra/lib/handlers/b.ts"), PathValue("infra/c.ts"),
                       UNKNOWN, UNKNOWN]
    esm = files["infra/esm/stack.mts"]
    entries = [property(_value_of(index, esm, c, 2), "entry") for c in esm.calls if c.callee == "NodejsFunction"]
    assert entries == [PathValue("infra/src/f.ts"), PathValue("infra/esm/g.ts"), UNKNOWN]
    py = files["cdk/app.py"]
    assets = [call_argument(index, py, c, 0) for c in py.calls if c.callee == "Code.from_asset"]
    assert assets == [PathValue("cdk/lambda"), PathValue("src"), "/abs/dir", UNKNOWN]


def _value_of(index, model, call, position):
    return call_argument(index, model, call, position)


def test_deeply_nested_identity_calls_end_in_unknown_without_an_error():
    nested = "Object.freeze(" * 300 + "'x'" + ")" * 300
    index, files = _project({"deep.js": f"use({nested});\nuse(Object.freeze(Object.freeze('y')));\n"})
    model = files["deep.js"]
    first, second = [c for c in model.calls if c.callee == "use"]
    assert resolve_value(index, model, None, first.args[0]) is UNKNOWN
    assert string_value(index, model, None, second.args[0]) == "y"


def test_results_are_hashable_and_compare_by_value():
    index, files = _project({"h.ts": "use({ a: [1, 2], b: { c: 'd' } });\nuse({ a: [1, 2], b: { c: 'd' } });\n"})
    model = files["h.ts"]
    first, second = (resolve_value(index, model, None, c.args[0]) for c in model.calls)
    assert first == second and len({first, second}) == 1


def test_python_class_attributes_do_not_hide_a_module_constant_of_the_same_name():
    index, files = _project({
        "c.py": """
            CREATED = "module.created"

            class A:
                CREATED = "a.created"

            class B:
                CREATED = "b.created"
                DELETED = CREATED + ".deleted"
                LATER = f"{PREFIX}.x"
                PREFIX = "late"

            emit(CREATED, A.CREATED, B.CREATED, B.DELETED, B.LATER)
        """,
    })
    model = files["c.py"]
    call = _call(model, "emit")
    # a class body reads its own earlier names first; `PREFIX` is not bound yet where LATER is computed
    assert [string_value(index, model, None, a) for a in call.args] == [
        "module.created", "a.created", "b.created", "b.created.deleted", None]


def test_decorator_arguments_resolve_in_the_scope_around_the_function():
    index, files = _project({
        "src/events.ts": "export const EVENTS = { USER_REGISTERED: 'user.registered' } as const;\n",
        "src/listener.ts": """
            import { OnEvent } from '@nestjs/event-emitter';
            import { EVENTS } from './events';
            export class MailListener {
              @OnEvent(EVENTS.USER_REGISTERED, { async: true })
              async send(payload) {}
              @OnEvent(['order.*', EVENTS.USER_REGISTERED])
              async many(payload) {}
            }
        """,
        "app/listeners.py": """
            from .names import Events

            @ee.on(Events.CREATED)
            async def on_created(payload): ...
        """,
        "app/names.py": "from enum import StrEnum\n\nclass Events(StrEnum):\n    CREATED = 'created'\n",
    })
    ts = files["src/listener.ts"]
    send, many = ts.functions[0], ts.functions[1]
    first = send.decorators[0]
    assert string_value(index, ts, send.parent, first.args[0]) == "user.registered"
    assert property(resolve_value(index, ts, send.parent, first.args[1]), "async") is True
    assert resolve_value(index, ts, many.parent, many.decorators[0].args[0]) == ListValue(
        ("order.*", "user.registered"))
    py = files["app/listeners.py"]
    fn = py.functions[0]
    assert string_value(index, py, fn.parent, fn.decorators[0].args[0]) == "created"


def test_loop_counters_and_updated_names_are_not_constants():
    index, files = _project({
        "l.ts": """
            const counter = { n: 0 };
            let total = 0;
            export async function handler(event, ctx) {
              for (let i = 0; i < 3; i++) {
                await ctx.step(`step-${i}`, async () => i);
              }
              let j = 0;
              while (j < 2) { emit(`item-${j}`); --j; }
              counter.n++;
              total++;
              emit(counter, total);
            }
        """,
    })
    model = files["l.ts"]
    step = _call(model, "ctx.step")
    assert string_value(index, model, step.function, step.args[0]) is None
    emits = [c for c in model.calls if c.callee == "emit"]
    assert string_value(index, model, emits[0].function, emits[0].args[0]) is None
    assert [resolve_value(index, model, emits[1].function, a) for a in emits[1].args] == [UNKNOWN, UNKNOWN]


def test_a_spread_of_a_partly_known_object_keeps_the_keys_it_lists_after_its_own_spread():
    index, files = _project({
        "p.ts": """
            export function make(extra) {
              const A = { ...extra, Qualifier: 'live' };
              send({ FunctionName: 'orders', ...A });
            }
        """,
    })
    model = files["p.ts"]
    send = _call(model, "send")
    merged = resolve_value(index, model, send.function, send.args[0])
    # `extra` may hold a FunctionName that overrides the one listed first; Qualifier is listed after it
    assert merged.unknown_keys
    assert property(merged, "FunctionName") is UNKNOWN and property(merged, "Qualifier") == "live"


def test_objects_changed_by_mutating_calls_are_not_constants():
    index, files = _project({
        "m.js": """
            export async function handler(event) {
              const params = { FunctionName: 'orders', InvocationType: 'Event' };
              if (event.alias) Object.assign(params, { Qualifier: event.alias });
              await client.send(new InvokeCommand(params));
              const fixed = { FunctionName: 'orders' };
              await client.send(new InvokeCommand(fixed));
              const names = ['a'];
              names.push(event.name);
              const nested = { list: [] };
              nested.list.push(1);
              use(names, nested);
            }
        """,
        "m.py": """
            def handler(event, context):
                params = {"FunctionName": "orders"}
                params.update(event.get("extra", {}))
                client.invoke(**params)
                fixed = {"FunctionName": "orders"}
                client.invoke(**fixed)
        """,
    })
    js = files["m.js"]
    first, second = [c for c in js.calls if c.callee == "InvokeCommand"]
    assert resolve_value(index, js, first.function, first.args[0]) is UNKNOWN
    assert object_keys(resolve_value(index, js, second.function, second.args[0])) == {"FunctionName"}
    use = _call(js, "use")
    assert [resolve_value(index, js, use.function, a) for a in use.args] == [UNKNOWN, UNKNOWN]
    py = files["m.py"]
    first, second = [c for c in py.calls if c.callee == "client.invoke"]
    assert resolve_value(index, py, first.function, first.args[0]) is UNKNOWN
    assert object_keys(resolve_value(index, py, second.function, second.args[0])) == {"FunctionName"}
