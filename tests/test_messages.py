"""Every message a user sees is short: one sentence of what happens, then the handler and the fix."""
from __future__ import annotations

import pytest

from lambdalint.rules.describe import MAX_MESSAGE
from test_fixtures import CASES, lint_case_findings


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture_messages_are_short(case, monkeypatch):
    monkeypatch.chdir(case)
    for finding in lint_case_findings(case):
        assert len(finding.message) <= MAX_MESSAGE, finding.message
        assert "\n" not in finding.message
        if finding.handler is None:  # no handler known: never speak of "the handler" returning
            assert "returns first" not in finding.message and "the handler returns" not in finding.message


def test_long_names_are_cut_in_the_middle_to_keep_the_message_short(tmp_path, monkeypatch):
    """A message quoting a long name (a helper chain, a resource) stays within the limit and keeps both
    ends of the name, so the reader still recognises it."""
    name = "load_the_configuration_of_the_order_fulfilment_pipeline_for_this_tenant"
    (tmp_path / "app.py").write_text(
        "import os\n"
        "from aws_durable_execution_sdk_python import DurableContext, durable_execution\n\n\n"
        f"def {name}():\n"
        "    return os.environ['ORDERS_TABLE_NAME_FOR_THE_CURRENT_DEPLOYMENT_STAGE']\n\n\n"
        "def step_two():\n"
        f"    return {name}()\n\n\n"
        "def step_one():\n"
        "    return step_two()\n\n\n"
        "@durable_execution\n"
        "def handler(event, context: DurableContext):\n"
        "    table = step_one()\n"
        "    context.wait(seconds=5)\n"
        "    return table\n")
    monkeypatch.chdir(tmp_path)
    [finding] = [f for f in lint_case_findings(tmp_path) if f.code == "DF003"]
    assert len(finding.message) <= MAX_MESSAGE, finding.message
    assert "`handler` → … →" in finding.message  # the chain keeps its ends
    assert f"`{name[:10]}" in finding.message and f"{name[-10:]}()`" in finding.message
