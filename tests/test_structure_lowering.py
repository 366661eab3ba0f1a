"""Control structure as both front ends lower it: constructs, regions, handlers, exits."""
from __future__ import annotations

import pickle
import textwrap

from lambdalint.frontends.javascript import lower_javascript
from lambdalint.frontends.python import lower_python
from lambdalint.model import ConstructKind, ExitKind, LoopKind, RegionKind, Span


def py(source: str):
    return lower_python(textwrap.dedent(source), "handler.py")


def js(source: str, ext: str = "ts"):
    return lower_javascript(textwrap.dedent(source), f"handler.{ext}")


def call(model, callee: str, nth: int = 0):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) > nth, f"{callee!r}: {[c.callee for c in model.calls]}"
    return found[nth]


def region_of(model, callee: str, nth: int = 0):
    rid = call(model, callee, nth).region
    assert rid is not None, f"{callee} is at the top level"
    return model.regions[rid]


def construct_of(model, callee: str, nth: int = 0):
    return model.constructs[region_of(model, callee, nth).construct]


def callees(model, ids):
    return [model.calls[i].callee for i in ids]


# --------------------------------------------------------------------------- branches

def test_python_if_elif_else_is_one_construct_with_three_arms():
    m = py("""
        def h(event, context):
            if ready(event) and event.x:
                a()
            elif event.y:
                b()
            else:
                c()
            d()
    """)
    construct = construct_of(m, "a")
    assert construct.kind is ConstructKind.IF and construct.has_else
    assert [m.regions[r].kind for r in construct.regions] == [RegionKind.THEN, RegionKind.THEN, RegionKind.ELSE]
    assert construct_of(m, "b") is construct and construct_of(m, "c") is construct
    first = region_of(m, "a")
    assert first.condition.span == Span(3, 8, 3, 32)
    assert first.condition.names == ["event", "event.x"]
    assert callees(m, first.condition.calls) == ["ready"]
    assert call(m, "ready").region is None           # a test is outside its arm
    assert region_of(m, "b").condition.names == ["event.y"]
    assert region_of(m, "c").condition is None
    assert call(m, "d").region is None
    assert first.span == Span(4, 9, 4, 12) and first.function == 0 and first.parent is None


def test_js_else_if_chain_is_one_construct():
    m = js("""
        export function handler(event) {
          if (ready(event) && event.x) { a(); }
          else if (event.y) b();
          else { c(); }
          d();
        }
    """)
    construct = construct_of(m, "a")
    assert construct.kind is ConstructKind.IF and construct.has_else
    assert [m.regions[r].kind for r in construct.regions] == [RegionKind.THEN, RegionKind.THEN, RegionKind.ELSE]
    assert construct_of(m, "b") is construct and construct_of(m, "c") is construct
    first = region_of(m, "a")
    assert first.condition.span == Span(3, 7, 3, 30)
    assert first.condition.names == ["event", "event.x"]
    assert callees(m, first.condition.calls) == ["ready"]
    assert call(m, "ready").region is None
    assert call(m, "d").region is None


def test_if_without_else_has_no_else():
    for m in (py("if x:\n    a()\n"), js("if (x) a();\n")):
        construct = construct_of(m, "a")
        assert not construct.has_else and len(construct.regions) == 1


def test_nested_regions_chain_through_parent():
    for m in (py("""
        def h(e):
            for x in e:
                if x:
                    a()
    """), js("""
        function h(e) { for (const x of e) { if (x) { a(); } } }
    """)):
        inner = region_of(m, "a")
        assert inner.kind is RegionKind.THEN
        outer = m.regions[inner.parent]
        assert outer.kind is RegionKind.LOOP and outer.parent is None


def test_js_switch_cases_and_default():
    m = js("""
        function h(v) {
          switch (kind(v)) {
            case A: case B: f(); break;
            case pick(): g();
            default: z();
          }
        }
    """)
    construct = construct_of(m, "f")
    assert construct.kind is ConstructKind.SWITCH and construct.has_else
    assert [m.regions[r].kind for r in construct.regions] == [RegionKind.CASE, RegionKind.CASE, RegionKind.CASE,
                                                              RegionKind.DEFAULT]
    assert callees(m, construct.condition.calls) == ["kind"]
    assert m.regions[construct.regions[0]].condition.names == ["A"]
    assert callees(m, region_of(m, "g").condition.calls) == ["pick"]
    assert region_of(m, "z").condition is None
    brk = next(e for e in m.exits if e.kind is ExitKind.BREAK)
    assert brk.target == construct.id


def test_python_match_cases_and_wildcard():
    m = py("""
        match command(x):
            case Point(x=0) if near(x):
                f()
            case [a, b]:
                g()
            case _:
                z()
    """)
    construct = construct_of(m, "f")
    assert construct.kind is ConstructKind.SWITCH and construct.has_else
    assert callees(m, construct.condition.calls) == ["command"]
    assert [m.regions[r].kind for r in construct.regions] == [RegionKind.CASE, RegionKind.CASE, RegionKind.DEFAULT]
    first = region_of(m, "f").condition
    assert "Point" in first.names and callees(m, first.calls) == ["near"]


def test_match_without_wildcard_has_no_else():
    m = py("match x:\n    case 1:\n        f()\n")
    assert not construct_of(m, "f").has_else


# --------------------------------------------------------------------------- loops

def test_python_loops_kinds_and_heads():
    m = py("""
        async def h(e):
            for item in load(e.items):
                a()
            else:
                b()
            async for row in stream():
                c()
            while more(e):
                d()
            while True:
                f()
    """)
    loop = construct_of(m, "a")
    assert loop.kind is ConstructKind.LOOP and loop.loop is LoopKind.FOR_OF and not loop.is_async
    assert callees(m, loop.iterated.calls) == ["load"] and loop.iterated.names == ["e.items"]
    assert region_of(m, "b").kind is RegionKind.LOOP_ELSE and construct_of(m, "b") is loop
    assert construct_of(m, "c").loop is LoopKind.ASYNC_FOR and construct_of(m, "c").is_async
    assert callees(m, construct_of(m, "c").iterated.calls) == ["stream"]
    wh = construct_of(m, "d")
    assert wh.loop is LoopKind.WHILE and callees(m, wh.condition.calls) == ["more"] and not wh.unconditional
    assert construct_of(m, "f").unconditional
    assert len({loop.id, construct_of(m, "c").id, wh.id, construct_of(m, "f").id}) == 4   # each loop its own id


def test_js_loops_kinds_and_heads():
    m = js("""
        async function h(e) {
          for (let i = start(); i < count(e); i++) { a(); }
          for (const x of list(e)) { b(); }
          for (const k in e.map) { c(); }
          for await (const r of stream()) { d(); }
          while (more()) { f(); }
          do { g(); } while (again());
          for (;;) { w(); break; }
        }
    """)
    c_for = construct_of(m, "a")
    assert c_for.loop is LoopKind.FOR and callees(m, c_for.condition.calls) == ["count"]
    assert call(m, "start").region is None and not c_for.unconditional
    of = construct_of(m, "b")
    assert of.loop is LoopKind.FOR_OF and callees(m, of.iterated.calls) == ["list"]
    assert construct_of(m, "c").loop is LoopKind.FOR_IN and construct_of(m, "c").iterated.names == ["e.map"]
    aw = construct_of(m, "d")
    assert aw.loop is LoopKind.ASYNC_FOR and aw.is_async
    assert construct_of(m, "f").loop is LoopKind.WHILE
    do = construct_of(m, "g")
    assert do.loop is LoopKind.DO and callees(m, do.condition.calls) == ["again"]
    assert construct_of(m, "w").unconditional


def test_js_labelled_break_targets_the_labelled_loop():
    m = js("""
        outer: for (const a of xs) {
          for (const b of ys) { if (b) break outer; continue; }
        }
    """)
    outer = next(c for c in m.constructs if c.label == "outer")
    jumps = {e.kind: e for e in m.exits}
    assert jumps[ExitKind.BREAK].label == "outer" and jumps[ExitKind.BREAK].target == outer.id
    inner = m.regions[jumps[ExitKind.CONTINUE].region].construct
    assert jumps[ExitKind.CONTINUE].target == inner != outer.id


def test_python_break_inside_match_leaves_the_loop():
    m = py("""
        for x in xs:
            match x:
                case 1:
                    break
    """)
    brk = m.exits[0]
    assert m.constructs[brk.target].kind is ConstructKind.LOOP


# --------------------------------------------------------------------------- try / except / catch

def test_python_handlers_types_names_and_reraise():
    m = py("""
        def h(context):
            try:
                context.wait(1)
            except (ValueError, errors.Timeout) as err:
                if err.fatal:
                    raise err
            except BaseException:
                log()
            except Exception as e:
                raise RuntimeError("x") from e
            except:
                raise
            else:
                ok()
            finally:
                done()
    """)
    construct = construct_of(m, "context.wait")
    assert construct.kind is ConstructKind.TRY and construct.has_else
    kinds = [m.regions[r].kind for r in construct.regions]
    assert kinds == [RegionKind.TRY, RegionKind.HANDLER, RegionKind.HANDLER, RegionKind.HANDLER, RegionKind.HANDLER,
                     RegionKind.TRY_ELSE, RegionKind.FINALLY]
    handlers = [m.regions[r].handler for r in construct.regions[1:5]]
    assert handlers[0].types == ["ValueError", "errors.Timeout"] and handlers[0].name == "err"
    assert handlers[0].reraises and handlers[0].raises and not handlers[0].bare
    assert handlers[1].types == ["BaseException"] and not handlers[1].reraises and not handlers[1].raises
    assert handlers[2].types == ["Exception"] and handlers[2].raises and not handlers[2].reraises
    assert handlers[3].bare and handlers[3].types == [] and handlers[3].reraises
    assert region_of(m, "ok").kind is RegionKind.TRY_ELSE
    assert region_of(m, "done").kind is RegionKind.FINALLY


def test_python_raise_in_nested_function_does_not_reraise():
    m = py("""
        try:
            f()
        except:
            def later():
                raise
            later()
    """)
    handler = m.regions[call(m, "later").region].handler
    assert not handler.reraises and not handler.raises


def test_python_nested_handler_reraises_its_own_exception():
    m = py("""
        try:
            f()
        except BaseException as outer:
            try:
                g()
            except ValueError:
                raise
    """)
    outer = next(r.handler for r in m.regions if r.handler and r.handler.name == "outer")
    inner = next(r.handler for r in m.regions if r.handler and r.handler.types == ["ValueError"])
    assert inner.reraises and not outer.reraises and outer.raises


def test_python_except_star_is_marked():
    m = py("try:\n    f()\nexcept* ValueError:\n    g()\n")
    assert region_of(m, "g").handler.star


def test_js_catch_forms_and_rethrow():
    m = js("""
        async function h() {
          try { await a(); } catch (err) { if (err.fatal) throw err; }
          try { await b(); } catch { log(); }
          try { await c(); } catch ({ message }) { throw new Error(message); } finally { done(); }
        }
    """)
    first = m.regions[construct_of(m, "a").regions[1]].handler
    assert first.bare and first.types == [] and first.name == "err" and first.reraises and first.raises
    second = region_of(m, "log").handler
    assert second.bare and second.name is None and not second.raises
    third = m.regions[construct_of(m, "c").regions[1]].handler
    assert third.name == "{}" and third.raises and not third.reraises
    assert region_of(m, "done").kind is RegionKind.FINALLY
    assert region_of(m, "a").kind is RegionKind.TRY


# --------------------------------------------------------------------------- with / using

def test_python_with_and_async_with_bodies():
    m = py("""
        async def h():
            with open_it() as f:
                f.read()
            async with session() as s:
                await s.get()
    """)
    sync, asynchronous = construct_of(m, "f.read"), construct_of(m, "s.get")
    assert sync.kind is ConstructKind.WITH and not sync.is_async and region_of(m, "f.read").kind is RegionKind.WITH
    assert asynchronous.is_async
    assert call(m, "open_it").region is None          # the item is evaluated outside the body


def test_js_using_opens_a_region_to_the_end_of_the_block():
    for ext in ("js", "ts"):
        m = js("""
            async function h() {
              before();
              await using res = open();
              res.read();
              {
                using lock = take();
                inside();
              }
              after();
            }
        """, ext)
        assert call(m, "before").region is None and call(m, "open").region is None
        outer = region_of(m, "res.read")
        assert outer.kind is RegionKind.WITH and m.constructs[outer.construct].is_async
        assert region_of(m, "after") is outer
        inner = region_of(m, "inside")
        assert inner.parent == outer.id and not m.constructs[inner.construct].is_async


# --------------------------------------------------------------------------- exits

def test_python_exits():
    m = py("""
        def h(e):
            for x in e:
                if x:
                    continue
                break
            if e:
                return
            if not e:
                raise ValueError("no")
            return result
    """)
    kinds = [(x.kind, x.has_value, x.value) for x in m.exits]
    assert kinds == [(ExitKind.CONTINUE, False, None), (ExitKind.BREAK, False, None), (ExitKind.RETURN, False, None),
                     (ExitKind.RAISE, True, None), (ExitKind.RETURN, True, "result")]
    assert all(x.function == 0 for x in m.exits)
    assert m.exits[-1].region is None and m.regions[m.exits[2].region].kind is RegionKind.THEN
    assert m.exits[0].target == m.exits[1].target == 0
    assert m.exits[2].span == Span(8, 9, 8, 15)


def test_js_exits():
    m = js("""
        function h(e) {
          if (!e) return;
          if (e.bad) throw e.error;
          while (e) { if (e.x) continue; break; }
          return e.value;
        }
        const g = () => 1;
    """)
    kinds = [(x.kind, x.has_value, x.value) for x in m.exits]
    assert kinds == [(ExitKind.RETURN, False, None), (ExitKind.RAISE, True, "e.error"), (ExitKind.CONTINUE, False, None),
                     (ExitKind.BREAK, False, None), (ExitKind.RETURN, True, "e.value")]
    assert m.exits[0].span == Span(3, 11, 3, 18)
    assert m.exits[2].target == m.exits[3].target


def test_functions_record_the_region_they_are_defined_in():
    m = py("""
        def h():
            if x:
                def inner():
                    work()
                cb = lambda: other()
    """)
    inner = next(f for f in m.functions if f.name == "inner")
    assert m.regions[inner.region].kind is RegionKind.THEN
    assert call(m, "work").region is None              # its own top level
    lam = next(f for f in m.functions if f.name == "cb")
    assert lam.region == inner.region
    m = js("function h() { try { run(() => work()); } catch (e) {} }\n")
    arrow = next(f for f in m.functions if f.passed_to is not None)
    assert m.regions[arrow.region].kind is RegionKind.TRY and call(m, "work").region is None


def test_structure_survives_pickling():
    m = py("try:\n    f()\nexcept:\n    pass\n")
    again = pickle.loads(pickle.dumps(m))
    assert again.regions == m.regions and again.constructs == m.constructs


def test_with_items_record_what_they_read():
    m = py("""
        async def h():
            async with make(cfg) as a, other():
                a.go()
    """)
    construct = construct_of(m, "a.go")
    assert [callees(m, item.calls) for item in construct.items] == [["make"], ["other"]]
    assert construct.items[0].names == ["cfg"]
    m = js("""
        async function h() {
          await using conn = connect(cfg);
          conn.query();
        }
    """)
    construct = construct_of(m, "conn.query")
    assert [callees(m, item.calls) for item in construct.items] == [["connect"]]
    assert construct.items[0].names == ["cfg"]


def test_conditions_record_a_presence_check():
    cases = [("x", "x", False), ("!x", "x", True), ("this.t != null", "this.t", False),
             ("x === undefined", "x", True), ("typeof x !== 'undefined'", "x", False), ("x > 1", None, False)]
    for text, tests, negated in cases:
        condition = js(f"if ({text}) a();\n").regions[0].condition
        assert (condition.tests, condition.negated) == (tests, negated), text
    cases = [("x", "x", False), ("not x", "x", True), ("self.t is not None", "self.t", False),
             ("x is None", "x", True), ("x == 1", None, False), ("f(x)", None, False)]
    for text, tests, negated in cases:
        condition = py(f"if {text}:\n    a()\n").regions[0].condition
        assert (condition.tests, condition.negated) == (tests, negated), text
