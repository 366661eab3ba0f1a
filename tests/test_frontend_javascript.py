"""The JS/TS front end: small snippets in, the program model out."""
from __future__ import annotations

import textwrap

import pytest

from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.javascript import lower_javascript
from lambdalint.model import ArgKind, Container, FunctionKind, Language, Span, Use


# ----------------------------------------------------------------------------- helpers

def lower(source: str, ext: str = "ts"):
    return lower_javascript(textwrap.dedent(source), f"src/app.{ext}")


def call(model, callee: str, nth: int = 0):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) > nth, f"no call {callee!r} #{nth}; calls: {[c.callee for c in model.calls]}"
    return found[nth]


def function(model, name):
    found = [f for f in model.functions if f.name == name]
    assert found, f"no function {name!r}; functions: {[f.name for f in model.functions]}"
    return found[0]


def refs(model, name: str):
    return [n for n in model.names if n.name == name]


def binding(model, name: str):
    found = [b for b in model.bindings if b.name == name]
    assert found, f"no binding {name!r}; bindings: {[b.name for b in model.bindings]}"
    return found[0]


def export(model, name: str):
    found = [e for e in model.exports if e.name == name]
    assert found, f"no export {name!r}; exports: {[e.name for e in model.exports]}"
    return found[0]


def callees(model):
    return [c.callee for c in model.calls]


# ----------------------------------------------------------------------------- grammar / file

@pytest.mark.parametrize("ext, language", [
    ("ts", Language.TYPESCRIPT), ("mts", Language.TYPESCRIPT), ("cts", Language.TYPESCRIPT),
    ("tsx", Language.TYPESCRIPT), ("js", Language.JAVASCRIPT), ("mjs", Language.JAVASCRIPT),
    ("cjs", Language.JAVASCRIPT), ("jsx", Language.JAVASCRIPT),
])
def test_language_follows_extension(ext, language):
    model = lower("f();\n", ext)
    assert model.language is language
    assert model.path == f"src/app.{ext}"
    assert callees(model) == ["f"]


def test_jsx_in_js_and_tsx_files():
    src = "const el = <Foo onClick={() => x()} {...props}>hi {y}</Foo>;\n"
    for ext in ("jsx", "js", "tsx"):
        model = lower(src, ext)
        assert model.error_regions == []
        assert callees(model) == ["x"]
        arrow = model.functions[0]
        assert arrow.kind is FunctionKind.ARROW and arrow.disposition.use is Use.OTHER
        assert call(model, "x").disposition.use is Use.RETURNED
        assert {n.name for n in model.names} == {"props", "y"}


def test_line_count():
    assert lower("a();\nb();\n").line_count == 2
    assert lower("a();\nb();").line_count == 2
    assert lower("").line_count == 0


# ----------------------------------------------------------------------------- callee paths

@pytest.mark.parametrize("source, callee", [
    ("this.mail.send();", "this.mail.send"),
    ("fetch(u);", "fetch"),
    ("Promise.all([]);", "Promise.all"),
    ("s3.send(cmd);", "s3.send"),
    ("a['b']();", "a.b"),
    ("a[i]();", "a[]"),
    ("a.b[c].d();", "a.b[].d"),
    ("x!.y();", "x.y"),
    ("(x as any).y();", "x.y"),
])
def test_callee_paths(source, callee):
    assert callees(lower(source))[0] == callee


def test_callee_through_call_results():
    model = lower("fetch(u).then(f);")
    assert callees(model) == ["fetch().then", "fetch"]


def test_new_expression_callee():
    model = lower("const c = new S3Client({});")
    c = call(model, "S3Client")
    assert c.is_new
    assert c.args[0].kind is ArgKind.OBJECT


def test_new_without_arguments():
    c = lower("new Foo;").calls[0]
    assert (c.callee, c.is_new, c.args) == ("Foo", True, [])


def test_new_in_callee_renders_with_parens():
    model = lower("new a.B().c();")
    assert callees(model) == ["a.B().c", "a.B"]
    assert model.calls[0].receiver_call == 1


def test_optional_calls():
    model = lower("obj?.a?.b(); f?.(); a?.[0](); plain.call();")
    assert [(c.callee, c.optional) for c in model.calls] == [
        ("obj.a.b", True), ("f", True), ("a[]", True), ("plain.call", False),
    ]


def test_super_calls():
    model = lower("class A extends B { constructor() { super(); super.x(); } }")
    assert callees(model) == ["super", "super.x"]
    assert model.names == []


def test_iife_callee_is_unknown():
    model = lower("(async () => { await work(); })();")
    iife = model.calls[0]
    assert iife.callee == "?"
    assert iife.disposition.use is Use.DISCARDED
    fn = model.functions[0]
    assert fn.is_async and fn.passed_to is None
    assert fn.disposition.use is Use.OTHER
    assert call(model, "work").function == fn.id


def test_compiled_comma_callee():
    model = lower("(0, url.fileURLToPath)(x);", "js")
    c = model.calls[0]
    assert c.callee == "url.fileURLToPath"
    assert refs(model, "url")[0].disposition.use is Use.RECEIVER


def test_string_subscript_that_is_not_a_name():
    model = lower("x['a b'](); const v = conv['unsigned long'];")
    assert callees(model) == ["x[]"]
    assert [n.name for n in model.names] == ["x", "conv"]


def test_computed_constructor_reads_only_the_index():
    model = lower("new registry[kind]();")
    assert callees(model) == ["registry[]"]
    assert [n.name for n in model.names] == ["kind"]


def test_dynamic_import_is_not_a_call():
    model = lower("async function f() { const m = await import('x'); }")
    assert model.calls == []
    assert model.imports == []


def test_tagged_template_is_not_a_call():
    model = lower("sql`select ${id}`;")
    assert model.calls == []
    assert [n.name for n in model.names] == ["sql", "id"]


def test_new_target_and_import_meta_are_inert():
    model = lower("function F() { if (new.target) g(import.meta.url); }")
    assert callees(model) == ["g"]
    assert model.names == []


# ----------------------------------------------------------------------------- dispositions

def test_expression_statement_discards():
    c = lower("send();").calls[0]
    assert c.disposition.use is Use.DISCARDED
    assert c.function is None


def test_await_and_return_and_void():
    model = lower("async function f() { await a(); void b(); return c(); }")
    assert call(model, "a").disposition.use is Use.AWAITED
    assert call(model, "b").disposition.use is Use.VOIDED
    assert call(model, "c").disposition.use is Use.RETURNED


def test_yield():
    model = lower("function* g() { yield a(); yield* b(); }")
    assert call(model, "a").disposition.use is Use.YIELDED
    assert call(model, "b").disposition.use is Use.YIELDED
    assert model.functions[0].is_generator


def test_declaration_assigns():
    c = lower("const p = fetch(u);").calls[0]
    d = c.disposition
    assert (d.use, d.target, d.declared) == (Use.ASSIGNED, "p", True)


def test_plain_assignment_targets():
    model = lower("p = a(); this.p = b(); tasks[i] = c(); [x, y] = d(); ({ z } = e());")
    targets = {c.callee: (c.disposition.target, c.disposition.declared) for c in model.calls}
    assert targets == {"a": ("p", False), "b": ("this.p", False), "c": ("tasks[]", False),
                       "d": ("[]", False), "e": ("{}", False)}
    assert [n.name for n in model.names] == ["i"]


def test_receiver_links_and_dispositions():
    model = lower("fetch(u).then(f).catch(g);")
    catch, then, fetch = model.calls
    assert catch.callee == "fetch().then().catch" and catch.receiver_call == then.id
    assert then.receiver_call == fetch.id
    assert (then.disposition.use, then.disposition.consumer) == (Use.RECEIVER, catch.id)
    assert (fetch.disposition.use, fetch.disposition.consumer) == (Use.RECEIVER, then.id)
    assert catch.disposition.use is Use.DISCARDED


def test_name_receiver():
    model = lower("p.then(f); tasks.push(t);")
    then, push = model.calls
    (p,) = refs(model, "p")
    assert (p.disposition.use, p.disposition.consumer) == (Use.RECEIVER, then.id)
    (t,) = refs(model, "t")
    assert (t.disposition.use, t.disposition.consumer, t.disposition.arg_index) == (Use.ARGUMENT, push.id, 0)
    assert refs(model, "tasks")[0].disposition.use is Use.RECEIVER


def test_dotted_read_records_longest_path_only():
    model = lower("if (this.ready) use(event.Records.length);")
    assert [n.name for n in model.names] == ["this.ready", "event.Records.length"]
    assert model.names[0].disposition.use is Use.CONDITION
    assert model.names[1].disposition.use is Use.ARGUMENT


def test_property_read_of_call_result_is_other():
    model = lower("const n = f().data;")
    assert call(model, "f").disposition.use is Use.OTHER


def test_transparent_wrappers():
    model = lower("""
        async function f() {
          await (a() as Promise<void>);
          await b()!;
          await (<Promise<void>>c());
          const x = (d() satisfies Promise<void>);
          return cond ? e() : g();
        }
    """)
    assert call(model, "a").disposition.use is Use.AWAITED
    assert call(model, "b").disposition.use is Use.AWAITED
    assert call(model, "c").disposition.use is Use.AWAITED
    assert call(model, "d").disposition.target == "x"
    assert call(model, "e").disposition.use is Use.RETURNED
    assert call(model, "g").disposition.use is Use.RETURNED
    assert refs(model, "cond")[0].disposition.use is Use.CONDITION


def test_logical_operators():
    model = lower("const x = a() && b(); c() ?? d();")
    assert call(model, "a").disposition.use is Use.CONDITION
    assert call(model, "b").disposition.target == "x"
    assert call(model, "c").disposition.use is Use.CONDITION
    assert call(model, "d").disposition.use is Use.DISCARDED


def test_comma_sequence():
    model = lower("const z = (q(), r());")
    assert call(model, "q").disposition.use is Use.DISCARDED
    assert call(model, "r").disposition.target == "z"


def test_negation_and_arithmetic():
    model = lower("if (!ok()) x = n() + 1; throw err(); `t ${tpl()}`; typeof ty();")
    assert call(model, "ok").disposition.use is Use.CONDITION
    assert call(model, "n").disposition.use is Use.OTHER
    assert call(model, "err").disposition.use is Use.OTHER
    assert call(model, "tpl").disposition.use is Use.OTHER
    assert call(model, "ty").disposition.use is Use.OTHER


def test_loop_conditions():
    model = lower("while (more()) {} do {} while (again()); for (;check();) {}")
    for name in ("more", "again", "check"):
        assert call(model, name).disposition.use is Use.CONDITION


def test_arguments_with_spread_and_index():
    model = lower("f(a, ...rest, g());")
    f, g = model.calls
    assert [a.kind for a in f.args] == [ArgKind.NAME, ArgKind.NAME, ArgKind.CALL]
    assert f.args[1].spread and f.args[1].text == "rest"
    assert f.args[2].call == g.id
    assert (g.disposition.use, g.disposition.consumer, g.disposition.arg_index) == (Use.ARGUMENT, f.id, 2)
    rest = refs(model, "rest")[0]
    assert rest.disposition.spread and rest.disposition.arg_index == 1


def test_array_container():
    model = lower("await Promise.all([a(), b()]);")
    all_, a, b = model.calls
    assert all_.disposition.use is Use.AWAITED
    for c in (a, b):
        d = c.disposition
        assert (d.use, d.consumer, d.arg_index, d.container) == (Use.ARGUMENT, all_.id, 0, Container.ARRAY)


def test_object_container_innermost_wins():
    model = lower("function f() { return { p: g(), q: [h()] }; }")
    assert call(model, "g").disposition.container is Container.OBJECT
    assert call(model, "g").disposition.use is Use.RETURNED
    assert call(model, "h").disposition.container is Container.ARRAY


def test_array_spread_element():
    model = lower("const all = [...xs.map(f)];")
    d = call(model, "xs.map").disposition
    assert (d.use, d.target, d.container) == (Use.ASSIGNED, "all", Container.ARRAY)


def test_object_spread_is_other():
    model = lower("const o = { ...base(), k: v };")
    assert call(model, "base").disposition.use is Use.OTHER
    assert refs(model, "v")[0].disposition.container is Container.OBJECT


def test_shorthand_property_is_a_read():
    model = lower("send({ id, body: b });")
    send = model.calls[0]
    assert send.args[0].keys == ["id", "body"]
    (ident,) = refs(model, "id")
    assert ident.disposition.container is Container.OBJECT
    assert ident.disposition.consumer == send.id


def test_default_parameter_is_other():
    model = lower("function f(x = make()) {}")
    c = call(model, "make")
    assert c.disposition.use is Use.OTHER
    assert c.function == 0


def test_new_promise_with_set_timeout():
    model = lower("async function f() { await new Promise(r => setTimeout(r, 10)); }")
    promise = call(model, "Promise")
    assert promise.is_new and promise.disposition.use is Use.AWAITED
    arrow = model.functions[1]
    assert (arrow.passed_to, arrow.arg_index) == (promise.id, 0)
    assert arrow.disposition.use is Use.ARGUMENT
    timeout = call(model, "setTimeout")
    assert timeout.disposition.use is Use.RETURNED and timeout.function == arrow.id
    (r,) = refs(model, "r")
    assert (r.disposition.use, r.disposition.consumer, r.function) == (Use.ARGUMENT, timeout.id, arrow.id)
    assert promise.args[0].kind is ArgKind.FUNCTION and promise.args[0].function == arrow.id


def test_function_in_a_ternary_argument_is_not_passed_directly():
    model = lower("f(c ? () => 1 : null);")
    arrow = model.functions[0]
    assert arrow.passed_to is None
    assert arrow.disposition.use is Use.ARGUMENT
    assert model.calls[0].args[0].kind is ArgKind.OTHER


def test_async_callback_in_for_each():
    model = lower("items.forEach(async (item) => { await save(item); });")
    for_each = call(model, "items.forEach")
    arrow = model.functions[0]
    assert arrow.is_async and arrow.kind is FunctionKind.ARROW
    assert (arrow.passed_to, arrow.arg_index) == (for_each.id, 0)
    assert call(model, "save").function == arrow.id


def test_for_await_and_for_of():
    model = lower("""
        async function f() {
          for await (const x of gen()) {}
          for (const y of list()) {}
          for (k in obj()) {}
        }
    """)
    assert call(model, "gen").disposition.use is Use.ASYNC_ITERATED
    assert call(model, "list").disposition.use is Use.ITERATED
    assert call(model, "obj").disposition.use is Use.ITERATED
    assert {b.name for b in model.bindings if b.kind == "for"} == {"x", "y", "k"}


def test_loop_depth():
    model = lower("""
        async function f(xs) {
          before();
          for (const x of xs) { while (x) { inner(); } }
          xs.forEach(() => cb());
        }
    """)
    assert call(model, "before").loop_depth == 0
    assert call(model, "inner").loop_depth == 2
    assert call(model, "cb").loop_depth == 0


def test_for_statement_parts():
    model = lower("for (let i = start(); i < n(); i = step(i)) { body(); }")
    assert call(model, "start").loop_depth == 0
    assert call(model, "n").loop_depth == 1
    assert call(model, "step").loop_depth == 1
    assert call(model, "body").loop_depth == 1


def test_main_guard():
    model = lower("if (require.main === module) { main(); }\nother();", "js")
    assert call(model, "main").in_main_guard
    assert not call(model, "other").in_main_guard


# ----------------------------------------------------------------------------- functions

def test_exported_arrow_handler():
    model = lower("""
        export const handler = async (event: SQSEvent, context: Context): Promise<void> => {
          await process(event);
        };
    """)
    fn = function(model, "handler")
    assert fn.kind is FunctionKind.ARROW and fn.is_async
    assert [(p.name, p.annotation) for p in fn.params] == [("event", "SQSEvent"), ("context", "Context")]
    assert fn.return_annotation == "Promise<void>"
    d = fn.disposition
    assert (d.use, d.target, d.declared) == (Use.ASSIGNED, "handler", True)
    ex = export(model, "handler")
    assert (ex.local, ex.function) == ("handler", fn.id)
    assert binding(model, "handler").value_function == fn.id
    assert model.is_esm


def test_exported_function_declaration():
    model = lower("export async function handler(event) { }")
    fn = model.functions[0]
    assert (fn.name, fn.kind, fn.is_async) == ("handler", FunctionKind.DECLARATION, True)
    assert fn.disposition is None
    assert export(model, "handler").function == fn.id
    assert not any(b.name == "handler" for b in model.bindings)


def test_params_optional_default_rest_patterns():
    model = lower("function f(a?: string, b = 1, { c, d }: Opts = {}, [e]: T[] = [], ...args: any[]) {}")
    params = model.functions[0].params
    assert [(p.name, p.annotation, p.has_default, p.is_rest) for p in params] == [
        ("a", "string", False, False),
        ("b", None, True, False),
        ("{}", "Opts", True, False),
        ("[]", "T[]", True, False),
        ("args", "any[]", False, True),
    ]
    params_bound = [b.name for b in model.bindings if b.kind == "param"]
    assert params_bound == ["a", "b", "c", "d", "e", "args"]


def test_js_params_and_arity():
    model = lower("exports.handler = function (event, context, callback) {};", "js")
    fn = function(model, "handler")
    assert [p.name for p in fn.params] == ["event", "context", "callback"]


def test_single_param_arrow_and_this_param():
    model = lower("const f = x => x; function g(this: Window, a: number) {}")
    assert [p.name for p in function(model, "f").params] == ["x"]
    assert [p.name for p in function(model, "g").params] == ["a"]


def test_function_names_from_bindings():
    model = lower("""
        const h = async () => {};
        const named = function inner() {};
        obj.cb = () => {};
        const o = { k: () => {}, m() {} };
    """)
    assert [f.name for f in model.functions] == ["h", "inner", "cb", "k", "m"]
    assert function(model, "m").class_name == "{}"
    assert function(model, "m").kind is FunctionKind.METHOD
    assert function(model, "k").class_name is None


def test_function_ids_are_preorder_with_parents():
    model = lower("""
        function outer() { const a = () => { const b = () => {}; }; }
        function second() {}
    """)
    assert [(f.name, f.parent) for f in model.functions] == [
        ("outer", None), ("a", 0), ("b", 1), ("second", None),
    ]


def test_generator_and_async_generator():
    model = lower("async function* ag() {} const g = function* () {}; class C { async *m() {} }")
    assert [(f.name, f.is_async, f.is_generator) for f in model.functions] == [
        ("ag", True, True), ("g", False, True), ("m", True, True),
    ]


def test_type_only_constructs_make_no_calls():
    model = lower("""
        interface I { f(): Promise<void>; }
        type T = ReturnType<typeof make>;
        declare function ext(): void;
        declare const z: number;
        function over(a: string): void;
        function over(a: any) {}
        enum E { A = 1 }
        abstract class Q { abstract run(): Promise<void>; }
    """)
    assert model.calls == []
    assert model.names == []
    assert [f.name for f in model.functions] == ["over"]


def test_namespace_body_is_lowered():
    model = lower("namespace N { export const x = f(); }")
    assert callees(model) == ["f"]


# ----------------------------------------------------------------------------- classes

def test_class_parameter_properties_and_method():
    model = lower("""
        class UserController {
          constructor(private readonly mail: MailService, private events: EventEmitter2, plain: number) {}
          async register(): Promise<void> { this.mail.send(); }
        }
    """)
    (info,) = model.classes
    assert info.name == "UserController"
    assert info.fields == {"mail": "MailService", "events": "EventEmitter2"}
    ctor = function(model, "constructor")
    assert [p.accessibility for p in ctor.params] == ["private", "private", None]
    method = function(model, "register")
    assert (method.class_name, method.kind, method.is_async) == ("UserController", FunctionKind.METHOD, True)
    assert method.return_annotation == "Promise<void>"
    send = call(model, "this.mail.send")
    assert send.function == method.id
    assert refs(model, "this.mail")[0].disposition.consumer == send.id


def test_class_fields():
    model = lower("""
        class Svc extends Base<X> implements Y {
          private m: Mailer;
          client = new S3Client({});
          static shared = create();
          handler = async () => { await this.client.send(); };
          constructor() { super(); this.q = new Queue(); this.ready = this.init(); }
        }
    """)
    (info,) = model.classes
    assert info.bases == ["Base"]
    assert info.fields == {"m": "Mailer", "client": "S3Client", "q": "Queue"}
    arrow = function(model, "handler")
    assert (arrow.class_name, arrow.kind) == ("Svc", FunctionKind.ARROW)
    assert arrow.disposition.target == "this.handler"
    client = binding(model, "this.client")
    assert (client.type_name, client.class_name, client.value_call) == ("S3Client", "Svc", call(model, "S3Client").id)
    assert binding(model, "this.ready").class_name == "Svc"
    assert call(model, "this.init").disposition.target == "this.ready"
    assert call(model, "create").disposition.target == "Svc.shared"


def test_js_class_field_and_static_block():
    model = lower("class A { handler = async () => {}; #y = f(); static { g(); } }", "js")
    assert function(model, "handler").class_name == "A"
    assert call(model, "f").disposition.target == "this.#y"
    assert "g" in callees(model)


def test_decorators_on_class_method_and_field():
    model = lower("""
        @Injectable()
        export class Listener {
          @Inject(TOKEN) private dep: Dep;
          @OnEvent('user.created', { async: true })
          async handle(@Payload() p: Evt) {}
          @Get
          get value() { return 1; }
        }
    """)
    (info,) = model.classes
    assert [d.callee for d in info.decorators] == ["Injectable"]
    handle = function(model, "handle")
    (dec,) = handle.decorators
    assert dec.callee == "OnEvent"
    assert [(a.kind, a.value, a.keys) for a in dec.args] == [
        (ArgKind.STRING, "user.created", []), (ArgKind.OBJECT, None, ["async"]),
    ]
    assert [d.callee for d in function(model, "value").decorators] == ["Get"]
    assert model.calls == []        # decorators are not calls
    assert info.fields == {"dep": "Dep"}


def test_js_decorated_class():
    model = lower("@dec class B {}\nexport @dec2 class C {}", "js")
    assert [[d.callee for d in c.decorators] for c in model.classes] == [["dec"], ["dec2"]]


def test_class_expression_takes_binding_name():
    model = lower("const A = class { m() {} };")
    assert model.classes[0].name == "A"
    assert function(model, "m").class_name == "A"


def test_nested_class_parent():
    model = lower("function f() { class Inner {} }")
    assert model.classes[0].parent == 0


# ----------------------------------------------------------------------------- bindings

def test_binding_values():
    model = lower("""
        const a = f();
        const b = other.name;
        const c = 'lit';
        let d = false;
        let e = null;
        let s3: S3Client;
        const client = new DynamoDBClient({});
        x += g();
    """)
    assert binding(model, "a").value_call == call(model, "f").id
    assert binding(model, "b").value_name == "other.name"
    assert (binding(model, "c").value_literal, binding(model, "c").has_literal) == ("lit", True)
    assert (binding(model, "d").value_literal, binding(model, "d").has_literal) == (False, True)
    assert (binding(model, "e").value_literal, binding(model, "e").has_literal) == (None, True)
    assert binding(model, "s3").type_name == "S3Client"
    assert binding(model, "client").type_name == "DynamoDBClient"
    aug = binding(model, "x")
    assert (aug.kind, aug.value_call) == ("augmented", call(model, "g").id)
    assert {b.kind for b in model.bindings if b.name != "x"} == {"declare"}


def test_awaited_value_is_not_value_call():
    model = lower("async function f() { const r = await g(); }")
    assert binding(model, "r").value_call is None
    assert call(model, "g").disposition.use is Use.AWAITED


def test_destructuring_bindings():
    model = lower("const { a: { b }, c = d(), ...rest } = obj; [k, m] = arr;")
    assert [(x.name, x.kind) for x in model.bindings] == [
        ("b", "declare"), ("c", "declare"), ("rest", "declare"), ("k", "assign"), ("m", "assign"),
    ]
    assert refs(model, "obj")[0].disposition.target == "{}"
    assert refs(model, "arr")[0].disposition.target == "[]"
    assert call(model, "d").disposition.use is Use.OTHER


def test_array_pattern_names_of_an_awaited_call_know_the_call_and_their_position():
    model = lower("""
        async function h(ctx) {
          const [promise, id] = await ctx.createCallback("cb");
          const [, only] = await (ctx.createCallback("hole"));
          let q, w;
          [q, , w] = await ctx.createCallback("assigned");
          const [d = 1, [nested]] = await ctx.createCallback("defaults");
          const [plain] = pair;
          const [notAwaited] = ctx.createCallback("sync");
        }
    """)
    first, hole, assigned, defaults, sync = (call(model, "ctx.createCallback", n) for n in range(5))
    elements = {(b.name, b.kind): (b.element, b.element_of) for b in model.bindings if b.element is not None}
    assert elements == {
        ("promise", "declare"): (0, first.id), ("id", "declare"): (1, first.id),
        ("only", "declare"): (1, hole.id),
        ("q", "assign"): (0, assigned.id), ("w", "assign"): (2, assigned.id),
    }
    assert all(c.disposition.use is Use.AWAITED for c in (first, hole, assigned, defaults))
    assert sync.disposition.target == "[]"


def test_await_of_a_generic_call_is_the_call_awaited():
    """tree-sitter-typescript reads `await f<T>(x)` as `(await f)<T>(x)`."""
    model = lower("""
        async function h(ctx) {
          const [promise] = await ctx.createCallback<string>("cb");
          const value = await ctx.step<number>("s", async () => 1);
          const chained = await ctx.step<number>("t", async () => 2).then((v) => v);
        }
    """)
    created = call(model, "ctx.createCallback")
    assert created.disposition.use is Use.AWAITED
    assert binding(model, "promise").element_of == created.id
    assert call(model, "ctx.step").disposition.use is Use.AWAITED
    assert [c.callee for c in model.calls].count("ctx.step") == 1   # the chained one is left as it reads


def test_this_binding_class_name_and_target_reads():
    model = lower("class K { m() { this.t = run(); a[idx()] = 1; } }")
    assert binding(model, "this.t").class_name == "K"
    assert binding(model, "a[]").kind == "assign"
    assert call(model, "idx").disposition.use is Use.OTHER
    assert not refs(model, "a")


def test_catch_parameter_is_not_a_read():
    model = lower("try { f(); } catch ({ message }) { log(message); }")
    assert [n.name for n in model.names] == ["message"]


# ----------------------------------------------------------------------------- imports / exports

def test_esm_imports():
    model = lower("""
        import type { T } from 't';
        import d, { a as b, type C } from 'm';
        import * as ns from 'n';
        import 'side-effect';
    """)
    assert [(i.module, i.name, i.local, i.type_only) for i in model.imports] == [
        ("t", "T", "T", True),
        ("m", "default", "d", False),
        ("m", "a", "b", False),
        ("m", "C", "C", True),
        ("n", None, "ns", False),
        ("side-effect", None, "", False),
    ]
    assert [i.side_effect for i in model.imports] == [False] * 5 + [True]
    assert model.is_esm


def test_side_effect_requires():
    model = lower("""
        require('reflect-metadata');
        require('dotenv').config({ path: '.env' });
        require('source-map-support').install();
        const bound = require('bound');
        module.exports = require('./impl');
        function f() { require('lazy'); }
    """, "js")
    assert [(i.module, i.local, i.function, i.side_effect) for i in model.imports] == [
        ("reflect-metadata", "", None, True), ("dotenv", "", None, True), ("source-map-support", "", None, True),
        ("bound", "bound", None, False), ("lazy", "", 0, True),
    ]


def test_require_imports():
    model = lower("""
        const x = require('m'), { a: aa, bb } = require('n');
        const p = require('fs').promises;
        function f() { const lazy = require('lazy'); }
    """, "js")
    assert [(i.module, i.name, i.local, i.function) for i in model.imports] == [
        ("m", None, "x", None), ("n", "a", "aa", None), ("n", "bb", "bb", None),
        ("fs", "promises", "p", None), ("lazy", None, "lazy", 0),
    ]
    assert not model.is_esm
    assert callees(model) == ["require"] * 4


def test_ts_import_equals_require():
    model = lower("import fs = require('fs');")
    assert [(i.module, i.name, i.local) for i in model.imports] == [("fs", None, "fs")]


def test_export_forms():
    model = lower("""
        export { a, b as c };
        export { d as e } from './x';
        export * from './y';
        export * as ns from './z';
        export class K {}
        export const { p, q } = obj;
        export type { T };
    """)
    got = [(e.name, e.local, e.source, e.source_name) for e in model.exports]
    assert got == [
        ("a", "a", None, None), ("c", "b", None, None),
        ("e", None, "./x", "d"), ("*", None, "./y", None), ("ns", None, "./z", "*"),
        ("K", "K", None, None), ("p", "p", None, None), ("q", "q", None, None),
    ]


def test_export_default_forms():
    model = lower("export default async function() {}")
    ex = export(model, "default")
    assert ex.function == 0 and model.functions[0].name is None
    model = lower("export default handler;")
    assert export(model, "default").local == "handler"
    assert refs(model, "handler")[0].disposition.target == "default"
    model = lower("export default function handler() {}")
    assert (export(model, "default").local, export(model, "default").function) == ("handler", 0)
    model = lower("export default wrap(fn);")
    assert export(model, "default").call == 0
    assert model.calls[0].disposition.target == "default"


def test_anonymous_default_class():
    model = lower("export default class { run() {} }")
    assert model.classes[0].name == "default"
    assert function(model, "run").class_name == "default"


def test_export_wrapped_handler_points_at_outer_call():
    model = lower("export const handler = middy(baseHandler).use(x());")
    use = call(model, "middy().use")
    middy = call(model, "middy")
    ex = export(model, "handler")
    assert (ex.local, ex.call) == ("handler", use.id)
    assert use.receiver_call == middy.id
    assert (middy.disposition.use, middy.disposition.consumer) == (Use.RECEIVER, use.id)
    assert middy.args[0].kind is ArgKind.NAME and middy.args[0].text == "baseHandler"
    assert binding(model, "handler").value_call == use.id


def test_commonjs_exports():
    model = lower("""
        exports.handler = async function (e) {};
        module.exports.other = async (e, c) => {};
        exports.wrapped = withDurableExecution(async (e, c) => {});
    """, "js")
    h = function(model, "handler")
    assert h.disposition.target == "exports.handler"
    assert export(model, "handler").function == h.id
    o = function(model, "other")
    assert o.disposition.target == "module.exports.other"
    assert export(model, "other").function == o.id
    assert export(model, "wrapped").call == call(model, "withDurableExecution").id
    assert not model.is_esm


def test_compiled_commonjs_placeholders_are_not_exports():
    model = lower("""
        exports.handler = exports.other = void 0;
        const handler = async (e) => {};
        exports.handler = handler;
    """, "js")
    assert [(e.name, e.local) for e in model.exports] == [("handler", "handler")]


def test_module_exports_object():
    model = lower("module.exports = { handler, other: impl, x: async () => {}, y() {}, z: wrap(fn) };", "js")
    got = {e.name: (e.local, e.function, e.call) for e in model.exports}
    assert got == {
        "handler": ("handler", None, None),
        "other": ("impl", None, None),
        "x": (None, function(model, "x").id, None),
        "y": (None, function(model, "y").id, None),
        "z": (None, None, call(model, "wrap").id),
    }


def test_module_exports_single_value():
    model = lower("module.exports = handler;", "js")
    assert [(e.name, e.local) for e in model.exports] == [("default", "handler")]
    model = lower("module.exports = async (event) => {};", "js")
    assert export(model, "default").function == 0


def test_ts_export_equals():
    model = lower("export = handler;")
    assert [(e.name, e.local) for e in model.exports] == [("default", "handler")]


# ----------------------------------------------------------------------------- comments

def test_comments():
    model = lower("// top\nf( /* inner */ 1); // trailing\n  /* block\n  two */\n")
    assert [(c.line, c.text, c.own_line) for c in model.comments] == [
        (1, "// top", True), (2, "/* inner */", False), (2, "// trailing", False), (3, "/* block\n  two */", True),
    ]
    assert call(model, "f").args[0].value == 1


# ----------------------------------------------------------------------------- arguments

def test_argument_kinds():
    model = lower("f('s', `t`, `u${v}`, 1.5, 0x10, true, null, undefined, a.b, () => 1, g(), "
                  "{k: 1, 'q': 2}, [1], x + 1);")
    args = model.calls[0].args
    assert [a.kind for a in args] == [
        ArgKind.STRING, ArgKind.STRING, ArgKind.OTHER, ArgKind.NUMBER, ArgKind.NUMBER, ArgKind.BOOL,
        ArgKind.NONE, ArgKind.NONE, ArgKind.NAME, ArgKind.FUNCTION, ArgKind.CALL, ArgKind.OBJECT,
        ArgKind.ARRAY, ArgKind.OTHER,
    ]
    assert [a.value for a in args[:6]] == ["s", "t", None, 1.5, 16, True]
    assert args[8].text == "a.b"
    assert args[11].keys == ["k", "q"]
    assert args[0].span == Span(1, 3, 1, 6)


def test_argument_text_is_cut():
    model = lower("f('" + "x" * 500 + "');")
    assert len(model.calls[0].args[0].text) == 200


def test_string_escapes():
    model = lower(r"f('a\nb', 'caf\u00e9', '\x41');")
    assert [a.value for a in model.calls[0].args] == ["a\nb", "café", "A"]


# ----------------------------------------------------------------------------- positions and errors

def test_spans_are_one_based():
    model = lower_javascript("\nx;\n  foo(bar);\n", "a.js")
    assert model.calls[0].span == Span(3, 3, 3, 11)
    assert refs(model, "bar")[0].span == Span(3, 7, 3, 10)


def test_non_ascii_character_columns():
    model = lower("const s = 'héllo wörld'; fünf(ä);\nnext();\n")
    fuenf = call(model, "fünf")
    assert fuenf.span == Span(1, 26, 1, 33)
    assert refs(model, "ä")[0].span == Span(1, 31, 1, 32)
    assert call(model, "next").span == Span(2, 1, 2, 7)


def test_astral_characters_count_as_one_column():
    model = lower("const e = '😀'; go();")
    assert call(model, "go").span.column == 16


@pytest.mark.parametrize("source,line,message", [
    ("before();\nif (x { inside() }\nafter();\n", 2, "expected `)`"),
    ("exports.handler = async () => {\n  await fetch(u);\n", 2, "expected `}`"),
    ("function f( { }\n", 1, "not closed"),
    ("const x = ;\nfetch(u);\n", 1, "unexpected `;`"),
    ("let total = 1 +;\n", 1, "unexpected `+`"),
    ("const a = 1;\n@@@\nconst b = 2;\n", 2, "unexpected `@@@`"),
    ("f(a, b;\ng();", 1, "expected `)`"),
    ("let = = = ;;; )))) (((( ]]]] }}}}", 1, ""),
])
def test_plainly_broken_files_are_syntax_errors(source, line, message):
    with pytest.raises(ParseError) as raised:
        lower_javascript(source, "broken.js")
    assert raised.value.line == line
    assert message in str(raised.value)


def test_small_unreadable_island_stays_a_region():
    model = lower("""
        before();
        const mod = await importOriginal<typeof import('x')>();
        after();
    """, "ts")
    assert model.error_regions
    assert {"before", "after"} <= set(callees(model))


def test_grammar_lag_on_import_type_argument():
    model = lower("""
        vi.mock('x', async (importOriginal) => {
          const mod = await importOriginal<typeof import('x')>();
          return { ...mod, f: vi.fn() };
        });
    """)
    assert model.error_regions
    assert call(model, "vi.mock").args[1].kind is ArgKind.FUNCTION
    assert call(model, "vi.fn").disposition.container is Container.OBJECT


@pytest.mark.parametrize("source", [
    "(" * 5000 + "x" + ")" * 5000 + ";",
    "[" * 5000 + "]" * 5000 + ";",
    "f(" * 3000 + ")" * 3000 + ";",
    "a" + ".b()" * 3000 + ";",
    "x = " + "a ? b : " * 3000 + "c;",
    "g(() => " * 2000 + "h()" + ")" * 2000 + ";",
    "(" * 5000,
])
def test_deep_nesting_does_not_crash(source):
    try:
        model = lower_javascript(source, "deep.js")
    except ParseError as error:  # an unclosed bracket is a syntax error, nothing worse
        assert error.line == 1
    else:
        assert model.line_count == 1


def test_deep_callback_nesting_keeps_parents():
    model = lower_javascript("g(() => " * 1500 + "h()" + ")" * 1500 + ";", "deep.js")
    assert len(model.functions) == 1500
    assert model.functions[-1].parent == 1498
    assert call(model, "h").function == 1499


def test_empty_and_garbage_sources():
    for source in ("", "\n", "}}}", "\x00\x01", "'unterminated", "/* open comment", "<div>", "@@@"):
        for ext in ("js", "ts", "tsx"):
            try:
                lower_javascript(source, f"x.{ext}")
            except ParseError as error:  # the only way bad input may fail
                assert error.line is not None


def test_crlf_source():
    model = lower_javascript("a();\r\n  b(); // c\r\n", "x.js")
    assert call(model, "b").span == Span(2, 3, 2, 6)
    assert model.comments[0].own_line is False
    assert model.line_count == 2
