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


def test_a_file_may_call_a_category_whose_package_another_file_imports():
    """`may_call` answers without resolving when the project names none of a category's packages; a
    package named only by a re-exporting project module still counts, and so does `require("node:…")`."""
    from lambdalint.file_apis import may_call

    files = {
        "bus.ts": ('export { EventEmitter } from "events";\n', Language.TYPESCRIPT),
        "app.ts": ('import { EventEmitter } from "./bus";\nconst bus = new EventEmitter();\n'
                   'bus.on("saved", async () => {});\n', Language.TYPESCRIPT),
        "old.js": ('const { EventEmitter } = require("node:events");\nnew EventEmitter().on("x", () => {});\n',
                   Language.JAVASCRIPT),
    }
    index, models = _index(files)
    assert may_call(index, models["app.ts"], "event_listen")
    assert may_call(index, models["old.js"], "event_listen")
    alone, alone_models = _index({"app.ts": files["app.ts"]})
    assert not may_call(alone, alone_models["app.ts"], "event_listen")  # `./bus` is not in the project


def test_a_package_a_named_package_returns_instances_of_counts_as_named():
    """`mylib.connect()` gives an `otherlib.Conn`: a project that imports only mylib names otherlib too."""
    import dataclasses

    from lambdalint.packages import named_packages

    model = lower("import mylib\nconn = mylib.connect()\n", "a.py", Language.PYTHON)
    catalog = default_catalog()
    catalog = dataclasses.replace(catalog, py_returns={**catalog.py_returns, "mylib.connect": "otherlib.Conn"})
    named = named_packages(ProjectIndex([model], catalog), False)
    assert {"mylib", "otherlib"} <= named
    assert "asyncio" not in named


def test_a_star_import_may_bring_any_package_along():
    """`time` is imported by no file, but `from helpers import *` may have brought it: still a clock call."""
    from lambdalint.file_apis import may_call

    src = "from helpers_pkg import *\nnow = time.time()\n"
    index, models = _index({"app.py": (src, Language.PYTHON)})
    assert may_call(index, models["app.py"], "clock")
    plain, plain_models = _index({"app.py": ("import os\nnow = os.getpid()\n", Language.PYTHON)})
    assert not may_call(plain, plain_models["app.py"], "clock")
