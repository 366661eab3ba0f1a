"""Packages of the project's own workspace: an import by package name names the package's source."""
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

from test_tsconfig import write

LIB = {
    "package.json": json.dumps({"name": "mono", "private": True, "workspaces": ["packages/*", "services/*"]}),
    "packages/lib/package.json": json.dumps({"name": "@acme/lib", "main": "lib/cjs/index.js",
                                             "types": "lib/types/index.d.ts"}),
    "packages/lib/src/index.ts": (
        "export async function save(item: unknown): Promise<void> {\n"
        "  await fetch('https://example.com', { method: 'POST', body: JSON.stringify(item) });\n"
        "}\n"
        "export function label(item: { id: string }): string {\n  return item.id;\n}\n"
    ),
    "packages/lib/src/retry.ts": "export async function retry(): Promise<number> {\n  return 1;\n}\n",
    "services/api/package.json": json.dumps({"name": "@acme/api", "dependencies": {"@acme/lib": "*"}}),
}


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def resolved(root: Path, importer: str, specifier: str):
    models = [lower(p.read_text(), p.relative_to(root).as_posix(), Language.TYPESCRIPT)
              for p in sorted(root.rglob("*.ts"))]
    return ProjectIndex(models, default_catalog()).resolve_js_module(importer, specifier)


def check(*args: str) -> list[tuple[str, int, str]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return [(f["filename"], f["location"]["row"], f["code"]) for f in json.loads(result.stdout)]


def test_an_async_function_of_a_sibling_package_is_known_to_be_async(tree):
    write(tree, {**LIB, "services/api/handler.ts": (
        "import { save, label } from '@acme/lib';\n"
        "import { retry } from '@acme/lib/retry';\n\n"
        "export const handler = async (event: { id: string }) => {\n"
        "  save(event);\n"
        "  retry();\n"
        "  return { id: label(event) };\n"
        "};\n")})
    assert check(".") == [("services/api/handler.ts", 5, "FF001"), ("services/api/handler.ts", 6, "FF001")]


@pytest.mark.parametrize("manifest, entry", [
    ({"main": "dist/index.js"}, "src/index.ts"),                          # built output -> its source
    ({"exports": {".": {"types": "./lib/index.d.ts", "import": "./lib/esm/index.js"}}}, "src/index.ts"),
    ({"source": "source/main.ts", "main": "dist/main.js"}, "source/main.ts"),
    ({}, "src/index.ts"),                                                 # nothing named: src/index
    ({"main": "index.js"}, "index.ts"),                                   # plain JS beside its TS source
])
def test_the_entry_point_is_the_manifests_source(tree, manifest, entry):
    write(tree, {"packages/lib/package.json": json.dumps({"name": "@acme/lib", **manifest}),
                 f"packages/lib/{entry}": "export const x = 1;\n",
                 "packages/lib/src/other.ts": "export const y = 2;\n",
                 "services/api/handler.ts": "export const handler = async () => 1;\n"})
    assert resolved(tree, "services/api/handler.ts", "@acme/lib") == f"packages/lib/{entry}"


def test_names_no_package_of_the_project_has_stay_external(tree):
    write(tree, {**LIB, "services/api/handler.ts": "export const handler = async () => 1;\n"})
    assert resolved(tree, "services/api/handler.ts", "@acme/other") is None
    assert resolved(tree, "services/api/handler.ts", "lodash") is None


def test_a_package_the_catalogue_describes_stays_external_even_with_its_source_here(tree):
    """The SDK's own repository imports the SDK by name: the catalogued API is what the rules know."""
    write(tree, {
        "packages/sdk/package.json": json.dumps({"name": "@aws/durable-execution-sdk-js", "main": "dist/index.js"}),
        "packages/sdk/src/index.ts": "export function withDurableExecution(fn: unknown) {\n  return fn;\n}\n",
        "packages/examples/src/flow.ts": (
            "import { DurableContext, withDurableExecution } from '@aws/durable-execution-sdk-js';\n\n"
            "export const handler = withDurableExecution(async (event: unknown, ctx: DurableContext) => {\n"
            "  ctx.wait('cool-off', { seconds: 30 });\n"
            "  return 1;\n"
            "});\n"),
    })
    assert resolved(tree, "packages/examples/src/flow.ts", "@aws/durable-execution-sdk-js") is None
    assert ("packages/examples/src/flow.ts", 4, "DF012") in check(".", "--select", "DF")
