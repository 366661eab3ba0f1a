"""The call graph maps arguments to parameters across files and keeps every handler that reaches a function."""
from __future__ import annotations

from lambdalint.catalog import default_catalog
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language


def _index(files):
    models = [lower(src, path, lang) for path, (src, lang) in files.items()]
    return ProjectIndex(models, default_catalog())


def _fid(index, path, name):
    return next(f.id for f in index.files[path].functions if f.name == name)


def test_context_argument_reaches_a_helper_parameter_in_another_file():
    index = _index({
        "helpers.ts": ("export async function load(id: string, ctx: unknown) { return ctx; }\n",
                       Language.TYPESCRIPT),
        "handler.ts": ("import { load } from './helpers';\n"
                       "export const handler = async (event: any, context: any) => {\n"
                       "  return load(event.id, context);\n};\n", Language.TYPESCRIPT),
    })
    load = _fid(index, "helpers.ts", "load")
    (edge,) = index.callgraph.callers("helpers.ts", load)
    assert edge.caller_path == "handler.ts"
    assert index.callgraph.argument(edge, 1).text == "context"
    assert index.callgraph.argument(edge, 0).text == "event.id"


def test_python_method_arguments_skip_self_and_follow_keywords():
    index = _index({"app.py": (
        "class Service:\n"
        "    def send(self, order, *, context=None):\n"
        "        return order\n"
        "svc = Service()\n"
        "def lambda_handler(event, context):\n"
        "    return svc.send(event, context=context)\n", Language.PYTHON)})
    send = _fid(index, "app.py", "send")
    (edge,) = index.callgraph.callers("app.py", send)
    assert index.callgraph.argument(edge, 1).text == "event"
    assert index.callgraph.argument(edge, 2).text == "context"


def test_every_handler_that_reaches_a_function_is_kept():
    index = _index({
        "shared.js": ("export function audit(e) { return e; }\n", Language.JAVASCRIPT),
        "a.js": ("import { audit } from './shared';\nexport const handler = async (e) => audit(e);\n",
                 Language.JAVASCRIPT),
        "b.js": ("import { audit } from './shared';\nexport const handler = async (e) => { audit(e); };\n",
                 Language.JAVASCRIPT),
    })
    audit = _fid(index, "shared.js", "audit")
    assert sorted(h.path for h in index.handlers_for("shared.js", audit)) == ["a.js", "b.js"]
