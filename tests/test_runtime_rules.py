"""The handler's contract with the runtime (RT001-RT005), with handlers and runtimes read from IaC."""
from __future__ import annotations

import os
import subprocess

from conftest import codes_by_line

SAM = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
"""


def _rt(findings):
    return [(os.path.basename(f.path), f.span.line, f.code, f.severity.value) for f in findings
            if f.code.startswith(("RT", "E9"))]


# --------------------------------------------------------------------- RT001
def test_process_exit_in_a_handler(project):
    found = project({"h.js": """
        exports.handler = async (event) => {
          if (!event.id) process.exit(1);
          return event.id;
        };
    """})
    assert _rt(found) == [("h.js", 2, "RT001", "error")]


def test_process_exit_under_the_main_guard_or_in_a_signal_handler_is_fine(project):
    found = project({"h.js": """
        async function main() { return 1; }
        exports.handler = async (event) => {
          process.on('SIGTERM', () => { process.exit(0); });
          return main();
        };
        process.on('uncaughtException', (err) => { console.error(err); process.exit(1); });
        if (require.main === module) {
          main().then(() => process.exit(0));
        }
    """})
    assert _rt(found) == []


def test_sys_exit_at_module_level_of_a_handler_module(project):
    found = project({"app.py": """
        import os
        import sys

        if "TABLE" not in os.environ:
            sys.exit("TABLE is not set")

        def lambda_handler(event, context):
            return {"ok": True}
    """})
    assert _rt(found) == [("app.py", 5, "RT001", "error")]


def test_exit_in_a_cli_script_no_handler_reaches(project):
    found = project({
        "app.py": "def lambda_handler(event, context):\n    return 1\n",
        "scripts/seed.py": "import sys\n\ndef main():\n    sys.exit(2)\n\nmain()\n",
        "scripts/guarded.py": "import sys\nif __name__ == '__main__':\n    sys.exit(0)\n",
    })
    assert _rt(found) == []


def test_kill_counts_only_for_the_own_process(project):
    found = project({"h.js": """
        exports.handler = async (event) => {
          process.kill(event.childPid, 'SIGTERM');
          process.kill(process.pid, 'SIGKILL');
          return 1;
        };
    """})
    assert _rt(found) == [("h.js", 3, "RT001", "error")]


def test_signal_handler_registered_by_name_may_exit(project):
    found = project({"app.py": """
        import signal
        import sys

        def on_term(signum, frame):
            sys.exit(0)

        signal.signal(signal.SIGTERM, on_term)

        def lambda_handler(event, context):
            on_term(None, None) if event.get("stop") else None
            return 1
    """})
    assert _rt(found) == []


def test_a_local_function_named_exit_is_not_the_builtin(project):
    found = project({"app.py": """
        def exit(code):
            return {"statusCode": code}

        def lambda_handler(event, context):
            return exit(400)
    """})
    assert _rt(found) == []


# --------------------------------------------------------------------- RT002
def test_async_handler_named_by_sam(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
""",
        "app.py": "async def lambda_handler(event, context):\n    return {'ok': True}\n",
    })
    assert _rt(found) == [("app.py", 1, "RT002", "error")]


def test_async_handler_named_by_iac_under_any_name(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: jobs.run
      Runtime: python3.12
""",
        "jobs.py": "async def run(payload, ctx):\n    return 1\n",
    })
    assert _rt(found) == [("jobs.py", 1, "RT002", "error")]


def test_async_app_wrapped_by_mangum_or_run_by_a_decorator(project):
    found = project({
        "api.py": """
            from fastapi import FastAPI
            from mangum import Mangum

            app = FastAPI()

            @app.get("/")
            async def root():
                return {"ok": True}

            handler = Mangum(app)
        """,
        "worker.py": """
            import asyncio
            import functools

            def run_async(fn):
                @functools.wraps(fn)
                def wrapper(event, context):
                    return asyncio.run(fn(event, context))
                return wrapper

            @run_async
            async def lambda_handler(event, context):
                return 1
        """,
        "durable.py": """
            from aws_durable_execution_sdk_python import durable_execution

            @durable_execution
            async def handler(event, context):
                return 1
        """,
    })
    assert _rt(found) == []


def test_powertools_decorators_do_not_run_coroutines(project):
    found = project({"app.py": """
        from aws_lambda_powertools import Logger

        logger = Logger()

        @logger.inject_lambda_context
        async def lambda_handler(event, context):
            return 1
    """})
    assert _rt(found) == [("app.py", 6, "RT002", "error")]


def test_async_websocket_handler_is_not_a_lambda_handler(project):
    found = project({"ws.py": "async def handler(websocket, path):\n    await websocket.send('x')\n"})
    assert _rt(found) == []


# --------------------------------------------------------------------- RT003
CALLBACK = "exports.handler = function (event, context, callback) {\n  callback(null, { ok: true });\n};\n"


def _node_template(runtime: str) -> str:
    return SAM + f"""
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: {runtime}
"""


def test_callback_handler_on_nodejs24_is_an_error(project):
    found = project({"template.yaml": _node_template("nodejs24.x"), "index.js": CALLBACK})
    assert _rt(found) == [("index.js", 1, "RT003", "error")]
    assert "nodejs24.x" in next(f.message for f in found if f.code == "RT003")


def test_callback_handler_on_nodejs20_is_a_warning(project):
    found = project({"template.yaml": _node_template("nodejs20.x"), "index.js": CALLBACK})
    assert _rt(found) == [("index.js", 1, "RT003", "warning")]


def test_callback_handler_without_iac_is_a_warning(project):
    assert _rt(project({"index.js": CALLBACK})) == [("index.js", 1, "RT003", "warning")]


def test_streaming_and_two_parameter_handlers_are_fine(project):
    found = project({
        "template.yaml": _node_template("nodejs24.x"),
        "index.js": """
            exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
              responseStream.write('hi');
              responseStream.end();
            });
        """,
        "other.js": "exports.handler = async (event, context, callback = undefined) => 1;\n",
    })
    assert _rt(found) == []


def test_callback_handler_runtime_from_serverless_provider(project):
    found = project({
        "serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: nodejs24.x\nfunctions:\n"
                          "  hello:\n    handler: src/hello.main\n",
        "src/hello.js": "module.exports.main = (event, context, cb) => cb(null, 1);\n",
    })
    assert _rt(found) == [("hello.js", 1, "RT003", "error")]


# --------------------------------------------------------------------- RT004
def _sam_fn(handler: str, extra: str = "", runtime: str = "python3.12") -> str:
    return SAM + f"""
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {handler}
      Runtime: {runtime}
{extra}"""


def test_handler_naming_a_missing_function_is_reported_at_the_template_line(project):
    found = project({"template.yaml": _sam_fn("app.lambda_handler"),
                     "src/app.py": "def handler(event, context):\n    return 1\n"})
    assert _rt(found) == [("template.yaml", 9, "RT004", "error")]
    finding = next(f for f in found if f.code == "RT004")
    assert "lambda_handler" in finding.message and finding.span.column == 16


def test_correct_python_handlers_are_fine(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.lambda_handler, Runtime: python3.12}
  B:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: pkg/mod.handler, Runtime: python3.12}
  C:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: pkg.mod.aliased, Runtime: python3.12}
  D:
    Type: AWS::Lambda::Function
    Properties: {Code: src/, Handler: api.handler, Runtime: python3.12}
""",
        "src/app.py": "def lambda_handler(event, context):\n    return 1\n",
        "src/pkg/__init__.py": "",
        "src/pkg/mod.py": "from .impl import run as aliased\n\ndef handler(event, context):\n    return aliased()\n",
        "src/pkg/impl.py": "def run():\n    return 1\n",
        "src/api.py": "from mangum import Mangum\nfrom fastapi import FastAPI\napp = FastAPI()\nhandler = Mangum(app)\n",
    })
    assert _rt(found) == []


def test_python_module_missing_or_bad_handler_names(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: nowhere.handler, Runtime: python3.12}
  B:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: lambda_handler, Runtime: python3.12}
""",
        "src/app.py": "def lambda_handler(event, context):\n    return 1\n",
    })
    assert [(line, code) for _, line, code, _ in _rt(found)] == [(7, "RT004"), (10, "RT004")]


def test_a_module_a_layer_or_dependency_could_provide_is_unknown(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: datadog_lambda.handler.handler
      Runtime: python3.12
      Layers: [arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python312:99]
  B:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: vendored_pkg.entry.main, Runtime: python3.12}
  C:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: build/, Handler: app.handler, Runtime: nodejs20.x}
""",
        "src/requirements.txt": "vendored-pkg==1.0\n",
        "src/app.py": "x = 1\n",
    })
    assert _rt(found) == []


def test_node_handlers_resolve_like_the_runtime(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  Ok1:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: index.handler, Runtime: nodejs20.x}
  Ok2:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: lib/esm.handler, Runtime: nodejs20.x}
  Ok3:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: index.other, Runtime: nodejs20.x}
  Bad1:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: index.missing, Runtime: nodejs20.x}
  Bad2:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: ../index.handler, Runtime: nodejs20.x}
  Bad3:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/, Handler: app.handler, Runtime: nodejs20.x}
""",
        "fn/index.js": "exports.handler = async () => 1;\nmodule.exports.other = async () => 2;\n",
        "fn/lib/esm.mjs": "export const handler = async () => 1;\n",
    })
    assert [(line, code) for _, line, code, _ in _rt(found)] == [(16, "RT004"), (19, "RT004"), (22, "RT004")]


def test_esbuild_handler_resolves_to_the_typescript_source(project):
    extra = "    Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints: [src/handlers/orders.ts]\n"
    template = _sam_fn("src/handlers/orders.handler", extra, "nodejs22.x").replace("CodeUri: src/", "CodeUri: .")
    found = project({"template.yaml": template,
                     "src/handlers/orders.ts": "export const handler = async (): Promise<number> => 1;\n"})
    assert _rt(found) == []
    found = project({"template.yaml": template.replace("orders.handler", "orders.main"),
                     "src/handlers/orders.ts": "export const handler = async (): Promise<number> => 1;\n"})
    assert [code for _, _, code, _ in _rt(found)] == ["RT004"]


def test_inherited_handler_is_reported_at_the_globals_line(project):
    found = project({
        "template.yaml": SAM + """
Globals:
  Function:
    Handler: app.lambda_handler
    Runtime: python3.12
Resources:
  Good:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: good/}
  Wrong:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: wrong/}
""",
        "good/app.py": "def lambda_handler(event, context):\n    return 1\n",
        "wrong/app.py": "def handler(event, context):\n    return 1\n",
    })
    assert _rt(found) == [("template.yaml", 6, "RT004", "error")]
    assert "Globals" in next(f.message for f in found if f.code == "RT004")


def test_image_functions_have_no_handler(project):
    found = project({"template.yaml": SAM + """
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      Handler: nothing.here
    Metadata:
      Dockerfile: Dockerfile
""", "app.py": "x = 1\n"})
    assert _rt(found) == []


def test_serverless_yml_with_one_correct_and_one_missing_handler(project):
    found = project({
        "serverless.yml": """\
service: orders
custom:
  dir: src
provider:
  name: aws
  runtime: python3.12
functions:
  create:
    handler: ${self:custom.dir}/orders.create
  delete:
    handler: src/orders.delete
  other:
    handler: ${opt:stage}/orders.x
""",
        "src/orders.py": "def create(event, context):\n    return 1\n",
    })
    assert _rt(found) == [("serverless.yml", 11, "RT004", "error")]


def test_serverless_typescript_built_handlers(project):
    found = project({
        "serverless.yml": "service: s\nplugins: [serverless-esbuild]\nprovider:\n  name: aws\n  runtime: nodejs20.x\n"
                          "functions:\n  a:\n    handler: src/a.handler\n  b:\n    handler: src/b.handler\n"
                          "  c:\n    handler: src/c.handler\n",
        "src/a.ts": "export const handler = async () => 1;\n",
        "src/b/index.ts": "export const handler = async () => 1;\n",
        "src/c.ts": "export const main = async () => 1;\n",
    })
    assert _rt(found) == [("serverless.yml", 12, "RT004", "error")]


def test_cdk_nodejs_function_with_a_missing_literal_entry(project):
    stack = """
        import * as path from 'path';
        import { Stack } from 'aws-cdk-lib';
        import * as lambda from 'aws-cdk-lib/aws-lambda';
        import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

        export class Api extends Stack {
          constructor(scope: any, id: string) {
            super(scope, id);
            new NodejsFunction(this, 'Orders', {
              entry: path.join(__dirname, '../lambda/orders.ts'),
              runtime: lambda.Runtime.NODEJS_24_X,
            });
            new NodejsFunction(this, 'Missing', {
              entry: path.join(__dirname, '../lambda/missing.ts'),
            });
            new lambda.Function(this, 'Plain', {
              handler: 'index.main',
              runtime: lambda.Runtime.NODEJS_20_X,
              code: lambda.Code.fromAsset(path.join(__dirname, '../lambda')),
            });
          }
        }
    """
    found = project({
        "lib/stack.ts": stack,
        "lambda/orders.ts": "export const handler = async (event: unknown, context: unknown, cb: unknown) => 1;\n",
        "lambda/index.js": "exports.main = async () => 1;\n",
    })
    assert _rt(found) == [("orders.ts", 1, "RT003", "error"), ("stack.ts", 14, "RT004", "error")]


def test_cdk_python_function(project):
    found = project({
        "cdk.json": "{}",
        "stacks/app_stack.py": """
            from aws_cdk import Stack, aws_lambda as _lambda

            class AppStack(Stack):
                def __init__(self, scope, construct_id):
                    super().__init__(scope, construct_id)
                    _lambda.Function(self, "Good", runtime=_lambda.Runtime.PYTHON_3_12,
                                     handler="app.handler", code=_lambda.Code.from_asset("functions"))
                    _lambda.Function(self, "Bad", runtime=_lambda.Runtime.PYTHON_3_12,
                                     handler="app.missing", code=_lambda.Code.from_asset("functions"))
        """,
        "functions/app.py": "async def handler(event, context):\n    return 1\n",
    })
    assert _rt(found) == [("app.py", 1, "RT002", "error"), ("app_stack.py", 9, "RT004", "error")]


# --------------------------------------------------------------------- RT005
def _wrapped(value: str, layers: str = "", props: str = "") -> str:
    return SAM + f"""
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          AWS_LAMBDA_EXEC_WRAPPER: {value}
{layers}{props}"""


APP = "def handler(event, context):\n    return 1\n"


def test_exec_wrapper_into_the_code_that_is_missing(project):
    found = project({"template.yaml": _wrapped("/var/task/wrapper.sh"), "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 13, "RT005", "error")]


def test_exec_wrapper_that_exists(project, tmp_path):
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "wrapper.sh"
    script.write_text("#!/bin/sh\nexec \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    assert _rt(project({"template.yaml": _wrapped("/var/task/wrapper.sh"), "src/app.py": APP})) == []


def test_exec_wrapper_that_is_not_executable_is_a_warning(project, tmp_path):
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "wrapper.sh"
    script.write_text("#!/bin/sh\nexec \"$@\"\n", encoding="utf-8")
    script.chmod(0o644)
    found = project({"template.yaml": _wrapped("/var/task/wrapper.sh"), "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 13, "RT005", "warning")]


def test_exec_wrapper_mode_comes_from_git_when_tracked(project, tmp_path):
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "wrapper.sh"
    script.write_text("#!/bin/sh\nexec \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=env)
    subprocess.run(["git", "add", "src/wrapper.sh"], cwd=tmp_path, check=True, env=env)
    subprocess.run(["git", "update-index", "--chmod=-x", "src/wrapper.sh"], cwd=tmp_path, check=True, env=env)
    found = project({"template.yaml": _wrapped("/var/task/wrapper.sh"), "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 13, "RT005", "warning")]


def test_exec_wrapper_in_opt_needs_a_layer(project):
    with_layer = _wrapped("/opt/otel-instrument",
                          "      Layers:\n        - !Sub arn:aws:lambda:${AWS::Region}:901920570463:layer:otel:1\n")
    assert _rt(project({"template.yaml": with_layer, "src/app.py": APP})) == []
    found = project({"template.yaml": _wrapped("/opt/otel-instrument"), "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 13, "RT005", "error")]


def test_exec_wrapper_from_globals_and_a_layer_built_in_the_template(project, tmp_path):
    template = SAM + """
Globals:
  Function:
    Environment:
      Variables:
        AWS_LAMBDA_EXEC_WRAPPER: /opt/bin/wrapper
Resources:
  WrapperLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  WithLayer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Layers: [!Ref WrapperLayer]
  WithoutLayer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
  Custom:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: bootstrap
      Runtime: provided.al2023
"""
    (tmp_path / "layer" / "bin").mkdir(parents=True)
    script = tmp_path / "layer" / "bin" / "wrapper"
    script.write_text("#!/bin/sh\nexec \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    found = project({"template.yaml": template, "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 8, "RT005", "error")]
    assert "WithoutLayer" in next(f.message for f in found if f.code == "RT005")
    script.unlink()
    found = project({"template.yaml": template, "src/app.py": APP})
    assert sorted(_rt(found)) == [("template.yaml", 8, "RT005", "error")] * 2


# ------------------------------------------------------------ reading IaC
def test_iac_handler_code_is_judged(project):
    findings = project({
        "template.yaml": _node_template("nodejs20.x").replace("index.handler", "index.replay"),
        "index.js": "exports.replay = async (event) => {\n  fetch('https://x');\n  return 1;\n};\n"
                    "async function unrelated() { fetch('https://y'); }\n",
    })
    assert codes_by_line(findings) == [("index.js", 2, "FF001")]


def test_yaml_syntax_error_is_one_clear_error_and_the_code_is_still_linted(project):
    findings = project({
        "template.yaml": SAM + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n     Properties: x: y\n",
        "app.py": "import asyncio\nasync def go():\n    pass\ndef lambda_handler(event, context):\n    go()\n",
    })
    assert codes_by_line(findings) == [("app.py", 5, "FF001"), ("template.yaml", 6, "E901")]
    error = next(f for f in findings if f.code == "E901")
    assert "template could not be parsed" in error.message


def test_deeply_nested_template_is_one_clear_error(project):
    deep = SAM + "Resources: " + "[" * 30000 + "]" * 30000 + "\n"
    findings = project({
        "template.yaml": deep,
        "big.template.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + "[" * 30000 + "]" * 30000
                             + "}",
        "app.py": "async def go():\n    pass\ndef lambda_handler(event, context):\n    go()\n",
    })
    assert codes_by_line(findings) == [("app.py", 4, "FF001"), ("big.template.json", 1, "E901"),
                                       ("template.yaml", 3, "E901")]


def test_templates_found_by_content_and_json_templates(project):
    findings = project({
        "infra/stack.yml": SAM + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
                                 "    Properties: {CodeUri: ../src, Handler: app.nope, Runtime: python3.12}\n",
        "infra/other.json": '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Fn": {\n'
                            '      "Type": "AWS::Lambda::Function",\n      "Properties": {"Code": "../src",'
                            ' "Handler": "app.gone", "Runtime": "python3.12"}\n    }\n  }\n}\n',
        "infra/unrelated.yml": "name: ci\non: push\n",
        "src/app.py": APP,
    })
    assert codes_by_line(findings) == [("other.json", 6, "RT004"), ("stack.yml", 6, "RT004")]


def test_build_output_and_dependency_templates_are_not_read(project):
    findings = project({
        "node_modules/pkg/template.yaml": _sam_fn("nothing.here"),
        ".aws-sam/build/template.yaml": _sam_fn("nothing.here"),
        "cdk.out/Stack.template.json": '{"Resources": {"F": {"Type": "AWS::Lambda::Function", '
                                       '"Properties": {"Code": ".", "Handler": "x.y", "Runtime": "python3.12"}}}}',
        "app.py": APP,
    })
    assert findings == []


def test_aliases_merge_keys_and_tags_are_read_without_constructing_anything(project):
    findings = project({"template.yaml": SAM + """
x-common: &common
  Runtime: python3.12
  CodeUri: src/
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      <<: *common
      Handler: app.missing
      Environment:
        Variables:
          TABLE: !Ref Table
          EVIL: !!python/object/apply:os.system ["echo pwned > pwned.txt"]
""", "src/app.py": APP})
    assert codes_by_line(findings) == [("template.yaml", 12, "RT004")]
    assert not any(p.endswith("pwned.txt") for p in os.listdir("."))


def test_cdk_environment_exec_wrapper_and_web_adapter_handlers(project):
    found = project({
        "cdk.json": "{}",
        "lib/stack.ts": """
            import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';
            export function build(scope: any) {
              new Function(scope, 'Adapter', {
                runtime: Runtime.NODEJS_20_X,
                code: Code.fromAsset('app'),   // the web app
                handler: 'run.sh',
                environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap' },
              });
              new Function(scope, 'Wrapped', {
                runtime: Runtime.NODEJS_20_X,
                code: Code.fromAsset('app'),
                handler: 'index.handler',
                environment: {
                  AWS_LAMBDA_EXEC_WRAPPER: '/var/task/missing.sh',
                },
              });
            }
        """,
        "stacks/py_stack.py": """
            from aws_cdk import aws_lambda as _lambda

            def build(scope):
                _lambda.Function(scope, "PyWrapped", runtime=_lambda.Runtime.PYTHON_3_12, handler="app.handler",
                                 code=_lambda.Code.from_asset("pyapp"),
                                 environment={"AWS_LAMBDA_EXEC_WRAPPER": "/var/task/nope.sh"})
        """,
        "app/index.js": "exports.handler = async () => 1;\n",
        "app/run.sh": "#!/bin/sh\nexec node server.js\n",
        "pyapp/app.py": APP,
    })
    assert _rt(found) == [("stack.ts", 14, "RT005", "error"), ("py_stack.py", 6, "RT005", "error")]


def test_custom_builds_and_test_fixture_templates_are_not_judged(project):
    found = project({
        "template.yaml": _sam_fn("app.handler", "    Metadata:\n      BuildMethod: makefile\n"),
        "src/Makefile": "build-OrdersFunction:\n\tcp -r lib/* $(ARTIFACTS_DIR)\n",
        "src/lib/app.py": APP,
        "tests/fixtures/template.yaml": _sam_fn("nothing.here"),
        "tests/fixtures/src/app.py": "x = 1\n",
    })
    assert _rt(found) == []


def test_a_file_named_alone_is_judged_with_its_project_templates(tmp_path, monkeypatch):
    from pathlib import Path

    from conftest import write_project
    from lambdalint.config import Config
    from lambdalint.engine import run

    write_project(tmp_path, {
        "template.yaml": _node_template("nodejs24.x").replace("index.handler", "index.replay") + """
  Broken:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.nothing, Runtime: nodejs24.x}
""",
        "index.js": "exports.replay = function (event, context, callback) {\n  callback(null, 1);\n};\n",
    })
    monkeypatch.chdir(tmp_path)
    result, problems = run([Path("index.js")], Config(root=tmp_path), use_cache=False)
    assert not problems.internal_errors
    assert [(f.path, f.span.line, f.code, f.severity.value) for f in result.findings] == [
        ("index.js", 1, "RT003", "error")]
    result, _ = run([Path(".")], Config(root=tmp_path), use_cache=False)
    assert sorted((f.path, f.code) for f in result.findings) == [("index.js", "RT003"), ("template.yaml", "RT004")]


def test_alias_bombs_and_json_escapes_are_read_safely(project):
    bomb = SAM + "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)) + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n" \
        "    Properties: {CodeUri: src/, Handler: app.gone, Runtime: python3.12, Tags: {x: *i}}\n"
    emoji = ('{"AWSTemplateFormatVersion": "2010-09-09", "Description": "\\ud83d\\ude00", "Resources": '
             '{"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": "src", "Handler": "app.handler", '
             '"Runtime": "python3.12"}}}}')
    found = project({"template.yaml": bomb, "emoji.template.json": emoji, "src/app.py": APP})
    assert _rt(found) == [("template.yaml", 15, "RT004", "error")]


def test_commonjs_exports_built_dynamically_are_unknown(project):
    template = SAM + "Resources:\n" + "".join(
        f"  F{n}:\n    Type: AWS::Serverless::Function\n"
        f"    Properties: {{CodeUri: ., Handler: {n}.handler, Runtime: nodejs20.x}}\n" for n in "abcd")
    found = project({
        "template.yaml": template,
        "a.js": "Object.assign(exports, { handler: async () => 1 });\nexports.other = 1;\n",
        "b.js": "module.exports = { ...require('./impl'), other: 1 };\n",
        "c.js": "Object.defineProperty(exports, 'handler', { get: () => h });\nexports.other = 1;\nconst h = () => 1;\n",
        "d.js": "exports.other = 1;\n",
        "impl.js": "exports.handler = async () => 1;\n",
    })
    assert [(line, code) for _, line, code, _ in _rt(found)] == [(15, "RT004")]


def test_code_named_handlers_that_are_helpers_or_web_middleware(project):
    found = project({
        "app.py": """
            import asyncio

            async def lambda_handler(event, context):
                return {"ok": True}

            def handler(event, context):
                return asyncio.run(lambda_handler(event, context))
        """,
        "server.js": "exports.handler = (req, res, next) => { res.send('ok'); };\n",
    })
    assert _rt(found) == []


def test_a_handler_shaped_file_the_template_deploys_but_does_not_name(project):
    found = project({
        "template.yaml": _node_template("nodejs20.x").replace("Handler:", "CodeUri: src/\n      Handler:"),
        "src/index.js": "exports.handler = async (event) => 1;\n",
        "src/old_authorizer.js": CALLBACK,
        "other/legacy.js": CALLBACK,
    })
    assert _rt(found) == [("legacy.js", 1, "RT003", "warning")]


def test_cdk_props_through_constants_variables_and_imports(project):
    found = project({
        "cdk.json": "{}",
        "lib/config.ts": "export const FUNCTIONS_DIR = 'functions';\nexport const ORDERS_HANDLER = 'orders.handler';\n",
        "lib/stack.ts": """
            import * as cdk from 'aws-cdk-lib';
            import { FUNCTIONS_DIR, ORDERS_HANDLER } from './config';

            const common = { runtime: cdk.aws_lambda.Runtime.NODEJS_24_X, code: cdk.aws_lambda.Code.fromAsset(FUNCTIONS_DIR) };

            export function build(scope: any) {
              new cdk.aws_lambda.Function(scope, 'Orders', { ...common, handler: ORDERS_HANDLER });
              const props = { ...common, handler: 'refunds.handler' };
              new cdk.aws_lambda.Function(scope, 'Refunds', props);
            }
        """,
        "stacks/py_stack.py": """
            from aws_cdk import aws_lambda as _lambda

            def build(scope):
                _lambda.Function(scope, "Py", runtime=_lambda.Runtime.PYTHON_3_12, handler="app.main",
                                 code=_lambda.Code.from_asset(path="pyfns"))
        """,
        "functions/orders.js": "exports.handler = (event, context, callback) => callback(null, 1);\n",
        "functions/refunds.js": "exports.other = async () => 1;\n",
        "pyfns/app.py": APP,
    })
    assert _rt(found) == [("orders.js", 1, "RT003", "error"), ("stack.ts", 9, "RT004", "error"),
                          ("py_stack.py", 4, "RT004", "error")]


def test_recursive_aliases_and_merge_cycles_terminate(project):
    found = project({"template.yaml": SAM + """
x-loop: &loop
  <<: *loop
  self: *loop
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      <<: *loop
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
""", "src/app.py": APP})
    assert _rt(found) == []


def test_template_findings_show_the_template_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from conftest import write_project
    from lambdalint.cli import main

    write_project(tmp_path, {"template.yaml": _sam_fn("app.lambda_handler"), "src/app.py": APP})
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", "."]).output
    assert "template.yaml:9:16: RT004" in out
    assert "9 |       Handler: app.lambda_handler" in out


def test_handlers_in_build_output_folders_are_unknown(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  Ts:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ., Handler: dist/index.handler, Runtime: nodejs20.x}
  Py:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ., Handler: build/app.handler, Runtime: python3.12}
""",
        "src/index.ts": "export const handler = async () => 1;\n",
        "tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}',
    })
    assert _rt(found) == []


def test_inline_code_is_index(project):
    found = project({"template.yaml": SAM + """
Resources:
  Good:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Code:
        ZipFile: |
          def handler(event, context):
              return 1
  WrongModule:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Code:
        ZipFile: |
          def handler(event, context):
              return 1
  WrongName:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.main
      Runtime: nodejs20.x
      InlineCode: |
        exports.handler = async () => 1;
  Opaque:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.main
      Runtime: nodejs20.x
      InlineCode: !Sub |
        exports.${Name} = async () => 1;
""", "app.py": APP})
    assert [(line, code) for _, line, code, _ in _rt(found)] == [(17, "RT004"), (26, "RT004")]


def test_inline_placeholders_for_code_deployed_later(project):
    found = project({"template.yaml": SAM + """
Resources:
  Agent:
    Type: AWS::Lambda::Function
    Properties:
      Handler: agent.handler.lambda_handler
      Runtime: python3.12
      Code:
        ZipFile: |
          def lambda_handler(event, context):
              return {'statusCode': 200, 'body': 'Agent Lambda placeholder'}
""", "app.py": APP})
    assert _rt(found) == []


def test_sam_handler_served_through_mangum(project):
    found = project({
        "template.yaml": SAM + """
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: main.handler
      Runtime: python3.12
""",
        "main.py": """
            from fastapi import FastAPI
            from mangum import Mangum

            app = FastAPI()

            @app.get("/")
            async def lambda_handler():
                return {"ok": True}

            handler = Mangum(app)
        """,
    })
    assert _rt(found) == []
