"""A `Handler` string -> the file and the function the runtime would load, resolved as each runtime does.

Python (`awslambdaric`): split at the last dot; the module may be written
`pkg/mod` or `pkg.mod`; the name must be bound at module level. Node.js (the
runtime interface client): `..` is rejected; the basename splits at its
*first* dot (`app.v2.handler` is module `app`, export path `v2.handler`);
`<module>`, `.js`, `.mjs`, `.cjs` are tried; the export is a nested property,
then looked up on `default`. Code built by esbuild resolves to its TypeScript
source. What a layer or an installed dependency could provide is unknown,
never "not found".
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from typing import Optional

from lambdalint.iac.package_patterns import excluding_pattern
from lambdalint.iac.records import IacFunction
from lambdalint.model import FileModel, Language
from lambdalint import observe

FOUND, MISSING, UNKNOWN = "found", "missing", "unknown"
_NODE_EXTENSIONS = ("", ".js", ".mjs", ".cjs")
# Build methods that package the code folder as it is (plus dependencies), or build from its sources (esbuild).
_COPYING_BUILDS = ("esbuild", "python", "nodejs")
_SOURCE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
# Modules compiled into the interpreter: the Python runtime refuses them as handler modules.
_PY_BUILTINS = frozenset({"sys", "time", "gc", "errno", "itertools", "marshal", "posix", "pwd", "atexit",
                          "builtins", "faulthandler", "_io", "_thread", "_signal", "_imp", "_warnings"})


@dataclass
class Resolution:
    status: str                        # FOUND | MISSING | UNKNOWN
    language: Optional[Language] = None
    file: Optional[str] = None         # display path of the module's file model, when linted
    export: Optional[str] = None       # the bound name / export the runtime calls
    reason: str = ""                   # for MISSING: what is not there, in words
    fix: str = ""                      # for MISSING: the fix, when it is not naming an existing handler


def _left_out(fn: IacFunction, found: Resolution) -> Resolution:
    """A handler file the Serverless `package.patterns` leave out of the package is not there at run time."""
    rel = os.path.relpath(os.path.abspath(found.file), os.path.abspath(fn.code_root)).replace(os.sep, "/")
    if rel.startswith("../"):
        return found
    pattern = excluding_pattern(fn.package_patterns or [], rel)
    if pattern is None:
        return found
    return Resolution(MISSING, found.language, found.file, found.export,
                      reason=f"`{rel}` is left out of the package by `package.patterns` (`{pattern}`)",
                      fix=f"re-include it with a pattern after `{pattern}`")


def language_of_runtime(runtime: Optional[str]) -> Optional[str]:
    """"python" / "node" / "other" for a runtime name; None when unknown."""
    if not runtime:
        return None
    runtime = runtime.lower()
    if runtime.startswith("python"):
        return "python"
    if runtime.startswith("nodejs"):
        return "node"
    return "other"


class Resolver:
    def __init__(self, models: dict[str, FileModel]):
        self.by_abs = {os.path.abspath(path): model for path, model in models.items()}

    def model(self, absolute: str) -> Optional[FileModel]:
        return self.by_abs.get(os.path.normpath(absolute))

    # ------------------------------------------------------------ dispatch
    def resolve(self, fn: IacFunction) -> Resolution:
        if fn.image:
            return Resolution(UNKNOWN)
        family = language_of_runtime(fn.runtime_name)
        if fn.source == "cdk" and fn.entry is not None:
            return self._cdk_entry(fn, family)
        if fn.inline and fn.handler is not None and family in ("python", "node"):
            return _inline(fn, family)
        if fn.handler is None or fn.code_root is None or fn.inline or family == "other":
            return Resolution(UNKNOWN)
        handler = fn.handler.value
        if handler.startswith("/"):
            return Resolution(UNKNOWN)  # an absolute path into a layer (a vendor's wrapper handler)
        found = self._by_family(fn, family, handler)
        if found.status == FOUND and fn.package_patterns and found.file:
            found = _left_out(fn, found)
        if found.status == MISSING and "AWS_LAMBDA_EXEC_WRAPPER" in fn.environment:
            return Resolution(UNKNOWN)  # the wrapper decides what runs (the Web Adapter runs `Handler` as a script)
        if found.status == MISSING and fn.build and not fn.build.startswith(_COPYING_BUILDS):
            return Resolution(UNKNOWN)  # a Makefile or custom build lays the package out its own way
        return found

    def _by_family(self, fn: IacFunction, family: Optional[str], handler: str) -> Resolution:
        found = self._file_named(handler, family)
        if found is not None:
            return found
        if family == "python":
            return self.python(fn, handler)
        if family == "node":
            return self.node(fn, handler)
        # Runtime unknown: whichever language finds it names a handler; nothing is ever "missing".
        for attempt in (self.python, self.node):
            found = attempt(fn, handler)
            if found.status == FOUND:
                return found
        return Resolution(UNKNOWN)

    def _file_named(self, handler: str, family: Optional[str]) -> Optional[Resolution]:
        """`Handler: app.py` / `index.js`: a file name where `module.function` belongs."""
        stem, _, ext = handler.rpartition(".")
        known = {"python": ("py",), "node": ("js", "mjs", "cjs", "ts")}.get(family or "", ())
        if stem and ext in known:
            language = Language.PYTHON if family == "python" else Language.JAVASCRIPT
            return Resolution(MISSING, language, reason=f"`{handler}` names a file, but the runtime reads "
                                                        f"`{stem}.{ext}` as module `{stem}` and function `{ext}`")
        return None

    # -------------------------------------------------------------- python
    def python(self, fn: IacFunction, handler: str) -> Resolution:
        if "." not in handler:
            return Resolution(MISSING, Language.PYTHON,
                              reason=f"`{handler}` has no dot: the Python runtime needs `module.function` "
                                     "(Runtime.MalformedHandlerName)")
        module, name = handler.rsplit(".", 1)
        dotted = module.replace("/", ".")
        parts = [p for p in dotted.split(".") if p]
        if not parts or not name:
            return Resolution(MISSING, Language.PYTHON, reason=f"`{handler}` is not `module.function`")
        if ".".join(parts) in fn.plugin_modules:
            return Resolution(UNKNOWN)  # written into the package by a plugin (serverless-wsgi's `wsgi_handler`)
        if parts[0] in _PY_BUILTINS:
            return Resolution(MISSING, Language.PYTHON, reason=f"`{parts[0]}` is a built-in module, which the "
                                                                "runtime refuses as a handler module")
        base = os.path.join(fn.code_root, *parts)
        if not observe.isdir(os.path.dirname(base)):
            return Resolution(UNKNOWN)  # the module's package folder is not there: a build output, perhaps
        candidates = [base + ".py", os.path.join(base, "__init__.py")]
        path = next((c for c in candidates if observe.isfile(c)), None)
        if path is None:
            if observe.isdir(base) or _python_extension(base) or not observe.isdir(fn.code_root):
                return Resolution(UNKNOWN)
            if self._may_come_from_elsewhere(fn, parts[0], python=True):
                return Resolution(UNKNOWN)
            rel = "/".join(parts)
            return Resolution(MISSING, Language.PYTHON,
                              reason=f"there is no `{rel}.py` in the code folder (Runtime.ImportModuleError)")
        model = self.model(path)
        if model is None:
            return Resolution(UNKNOWN)
        verdict = _python_binds(model, name)
        if verdict is None:
            return Resolution(UNKNOWN, Language.PYTHON, model.path, name)
        if not verdict:
            return Resolution(MISSING, Language.PYTHON, model.path, name,
                              reason=f"`{model_name(model)}` defines no `{name}` at module level "
                                     "(Runtime.HandlerNotFound)")
        return Resolution(FOUND, Language.PYTHON, model.path, name)

    # ---------------------------------------------------------------- node
    def node(self, fn: IacFunction, handler: str) -> Resolution:
        if ".." in handler:
            return Resolution(MISSING, Language.JAVASCRIPT, reason=f"`{handler}` contains `..`, which the Node.js "
                                                                    "runtime rejects (Runtime.MalformedHandlerName)")
        module_root, base = posixpath.split(handler)
        if "." not in base or base.startswith("."):
            return Resolution(MISSING, Language.JAVASCRIPT, reason=f"`{handler}` is not `file.export` "
                                                                    "(Runtime.MalformedHandlerName)")
        module, export_path = base.split(".", 1)
        if module in fn.plugin_modules and not module_root:
            return Resolution(UNKNOWN)  # written into the package by a plugin
        folder = os.path.normpath(os.path.join(fn.code_root, module_root))
        if not observe.isdir(folder):
            return Resolution(UNKNOWN)  # `dist/index.handler` before the build that writes `dist/`
        if fn.build == "esbuild":
            source = self._built_source(fn, folder, module)
            if source is None:
                if not observe.isdir(fn.code_root):
                    return Resolution(UNKNOWN)
                return self._node_missing(fn, module, f"no source file `{posixpath.join(module_root, module)}"
                                                      ".{ts,js,…}` for the build to start from")
            return self._node_export(source, export_path)
        target = next((os.path.join(folder, module + ext) for ext in _NODE_EXTENSIONS
                       if observe.isfile(os.path.join(folder, module + ext))), None)
        if target is None:
            if not observe.isdir(fn.code_root):
                return Resolution(UNKNOWN)  # a build output folder not in the repository
            ts = next((os.path.join(folder, module + ext) for ext in (".ts", ".mts", ".cts", ".tsx")
                       if observe.isfile(os.path.join(folder, module + ext))), None)
            if ts is not None:
                # TypeScript compiled by a step the template does not show: the build keeps the source's
                # export names, so only a source that does not export the handler is known to fail.
                verdict = self._node_export(ts, export_path)
                return verdict if verdict.status == MISSING else Resolution(UNKNOWN)
            return self._node_missing(fn, module, f"there is no `{posixpath.join(module_root, module)}"
                                                  ".js|.mjs|.cjs` in the code folder (Runtime.ImportModuleError)")
        return self._node_export(target, export_path)

    def _node_missing(self, fn: IacFunction, module: str, reason: str) -> Resolution:
        if self._may_come_from_elsewhere(fn, module, python=False):
            return Resolution(UNKNOWN)
        return Resolution(MISSING, Language.JAVASCRIPT, reason=reason)

    def _built_source(self, fn: IacFunction, folder: str, module: str) -> Optional[str]:
        stem = os.path.join(folder, module)
        for candidate in [stem + ext for ext in _SOURCE_EXTENSIONS] + [
                os.path.join(stem, "index" + ext) for ext in _SOURCE_EXTENSIONS]:
            if observe.isfile(candidate):
                return candidate
        for entry in fn.entry_points:  # esbuild writes outputs relative to the entries' common folder
            name = os.path.splitext(os.path.basename(entry))[0]
            for candidate in [entry] + [entry + ext for ext in _SOURCE_EXTENSIONS]:
                if name == module and observe.isfile(candidate):
                    return candidate
        return None

    def _node_export(self, path: str, export_path: str, depth: int = 0) -> Resolution:
        model = self.model(path)
        if model is None:
            return Resolution(UNKNOWN)
        first = export_path.split(".", 1)[0]
        verdict = self._js_exports(model, first, depth)
        if verdict is None:
            return Resolution(UNKNOWN, Language.JAVASCRIPT, model.path, first)
        if verdict:
            return Resolution(FOUND if first == export_path else UNKNOWN, Language.JAVASCRIPT, model.path, first)
        default = self._js_exports(model, "default", depth)
        if default is None or default:
            return Resolution(UNKNOWN, Language.JAVASCRIPT, model.path, first)
        return Resolution(MISSING, Language.JAVASCRIPT, model.path, first,
                          reason=f"`{model_name(model)}` does not export `{first}` (Runtime.HandlerNotFound)")

    def _js_exports(self, model: FileModel, name: str, depth: int) -> Optional[bool]:
        """True / False whether `model` exports `name`; None when it cannot tell."""
        if depth > 8:
            return None
        if any(e.name == name for e in model.exports):
            return True
        if not model.is_esm and (not model.exports or _dynamic_commonjs(model.path)):
            return None  # CommonJS shapes the model does not record (`Object.defineProperty`, `module.exports = x`)
        folder = os.path.dirname(os.path.abspath(model.path))
        for ex in model.exports:
            if ex.name != "*":
                continue
            target = _js_file(folder, ex.source or "")
            inner = self.model(target) if target else None
            if inner is None:
                return None
            verdict = self._js_exports(inner, name, depth + 1)
            if verdict is not False:
                return verdict
        return False

    def _cdk_entry(self, fn: IacFunction, family: Optional[str]) -> Resolution:
        entry = fn.entry
        language = Language.PYTHON if family == "python" or entry.endswith(".py") else Language.JAVASCRIPT
        where = fn.entry_located.value if fn.entry_located else os.path.basename(entry)
        if not observe.isfile(entry):
            if not observe.isdir(os.path.dirname(entry)):
                return Resolution(UNKNOWN)
            return Resolution(MISSING, language, reason=f"the entry file `{where}` does not exist")
        model = self.model(entry)
        if model is None or not fn.export or "." in fn.export:
            return Resolution(UNKNOWN)
        if model.language is Language.PYTHON:
            verdict = _python_binds(model, fn.export)
        else:
            verdict = self._js_exports(model, fn.export, 0)
            if verdict is False and self._js_exports(model, "default", 0) is not False:
                verdict = None
        if verdict is None:
            return Resolution(UNKNOWN, model.language, model.path, fn.export)
        if not verdict:
            return Resolution(MISSING, model.language, model.path, fn.export,
                              reason=f"`{model_name(model)}` does not define `{fn.export}` (Runtime.HandlerNotFound)")
        return Resolution(FOUND, model.language, model.path, fn.export)

    # ---------------------------------------------------------- elsewhere
    def _may_come_from_elsewhere(self, fn: IacFunction, top: str, python: bool) -> bool:
        """A layer or an installed dependency could provide the module: not an error."""
        if fn.layers or fn.layers_unknown:
            return True
        root = fn.code_root or ""
        if python:
            for manifest in ("requirements.txt", "pyproject.toml", "setup.py", "Pipfile"):
                text = _read(os.path.join(root, manifest))
                if text and top.replace("_", "-").lower() in text.replace("_", "-").lower():
                    return True
            return False
        if observe.isdir(os.path.join(root, "node_modules", top)):
            return True
        text = _read(os.path.join(root, "package.json"))
        return bool(text and f'"{top}"' in text)


_DYNAMIC_CJS = re.compile(r"Object\.(?:assign|defineProperty|defineProperties)\(\s*(?:module\.)?exports\b"
                          r"|\.\.\.\s*require\(|__export\(|__reExport\(|__exportStar\(|\bexports\[")


def _dynamic_commonjs(path: str) -> bool:
    """CommonJS that builds its exports in ways the model does not list (`Object.assign(exports, …)`, spreads)."""
    text = _read(path)
    return text is None or bool(_DYNAMIC_CJS.search(text))


def _inline(fn: IacFunction, family: str) -> Resolution:
    """Inline code (`InlineCode`, `ZipFile`) is deployed as `index.py` / `index.js`: the Handler must be
    `index.<function>`, and the function must be defined in the inline text."""
    handler = fn.handler.value
    language = Language.PYTHON if family == "python" else Language.JAVASCRIPT
    if family == "python":
        module, _, name = handler.rpartition(".")
    else:
        module, _, name = handler.partition(".")
        name = name.split(".", 1)[0]
    file = "index.py" if family == "python" else "index.js"
    if not module or not name:
        return Resolution(UNKNOWN)
    code = fn.inline_code
    if code is not None and ("placeholder" in code.lower() or "." in module or "/" in module):
        return Resolution(UNKNOWN)  # a stand-in for a package deployed later (`update-function-code`)
    if module != "index":
        return Resolution(MISSING, language, reason=f"inline code is deployed as `{file}`, but the Handler names "
                                                    f"module `{module}` (Runtime.ImportModuleError)")
    if code is not None and not re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", code):
        return Resolution(MISSING, language, reason=f"the inline code defines no `{name}` (Runtime.HandlerNotFound)")
    return Resolution(UNKNOWN)


def _python_extension(base: str) -> bool:
    folder, name = os.path.split(base)
    try:
        return any(entry.startswith(name + ".") and entry.endswith((".so", ".pyd"))
                   for entry in observe.listdir(folder or "."))
    except OSError:
        return False


def _python_binds(model: FileModel, name: str) -> Optional[bool]:
    """Whether a Python module binds `name` at module level; None when it cannot tell (`import *`, `__getattr__`)."""
    for fn in model.functions:
        if fn.parent is None and fn.class_name is None and fn.name == name:
            return True
        if fn.parent is None and fn.class_name is None and fn.name == "__getattr__":
            return None
    for cls in model.classes:
        if cls.parent is None and cls.name == name:
            return True
    for binding in model.bindings:
        if binding.name == name and (binding.function is None or binding.kind == "global"):
            return True
    for imp in model.imports:
        if imp.function is not None:
            continue
        if imp.local == "*":
            return None
        if imp.local == name or imp.local.split(".", 1)[0] == name:
            return True
    for call in model.calls:
        if call.callee in ("globals", "setattr", "exec", "globals().update", "vars", "sys.modules"):
            return None
    return False


def _js_file(folder: str, specifier: str) -> Optional[str]:
    if not specifier.startswith("."):
        return None
    base = os.path.normpath(os.path.join(folder, specifier))
    stem, ext = os.path.splitext(base)
    candidates = [base] if ext else []
    if ext in (".js", ".mjs", ".cjs", ".jsx"):
        candidates += [stem + e for e in (".ts", ".tsx", ".mts", ".cts")]
    candidates += [base + e for e in _SOURCE_EXTENSIONS] + [os.path.join(base, "index" + e)
                                                             for e in _SOURCE_EXTENSIONS]
    return next((c for c in candidates if observe.isfile(c)), None)


def _read(path: str) -> Optional[str]:
    try:  # as text mode reads it: universal newlines
        text = observe.read_bytes(path).decode("utf-8", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")[:1_000_000]
    except OSError:
        return None


def model_name(model: FileModel) -> str:
    return posixpath.basename(model.path.replace(os.sep, "/"))
