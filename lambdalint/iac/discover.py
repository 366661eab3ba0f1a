"""Which files are templates: found by name, or by a cheap look at the text before any parsing.

The walk prunes the same folders source discovery does (dependencies, build
output, gitignored folders), so a synthesized `cdk.out/*.template.json` or a
`.aws-sam/build/template.yaml` copy is never read as the project's own.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from lambdalint import observe
from lambdalint.discovery import OTHER_SUFFIXES, _Walker, display_path, is_test_file

if TYPE_CHECKING:
    from lambdalint.config import Config

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
TEMPLATE_NAMES = frozenset({"template.yaml", "template.yml", "template.json"})
SERVERLESS_NAMES = frozenset({"serverless.yml", "serverless.yaml"})
_SUFFIXES = OTHER_SUFFIXES
# Never templates, and often large.
_NOT_TEMPLATES = frozenset({"package.json", "package-lock.json", "tsconfig.json", "composer.json", "cdk.json",
                            "pnpm-lock.yaml", "yarn.lock", ".eslintrc.json", "angular.json", "jsconfig.json",
                            "pubspec.yaml", "docker-compose.yml", "docker-compose.yaml", "buildspec.yml",
                            "samconfig.yaml", "samconfig.yml", "mkdocs.yml", "openapi.yaml", "openapi.json",
                            "swagger.yaml", "swagger.json", "environment.yml"})
# A top-level key (column 0 in YAML) naming the template format or the SAM transform.
_MARKER = re.compile(rb"""^(["']?AWSTemplateFormatVersion["']?\s*:"""
                     rb"""|Transform\s*:[^\n]*AWS::Serverless|Transform\s*:\s*\n\s*-\s*AWS::Serverless)""",
                     re.MULTILINE)
_JSON_MARKER = re.compile(rb""""AWSTemplateFormatVersion"\s*:|"Transform"\s*:\s*\[?\s*"AWS::Serverless""")


def kind_of(name: str) -> str:
    """"serverless" for a Serverless Framework file, else "cloudformation"."""
    return "serverless" if name in SERVERLESS_NAMES else "cloudformation"


def find_templates(tops: Iterable[Path], config: "Config") -> list[str]:
    """Template files below `tops` (absolute paths, sorted, each once)."""
    walker = _Walker(config)
    found: set[str] = set()
    for top in tops:
        top_s = str(top)
        if os.path.isfile(top_s):
            if _is_template(os.path.basename(top_s), top_s):
                found.add(os.path.abspath(top_s))
            continue
        if not os.path.isdir(top_s):
            continue
        walker.others = []
        walker.walk(top_s)   # the walk source discovery makes (once per run: see `discovery.one_walk`)
        found.update(os.path.abspath(path) for path in walker.others if _is_template(os.path.basename(path), path))
    return sorted(found)


def _is_template(name: str, path: str) -> bool:
    lower = name.lower()
    if not lower.endswith(_SUFFIXES):
        return False
    if lower in TEMPLATE_NAMES or lower in SERVERLESS_NAMES:
        return True
    if lower in _NOT_TEMPLATES or lower.endswith(".lock.json"):
        return False
    stem = lower.rsplit(".", 1)[0]
    if stem.endswith(".template"):
        return True
    try:
        if os.path.getsize(path) > MAX_TEMPLATE_BYTES:
            return False
        with open(path, "rb") as handle:
            head = handle.read(MAX_TEMPLATE_BYTES)
    except OSError:
        return False
    if b"AWSTemplateFormatVersion" not in head and b"AWS::Serverless" not in head:
        return False
    marker = _JSON_MARKER if lower.endswith(".json") else _MARKER
    return marker.search(head) is not None


def templates_of_run(paths: Iterable[Path], config: "Config") -> list[tuple[str, bool]]:
    """(absolute path, shown) of the templates a run over `paths` reads; only shown ones report problems."""
    given = [Path(p) for p in paths if str(p) != "-"]
    folders = [os.path.abspath(p) for p in given if p.is_dir()]
    named = {os.path.abspath(p) for p in given if not p.is_dir()}
    tops = [Path(p) for p in folders + sorted(named)]
    if named or not given:
        # A file (or stdin) is judged with its whole project: the templates of the project root
        # name its handlers, but their own findings belong to runs that name them.
        tops.append(config.root)
    found = []
    for template in find_templates(tops, config):
        if is_test_file(display_path(template)):
            continue  # test fixtures may be wrong on purpose
        found.append((template, template in named or any(template.startswith(folder.rstrip(os.sep) + os.sep)
                                                          for folder in folders)))
    return found


def read_template_text(absolute: str) -> Optional[str]:
    """A template's text as the readers see it; None when it is too large, unreadable or not UTF-8."""
    try:
        if observe.getsize(absolute) > MAX_TEMPLATE_BYTES:
            return None
        return observe.read_bytes(absolute).decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
