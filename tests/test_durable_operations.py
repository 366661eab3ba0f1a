"""Durable operations used wrong (DF008–DF018): the behaviours the rules promise, each shown on a small project.

Every case lints with only the rule under test selected, so that the answer is the rule's own.
"""
from __future__ import annotations

import pytest

from conftest import codes_by_line

JS_HEAD = 'import { DurableContext, withDurableExecution } from "@aws/durable-execution-sdk-js";\n'
PY_HEAD = (
    "from aws_durable_execution_sdk_python import DurableContext, durable_execution, durable_step\n"
    "from aws_durable_execution_sdk_python.config import CallbackConfig, Duration\n"
)


def ts_handler(body: str, before: str = "") -> dict:
    return {"handler.ts": JS_HEAD + before + "export const handler = withDurableExecution(async (event: any, ctx: DurableContext) => {\n"
            + body + "\n  return { ok: true };\n});\n"}


def py_handler(body: str, before: str = "") -> dict:
    lines = "\n".join("    " + line for line in body.strip("\n").splitlines())
    return {"app.py": PY_HEAD + before + "\n\n@durable_execution\ndef handler(event, context: DurableContext):\n" + lines
            + "\n    return 'ok'\n"}


def found(project, files, rule):
    return [(line, code) for _name, line, code in codes_by_line(project(files, select=[rule]))]


# ------------------------------------------------------------------ DF009
@pytest.mark.parametrize("step", [
    'await ctx.step("a", async () => { await ctx.wait({ seconds: 5 }); });',
    'await ctx.step(async () => { await ctx.wait({ seconds: 5 }); });',
])
def test_operation_inside_a_step_with_or_without_its_name(project, step):
    assert found(project, ts_handler("  " + step), "DF009") == [(3, "DF009")]


def test_operations_inside_child_contexts_and_plain_maps_in_steps_are_fine(project):
    body = """
  await ctx.runInChildContext("a", async (child) => { await child.wait({ seconds: 5 }); });
  await ctx.step("rows", async () => event.rows.map((r: number) => r * 2));
"""
    assert found(project, ts_handler(body), "DF009") == []


# ------------------------------------------------------------------ DF012
@pytest.mark.parametrize("statement", ['ctx.wait("w", { seconds: 5 });', 'void ctx.wait({ seconds: 5 });'])
def test_an_unawaited_or_voided_wait(project, statement):
    assert found(project, ts_handler("  " + statement), "DF012") == [(3, "DF012")]


def test_void_is_reported_even_when_allowed_for_ordinary_promises(project):
    findings = project(ts_handler("  void ctx.wait({ seconds: 5 });"), select=["DF012"], allow_void=True)
    assert [f.code for f in findings] == ["DF012"]


def test_operations_gathered_by_the_context_combinator_are_settled(project):
    body = "  await ctx.promise.all([ctx.step(async () => 1), ctx.step(async () => 2)]);"
    assert found(project, ts_handler(body), "DF012") == []


def test_a_python_callback_never_waited_for(project):
    body = """
cb = context.create_callback(name="approval", config=CallbackConfig(timeout=Duration.from_hours(1)))
context.step(lambda _: cb.callback_id, name="send")
"""
    assert found(project, py_handler(body), "DF012") == [(7, "DF012")]


def test_a_python_callback_whose_result_is_read(project):
    body = """
cb = context.create_callback(name="approval", config=CallbackConfig(timeout=Duration.from_hours(1)))
context.step(lambda _: cb.callback_id, name="send")
cb.result()
"""
    assert found(project, py_handler(body), "DF012") == []


# ------------------------------------------------------------------ DF008
def test_native_race_over_steps(project):
    body = '  await Promise.race([ctx.step("a", async () => 1), ctx.step("b", async () => 2)]);'
    findings = project(ts_handler(body), select=["DF008"])
    assert [(f.span.line, f.code, f.severity.value) for f in findings] == [(3, "DF008", "error")]


def test_native_all_over_steps_is_information(project):
    body = '  await Promise.all([ctx.step("a", async () => 1), ctx.step("b", async () => 2)]);'
    assert [f.severity.value for f in project(ts_handler(body), select=["DF008"])] == ["info"]


def test_context_race_and_native_all_over_fetch_in_a_step_are_fine(project):
    body = """
  await ctx.promise.race([ctx.step("a", async () => 1), ctx.step("b", async () => 2)]);
  await ctx.step("load", async () => Promise.all(event.urls.map((u: string) => fetch(u))));
"""
    assert found(project, ts_handler(body), "DF008") == []


# ------------------------------------------------------------------ DF014
def test_bare_except_around_a_wait(project):
    body = """
try:
    context.wait(Duration.from_seconds(5))
except:
    pass
"""
    assert found(project, py_handler(body), "DF014") == [(8, "DF014")]


def test_except_exception_around_a_wait_is_fine(project):
    body = """
try:
    context.wait(Duration.from_seconds(5))
except Exception:
    pass
"""
    assert found(project, py_handler(body), "DF014") == []


def test_bare_except_around_a_helper_that_calls_a_step(project):
    before = """

def record(ctx, order):
    return ctx.step(lambda _: order["id"], name="record")
"""
    body = """
try:
    record(context, event)
except:
    pass
"""
    assert found(project, py_handler(body, before), "DF014") == [(12, "DF014")]


# ------------------------------------------------------------------ DF015
CHARGE = """

{decorator}def charge({params}order):
    return {{"charged": order["total"]}}
"""


def test_step_given_the_result_of_a_plain_function(project):
    files = py_handler('context.step(charge(event), name="charge")', CHARGE.format(decorator="", params=""))
    assert found(project, files, "DF015") == [(11, "DF015")]


def test_step_given_a_durable_step_factory(project):
    files = py_handler('context.step(charge(event), name="charge")',
                       CHARGE.format(decorator="@durable_step\n", params="step_context, "))
    assert found(project, files, "DF015") == []


def test_zero_parameter_lambda_in_a_step(project):
    assert found(project, py_handler('context.step(lambda: 1, name="one")'), "DF015") == [(7, "DF015")]


def test_js_promise_in_a_callback_slot(project):
    files = ts_handler('  await ctx.step("charge", charge(event));',
                       "async function charge(order: any) {\n  return order.total;\n}\n\n")
    assert found(project, files, "DF015") == [(7, "DF015")]


# ------------------------------------------------------------------ DF016
def test_wait_for_callback_without_a_timeout(project):
    body = '  await ctx.waitForCallback("approval", async (id) => { await fetch("https://x.example/" + id); });'
    assert found(project, ts_handler(body), "DF016") == [(3, "DF016")]


def test_js_timeout_inline_or_through_a_module_constant(project):
    body = """
  await ctx.waitForCallback("a", async (id) => { await fetch("https://x.example/" + id); }, { timeout: { hours: 1 } });
  await ctx.waitForCallback("b", async (id) => { await fetch("https://x.example/" + id); }, APPROVAL);
"""
    files = ts_handler(body, "const APPROVAL = { timeout: { hours: 24 } };\n\n")
    assert found(project, files, "DF016") == []


def test_create_callback_without_a_timeout(project):
    body = 'cb = context.create_callback(name="a")\ncb.result()'
    assert found(project, py_handler(body), "DF016") == [(7, "DF016")]


def test_python_timeout_through_a_shared_constant_of_another_module(project):
    files = py_handler('cb = context.create_callback(name="a", config=APPROVAL)\ncb.result()',
                       "from settings import APPROVAL")
    files["settings.py"] = ("from aws_durable_execution_sdk_python.config import CallbackConfig, Duration\n\n"
                            "APPROVAL = CallbackConfig(timeout=Duration.from_hours(24))\n")
    assert found(project, files, "DF016") == []


def test_a_zero_duration_is_no_timeout(project):
    body = 'cb = context.create_callback(name="a", config=CallbackConfig(timeout=Duration()))\ncb.result()'
    assert found(project, py_handler(body), "DF016") == [(7, "DF016")]


# ------------------------------------------------------------------ DF017 / DF018
TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Starter:
    Type: AWS::Serverless::Function
    Properties:
      Handler: start.handler
      Runtime: nodejs22.x
  Workflow:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: order-workflow
      Handler: workflow.handler
      Runtime: nodejs22.x
      DurableConfig:
        ExecutionTimeout: 3600
"""
WORKFLOW = """
const { withDurableExecution } = require("@aws/durable-execution-sdk-js");
exports.handler = withDurableExecution(async (event, ctx) => ctx.step("s", async () => event.id));
"""
START = """
const { LambdaClient, InvokeCommand } = require("@aws-sdk/client-lambda");
const lambda = new LambdaClient({});
const DURABLE_FN = "order-workflow";

exports.handler = async (event) => {
  await lambda.send(new InvokeCommand({ FunctionName: DURABLE_FN, %s InvocationType: "Event", Payload: event.body }));
};
"""


def test_async_invoke_of_a_durable_function_by_an_unqualified_name(project):
    files = {"template.yaml": TEMPLATE, "workflow.js": WORKFLOW, "start.js": START % ""}
    findings = project(files, select=["DF017", "DF018"])
    assert codes_by_line(findings) == [("start.js", 6, "DF017"), ("start.js", 6, "DF018")]


def test_async_invoke_with_a_qualifier_and_an_execution_name(project):
    params = 'Qualifier: "live", DurableExecutionName: `order-${event.id}`,'
    files = {"template.yaml": TEMPLATE, "workflow.js": WORKFLOW, "start.js": START % params}
    assert project(files, select=["DF017", "DF018"]) == []


def test_an_invoke_of_a_function_not_known_to_be_durable_is_silent(project):
    files = {"template.yaml": TEMPLATE.replace("      DurableConfig:\n        ExecutionTimeout: 3600\n", ""),
             "workflow.js": "exports.handler = async () => 1;\n", "start.js": START % ""}
    assert project(files, select=["DF017", "DF018"]) == []


def test_durable_by_its_handler_when_the_template_has_no_durable_config(project):
    files = {"template.yaml": TEMPLATE.replace("      DurableConfig:\n        ExecutionTimeout: 3600\n", ""),
             "workflow.js": WORKFLOW, "start.js": START % ""}
    assert [f.code for f in project(files, select=["DF018"])] == ["DF018"]


PAYMENTS_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Payments:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: payments
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:1
      DurableConfig:
        ExecutionTimeout: 3600
"""


@pytest.mark.parametrize("target,expected", [
    ('"payments"', [(3, "DF017")]),
    ('"arn:aws:lambda:us-east-1:123456789012:function:payments"', [(3, "DF017")]),
    ('"payments:live"', []),
    ('"arn:aws:lambda:us-east-1:123456789012:function:payments:7"', []),
    ("event.target", []),
])
def test_context_invoke_targets(project, target, expected):
    body = f'  await ctx.invoke("pay", {target}, {{ amount: 1 }});'
    files = ts_handler(body)
    files["template.yaml"] = PAYMENTS_TEMPLATE
    assert found(project, files, "DF017") == expected


def test_context_invoke_of_a_function_not_known_to_be_durable(project):
    files = ts_handler('  await ctx.invoke("pay", "payments", { amount: 1 });')
    files["template.yaml"] = PAYMENTS_TEMPLATE.replace("      DurableConfig:\n        ExecutionTimeout: 3600\n", "")
    assert found(project, files, "DF017") == []


# ------------------------------------------------------------------ DF010
def test_child_body_calling_the_parents_step(project):
    body = '  await ctx.runInChildContext("c", async (child) => ctx.step("s", async () => 1));'
    assert found(project, ts_handler(body), "DF010") == [(3, "DF010")]


def test_child_body_using_its_own_context(project):
    body = '  await ctx.runInChildContext("c", async (child) => child.step("s", async () => 1));'
    assert found(project, ts_handler(body), "DF010") == []


# ------------------------------------------------------------------ DF013
@pytest.mark.parametrize("holder", [
    'setTimeout(async () => { await ctx.step("late", async () => 1); }, 10);',
    'process.nextTick(() => { ctx.wait({ seconds: 1 }); });',
])
def test_operations_in_timers(project, holder):
    assert found(project, ts_handler("  " + holder), "DF013") == [(3, "DF013")]


def test_forEach_with_an_async_callback_is_reported_once(project):
    body = '  event.items.forEach(async (item: any) => { await ctx.step(`s-${item.id}`, async () => item.id); });'
    findings = project(ts_handler(body))
    assert [(f.span.line, f.code) for f in findings] == [(3, "DF013")]


def test_python_thread_issuing_operations(project):
    body = """
worker = threading.Thread(target=lambda: context.step(lambda _: 1, name="t"))
worker.start()
worker.join()
"""
    assert found(project, py_handler(body, "import threading"), "DF013") == [(7, "DF013")]


# ------------------------------------------------------------------ messages
def test_messages_fit_the_budget(monkeypatch):
    from pathlib import Path

    from lambdalint.config import Config
    from lambdalint.engine import run

    fixtures = Path(__file__).resolve().parent / "fixtures"
    rules = {"DF008", "DF009", "DF010", "DF012", "DF013", "DF014", "DF015", "DF016", "DF017", "DF018"}
    seen = set()
    for case in sorted(p for p in fixtures.glob("DF0*/*") if p.parent.name in rules):
        monkeypatch.chdir(case)  # as the fixture corpus runs: no `tests/` folder above the case
        result, _ = run([case], Config(root=case), use_cache=False)
        for finding in result.findings:
            if finding.code in rules:
                seen.add(finding.code)
                assert len(finding.message) <= 240, finding.message
    assert seen == rules


def test_an_operation_inside_a_step_is_reported_once(project):
    body = """
  await ctx.step("a", async () => {
    ctx.wait({ seconds: 1 });
    event.items.forEach(async (item: any) => { await ctx.step(`s-${item.id}`, async () => 1); });
    await Promise.race([ctx.step("x", async () => 1), ctx.step("y", async () => 2)]);
  });
"""
    findings = project(ts_handler(body))
    assert [(f.span.line, f.code) for f in findings] == [(5, "DF009"), (6, "DF009"), (7, "DF009"), (7, "DF009")]


def test_js_promise_held_in_a_name_in_a_callback_slot(project):
    files = ts_handler('  const charged = charge(event);\n  await ctx.step("charge", charged);',
                       "async function charge(order: any) {\n  return order.total;\n}\n\n")
    assert found(project, files, "DF015") == [(7, "DF015")]


def test_sdk_v2_invoke_of_a_durable_function(project):
    start = """
const AWS = require("aws-sdk");
const lambda = new AWS.Lambda();

exports.handler = async (event) => {
  await lambda.invoke({ FunctionName: "order-workflow", InvocationType: "Event", Payload: event.body }).promise();
};
"""
    files = {"template.yaml": TEMPLATE, "workflow.js": WORKFLOW, "start.js": start}
    assert codes_by_line(project(files, select=["DF017", "DF018"])) == [("start.js", 5, "DF017"),
                                                                       ("start.js", 5, "DF018")]
