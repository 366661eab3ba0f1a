"""API categories are resolved by import: the name a call resolves to, not the name it is written with."""
from __future__ import annotations

from lambdalint.catalog import default_catalog
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language


def _index(files: dict[str, tuple[str, Language]], apis=None):
    models = [lower(src, path, lang) for path, (src, lang) in files.items()]
    catalog = default_catalog().with_user_settings((), (), apis)
    return ProjectIndex(models, catalog), {m.path: m for m in models}


def _categorised(index, model, category):
    return [c.callee for c in model.calls if index.api(model, c, category)]


def test_python_exit_through_an_alias_is_found_and_a_local_function_is_not():
    index, models = _index({"app.py": ("import sys as system\nfrom os import _exit\n"
                                       "def exit_soon():\n    pass\n"
                                       "system.exit(1)\n_exit(2)\nexit_soon()\n", Language.PYTHON)})
    assert _categorised(index, models["app.py"], "process_exit") == ["system.exit", "_exit"]


def test_js_global_is_a_category_member_unless_shadowed():
    src = "process.exit(1);\nfunction f(process) { process.exit(2); }\n"
    index, models = _index({"a.js": (src, Language.JAVASCRIPT)})
    calls = [c.span.line for c in models["a.js"].calls if index.api(models["a.js"], c, "process_exit")]
    assert calls == [1]


def test_user_names_extend_a_category():
    src = "from mylib import stop\nstop()\n"
    index, models = _index({"a.py": (src, Language.PYTHON)}, apis={"process_exit": ["mylib.stop"]})
    assert _categorised(index, models["a.py"], "process_exit") == ["stop"]
