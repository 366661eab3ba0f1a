"""Every rule page's examples are tests: each *Bad* block raises exactly its rule, each *Good* block nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambdalint.rules import ALL_RULES

from conftest import lint

PAGES = Path(__file__).resolve().parent.parent / "rules"
_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
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
            for n, (lang, code) in enumerate(_FENCE.findall(sections.get(kind, ""))):
                if lang in _SUFFIX:
                    yield pytest.param(rule.id, kind, _SUFFIX[lang], code, id=f"{rule.id}-{kind}-{n + 1}-{lang}")


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


@pytest.mark.parametrize("rule_id,kind,suffix,code", list(_examples()))
def test_page_example(tmp_path, rule_id, kind, suffix, code):
    findings = lint(tmp_path, {f"handler{suffix}": code})
    codes = {f.code for f in findings}
    if kind == "bad":
        assert codes == {rule_id}, [(f.code, f.span.line, f.message) for f in findings]
    else:
        assert codes == set(), [(f.code, f.span.line, f.message) for f in findings]
