"""The determinism rules as a user sees them: what a durable project reports, line by line."""
from __future__ import annotations

import pytest

from conftest import codes_by_line

JS_HEAD = 'import { withDurableExecution } from "@aws/durable-execution-sdk-js";\n'
PY_HEAD = "from aws_durable_execution_sdk_python import DurableContext, durable_execution, durable_step\n"


def js_handler(body: str, head: str = "") -> str:
    lines = "\n".join("  " + line for line in body.strip("\n").splitlines())
    return f"{JS_HEAD}{head}export const handler = withDurableExecution(async (event, ctx) => {{\n{lines}\n}});\n"


def df(findings, prefix="DF"):
    return [item for item in codes_by_line(findings) if item[2].startswith(prefix)]


SOURCES = ["Date.now()", "Math.random()", "crypto.randomUUID()", "v4()"]


@pytest.mark.parametrize("source", SOURCES)
def test_js_nondeterministic_source_in_orchestration_is_df001(project, source):
    code = js_handler(f"const x = {source};\nawait ctx.step(\"use\", async () => x);",
                      head='import { v4 } from "uuid";\n')
    assert df(project({"h.mjs": code})) == [("h.mjs", 4, "DF001")]


@pytest.mark.parametrize("source", SOURCES)
def test_js_nondeterministic_source_inside_a_step_is_fine(project, source):
    code = js_handler(f'const x = await ctx.step("mint", async () => {source});\nreturn x;',
                      head='import { v4 } from "uuid";\n')
    assert df(project({"h.mjs": code})) == []


@pytest.mark.parametrize("source", SOURCES)
def test_js_nondeterministic_source_in_a_plain_handler_is_fine(project, source):
    code = f'import {{ v4 }} from "uuid";\nexport const handler = async (event, ctx) => {{\n  return {source};\n}};\n'
    assert df(project({"h.mjs": code})) == []


def test_new_date_with_an_argument_and_a_local_v4_are_fine(project):
    code = js_handler('const at = new Date(event.at);\nconst id = v4();\nawait ctx.step("s", async () => [at, id]);',
                      head='function v4() { return "fixed"; }\n')
    assert df(project({"h.mjs": code})) == []


@pytest.mark.parametrize("call, imports", [
    ("await fetch(event.url);", ""),
    ("await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));",
     'import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3Client({});\n'),
])
def test_js_io_in_orchestration_is_df002_and_fine_in_a_step(project, call, imports):
    outside = js_handler(f"{call}\nawait ctx.wait({{ seconds: 1 }});", head=imports)
    line = 2 + imports.count("\n") + 1
    assert df(project({"h.mjs": outside})) == [("h.mjs", line, "DF002")]


def test_js_io_inside_a_step_is_fine(project):
    code = js_handler('const page = await ctx.step("load", async () => (await fetch(event.url)).text());\nreturn page;')
    assert df(project({"h.mjs": code})) == []


@pytest.mark.parametrize("call", ["requests.get(event['url'], timeout=5)", "s3.get_object(Bucket='b', Key='k')"])
def test_python_io_in_orchestration_is_df002_and_fine_in_a_step(project, call):
    head = f"import boto3\nimport requests\n{PY_HEAD}s3 = boto3.client('s3')\n\n\n"
    outside = head + f"@durable_execution\ndef handler(event, context: DurableContext):\n    r = {call}\n" \
                     "    return context.step(lambda _: 1, name='x')\n"
    assert df(project({"h.py": outside})) == [("h.py", 9, "DF002")]
    inside = head + f"@durable_execution\ndef handler(event, context: DurableContext):\n" \
                    f"    return context.step(lambda _: {call}, name='x')\n"
    assert df(project({"h.py": inside})) == []


def test_io_in_a_helper_in_another_file_is_reported_once_at_the_fetch_with_the_chain(project):
    findings = project({
        "h.mjs": js_handler("const a = await loadUser(event.a);\nconst b = await loadUser(event.b);\n"
                            "return ctx.step(\"s\", async () => [a, b]);",
                            head='import { loadUser } from "./users.mjs";\n'),
        "users.mjs": "export async function loadUser(id) {\n  const res = await fetch(`https://u/${id}`);\n"
                     "  return res.json();\n}\n",
    })
    assert df(findings) == [("users.mjs", 2, "DF002")]
    message = next(f.message for f in findings if f.code == "DF002")
    assert "`handler` → `loadUser()`" in message and "`fetch()`" in message


def test_operation_names(project):
    code = js_handler('await ctx.step(`save-${Date.now()}`, async () => 1);\n'
                      'for (let i = 0; i < event.items.length; i++) {\n'
                      '  const item = event.items[i];\n'
                      '  await ctx.step(`save-${item.id}`, async () => 1);\n'
                      '  await ctx.step(`save-${i}`, async () => 1);\n'
                      '}')
    assert df(project({"h.mjs": code})) == [("h.mjs", 3, "DF005")]


def test_branch_on_random_is_df006_and_df001_at_the_source(project):
    code = js_handler("if (Math.random() > 0.5) await ctx.step(async () => 1);")
    assert df(project({"h.mjs": code})) == [("h.mjs", 3, "DF001"), ("h.mjs", 3, "DF006")]


def test_branch_on_a_step_result_is_fine(project):
    code = js_handler('const coin = await ctx.step("coin", async () => Math.random());\n'
                      'if (coin > 0.5) await ctx.step(async () => 1);')
    assert df(project({"h.mjs": code})) == []


def test_python_set_iteration_issuing_steps_is_df007_and_sorted_is_fine(project):
    code = PY_HEAD + "\n\n@durable_execution\ndef handler(event, context: DurableContext):\n" \
                     "    for sku in {'a', 'b'}:\n" \
                     "        context.step(lambda _: sku, name=f'reserve-{sku}')\n" \
                     "    for sku in sorted({'a', 'b'}):\n" \
                     "        context.step(lambda _: sku, name=f'again-{sku}')\n"
    assert df(project({"h.py": code})) == [("h.py", 6, "DF007")]


def test_closure_writes(project):
    code = js_handler("let counter = 0;\n"
                      "await ctx.step(async () => { counter++; });\n"
                      "await ctx.step(async () => { let local = 0; local++; return local; });\n"
                      "return counter;")
    assert df(project({"h.mjs": code})) == [("h.mjs", 4, "DF011")]


def test_python_append_to_a_captured_list_in_a_durable_step(project):
    code = PY_HEAD + "\nresults = []\n\n\n@durable_step\ndef save(step_context, x):\n    results.append(x)\n\n\n" \
                     "@durable_execution\ndef handler(event, context: DurableContext):\n" \
                     "    context.step(save(event['x']), name='save')\n    return results\n"
    assert df(project({"h.py": code})) == [("h.py", 8, "DF011")]


def test_env_reads(project):
    code = js_handler('const flag = process.env.X;\nawait ctx.step("s", async () => flag);',
                      head="const TABLE = process.env.TABLE;\n")
    assert df(project({"h.mjs": code})) == [("h.mjs", 4, "DF003")]


def test_logging(project):
    code = js_handler('console.log("start");\nctx.logger.info("start");\nawait ctx.step("s", async () => 1);')
    assert df(project({"h.mjs": code})) == [("h.mjs", 3, "DF019")]


def test_sdk_name_from_another_package_is_not_durable(project):
    code = 'import { withDurableExecution } from "./wrap.mjs";\n' \
           "export const handler = withDurableExecution(async (event, ctx) => {\n" \
           "  console.log(Date.now());\n  await ctx.step(\"s\", async () => 1);\n});\n"
    assert df(project({"h.mjs": code, "wrap.mjs": "export const withDurableExecution = (f) => f;\n"})) == []


def test_messages_are_short_and_name_the_fix(project):
    files = {
        "h.mjs": js_handler('const id = crypto.randomUUID();\nconsole.log(id);\nawait fetch(event.url);\n'
                            'let n = 0;\nawait ctx.step(`s-${Date.now()}`, async () => { n++; });\n'
                            'if (process.env.FLAG) await ctx.step("f", async () => 1);\n'
                            'if (Math.random() > 0.5) await ctx.wait({ seconds: 1 });\n'
                            'await new Promise((r) => setTimeout(r, 10));'),
    }
    findings = [f for f in project(files) if f.code.startswith("DF")]
    assert {f.code for f in findings} == {"DF001", "DF002", "DF003", "DF004", "DF005", "DF006", "DF011", "DF019"}
    for finding in findings:
        assert len(finding.message) <= 240, finding.message
        assert "Fix:" in finding.message
        assert finding.handler, finding


def test_the_apis_setting_adds_names_to_a_category(project):
    code = js_handler('const t = now();\nawait ctx.step("s", async () => t);',
                      head='import { now } from "my-clock";\n')
    assert df(project({"h.mjs": code})) == []
    assert df(project({"h.mjs": code}, apis={"clock": ["my-clock:now"]})) == [("h.mjs", 4, "DF001")]


def test_the_apis_setting_is_validated(tmp_path):
    from lambdalint.config import ConfigError, load_config

    (tmp_path / "lambdalint.toml").write_text('apis = { clock = ["mylib.now"] }\n', encoding="utf-8")
    assert load_config([tmp_path]).apis == {"clock": ["mylib.now"]}
    (tmp_path / "lambdalint.toml").write_text('apis = { clocks = ["mylib.now"] }\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown API category .clocks."):
        load_config([tmp_path])
    (tmp_path / "lambdalint.toml").write_text('apis = ["mylib.now"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="apis"):
        load_config([tmp_path])


def test_verbose_lists_how_durable_code_is_classified(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from conftest import write_project
    from lambdalint.cli import main

    write_project(tmp_path, {"h.mjs": js_handler('await ctx.step("s", async () => load());\nreturn 1;',
                                                 head="function load() { return 1; }\n")})
    monkeypatch.chdir(tmp_path)
    verbose = CliRunner().invoke(main, ["check", "--no-cache", "--verbose", "."], catch_exceptions=False).output
    assert "h.mjs:3: durable handler: `handler`" in verbose
    assert "h.mjs:4: step: `handler` → the `step` callback" in verbose
    assert "h.mjs:2: step: `handler` → the `step` callback → `load()`" in verbose
    plain = CliRunner().invoke(main, ["check", "--no-cache", "."], catch_exceptions=False).output
    assert "Durable code" not in plain
