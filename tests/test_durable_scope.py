"""The durable scope model: handlers, contexts, operations and the kind of every function."""
from __future__ import annotations

import textwrap

from lambdalint.catalog import default_catalog
from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language


def _lang(path: str) -> Language:
    if path.endswith(".py"):
        return Language.PYTHON
    return Language.TYPESCRIPT if path.endswith(".ts") else Language.JAVASCRIPT


def build(files: dict[str, str]):
    models = [lower(textwrap.dedent(text).lstrip("\n"), path, _lang(path)) for path, text in files.items()]
    index = ProjectIndex(models, default_catalog())
    return index, durable_scope(index)


def fid_at(index, path: str, line: int, nth: int = 0) -> int:
    found = [fn.id for fn in index.files[path].functions if fn.span.line == line]
    return found[nth]


def op_at(index, scope, path: str, line: int):
    model = index.files[path]
    ops = [scope.operation(model, c) for c in model.calls if c.span.line == line]
    ops = [op for op in ops if op is not None]
    return ops[0] if ops else None


JS_HANDLER = """
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, ctx) => {
  const a = await ctx.step("load", async () => fetch(event.url));
  const b = await ctx.step(async () => 2);
  await ctx.runInChildContext("child", async (child) => child.wait({ seconds: 1 }));
  await ctx.map("m", event.items, async (c, item, i) => c.step(() => item), { itemNamer: (it, i) => `n-${i}` });
  await ctx.waitForCondition(async (state) => state, { waitStrategy: () => ({ shouldContinue: false }) });
  await ctx.waitForCallback("cb", async (id) => notify(id));
  await ctx.invoke("pay", "arn:fn:1", { a });
  await ctx.invoke("arn:fn:1", { a });
  const rows = [1, 2].map((r) => r * 2);
  return rows;
});
"""


def test_js_handler_callbacks_and_kinds():
    index, scope = build({"h.js": JS_HANDLER})
    handler = fid_at(index, "h.js", 2)
    assert scope.is_durable_handler("h.js", handler)
    assert scope.kind_of("h.js", handler) is Kind.ORCHESTRATION
    assert scope.own_context_names("h.js", handler) == {"ctx"}
    assert scope.kind_of("h.js", fid_at(index, "h.js", 3)) is Kind.STEP
    assert scope.kind_of("h.js", fid_at(index, "h.js", 4)) is Kind.STEP
    child = fid_at(index, "h.js", 5)
    assert scope.kind_of("h.js", child) is Kind.ORCHESTRATION
    assert scope.own_context_names("h.js", child) == {"child"}
    item = fid_at(index, "h.js", 6, 0)
    assert scope.kind_of("h.js", item) is Kind.ORCHESTRATION
    assert scope.context_names("h.js", item) == {"c", "ctx"}
    assert scope.kind_of("h.js", fid_at(index, "h.js", 6, 1)) is Kind.STEP       # c.step(() => item)
    assert scope.kind_of("h.js", fid_at(index, "h.js", 7, 0)) is Kind.STEP       # condition check
    assert scope.kind_of("h.js", fid_at(index, "h.js", 7, 1)) is Kind.STEP       # wait strategy
    assert scope.kind_of("h.js", fid_at(index, "h.js", 8)) is Kind.STEP          # callback submitter
    # a plain array callback runs where it is written: in orchestration here
    assert scope.kind_of("h.js", fid_at(index, "h.js", 11)) is Kind.ORCHESTRATION


def test_js_overloads_resolve_slots():
    index, scope = build({"h.js": JS_HANDLER})
    named = op_at(index, scope, "h.js", 3)
    assert named.method == "step" and named.name_arg.text == '"load"'
    assert named.callbacks == [("h.js", fid_at(index, "h.js", 3))]
    unnamed = op_at(index, scope, "h.js", 4)
    assert unnamed.name_arg is None and unnamed.callback_arg.text.startswith("async ()")
    mapped = op_at(index, scope, "h.js", 6)
    assert mapped.args["items"].text == "event.items" and mapped.config_arg.text.startswith("{ itemNamer")
    assert [role for _, _, role in mapped.config_callbacks] == ["name"]
    assert op_at(index, scope, "h.js", 9).name_arg.text == '"pay"'
    only_target = op_at(index, scope, "h.js", 10)
    assert only_target.name_arg is None and only_target.args["target"].text == '"arn:fn:1"'
    assert op_at(index, scope, "h.js", 11) is None          # `[1, 2].map` is no durable map


def test_js_handler_through_identifier_and_wrapper_and_helper_across_files():
    index, scope = build({
        "h.ts": """
            import { withDurableExecution as wde } from "@aws/durable-execution-sdk-js";
            import middy from "@middy/core";
            import { loadUser } from "./users";
            const main = async (event: any, context: any) => {
              return loadUser(event.id, context);
            };
            export const handler = middy(wde(main));
        """,
        "users.ts": """
            export async function loadUser(id: string, dctx: any) {
              return dctx.step("load", async () => fetch(id));
            }
        """,
    })
    main = fid_at(index, "h.ts", 4)
    assert scope.is_durable_handler("h.ts", main)
    helper = fid_at(index, "users.ts", 1)
    assert scope.kind_of("users.ts", helper) is Kind.ORCHESTRATION
    assert scope.own_context_names("users.ts", helper) == {"dctx"}
    assert op_at(index, scope, "users.ts", 2).method == "step"
    assert scope.describe_chain("users.ts", helper, "`fetch()`") == "`main` → `loadUser()` → `fetch()`"


def test_js_typed_durable_context_parameter():
    index, scope = build({"lib.ts": """
        import type { DurableContext } from "@aws/durable-execution-sdk-js";
        export async function charge(ctx: DurableContext, id: string) {
          await ctx.step("charge", async () => id);
        }
    """})
    fid = fid_at(index, "lib.ts", 2)
    assert scope.kind_of("lib.ts", fid) is Kind.ORCHESTRATION
    assert op_at(index, scope, "lib.ts", 3) is not None


def test_js_sdk_name_from_another_package_is_not_durable():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "./my-wrapper";
        export const handler = withDurableExecution(async (event, ctx) => {
          await ctx.step("x", async () => 1);
        });
    """, "my-wrapper.js": "export const withDurableExecution = (fn) => fn;\n"})
    fid = fid_at(index, "h.js", 2)
    assert not scope.is_durable_handler("h.js", fid)
    assert scope.kind_of("h.js", fid) is None
    assert op_at(index, scope, "h.js", 3) is None


def test_js_local_step_helper_is_not_an_operation():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "@aws/durable-execution-sdk-js";
        const tools = { step: (name, fn) => fn() };
        export const handler = withDurableExecution(async (event, ctx) => {
          await tools.step("x", async () => 1);
          const step = (fn) => fn();
          step(() => 2);
          await ctx.wait({ seconds: 1 });
        });
    """})
    assert op_at(index, scope, "h.js", 4) is None
    assert op_at(index, scope, "h.js", 6) is None
    assert scope.kind_of("h.js", fid_at(index, "h.js", 4)) is Kind.ORCHESTRATION  # runs where it is written


def test_js_shadowed_context_name_is_not_a_context():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "@aws/durable-execution-sdk-js";
        export const handler = withDurableExecution(async (event, ctx) => {
          event.rows.forEach((ctx) => ctx.step("x"));
        });
    """})
    inner = fid_at(index, "h.js", 3)
    assert "ctx" not in scope.context_names("h.js", inner)
    assert op_at(index, scope, "h.js", 3) is None


PY_HANDLER = """
from aws_durable_execution_sdk_python import durable_execution, durable_step, DurableContext
from aws_durable_execution_sdk_python.context import durable_with_child_context as child_body
from aws_durable_execution_sdk_python.config import MapConfig, Duration

@durable_step
def charge(step_context, order):
    return order

@child_body
def ship(child, order):
    child.wait(Duration.from_seconds(1), name="pause")

def helper(dc: DurableContext, x):
    return dc.step(lambda _: x, name="h")

@durable_execution(boto3_client=None)
def handler(event, context):
    context.step(charge(event), name="charge")
    context.run_in_child_context(ship(event), name="ship")
    context.map(event["items"], lambda c, item, i, items: c.step(charge(item)),
                config=MapConfig(item_namer=lambda item, i: f"n-{i}"))
    context.wait_for_condition(lambda state, c: state, config=None, name="poll")
    return helper(context, 1)
"""


def test_python_decorators_and_contexts():
    index, scope = build({"h.py": PY_HANDLER})
    handler = fid_at(index, "h.py", 17)
    assert scope.is_durable_handler("h.py", handler)
    assert scope.own_context_names("h.py", handler) == {"context"}
    assert scope.kind_of("h.py", fid_at(index, "h.py", 6)) is Kind.STEP
    ship = fid_at(index, "h.py", 10)
    assert scope.kind_of("h.py", ship) is Kind.ORCHESTRATION
    assert scope.own_context_names("h.py", ship) == {"child"}
    assert op_at(index, scope, "h.py", 11).method == "wait"
    helper = fid_at(index, "h.py", 13)
    assert scope.kind_of("h.py", helper) is Kind.ORCHESTRATION
    assert scope.own_context_names("h.py", helper) == {"dc"}
    assert scope.kind_of("h.py", fid_at(index, "h.py", 14)) is Kind.STEP
    assert scope.kind_of("h.py", fid_at(index, "h.py", 20, 0)) is Kind.ORCHESTRATION   # map item
    assert scope.kind_of("h.py", fid_at(index, "h.py", 21)) is None                     # item namer: no body kind
    assert scope.kind_of("h.py", fid_at(index, "h.py", 22)) is Kind.STEP                # condition check
    step = op_at(index, scope, "h.py", 18)
    assert step.name_arg.text == '"charge"' and step.callbacks == [("h.py", fid_at(index, "h.py", 6))]
    mapped = op_at(index, scope, "h.py", 20)
    assert mapped.args["items"].text == 'event["items"]'
    assert [role for _, _, role in mapped.config_callbacks] == ["name"]


def test_python_call_form_alias_and_submodule():
    index, scope = build({"h.py": """
        import aws_durable_execution_sdk_python.execution as ex

        def main(event, ctx):
            ctx.step(lambda _: 1)

        handler = ex.durable_execution(main)
    """})
    fid = fid_at(index, "h.py", 3)
    assert scope.is_durable_handler("h.py", fid)
    assert scope.kind_of("h.py", fid_at(index, "h.py", 4)) is Kind.STEP


def test_python_same_names_from_elsewhere_are_not_durable():
    index, scope = build({"h.py": """
        from mylib import durable_execution, durable_step

        @durable_step
        def s(sc):
            return 1

        @durable_execution
        def handler(event, context):
            context.step(s())
    """})
    assert scope.kind_of("h.py", fid_at(index, "h.py", 4)) is None
    assert scope.kind_of("h.py", fid_at(index, "h.py", 8)) is None
    assert op_at(index, scope, "h.py", 9) is None


def test_helper_called_only_from_steps_is_step_like():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "@aws/durable-execution-sdk-js";
        function stamp() { return Date.now(); }
        function label() { return "x"; }
        export const handler = withDurableExecution(async (event, ctx) => {
          const t = await ctx.step("t", async () => stamp());
          return label();
        });
    """})
    assert scope.kind_of("h.js", fid_at(index, "h.js", 2)) is Kind.STEP
    assert scope.kind_of("h.js", fid_at(index, "h.js", 3)) is Kind.ORCHESTRATION


def test_non_durable_code_is_neither():
    index, scope = build({"h.js": """
        export const handler = async (event, ctx) => {
          await ctx.step("x", async () => 1);
        };
    """})
    assert scope.kind_of("h.js", fid_at(index, "h.js", 1)) is None
    assert list(scope.functions()) == []


def test_handler_without_a_context_never_replays():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "@aws/durable-execution-sdk-js";
        export const handler = withDurableExecution(async (event) => ({ at: Date.now() }));
    """})
    fid = fid_at(index, "h.js", 2)
    assert scope.is_durable_handler("h.js", fid)
    assert scope.kind_of("h.js", fid) is None


def test_an_execution_that_issues_no_operation_never_replays():
    index, scope = build({"h.py": """
        import time
        from aws_durable_execution_sdk_python import durable_execution

        def stamp():
            return time.time()

        @durable_execution
        def handler(event, _context):
            return {"at": stamp()}
    """})
    assert scope.is_durable_handler("h.py", fid_at(index, "h.py", 8))
    assert scope.kind_of("h.py", fid_at(index, "h.py", 8)) is None
    assert scope.kind_of("h.py", fid_at(index, "h.py", 4)) is None


def test_python_parallel_branches_wrapped_in_parallel_branch():
    index, scope = build({"h.py": """
        from aws_durable_execution_sdk_python import DurableContext, ParallelBranch, durable_execution

        @durable_execution
        def handler(event, context: DurableContext):
            return context.parallel([ParallelBranch(func=lambda c: c.step(lambda _: 1), name="a"),
                                     ParallelBranch(lambda c2: c2.wait(None), name="b")])
    """})
    first = fid_at(index, "h.py", 5, 0)
    assert scope.kind_of("h.py", first) is Kind.ORCHESTRATION
    assert scope.own_context_names("h.py", first) == {"c"}
    assert scope.kind_of("h.py", fid_at(index, "h.py", 5, 1)) is Kind.STEP
    assert scope.own_context_names("h.py", fid_at(index, "h.py", 6)) == {"c2"}


def test_a_helper_that_gets_the_context_from_a_later_caller_still_sees_its_operations():
    index, scope = build({"h.js": """
        import { withDurableExecution } from "@aws/durable-execution-sdk-js";
        async function save(a, b) {
          await a.step("x", async () => 1);
          await b.step("y", async () => 2);
        }
        async function later(c, event) {
          await save(event, c);
        }
        export const handler = withDurableExecution(async (event, ctx) => {
          await save(ctx, event);
          await later(ctx, event);
        });
    """})
    assert op_at(index, scope, "h.js", 3) is not None
    assert op_at(index, scope, "h.js", 4) is not None


def test_sdk_names_re_exported_by_a_project_module_are_still_durable():
    """Only one file imports the SDK; the handler's file imports the project module that re-exports it."""
    index, scope = build({
        "lib/durable.ts": 'export { withDurableExecution as durable } from "@aws/durable-execution-sdk-js";\n',
        "h.ts": """
            import { durable } from "./lib/durable";
            export const handler = durable(async (event: any, ctx: any) => {
              await ctx.step("one", async () => 1);
            });
        """,
    })
    assert scope.is_durable_handler("h.ts", fid_at(index, "h.ts", 2))


def test_sdk_reached_through_require_is_durable():
    index, scope = build({"h.js": """
        const sdk = require("@aws/durable-execution-sdk-js");
        exports.handler = sdk.withDurableExecution(async (event, ctx) => {
          await ctx.step("one", async () => 1);
        });
    """})
    assert scope.is_durable_handler("h.js", fid_at(index, "h.js", 2))


def test_the_sdks_own_source_in_the_project_makes_its_users_durable():
    index, scope = build({
        "vendor/aws_durable_execution_sdk_python/__init__.py": "def durable_execution(fn):\n    return fn\n",
        "app.py": """
            from vendor.aws_durable_execution_sdk_python import durable_execution

            @durable_execution
            def handler(event, context):
                context.step(lambda _: 1)
        """,
    })
    assert scope.is_durable_handler("app.py", fid_at(index, "app.py", 4))


def test_a_project_without_the_sdk_has_no_durable_code():
    index, scope = build({"h.py": """
        from mylib import durable_execution

        @durable_execution
        def handler(event, context):
            context.step(lambda _: 1)
    """})
    assert not scope.touches("h.py")
    assert scope.kind_of("h.py", fid_at(index, "h.py", 4)) is None
