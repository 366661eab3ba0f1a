"""Every rule page's examples are tests: each *Bad* example raises exactly its rule, each *Good* one nothing.

An example is one fenced block written as `handler.<ext>`, or a small project:
blocks whose info string names a file (```` ```yaml file=template.yaml ````)
form one project per `###` subsection (or per section when it has none).
`also=RT003` in an info string names another rule the example raises by its
nature (a callback-style handler always gets RT003's warning).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambdalint.rules import ALL_RULES
from lambdalint.rules.describe import MAX_MESSAGE

from conftest import lint

PAGES = Path(__file__).resolve().parent.parent / "rules"
_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FILE = re.compile(r"\bfile=(\S+)")
_ALSO = re.compile(r"\balso=(\S+)")
_SUFFIX = {"python": ".py", "py": ".py", "js": ".js", "javascript": ".js", "ts": ".ts", "typescript": ".ts",
           "tsx": ".tsx"}


def _sections(text: str) -> dict[str, str]:
    """`## Heading` -> body, keyed by the heading's first word in lower case."""
    parts = re.split(r"^## +(.+)$", text, flags=re.MULTILINE)
    return {heading.split()[0].lower(): body for heading, body in zip(parts[1::2], parts[2::2])}


def _examples():
    for rule in ALL_RULES:
        page = PAGES / f"{rule.id}-{rule.name}.md"
        if not page.exists():
            continue
        sections = _sections(page.read_text(encoding="utf-8"))
        for kind in ("bad", "good"):
            n = 0
            for part in re.split(r"^### .*$", sections.get(kind, ""), flags=re.MULTILINE):
                project, project_also = {}, set()
                for lang, info, code in _FENCE.findall(part):
                    named = _FILE.search(info)
                    also = set(_ALSO.search(info)[1].split(",")) if _ALSO.search(info) else set()
                    if named:
                        project[named[1]] = code
                        project_also |= also
                    elif lang in _SUFFIX:
                        n += 1
                        yield pytest.param(rule.id, kind, {f"handler{_SUFFIX[lang]}": code}, also,
                                           id=f"{rule.id}-{kind}-{n}-{lang}")
                if project:
                    n += 1
                    yield pytest.param(rule.id, kind, project, project_also, id=f"{rule.id}-{kind}-{n}-project")


def test_every_rule_has_a_page():
    missing = [f"{r.id}-{r.name}.md" for r in ALL_RULES if not (PAGES / f"{r.id}-{r.name}.md").exists()]
    assert not missing


@pytest.mark.parametrize("rule_id", [r.id for r in ALL_RULES])
def test_page_has_the_required_sections_and_examples(rule_id):
    rule = next(r for r in ALL_RULES if r.id == rule_id)
    sections = _sections((PAGES / f"{rule.id}-{rule.name}.md").read_text(encoding="utf-8"))
    for name in ("why", "bad", "good", "fix", "options"):
        assert name in sections, f"{rule_id} page lacks a '## {name.title()}' section"
    assert _FENCE.search(sections["bad"]) and _FENCE.search(sections["good"])


@pytest.mark.parametrize("rule_id,kind,files,also", list(_examples()))
def test_page_example(tmp_path, rule_id, kind, files, also):
    findings = lint(tmp_path, files)
    assert all(len(f.message) <= MAX_MESSAGE for f in findings), [f.message for f in findings]
    codes = {f.code for f in findings}
    if kind == "bad":
        assert codes == {rule_id} | also, [(f.code, f.span.line, f.message) for f in findings]
    else:
        assert codes == also, [(f.code, f.span.line, f.message) for f in findings]
