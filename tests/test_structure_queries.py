"""Questions rules ask of the control structure: handlers that swallow, paths, governing conditions."""
from __future__ import annotations

import textwrap

import pytest

from lambdalint.frontends.javascript import lower_javascript
from lambdalint.frontends.python import lower_python
from lambdalint.model import ExitKind, RegionKind, Span
from lambdalint.structure import (
    enclosing_regions,
    follows,
    governing_conditions,
    reached_on_every_path,
    region_of,
    structure_of,
    swallowing_handler,
    unsatisfied_exits,
)


def py(source: str):
    return lower_python(textwrap.dedent(source), "handler.py")


def js(source: str):
    return lower_javascript(textwrap.dedent(source), "handler.ts")


def call(model, callee: str, nth: int = 0):
    found = [c for c in model.calls if c.callee == callee]
    assert len(found) > nth, f"{callee!r}: {[c.callee for c in model.calls]}"
    return found[nth]


def is_join(c):
    return c.method == "join"


def joined(model) -> bool:
    return reached_on_every_path(model, call(model, "t.start"), is_join)


# --------------------------------------------------------------------------- on every path

@pytest.mark.parametrize("lang, source, expected", [
    ("py", """
        def handler(event, context):
            t.start()
            if event:
                t.join()
            else:
                t.join()
            return {}
    """, True),
    ("py", """
        def handler(event, context):
            t.start()
            if event:
                t.join()
            return {}
    """, False),
    ("py", """
        def handler(event, context):
            t.start()
            if event:
                return {"early": True}
            t.join()
            return {}
    """, False),
    ("py", """
        def handler(event, context):
            t.start()
            t.join()
    """, True),
    ("py", """
        def handler(event, context):
            t.start()
            for item in event:
                t.join()
    """, False),
    ("py", """
        def handler(event, context):
            t.start()
            while True:
                if poll():
                    t.join()
                    break
    """, True),
    ("py", """
        def handler(event, context):
            t.start()
            if not event:
                raise ValueError("no event")
            t.join()
    """, False),
    ("py", """
        def handler(event, context):
            t.start()
            try:
                if event:
                    return 1
                work()
            finally:
                t.join()
    """, True),
    ("py", """
        def handler(event, context):
            t.start()
            match event:
                case {"a": 1}:
                    t.join()
                case _:
                    t.join()
    """, True),
    ("py", """
        def handler(event, context):
            t.start()
            match event:
                case {"a": 1}:
                    t.join()
    """, False),
    ("py", """
        def handler(event, context):
            for item in event:
                t.start()
                if item:
                    continue
                t.join()
    """, False),
    ("py", """
        def handler(event, context):
            t.start()
            done = lambda: t.join()
            return done
    """, False),
    ("js", """
        export async function handler(event) {
          t.start();
          if (event.a) { t.join(); } else { t.join(); }
          return {};
        }
    """, True),
    ("js", """
        export async function handler(event) {
          t.start();
          if (event.a) { t.join(); }
          return {};
        }
    """, False),
    ("js", """
        export async function handler(event) {
          t.start();
          if (!event) return;
          t.join();
        }
    """, False),
    ("js", """
        export async function handler(event) {
          t.start();
          switch (event.kind) {
            case "a": t.join(); break;
            default: t.join();
          }
        }
    """, True),
    ("js", """
        export async function handler(event) {
          t.start();
          switch (event.kind) {
            case "a":
            case "b": t.join(); break;
          }
        }
    """, False),
    ("js", """
        export async function handler(event) {
          t.start();
          switch (event.kind) {
            case "a": log();
            default: t.join();
          }
        }
    """, True),
    ("js", """
        export async function handler(event) {
          t.start();
          do { t.join(); } while (event.again);
        }
    """, True),
    ("js", """
        export async function handler(event) {
          t.start();
          while (event.more) { t.join(); }
        }
    """, False),
    ("js", """
        export async function handler(event) {
          t.start();
          for (const x of event.items) { if (x) break; }
          t.join();
        }
    """, True),
])
def test_reached_on_every_path(lang, source, expected):
    model = py(source) if lang == "py" else js(source)
    assert joined(model) is expected


def test_timer_cleared_in_finally_is_cleared_on_every_path():
    m = js("""
        export const handler = async (event) => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 5000);
          try {
            if (!event.url) return { statusCode: 400 };
            const res = await fetch(event.url, { signal: controller.signal });
            return { statusCode: res.status };
          } finally {
            clearTimeout(timer);
          }
        };
    """)
    cleared = lambda c: c.callee == "clearTimeout"
    assert reached_on_every_path(m, call(m, "setTimeout"), cleared)


def test_timer_cleared_only_after_the_try_misses_the_early_return():
    m = js("""
        export const handler = async (event) => {
          const timer = setTimeout(flush, 5000);
          try {
            if (!event.url) return { statusCode: 400 };
            await fetch(event.url);
          } catch (err) {
            throw err;
          }
          clearTimeout(timer);
        };
    """)
    cleared = lambda c: c.callee == "clearTimeout"
    missing = unsatisfied_exits(m, call(m, "setTimeout"), cleared)
    assert [e.kind for e in missing] == [ExitKind.RETURN]
    assert missing[0].span.line == 5


def test_unsatisfied_exits_names_the_end_of_the_body():
    m = py("""
        def handler(event, context):
            t.start()
            if event:
                t.join()
    """)
    assert unsatisfied_exits(m, call(m, "t.start"), is_join) == [None]


def test_calls_in_a_callback_are_not_on_the_path():
    m = js("""
        export async function handler(event) {
          t.start();
          process.on("exit", () => t.join());
        }
    """)
    assert not joined(m)


def test_start_inside_a_test_is_followed():
    m = py("""
        def handler(event, context):
            if t.start():
                pass
            t.join()
    """)
    assert joined(m)


# --------------------------------------------------------------------------- follows

def test_work_after_stream_end_follows_it():
    m = js("""
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          responseStream.write("hello");
          responseStream.end();
          await audit(event);
        });
    """)
    end = call(m, "responseStream.end")
    assert follows(m, end, call(m, "audit"))
    assert not follows(m, end, call(m, "responseStream.write"))


def test_work_in_the_other_arm_or_after_an_early_return_does_not_follow():
    m = js("""
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          if (event.quick) {
            responseStream.end();
            return;
          } else {
            audit();
          }
          report();
        });
    """)
    end = call(m, "responseStream.end")
    assert not follows(m, end, call(m, "audit"))
    assert not follows(m, end, call(m, "report"))


def test_a_later_iteration_follows_an_earlier_one():
    m = py("""
        def handler(event, context):
            for item in event:
                before(item)
                stream.end()
    """)
    assert follows(m, call(m, "stream.end"), call(m, "before"))


def test_follows_a_statement_span():
    m = js("""
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          responseStream.end();
          const x = 1;
        });
    """)
    statement = Span(4, 3, 4, 15)
    assert follows(m, call(m, "responseStream.end"), statement)
    assert not follows(m, statement, call(m, "responseStream.end"))


def test_follows_is_false_across_functions():
    m = js("""
        export async function handler(event, responseStream) {
          responseStream.end();
          setImmediate(() => audit());
        }
    """)
    assert not follows(m, call(m, "responseStream.end"), call(m, "audit"))
    assert follows(m, call(m, "responseStream.end"), call(m, "setImmediate"))


def test_catch_entered_from_an_explicit_throw_follows():
    m = js("""
        async function h(s) {
          try { s.end(); throw new Error("x"); } catch (e) { audit(); }
        }
    """)
    assert follows(m, call(m, "s.end"), call(m, "audit"))


# --------------------------------------------------------------------------- swallowing handlers

@pytest.mark.parametrize("handler, swallows", [
    ("except:\n        pass", True),
    ("except BaseException:\n        log()", True),
    ("except builtins.BaseException as e:\n        log(e)", True),
    ("except (ValueError, BaseException) as e:\n        log(e)", True),
    ("except Exception:\n        pass", False),
    ("except:\n        raise", False),
    ("except BaseException as e:\n        raise e", False),
    ("except BaseException as e:\n        if fatal(e):\n            raise\n        log(e)", False),
    ("except BaseException as e:\n        raise RuntimeError() from e", True),
    ("except Exception:\n        pass\n    except:\n        pass", True),
])
def test_swallowing_base_exception(handler, swallows):
    m = py(f"def h(context):\n    try:\n        context.wait(5)\n    {handler}\n")
    found = swallowing_handler(m, call(m, "context.wait"))
    assert (found is not None) is swallows
    if swallows:
        assert found.kind is RegionKind.HANDLER


def test_swallowing_goes_on_to_an_outer_try_after_a_reraise():
    m = py("""
        def h(context):
            try:
                try:
                    context.wait(5)
                except BaseException:
                    cleanup()
                    raise
            except:
                pass
    """)
    found = swallowing_handler(m, call(m, "context.wait"))
    assert found is not None and found.handler.bare


def test_a_call_in_the_handler_or_finally_is_not_protected_by_it():
    m = py("""
        def h(context):
            try:
                pass
            except:
                context.wait(1)
            finally:
                context.wait(2)
    """)
    assert swallowing_handler(m, call(m, "context.wait", 0)) is None
    assert swallowing_handler(m, call(m, "context.wait", 1)) is None


def test_an_earlier_clause_naming_the_exception_decides():
    m = py("""
        def h(context):
            try:
                context.wait(5)
            except SuspendExecution:
                raise
            except:
                pass
    """)
    assert swallowing_handler(m, call(m, "context.wait")) is not None
    assert swallowing_handler(m, call(m, "context.wait"), also=["SuspendExecution"]) is None


def test_js_catch_without_rethrow_swallows():
    m = js("""
        async function h(ctx) {
          try { await ctx.wait({ seconds: 5 }); } catch (e) { console.log(e); }
          try { await ctx.wait({ seconds: 6 }); } catch (e) { throw e; }
        }
    """)
    assert swallowing_handler(m, call(m, "ctx.wait", 0)) is not None
    assert swallowing_handler(m, call(m, "ctx.wait", 1)) is None


def test_a_callback_inside_a_try_is_not_protected_by_it():
    m = py("""
        def h(context):
            try:
                context.step(lambda _: context.wait(1))
            except:
                pass
    """)
    assert swallowing_handler(m, call(m, "context.step")) is not None
    assert swallowing_handler(m, call(m, "context.wait")) is None


# --------------------------------------------------------------------------- regions and conditions

def test_enclosing_regions_innermost_first():
    m = py("""
        def h(e):
            with lock():
                for x in e:
                    try:
                        work(x)
                    except ValueError:
                        pass
    """)
    kinds = [r.kind for r in enclosing_regions(m, call(m, "work"))]
    assert kinds == [RegionKind.TRY, RegionKind.LOOP, RegionKind.WITH]


def test_enclosing_regions_across_functions():
    m = js("""
        function h(e) {
          if (e) { items.forEach((x) => { work(x); }); }
        }
    """)
    assert enclosing_regions(m, call(m, "work")) == []
    kinds = [r.kind for r in enclosing_regions(m, call(m, "work"), across_functions=True)]
    assert kinds == [RegionKind.THEN]


def test_region_of_a_statement_span():
    m = py("""
        def h(e):
            if e:
                x = 1
            y = 2
    """)
    assert region_of(m, Span(4, 9, 4, 14)).kind is RegionKind.THEN
    assert region_of(m, Span(5, 5, 5, 10)) is None
    assert structure_of(m).function_at(Span(5, 5, 5, 10)) == 0


def test_region_of_a_span_inside_a_nested_function_is_its_own():
    m = js("""
        function h(e) {
          try {
            run(() => {
              const v = 1;
            });
          } catch (err) {}
        }
    """)
    inner = Span(5, 7, 5, 19)
    assert region_of(m, inner) is None
    assert structure_of(m).function_at(inner) == 1


def test_governing_conditions_of_branches_and_loops():
    m = js("""
        async function h(event, ctx) {
          if (Math.random() > 0.5) {
            await ctx.step("a", fa);
          } else if (event.b) {
            await ctx.step("b", fb);
          }
          for (const item of load(event)) {
            while (pending(item)) { await ctx.step("c", fc); }
          }
        }
    """)
    first = governing_conditions(m, call(m, "ctx.step", 0))
    assert [(g.role, g.negated) for g in first] == [("test", False)]
    assert [m.calls[c].callee for c in first[0].condition.calls] == ["Math.random"]
    second = governing_conditions(m, call(m, "ctx.step", 1))
    assert [(g.role, g.negated, g.condition.names) for g in second] == [
        ("test", True, ["Math"]), ("test", False, ["event.b"])]
    third = governing_conditions(m, call(m, "ctx.step", 2))
    assert [g.role for g in third] == ["loop", "iterated"]
    assert [m.calls[c].callee for c in third[1].condition.calls] == ["load"]


def test_an_early_exit_guard_governs_what_follows():
    m = py("""
        def h(event, context):
            if random.random() > 0.5:
                return None
            context.step(work)
    """)
    found = governing_conditions(m, call(m, "context.step"))
    assert [(g.role, g.negated) for g in found] == [("guard", True)]
    assert [m.calls[c].callee for c in found[0].condition.calls] == ["random.random"]


def test_a_plain_earlier_if_does_not_govern():
    m = py("""
        def h(event, context):
            if event:
                log()
            context.step(work)
    """)
    assert governing_conditions(m, call(m, "context.step")) == []


def test_switch_case_and_subject_govern():
    m = js("""
        function h(ctx, v) {
          switch (pick(v)) { case "a": ctx.step(x); break; }
        }
    """)
    roles = [g.role for g in governing_conditions(m, call(m, "ctx.step"))]
    assert roles == ["case", "subject"]


def test_ordinary_errors_are_swallowed_by_except_exception_too():
    m = py("""
        def outer(event, context):
            try:
                return durable_handler(event, context)
            except Exception as err:
                log(err)
            try:
                return durable_handler(event, context)
            except ValueError:
                pass
    """)
    first, second = call(m, "durable_handler", 0), call(m, "durable_handler", 1)
    assert swallowing_handler(m, first, ordinary=True) is not None
    assert swallowing_handler(m, first) is None
    assert swallowing_handler(m, second, ordinary=True) is None


def test_process_ending_calls_end_the_path_when_asked():
    m = py("""
        def handler(event, context):
            t.start()
            if not event:
                sys.exit(1)
            t.join()
    """)
    start = call(m, "t.start")
    assert reached_on_every_path(m, start, is_join)
    ending = lambda c: c.callee == "sys.exit"
    assert unsatisfied_exits(m, start, is_join, ends=ending) == [call(m, "sys.exit")]
    assert not follows(m, call(m, "sys.exit"), call(m, "t.join"), ends=ending)


def test_with_items_run_before_the_body():
    m = py("""
        def handler(event, context):
            t.start()
            with pool(t.join()) as p:
                p.map(work, event)
    """)
    assert joined(m)
    assert follows(m, call(m, "pool"), call(m, "p.map"))
    assert not follows(m, call(m, "p.map"), call(m, "pool"))


def cleared(c):
    return c.callee == "clearTimeout"


def test_a_presence_check_of_the_started_handle_is_taken():
    m = js("""
        export const handler = async (event) => {
          const timer = setTimeout(() => controller.abort(), 5000);
          try {
            return await fetch(event.url);
          } finally {
            if (timer) clearTimeout(timer);
          }
        };
    """)
    assert reached_on_every_path(m, call(m, "setTimeout"), cleared)


def test_a_negated_presence_check_of_the_started_handle_is_not_taken():
    m = js("""
        export const handler = async (event) => {
          this.timer = setTimeout(flush, 5000);
          if (this.timer === undefined) return;
          clearTimeout(this.timer);
        };
    """)
    assert reached_on_every_path(m, call(m, "setTimeout"), cleared)


def test_a_presence_check_of_another_name_may_be_skipped():
    m = js("""
        export const handler = async (event) => {
          const timer = setTimeout(flush, 5000);
          if (event.timer) clearTimeout(timer);
        };
    """)
    assert not reached_on_every_path(m, call(m, "setTimeout"), cleared)


def test_a_lazily_started_handle_is_still_followed():
    m = js("""
        export const handler = async (event) => {
          if (!this.timer) {
            this.timer = setInterval(flush, 1000);
          }
          return {};
        };
    """)
    assert not reached_on_every_path(m, call(m, "setInterval"), cleared)


def test_python_presence_check_of_the_receiver_is_taken():
    m = py("""
        def handler(event, context):
            t.start()
            try:
                return work(event)
            finally:
                if t is not None:
                    t.join()
    """)
    assert joined(m)
    m = py("""
        def handler(event, context):
            t.start()
            if t.is_alive():
                t.join()
    """)
    assert not joined(m)
