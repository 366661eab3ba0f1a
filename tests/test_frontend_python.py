"""Tests of the Python front end: snippets in, program model out."""
from __future__ import annotations

import pickle
import sys
import textwrap

import pytest

from lambdalint.frontends.errors import ParseError
from lambdalint.frontends.python import lower_python
from lambdalint.model import ArgKind, Container, FunctionKind, Language, Span, Use


# --------------------------------------------------------------------------- helpers

def lower(source: str):
    return lower_python(textwrap.dedent(source), "snippet.py")


def call(model, callee: str):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) == 1, f"{callee!r}: {[c.callee for c in model.calls]}"
    return found[0]


def name(model, path: str):
    found = [n for n in model.names if n.name == path]
    assert len(found) == 1, f"{path!r}: {[n.name for n in model.names]}"
    return found[0]


def binding(model, path: str):
    found = [b for b in model.bindings if b.name == path]
    assert len(found) == 1, f"{path!r}: {[b.name for b in model.bindings]}"
    return found[0]


def function(model, fname):
    found = [f for f in model.functions if f.name == fname]
    assert len(found) == 1, f"{fname!r}: {[f.name for f in model.functions]}"
    return found[0]


def use(model, callee: str) -> Use:
    return call(model, callee).disposition.use


# --------------------------------------------------------------------------- statements and dispositions

def test_expression_statement_discards_the_call():
    m = lower("work()\n")
    c = call(m, "work")
    assert c.disposition.use is Use.DISCARDED
    assert c.span == Span(1, 1, 1, 7)
    assert c.function is None
    assert m.language is Language.PYTHON and m.path == "snippet.py"


def test_docstring_records_nothing():
    m = lower('''
        """Module doc."""
        def f():
            """Function doc."""
    ''')
    assert m.calls == [] and m.names == []


def test_await_and_return():
    m = lower("""
        async def h():
            await a()
            return b()
    """)
    assert use(m, "a") is Use.AWAITED
    assert use(m, "b") is Use.RETURNED
    assert call(m, "a").function == 0


def test_yield_from_is_awaited_and_yield_is_yielded():
    m = lower("""
        def g():
            yield from a()
            yield b()
    """)
    assert use(m, "a") is Use.AWAITED
    assert use(m, "b") is Use.YIELDED
    assert function(m, "g").is_generator


def test_is_generator_ignores_yield_in_nested_functions():
    m = lower("""
        def outer():
            def inner():
                yield 1
            return inner
    """)
    assert not function(m, "outer").is_generator
    assert function(m, "inner").is_generator


def test_assignment_binds_target_and_value_call():
    m = lower("p = make()\n")
    c = call(m, "make")
    assert c.disposition.use is Use.ASSIGNED
    assert c.disposition.target == "p" and not c.disposition.declared
    b = binding(m, "p")
    assert b.kind == "assign" and b.value_call == c.id and b.span == Span(1, 1, 1, 2)


def test_underscore_target():
    m = lower("_ = coro()\n")
    assert call(m, "coro").disposition.target == "_"


def test_annotated_assignment_is_declared_with_type():
    m = lower("x: asyncio.Task = asyncio.create_task(job())\n")
    c = call(m, "asyncio.create_task")
    assert c.disposition.use is Use.ASSIGNED
    assert c.disposition.target == "x" and c.disposition.declared
    b = binding(m, "x")
    assert b.kind == "declare" and b.type_name == "asyncio.Task" and b.value_call == c.id


def test_annotation_without_value_is_a_declaration():
    b = binding(lower("client: httpx.AsyncClient\n"), "client")
    assert b.kind == "declare" and b.type_name == "httpx.AsyncClient" and b.value_call is None


def test_augmented_assignment():
    m = lower("total += count()\n")
    assert call(m, "count").disposition.target == "total"
    assert binding(m, "total").kind == "augmented"


def test_tuple_assignment_pairs_elements():
    m = lower("a, b = f(), g()\n")
    assert call(m, "f").disposition.target == "a"
    assert call(m, "g").disposition.target == "b"
    assert binding(m, "a").value_call == call(m, "f").id
    assert binding(m, "b").value_call == call(m, "g").id


def test_destructuring_a_single_value():
    m = lower("a, (b, *c) = pair()\n")
    assert call(m, "pair").disposition.target == "[]"
    assert [b.name for b in m.bindings] == ["a", "b", "c"]
    assert all(b.value_call is None for b in m.bindings)


def test_subscript_target_and_index_read():
    m = lower("cache[key] = load()\n")
    assert call(m, "load").disposition.target == "cache[]"
    assert binding(m, "cache[]").value_call == 0
    assert name(m, "key").disposition.use is Use.OTHER
    assert not [n for n in m.names if n.name == "cache"]


def test_chained_assignment_binds_every_target():
    m = lower("a = b = f()\n")
    assert call(m, "f").disposition.target == "a"
    assert binding(m, "a").value_call == binding(m, "b").value_call == 0


def test_walrus():
    m = lower("if (m := match()):\n    pass\n")
    assert call(m, "match").disposition.target == "m"
    assert binding(m, "m").value_call == 0


def test_binding_values_name_literal_and_constructor():
    m = lower("""
        alias = other.attr
        flag = False
        nothing = None
        limit = -3
        s3 = S3Client(region="x")
    """)
    assert binding(m, "alias").value_name == "other.attr"
    assert binding(m, "flag").value_literal is False and binding(m, "flag").has_literal
    assert binding(m, "nothing").value_literal is None and binding(m, "nothing").has_literal
    assert binding(m, "limit").value_literal == -3
    assert binding(m, "s3").type_name == "S3Client"
    assert binding(m, "alias").has_literal is False


def test_lowercase_callee_is_not_a_constructor():
    assert binding(lower("c = boto3.client('s3')\n"), "c").type_name is None


def test_global_and_nonlocal_bindings():
    m = lower("""
        def f():
            global counter
            def g():
                nonlocal counter
    """)
    kinds = [(b.name, b.kind, b.function) for b in m.bindings if b.kind in ("global", "nonlocal")]
    assert kinds == [("counter", "global", 0), ("counter", "nonlocal", 1)]


def test_class_body_attributes_belong_to_their_class():
    m = lower("""
        class Poller:
            wait = asyncio.sleep
    """)
    assert binding(m, "wait").class_name == "Poller"


def test_raise_assert_and_del():
    m = lower("""
        assert ready(), message()
        raise Boom(why()) from cause()
        del items[pick()]
    """)
    assert use(m, "ready") is Use.CONDITION
    assert use(m, "message") is Use.OTHER
    assert use(m, "Boom") is Use.OTHER
    assert use(m, "why") is Use.ARGUMENT
    assert use(m, "cause") is Use.OTHER
    assert use(m, "pick") is Use.OTHER


# --------------------------------------------------------------------------- calls

def test_arguments_positional_keyword_and_spread():
    m = lower("run(a(), *b(), key=c(), **d())\n")
    run = call(m, "run")
    a, b, c, d = (call(m, x).disposition for x in "abcd")
    assert (a.use, a.consumer, a.arg_index, a.spread) == (Use.ARGUMENT, run.id, 0, False)
    assert (b.arg_index, b.spread) == (1, True)
    assert (c.arg_index, c.keyword, c.spread) == (None, "key", False)
    assert (d.arg_index, d.keyword, d.spread) == (None, None, True)
    assert [arg.kind for arg in run.args] == [ArgKind.CALL] * 4
    assert [arg.call for arg in run.args] == [call(m, x).id for x in "abcd"]
    assert run.args[2].keyword == "key" and run.args[1].spread


def test_call_ids_are_preorder():
    m = lower("outer(inner(deep()))\n")
    assert [c.callee for c in m.calls] == ["outer", "inner", "deep"]
    assert [c.id for c in m.calls] == [0, 1, 2]


def test_receiver_name_and_argument_name():
    m = lower("tasks.append(t)\n")
    append = call(m, "tasks.append")
    tasks, t = name(m, "tasks"), name(m, "t")
    assert (tasks.disposition.use, tasks.disposition.consumer) == (Use.RECEIVER, append.id)
    assert (t.disposition.use, t.disposition.consumer, t.disposition.arg_index) == (Use.ARGUMENT, append.id, 0)


def test_receiver_call_chain():
    m = lower("fetch(u).then(f).catch(g)\n")
    catch, then, fetch = call(m, "fetch().then().catch"), call(m, "fetch().then"), call(m, "fetch")
    assert catch.receiver_call == then.id and then.receiver_call == fetch.id
    assert (then.disposition.use, then.disposition.consumer) == (Use.RECEIVER, catch.id)
    assert (fetch.disposition.use, fetch.disposition.consumer) == (Use.RECEIVER, then.id)
    assert catch.disposition.use is Use.DISCARDED


def test_self_receiver_path():
    m = lower("""
        class C:
            async def go(self):
                await self.client.get(url)
                self.close()
    """)
    get = call(m, "self.client.get")
    ref = name(m, "self.client")
    assert (ref.disposition.use, ref.disposition.consumer) == (Use.RECEIVER, get.id)
    assert not [n for n in m.names if n.name == "self"]
    assert call(m, "self.close").disposition.use is Use.DISCARDED


def test_subscript_call_receiver():
    m = lower("handlers['x'](event)\n")
    c = call(m, "handlers[]")
    ref = name(m, "handlers")
    assert (ref.disposition.use, ref.disposition.consumer) == (Use.RECEIVER, c.id)


def test_property_read_of_call_is_other():
    m = lower("print(fetch().data)\n")
    assert use(m, "fetch") is Use.OTHER
    assert call(m, "print").args[0].kind is ArgKind.OTHER


def test_callee_rendering():
    m = lower("""
        super().__init__()
        items[0].run()
        (lambda: 1)()
        make()()
    """)
    callees = [c.callee for c in m.calls]
    assert "super.__init__" in callees and "super" in callees
    assert "items[].run" in callees and "?" in callees and "make()" in callees


def test_immediately_invoked_lambda():
    m = lower("(lambda: work())()\n")
    outer = call(m, "?")
    assert outer.callee_function == 0
    assert m.functions[0].kind is FunctionKind.LAMBDA
    assert call(m, "work").function == 0


def test_arg_kinds_and_values():
    m = lower("f('s', 2, -1.5, True, None, x.y, lambda: 0, {'k': 1, 'j': 2}, [1], (1,), a + b, f'v{z}', f'plain')\n")
    args = call(m, "f").args
    kinds = [a.kind for a in args]
    assert kinds == [
        ArgKind.STRING, ArgKind.NUMBER, ArgKind.NUMBER, ArgKind.BOOL, ArgKind.NONE, ArgKind.NAME,
        ArgKind.FUNCTION, ArgKind.OBJECT, ArgKind.ARRAY, ArgKind.ARRAY, ArgKind.OTHER, ArgKind.OTHER,
        ArgKind.STRING,
    ]
    assert [a.value for a in args[:5]] == ["s", 2, -1.5, True, None]
    assert args[5].text == "x.y"
    assert args[6].function == 0
    assert args[7].keys == ["k", "j"]
    assert args[10].text == "a + b"
    assert args[12].value == "plain"
    assert args[0].span == Span(1, 3, 1, 6)


def test_arg_text_is_cut():
    m = lower("f('" + "x" * 300 + "')\n")
    assert len(call(m, "f").args[0].text) == 200


def test_names_longest_path_only_and_literals_skipped():
    m = lower("use(event.Records, True, None, self)\n")
    assert [n.name for n in m.names] == ["event.Records"]


def test_fstring_reads_are_other():
    m = lower("log(f'{user.name} {count():>{width}}')\n")
    assert name(m, "user.name").disposition.use is Use.OTHER
    assert use(m, "count") is Use.OTHER
    assert name(m, "width").disposition.use is Use.OTHER


# --------------------------------------------------------------------------- transparent wrappers and collections

def test_conditional_expression():
    m = lower("x = a() if c() else b()\n")
    assert call(m, "a").disposition.target == "x"
    assert call(m, "b").disposition.target == "x"
    assert use(m, "c") is Use.CONDITION


def test_boolean_operators():
    m = lower("x = a or b()\n")
    assert call(m, "b").disposition.use is Use.ASSIGNED
    assert name(m, "a").disposition.use is Use.CONDITION


def test_not_and_tests_are_conditions():
    m = lower("""
        if not ready():
            pass
        while more():
            pass
    """)
    assert use(m, "ready") is Use.CONDITION
    assert use(m, "more") is Use.CONDITION


def test_arithmetic_and_comparison_are_other():
    m = lower("x = a() + 1 < b()\n")
    assert use(m, "a") is Use.OTHER and use(m, "b") is Use.OTHER


def test_collections_take_the_outer_disposition():
    m = lower("""
        async def h():
            await asyncio.gather(*[a(), b()])
            return {"p": c(), "q": [d(), *e]}
    """)
    gather = call(m, "asyncio.gather")
    a = call(m, "a").disposition
    assert (a.use, a.consumer, a.spread, a.container) == (Use.ARGUMENT, gather.id, True, Container.ARRAY)
    assert call(m, "c").disposition.container is Container.OBJECT
    d = call(m, "d").disposition
    assert (d.use, d.container) == (Use.RETURNED, Container.ARRAY)
    assert name(m, "e").disposition.container is Container.ARRAY


def test_dict_keys_and_spread_are_other():
    m = lower("x = {key(): val(), **extra()}\n")
    assert use(m, "key") is Use.OTHER
    assert call(m, "val").disposition.container is Container.OBJECT
    assert use(m, "extra") is Use.OTHER


def test_comprehension_element_and_iterable():
    m = lower("""
        def f(xs):
            for y in ys:
                coros = [work(x) for x in source() if keep(x)]
    """)
    w = call(m, "work")
    assert (w.disposition.use, w.disposition.target, w.disposition.container) == (
        Use.ASSIGNED, "coros", Container.COMPREHENSION)
    assert use(m, "source") is Use.ITERATED
    assert use(m, "keep") is Use.CONDITION
    assert w.loop_depth == 1
    assert binding(m, "x").kind == "for"


def test_generator_expression_spread_into_gather():
    m = lower("asyncio.gather(*(f(x) for x in xs))\n")
    d = call(m, "f").disposition
    assert (d.use, d.consumer, d.spread, d.container) == (Use.ARGUMENT, 0, True, Container.COMPREHENSION)


def test_generator_expression_as_sole_argument():
    m = lower("sum(f(x) for x in xs)\n")
    d = call(m, "f").disposition
    assert (d.use, d.spread, d.container, d.arg_index) == (Use.ARGUMENT, False, Container.COMPREHENSION, 0)


def test_dict_comprehension_and_async_comprehension():
    m = lower("""
        async def h():
            d = {k(): v() async for item in stream()}
    """)
    assert call(m, "k").disposition.container is Container.COMPREHENSION
    assert call(m, "v").disposition.target == "d"
    assert use(m, "stream") is Use.ASYNC_ITERATED


# --------------------------------------------------------------------------- with, loops, guards

def test_async_with_binding():
    m = lower("""
        async def h():
            async with asyncio.TaskGroup() as tg:
                tg.create_task(job())
    """)
    tg_call = call(m, "asyncio.TaskGroup")
    assert tg_call.disposition.use is Use.AWAITED
    b = binding(m, "tg")
    assert (b.kind, b.value_call, b.type_name) == ("async_with", tg_call.id, "asyncio.TaskGroup")


def test_with_binding_is_context():
    m = lower("with ThreadPoolExecutor() as ex, open(p):\n    pass\n")
    assert use(m, "ThreadPoolExecutor") is Use.CONTEXT
    assert use(m, "open") is Use.CONTEXT
    b = binding(m, "ex")
    assert (b.kind, b.type_name) == ("with", "ThreadPoolExecutor")


def test_async_for_and_for():
    m = lower("""
        async def h():
            async for item in agen():
                pass
            for x in items():
                pass
    """)
    assert use(m, "agen") is Use.ASYNC_ITERATED
    assert use(m, "items") is Use.ITERATED
    assert call(m, "items").loop_depth == 0
    assert binding(m, "item").kind == "for" and binding(m, "x").kind == "for"


def test_loop_depth():
    m = lower("""
        def f():
            for a in x:
                while cond():
                    inner()
            else:
                after()
            def g():
                fresh()
    """)
    assert call(m, "inner").loop_depth == 2
    assert call(m, "cond").loop_depth == 2
    assert call(m, "after").loop_depth == 0
    assert call(m, "fresh").loop_depth == 0


def test_main_guard():
    m = lower("""
        if __name__ == "__main__":
            main()
        elif other():
            nope()
        if '__main__' == __name__:
            again()
        outside()
    """)
    assert call(m, "main").in_main_guard and call(m, "again").in_main_guard
    assert not call(m, "nope").in_main_guard
    assert not call(m, "outside").in_main_guard


def test_try_and_match_are_walked():
    m = lower("""
        try:
            a()
        except Error as e:
            b()
        else:
            c()
        finally:
            d()
        match command():
            case Point(x=0) if ok():
                e()
            case Color.RED:
                pass
    """)
    for callee in "abcde":
        assert use(m, callee) is Use.DISCARDED
    assert use(m, "command") is Use.OTHER
    assert use(m, "ok") is Use.CONDITION
    assert name(m, "Color.RED").disposition.use is Use.OTHER


# --------------------------------------------------------------------------- functions

def test_function_records():
    m = lower("""
        async def handler(event, context) -> dict:
            pass
    """)
    f = function(m, "handler")
    assert f.kind is FunctionKind.DECLARATION and f.is_async and not f.is_generator
    assert f.span == Span(2, 1, 3, 9)
    assert f.name_span == Span(2, 11, 2, 18)
    assert f.return_annotation == "dict"
    assert f.parent is None and f.class_name is None and f.disposition is None


def test_params_in_order_with_annotations_defaults_and_rest():
    m = lower("def f(a, /, b: httpx.AsyncClient, c=1, *args: int, d, e=None, **kw): pass\n")
    params = function(m, "f").params
    assert [p.name for p in params] == ["a", "b", "c", "args", "d", "e", "kw"]
    assert params[1].annotation == "httpx.AsyncClient"
    assert [p.has_default for p in params] == [False, False, True, False, False, True, False]
    assert [p.is_rest for p in params] == [False, False, False, True, False, False, True]
    b = binding(m, "b")
    assert (b.kind, b.type_name, b.function) == ("param", "httpx.AsyncClient", 0)
    assert binding(m, "c").value_literal == 1


def test_default_value_is_other_in_outer_scope():
    m = lower("def f(x=make()): pass\n")
    c = call(m, "make")
    assert c.disposition.use is Use.OTHER and c.function is None


def test_function_ids_preorder_and_parents():
    m = lower("""
        def a():
            def b():
                def c(): pass
            def d(): pass
        def e(): pass
    """)
    assert [(f.name, f.id, f.parent) for f in m.functions] == [
        ("a", 0, None), ("b", 1, 0), ("c", 2, 1), ("d", 3, 0), ("e", 4, None)]


def test_methods_and_nested_functions():
    m = lower("""
        class Svc:
            def run(self):
                def helper(): pass
    """)
    run, helper = function(m, "run"), function(m, "helper")
    assert (run.kind, run.class_name) == (FunctionKind.METHOD, "Svc")
    assert (helper.kind, helper.class_name, helper.parent) == (FunctionKind.DECLARATION, None, run.id)
    assert run.params[0].name == "self"


def test_lambda_records():
    m = lower("""
        h = lambda e: work(e)
        register(lambda: 1, on_done=lambda: 2)
        table = {"k": lambda: 3}
    """)
    h = function(m, "h")
    assert h.kind is FunctionKind.LAMBDA and h.disposition.use is Use.ASSIGNED
    assert binding(m, "h").value_function == h.id
    assert call(m, "work").disposition.use is Use.RETURNED and call(m, "work").function == h.id
    register = call(m, "register")
    first, second = m.functions[1], m.functions[2]
    assert (first.passed_to, first.arg_index, first.keyword) == (register.id, 0, None)
    assert (second.passed_to, second.arg_index, second.keyword) == (register.id, None, "on_done")
    assert function(m, "k").disposition.container is Container.OBJECT


def test_decorators():
    m = lower("""
        @durable_execution
        @logger.inject_lambda_context(log_event=True, hook=make())
        def handler(event, context): pass
    """)
    plain, called = function(m, "handler").decorators
    assert plain.callee == "durable_execution" and plain.args == []
    assert called.callee == "logger.inject_lambda_context"
    assert called.args[0].keyword == "log_event" and called.args[0].kind is ArgKind.BOOL
    assert called.args[0].value is True
    assert [c.callee for c in m.calls] == ["make"]
    assert use(m, "make") is Use.OTHER
    assert plain.span == Span(2, 1, 2, 19)


# --------------------------------------------------------------------------- classes

def test_class_info():
    m = lower("""
        @dataclass
        class Svc(Base, mixins.Log, metaclass=Meta):
            client: httpx.AsyncClient
            mail = MailService()
            count = 0
    """)
    (info,) = m.classes
    assert info.name == "Svc" and info.bases == ["Base", "mixins.Log"]
    assert [d.callee for d in info.decorators] == ["dataclass"]
    assert info.fields == {"client": "httpx.AsyncClient", "mail": "MailService"}
    assert info.span == Span(3, 1, 6, 14) and info.parent is None


def test_self_fields_from_methods():
    m = lower("""
        class Svc:
            def __init__(self, client):
                self.client = httpx.AsyncClient()
                self.s3: S3 = make()
                self.plain = client
            def later(self):
                self.tasks = TaskList()
    """)
    b = binding(m, "self.client")
    assert (b.class_name, b.type_name, b.value_call) == ("Svc", "httpx.AsyncClient", 0)
    assert binding(m, "self.plain").value_name == "client"
    assert m.classes[0].fields == {"client": "httpx.AsyncClient", "s3": "S3", "tasks": "TaskList"}


def test_annotation_wins_over_constructor_for_fields():
    m = lower("""
        class Svc:
            def __init__(self):
                self.client = Impl()
            client: Proto
    """)
    assert m.classes[0].fields == {"client": "Proto"}


def test_static_method_first_param_is_not_self():
    m = lower("""
        class Svc:
            @staticmethod
            def build(cfg):
                cfg.thing = Thing()
    """)
    assert m.classes[0].fields == {}
    assert binding(m, "cfg.thing").class_name is None


def test_class_inside_function_has_parent():
    m = lower("def f():\n    class Local: pass\n")
    assert m.classes[0].parent == 0


# --------------------------------------------------------------------------- imports

def test_imports():
    m = lower("""
        import a.b.c
        import a.b as c, os
        from . import x
        from ..pkg.mod import y as z
        from m import *
        def f():
            import boto3
    """)
    got = [(i.module, i.name, i.local, i.level, i.function) for i in m.imports]
    assert got == [
        ("a.b.c", None, "a.b.c", 0, None),
        ("a.b", None, "c", 0, None),
        ("os", None, "os", 0, None),
        ("", "x", "x", 1, None),
        ("pkg.mod", "y", "z", 2, None),
        ("m", "*", "*", 0, None),
        ("boto3", None, "boto3", 0, 0),
    ]
    assert m.imports[0].span == Span(2, 1, 2, 13)
    assert m.exports == []


# --------------------------------------------------------------------------- comments, lines, positions

def test_comments():
    m = lower('''
        # header
        x = f(  # after paren
            # inside call
            1,
        )  # trailing
        s = "# not a comment"
        t = f"#{x} # nor this"
    ''')
    got = [(c.line, c.text, c.own_line) for c in m.comments]
    assert got == [
        (2, "# header", True),
        (3, "# after paren", False),
        (4, "# inside call", True),
        (6, "# trailing", False),
    ]


def test_line_count():
    assert lower("a = 1\nb = 2\n").line_count == 2
    assert lower_python("a = 1\nb = 2", "x.py").line_count == 2
    assert lower_python("", "x.py").line_count == 0


def test_columns_count_characters():
    m = lower_python("é = 'ü'; f()\n", "x.py")
    assert call(m, "f").span == Span(1, 10, 1, 13)


def test_crlf_positions():
    m = lower_python("x = 1\r\nif x:\r\n    run()  # c\r\n", "x.py")
    assert call(m, "run").span == Span(3, 5, 3, 10)
    assert m.comments[0].line == 3
    assert m.line_count == 3


def test_dropped_characters_are_realigned():
    source = "\ufeffimport os\n\x0cdef f():\n    go()\n\n\n   "
    m = lower_python(source, "x.py")
    assert call(m, "go").span == Span(3, 5, 3, 9)
    assert function(m, "f").span.line == 2


def test_no_trailing_newline():
    m = lower_python("class C:\n    def f(self):\n        run()", "x.py")
    assert call(m, "run").span == Span(3, 9, 3, 14)
    assert m.classes[0].span == Span(1, 1, 3, 14)


def test_multiline_call_span():
    m = lower("result = fetch(\n    url,\n)\n")
    assert call(m, "fetch").span == Span(1, 10, 3, 2)


# --------------------------------------------------------------------------- errors and robustness

def test_syntax_error_has_position():
    with pytest.raises(ParseError) as info:
        lower_python("x = 1\ny = = 2\n", "bad.py")
    error = info.value
    assert error.line == 2 and error.column >= 1
    assert str(error).startswith("invalid syntax")
    assert "\n" not in str(error)


def test_tokenizer_error_has_line():
    with pytest.raises(ParseError) as info:
        lower_python("a = 1\nb = 'open\n", "bad.py")
    assert info.value.line == 2 and "unterminated" in str(info.value)


def test_parse_error_pickles_with_position():
    error = pickle.loads(pickle.dumps(ParseError("invalid syntax: x", 3, 4)))
    assert (error.message, error.line, error.column) == ("invalid syntax: x", 3, 4)


@pytest.mark.parametrize("source", [
    "(" * 100_000 + ")" * 100_000,
    "x = " + "[" * 5000 + "]" * 5000,
    "f(" * 3000 + ")" * 3000,
    "x = " + "lambda: " * 20_000 + "1",
    "x = " + "-" * 200_000 + "1",
])
def test_pathological_nesting_raises_only_parse_error(source):
    with pytest.raises(ParseError) as info:
        lower_python(source + "\n", "deep.py")
    assert str(info.value) == "too deeply nested"


def test_deep_but_legal_code_is_lowered():
    parts = "\n".join(f"    'part {i}'" for i in range(1500))
    m = lower_python(f"TEXT = (\n{parts}\n)\nx = a" + " + a" * 1200 + "\nrun()\n", "long.py")
    assert call(m, "run").span.line == 1504


def test_recursion_limit_is_restored():
    before = sys.getrecursionlimit()
    lower("x = 1\n")
    assert sys.getrecursionlimit() == before


@pytest.mark.parametrize("source", [
    "", "\n", "\x00", "x = '\ud800'\n", "\x0c", "\\\n", "if x:\n", "def f(:\n", "é = ∆\n", "#", "x = 1\\",
    "class A:\n  def f(self): return lambda: (yield)\n", "f(**x, *y)\n", "async def f(): [await x async for x in y]\n",
    "type X = int\n", "def f[T](x: T) -> T: return x\n", "print 'x'\n", "\t\tx\n",
])
def test_odd_inputs_raise_nothing_but_parse_error(source):
    try:
        lower_python(source, "odd.py")
    except ParseError as error:
        assert "\n" not in str(error)


def test_subscript_assignment_keeps_a_literal_key():
    model = lower("""
        import os
        os.environ["STAGE"] = "prod"
        os.environ[name] = "x"
        cache["a"]["b"] = 1
    """)
    assert [(b.name, b.key) for b in model.bindings if b.name.endswith("[]")] == [
        ("os.environ[]", "STAGE"), ("os.environ[]", None), ("cache[][]", "b")]


def test_nodes_built_by_hand_are_still_checked_after_a_parse():
    """Parsing skips libcst's per-node checks (its own output passes them); code in the same process that
    builds libcst nodes by hand still gets them."""
    import libcst

    model = lower_python("def handler(event, context):\n    return {'ok': True}\n", "app.py")
    assert [f.name for f in model.functions] == ["handler"]
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("not a name")
