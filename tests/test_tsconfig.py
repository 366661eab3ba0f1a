"""TypeScript path aliases: an import through `compilerOptions.paths` or `baseUrl` names a project file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.catalog import default_catalog
from lambdalint.cli import main
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def resolved(root: Path, importer: str, specifier: str):
    """What the index resolves `specifier` to from `importer` (a display path), among the tree's TS files."""
    models = [lower(p.read_text(), p.relative_to(root).as_posix(), Language.TYPESCRIPT)
              for p in sorted(root.rglob("*.ts"))]
    return ProjectIndex(models, default_catalog()).resolve_js_module(importer, specifier)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_paths_with_comments_and_trailing_commas(tree):
    write(tree, {
        "tsconfig.json": '{\n  // the aliases\n  "compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["src/lib/*",],},},\n}\n',
        "src/lib/audit.ts": "export async function audit() {}\n",
        "src/lib/db/index.ts": "export const db = 1;\n",
        "src/handler.ts": "",
    })
    assert resolved(tree, "src/handler.ts", "@lib/audit") == "src/lib/audit.ts"
    assert resolved(tree, "src/handler.ts", "@lib/db") == "src/lib/db/index.ts"
    assert resolved(tree, "src/handler.ts", "@lib/missing") is None
    assert resolved(tree, "src/handler.ts", "express") is None


def test_an_exact_pattern_wins_then_the_longest_prefix_then_each_substitution_in_turn(tree):
    write(tree, {
        "tsconfig.json": json.dumps({"compilerOptions": {"paths": {
            "@app/*": ["src/app/*"], "@app/config": ["src/settings.ts"],
            "@app/util/*": ["src/generated/*", "src/util/*"]}}}),
        "src/app/config.ts": "", "src/settings.ts": "", "src/util/strings.ts": "", "src/app/util/strings.ts": "",
        "src/handler.ts": "",
    })
    assert resolved(tree, "src/handler.ts", "@app/config") == "src/settings.ts"
    assert resolved(tree, "src/handler.ts", "@app/util/strings") == "src/util/strings.ts"


def test_base_url_alone_and_the_nearest_config(tree):
    write(tree, {
        "tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "src"}}),
        "src/shared/log.ts": "",
        "src/handler.ts": "",
        "packages/other/tsconfig.json": json.dumps({"compilerOptions": {}}),
        "packages/other/shared/log.ts": "",
        "packages/other/handler.ts": "",
    })
    assert resolved(tree, "src/handler.ts", "shared/log") == "src/shared/log.ts"
    assert resolved(tree, "packages/other/handler.ts", "shared/log") is None  # its own config has no baseUrl


def test_extends_keeps_the_base_url_of_the_config_that_declares_it(tree):
    write(tree, {
        "tsconfig.base.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": {"~/*": ["libs/*"]}}}),
        "services/api/tsconfig.json": json.dumps({"extends": "../../tsconfig.base.json"}),
        "services/api/handler.ts": "",
        "libs/auth.ts": "",
        "services/loop/tsconfig.json": json.dumps({"extends": "./tsconfig.json"}),
        "services/loop/handler.ts": "",
    })
    assert resolved(tree, "services/api/handler.ts", "~/auth") == "libs/auth.ts"
    assert resolved(tree, "services/loop/handler.ts", "~/auth") is None  # extends itself: maps nothing


def test_a_config_that_does_not_parse_maps_nothing(tree):
    write(tree, {"tsconfig.json": '{"compilerOptions": {"paths": {"@lib/*": ["src/lib/*"]}', "src/lib/a.ts": "",
                 "src/handler.ts": ""})
    assert resolved(tree, "src/handler.ts", "@lib/a") is None


def test_findings_follow_an_alias_and_a_changed_config_is_read_again(tree):
    write(tree, {
        "tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["src/lib/*"]}}}),
        "package.json": json.dumps({"name": "svc", "version": "1.0.0"}),
        "src/lib/audit.ts": "export async function audit(id: string) {\n  await fetch(`https://a.example/${id}`);\n}\n",
        "src/handler.ts": ("import { audit } from '@lib/audit';\n\nexport const handler = async (event: { id: string }) => {\n"
                           "  audit(event.id);\n  return { ok: true };\n};\n"),
    })

    def codes():
        result = CliRunner().invoke(main, ["check", "--format", "json", "."], catch_exceptions=False)
        return [(f["filename"], f["location"]["row"], f["code"]) for f in json.loads(result.stdout)]

    assert codes() == [("src/handler.ts", 4, "FF001")]
    (tree / "tsconfig.json").write_text(json.dumps({"compilerOptions": {}}))
    assert codes() == []  # the alias is gone: `@lib/audit` is a package lambdalint cannot see into
