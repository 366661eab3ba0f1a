"""Rule metadata as `rules`, `explain` and the docs show it: ids, names, and rules that are only planned."""
import re
from pathlib import Path

from click.testing import CliRunner

from lambdalint import __version__, ruleinfo
from lambdalint.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULE_ID = re.compile(r"\b(?:FF|DF|RT)\d{3}\b")


def test_reserved_ids_are_the_spec_ids_no_rule_has_taken():
    registered = {info.id for info in ruleinfo.all_rule_infos()} - {e.id for e in ruleinfo.INPUT_ERRORS}
    assert registered <= set(ruleinfo.SPEC_RULE_IDS), "every rule has an id the specification assigns"
    assert ruleinfo.reserved_ids() == set(ruleinfo.SPEC_RULE_IDS) - registered
    assert "FF001" not in ruleinfo.reserved_ids()


def test_rule_pages_link_built_rules_and_mark_the_others_planned():
    """`FF004 (planned)` while FF004 is not registered; plain `FF004` once it is."""
    reserved = ruleinfo.reserved_ids()
    problems = []
    for page in sorted((ROOT / "rules").glob("*.md")) + [ROOT / "README.md"]:
        text = page.read_text(encoding="utf-8")
        for match in RULE_ID.finditer(text):
            planned = text[match.end():].startswith(" " + ruleinfo.PLANNED)
            if match[0] in reserved and not planned:
                problems.append(f"{page.name}: {match[0]} is not built yet: write `{match[0]} {ruleinfo.PLANNED}`")
            elif match[0] not in reserved and planned:
                problems.append(f"{page.name}: {match[0]} is built now: drop `{ruleinfo.PLANNED}`")
    assert problems == []


def test_every_rule_the_specification_names_is_built():
    assert ruleinfo.reserved_ids() == frozenset()


def test_code_status(monkeypatch):
    assert ruleinfo.code_status("FF001") == ruleinfo.code_status("FF") == ruleinfo.code_status("ALL") == "known"
    assert ruleinfo.code_status("E9") == "known"
    monkeypatch.setattr(ruleinfo, "SPEC_RULE_IDS", ruleinfo.SPEC_RULE_IDS + ("FF010",))  # a rule still to come
    some_reserved = min(ruleinfo.reserved_ids())
    assert ruleinfo.code_status(some_reserved) == "reserved"
    assert ruleinfo.code_status("XX1") == ruleinfo.code_status("FF099") == "unknown"


def test_explain_takes_an_id_or_a_name(monkeypatch):
    monkeypatch.setattr(ruleinfo, "SPEC_RULE_IDS", ruleinfo.SPEC_RULE_IDS + ("FF010",))  # a rule still to come
    runner = CliRunner()
    by_id = runner.invoke(main, ["explain", "FF001"])
    by_name = runner.invoke(main, ["explain", "unawaited-async-call"])
    assert by_id.exit_code == by_name.exit_code == 0
    assert by_id.output == by_name.output and "## Why" in by_name.output
    planned = min(ruleinfo.reserved_ids())
    result = runner.invoke(main, ["explain", planned])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"lambdalint: error: {planned} is planned: the rule is not built yet in lambdalint {__version__}"]


def test_the_rule_index_matches_the_registered_rules():
    """Reporters and `--select` read the index instead of importing every rule: refresh it with
    `python -m lambdalint.ruleinfo` when a rule is added or its name, severity or summary changes."""
    import json

    from lambdalint.ruleinfo import RULE_INDEX, index_rows, registered_rule_infos

    assert json.loads(RULE_INDEX.read_text(encoding="utf-8")) == index_rows(registered_rule_infos())


def test_a_json_report_answered_by_the_findings_cache_imports_no_rule(tmp_path):
    import subprocess
    import sys

    (tmp_path / "app.py").write_text("import asyncio\n\nasync def handler(event, context):\n"
                                     "    asyncio.create_task(asyncio.sleep(1))\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    probe = ("import sys\nfrom lambdalint.cli import main\n"
             "try:\n    main(['check', '--format', 'json', '.'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('lambdalint.rules')), file=sys.stderr)\n")
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
            for _ in range(2)]
    assert '"FF005"' in runs[0].stdout and runs[1].stdout == runs[0].stdout
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"  # answered from the cache: no rule module loaded
