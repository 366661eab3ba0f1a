"""Serverless Framework services for other clouds: they deploy no Lambda function, and no Lambda rule judges
their code; AWS code beside, below or imported from them keeps every finding."""
from __future__ import annotations

from conftest import codes_by_line, write_project

from lambdalint.config import Config
from lambdalint.engine import run
from lambdalint.iac.serverless import service_provider
from lambdalint.iac.yaml_reader import parse_template

GOOGLE = """\
service: http-endpoint
provider:
  name: google
  runtime: nodejs20
functions:
  hello:
    handler: http
"""
UNSETTLED_JS = """\
exports.handler = async (request, response) => {
  fetch('https://example.com/audit', { method: 'POST' });
  response.send('ok');
};
"""


def _provider(text: str) -> str:
    return service_provider(parse_template(text))


def test_the_provider_is_read_from_its_name_or_its_short_form():
    assert _provider("service: a\nprovider:\n  name: google\n") == "google"
    assert _provider("service: a\nprovider: azure\n") == "azure"
    assert _provider("service: a\nprovider:\n  name: AWS\n") == "aws"
    assert _provider("service: a\ncustom:\n  cloud: tencent\nprovider:\n  name: ${self:custom.cloud}\n") == "tencent"


def test_a_provider_not_written_literally_is_aws_the_framework_default():
    assert _provider("service: a\nprovider:\n  runtime: nodejs20.x\n") == "aws"
    assert _provider("service: a\nfunctions: {}\n") == "aws"
    assert _provider("service: a\nprovider:\n  name: ${opt:cloud}\n") == "aws"


def test_another_clouds_service_linted_alone_is_not_lambda_code(project):
    # With no Lambda handler in the run every function would count as Lambda code: not this one's.
    assert project({"serverless.yml": GOOGLE, "index.js": UNSETTLED_JS}) == []


def test_the_same_code_in_an_aws_service_is_reported(project):
    found = project({"serverless.yml": GOOGLE.replace("google", "aws").replace("nodejs20", "nodejs20.x")
                     .replace("handler: http", "handler: index.handler"), "index.js": UNSETTLED_JS})
    assert codes_by_line(found) == [("index.js", 2, "FF001")]


def test_a_file_named_alone_in_another_clouds_service_is_not_judged(tmp_path):
    write_project(tmp_path, {"gcp/serverless.yml": GOOGLE, "gcp/index.js": UNSETTLED_JS,
                             "gcp/package.json": '{"name": "gcp"}\n'})
    result, problems = run([tmp_path / "gcp" / "index.js"], Config(root=tmp_path / "gcp"), use_cache=False)
    assert not problems.internal_errors
    assert result.findings == []


def test_python_2_code_of_a_kubeless_service_is_no_syntax_error_but_aws_code_is(project):
    found = project({
        "clock/serverless.yml": "service: clock\nprovider:\n  name: kubeless\n  runtime: python2.7\n"
                                "functions:\n  clock:\n    handler: handler.printClock\n",
        "clock/handler.py": "import time\n\n\ndef printClock(event, context):\n    print \"now\", time.ctime()\n",
        "api/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
                             "    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n"
                             "      Handler: app.handler\n      Runtime: python3.12\n",
        "api/app.py": "def handler(event, context):\n    print \"now\"\n",
    })
    assert codes_by_line(found) == [("app.py", 2, "E901")]


def test_a_code_folder_an_aws_template_deploys_is_lambda_code_inside_another_service(project):
    found = project({
        "template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Audit:\n"
                         "    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: shared/\n"
                         "      Handler: audit.handler\n      Runtime: nodejs20.x\n",
        "shared/serverless.yml": GOOGLE,
        "shared/audit.js": UNSETTLED_JS,
        "shared/index.js": UNSETTLED_JS.replace("exports.handler", "exports.http"),
    })
    assert codes_by_line(found) == [("audit.js", 2, "FF001")]


def test_a_cdk_function_whose_code_is_in_another_service_folder_is_lambda_code(project):
    found = project({
        "cdk.json": '{"app": "node bin/app.js"}\n',
        "lib/stack.js": """
            const lambda = require('aws-cdk-lib/aws-lambda');
            class Stack {
              constructor(scope) {
                new lambda.Function(scope, 'Audit', {
                  runtime: lambda.Runtime.NODEJS_20_X,
                  code: lambda.Code.fromAsset('functions/audit'),
                  handler: 'audit.handler',
                });
              }
            }
            module.exports = { Stack };
        """,
        "functions/serverless.yml": GOOGLE,
        "functions/audit/audit.js": UNSETTLED_JS,
        "functions/index.js": UNSETTLED_JS,
    })
    assert codes_by_line(found) == [("audit.js", 2, "FF001")]
