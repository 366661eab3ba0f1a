"""Metadata about every code lambdalint can emit, for the CLI and the reporters.

Rule pages live in the repository's `rules/` folder; the wheel carries them
as `lambdalint/rule_docs/`. Both places are looked up so that a source
checkout and an installed package read the same pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from lambdalint.model import Severity

DOCS_BASE_URL = "https://github.com/lambdalint/lambdalint/blob/main/rules/"


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
             "The file could not be read (permissions, not UTF-8 text, or too large); nothing in it was checked.",
             ("python", "javascript", "typescript")),
)


@lru_cache(maxsize=None)
def all_rule_infos() -> tuple[RuleInfo, ...]:
    from lambdalint.rules import ALL_RULES

    infos = [
        RuleInfo(r.id, r.name, r.severity, r.summary(), tuple(sorted(lang.value for lang in r.languages)))
        for r in ALL_RULES
    ]
    return tuple(infos) + INPUT_ERRORS


def rule_info(code: str) -> Optional[RuleInfo]:
    code = code.upper()
    return next((info for info in all_rule_infos() if info.id == code), None)


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
