"""Metadata about every code lambdalint can emit, for the CLI and the reporters.

Rule pages live in the repository's `rules/` folder; the wheel carries them
as `lambdalint/rule_docs/`. Both places are looked up so that a source
checkout and an installed package read the same pages.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from lambdalint.findings import Severity

DOCS_BASE_URL = "https://github.com/lambdalint/lambdalint/blob/main/rules/"
# E901/E902 have no rule page; the README's section on bad input explains them.
INPUT_ERRORS_URL = "https://github.com/lambdalint/lambdalint#bad-input-e901-and-e902"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    severity: Severity
    summary: str
    languages: tuple[str, ...]

    @property
    def page_name(self) -> str:
        return f"{self.id}-{self.name}.md"

    @property
    def url(self) -> str:
        return DOCS_BASE_URL + self.page_name


# Codes that are not rules: problems reading the input.
INPUT_ERRORS = (
    RuleInfo("E901", "syntax-error", Severity.ERROR,
             "The file could not be parsed; nothing in it was checked.", ("python", "javascript", "typescript")),
    RuleInfo("E902", "unreadable-file", Severity.ERROR,
             "The file could not be read (permissions, not text, too large, a symlink loop, or not a regular file); "
             "nothing in it was checked.",
             ("python", "javascript", "typescript")),
)


# Every rule id the specification assigns. A registered rule takes its id off
# the reserved list by itself: reserved = these minus the registered ones.
SPEC_RULE_IDS: tuple[str, ...] = (
    tuple(f"FF{n:03d}" for n in range(1, 10))
    + tuple(f"DF{n:03d}" for n in range(1, 22))
    + tuple(f"RT{n:03d}" for n in range(1, 8))
)
ALL = "ALL"  # ruff's spelling for "every rule"
PLANNED = "(planned)"  # how a rule page marks a rule that is not built yet: "FF004 (planned)"


# The registered rules' metadata, kept as data so that reporting and `--select` need not import every rule
# (a run the findings cache answers loads none of them). Written by `python -m lambdalint.ruleinfo`; a test
# checks that it matches the registered rules.
RULE_INDEX = Path(__file__).resolve().parent / "rule_index.json"


@lru_cache(maxsize=None)
def all_rule_infos() -> tuple[RuleInfo, ...]:
    return (_indexed() or registered_rule_infos()) + INPUT_ERRORS


def registered_rule_infos() -> tuple[RuleInfo, ...]:
    """The metadata of the rules as registered (imports every rule module)."""
    from lambdalint.rules import ALL_RULES

    return tuple(RuleInfo(r.id, r.name, r.severity, r.summary(), tuple(sorted(lang.value for lang in r.languages)))
                 for r in ALL_RULES)


def index_rows(infos) -> list[dict]:
    return [{"id": i.id, "name": i.name, "severity": i.severity.value, "summary": i.summary,
             "languages": list(i.languages)} for i in infos]


def _indexed() -> tuple[RuleInfo, ...]:
    """The rule index's entries; empty when it is missing or does not decode (the registry is asked then)."""
    try:
        rows = json.loads(RULE_INDEX.read_text(encoding="utf-8"))
        return tuple(RuleInfo(r["id"], r["name"], Severity(r["severity"]), r["summary"], tuple(r["languages"]))
                     for r in rows)
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def rule_info(code: str) -> Optional[RuleInfo]:
    """The rule with this id or name (`FF001`, `ff001`, `unawaited-async-call`), or None."""
    code = code.strip()
    name = code.lower().replace("_", "-")
    code = code.upper()
    return next((info for info in all_rule_infos() if info.id == code or info.name == name), None)


def known_ids() -> frozenset[str]:
    """Every code a run can emit: registered rules and E901/E902."""
    return frozenset(info.id for info in all_rule_infos())


def reserved_ids() -> frozenset[str]:
    """Ids the specification assigns to rules this version does not have yet."""
    return frozenset(SPEC_RULE_IDS) - known_ids()


def code_status(code: str) -> str:
    """"known" when the code or prefix matches a rule of this version, "reserved" when it
    matches only rules not built yet, "unknown" otherwise (`code` in upper case)."""
    if code == ALL or any(i.startswith(code) for i in known_ids()):
        return "known"
    if any(i.startswith(code) for i in reserved_ids()):
        return "reserved"
    return "unknown"


def known_prefixes() -> list[str]:
    """The family prefixes of the codes this version emits (`E9`, `FF`, ...)."""
    return sorted({i[:2] for i in known_ids()})


def _page_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "rule_docs", here.parent / "rules"]


def rule_page(code: str) -> Optional[str]:
    """The Markdown page of a rule, or None when it has none (E901/E902 have none)."""
    info = rule_info(code)
    if info is None:
        return None
    for folder in _page_dirs():
        page = folder / info.page_name
        if page.is_file():
            return page.read_text(encoding="utf-8")
    return None


if __name__ == "__main__":  # refresh the rule index after adding or changing a rule
    RULE_INDEX.write_text(json.dumps(index_rows(registered_rule_infos()), indent=1) + "\n", encoding="utf-8")
