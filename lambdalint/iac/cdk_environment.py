"""Which environment variables a CDK Lambda construct surely sets — or None when that cannot be proved.

A CDK app builds its environments in code, and code can add to them after the
construct is made: `fn.addEnvironment(K, v)`, a helper that receives the
function, an aspect or property injector that visits every construct, a
spread of a shared object, an escape hatch on `fn.node.defaultChild`. A rule
that reports a variable as *not* set must be sure of the whole set, so this
answers only for what it can see entirely:

* the props are an object literal (JS) or plain keyword arguments (Python),
  with no spread, no computed key and no prop that adds variables of its own
  or replaces their reads at build time (`bundling.define`: esbuild writes
  the value into the bundle; `bundling.banner` / `inject`: code that runs
  first; category `cdk_environment_prop`);
* `environment` is absent (no variables), or an object literal / dict display
  whose keys are all written out (no spread, no computed key) — inline or in
  a local constant bound once, read only there and never changed. Values need
  not be known: a key that is present is set;
* the construct instance is discarded, passed straight to an AWS CDK API, or
  held in a local variable bound once whose every use is a property read or
  an AWS CDK call that cannot change an environment (category
  `cdk_function_consumer`), never a method that changes one (category
  `cdk_environment_change`) and never `fn.node` (the construct tree, where the
  escape hatches are);
* the construct lies in a CDK app (a folder with `cdk.json`), and no file of
  the app (under that folder, or imported from there) applies an aspect, a
  property injector or tags, or makes a custom resource or trigger (which may
  update a function once deployed; category `cdk_tree_change`), and none calls an
  environment-changing method on anything but a variable that holds a
  construct read here (such a call makes that construct unknown through its
  own uses).

Everything else is unknown.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Optional

from lambdalint.deploy.init_modules import project_target
from lambdalint.model import Call, FileModel, Use, Value, ValueKind

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex

_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_TREE = "node"  # `fn.node`: the construct tree (`defaultChild`, `findChild`…), where escape hatches start


class AppChanges:
    """Per CDK app: whether code the app runs may change environments where a construct's own uses cannot show
    it. The app's code is every project file under its `cdk.json` folder (where `cdk synth` runs its entry)
    and every project module those import. A construct under no `cdk.json` folder has no app to read: its
    environment is unknown."""

    def __init__(self, index: "ProjectIndex"):
        self.index = index
        self._apps: dict[str, bool] = {}
        self._files: dict[str, bool] = {}
        self._absolute = [(os.path.abspath(path), path) for path, model in index.files.items() if not model.is_test]

    def unknown(self, app_dir: Optional[str]) -> bool:
        """Whether the app in `app_dir` (None: not inside a `cdk.json` folder) may change any environment."""
        if app_dir is None:
            return True
        found = self._apps.get(app_dir)
        if found is None:
            folder = os.path.abspath(app_dir).rstrip(os.sep) + os.sep
            roots = [path for absolute, path in self._absolute if absolute.startswith(folder)]
            found = self._apps[app_dir] = any(self._changes_unseen(path) for path in self._closure(roots))
        return found

    def _closure(self, roots: list[str]) -> list[str]:
        """The roots and every project module they import (at module level or inside functions)."""
        index = self.index
        seen, queue = set(roots), list(roots)
        while queue:
            model = index.files[queue.pop()]
            for imp in model.imports:
                target = project_target(index, model, imp)
                if target is not None and target not in seen and target in index.files:
                    seen.add(target)
                    queue.append(target)
        return sorted(seen)

    def _changes_unseen(self, path: str) -> bool:
        found = self._files.get(path)
        if found is None:
            index, model = self.index, self.index.files[path]
            found = self._files[path] = any(
                index.api(model, call, "cdk_tree_change") is not None
                or (_changes_environment(index, model, call) and not _receiver_holds_construct(index, model, call))
                for call in model.calls)
        return found


def environment_keys(index: "ProjectIndex", model: FileModel, call: Call, python: bool) -> Optional[frozenset]:
    """The variables the construct made by `call` surely sets, or None when they cannot be known."""
    js = not python
    found = _props_entries(index, model, call, python)
    if found is None:
        return None
    props, scope = found
    categories = index.catalog.categories
    for key, value in props.items():
        for entry in categories.match("cdk_environment_prop", js, key):
            if entry.get("key") is None or _may_have(index, model, scope, value, entry.get("key")):
                return None
    if not _instance_contained(index, model, call):
        return None
    env = props.get("environment")
    if env is None:
        return frozenset()
    entries = _object_entries(index, model, scope, env)
    return frozenset(entries[0]) if entries is not None else None


# ------------------------------------------------------------------ props and the environment literal

def _props_entries(index, model: FileModel, call: Call, python: bool):
    """(prop name -> its Value, the scope they are written in), when every prop is written out (JS: the third
    argument; Python: keyword arguments); None otherwise."""
    if any(a.spread for a in call.args):
        return None
    if python:
        return {a.keyword: a.expr for a in call.args if a.keyword is not None}, call.function
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) < 3:
        return {}, call.function  # no props at all
    return _object_entries(index, model, call.function, positional[2].expr)


def _object_entries(index, model: FileModel, scope: Optional[int], value: Value):
    """(key -> value, the scope it is written in) of an object literal whose keys are all written out: inline,
    or in a local constant bound once, never changed and only handed whole to Lambda constructs; None
    otherwise."""
    if value.kind is ValueKind.NAME and isinstance(value.literal, str) and _IDENTIFIER.match(value.literal):
        binding = _only_binding(model, scope, value.literal)
        if binding is None or binding.value_expr is None or not _read_by_constructs_only(index, model, binding):
            return None
        value, scope = binding.value_expr, binding.function
    if value.kind is not ValueKind.OBJECT:
        return None
    entries = value.entries or []
    if any(key is None for key, _ in entries):
        return None  # a spread, a computed key, or the cap
    return {str(key): item for key, item in entries}, scope


def _may_have(index, model: FileModel, scope: Optional[int], value: Value, key: str) -> bool:
    """Whether a nested prop (`bundling`) may hold `key` (`define`): an object literal or an options call
    (`BundlingOptions(define=…)`) that surely lacks it does not."""
    if value.kind is ValueKind.CALL and value.ref is not None and value.ref < len(model.calls):
        args = model.calls[value.ref].args
        return any(a.spread or a.keyword == key for a in args) or any(a.keyword is None for a in args)
    entries = _object_entries(index, model, scope, value)
    return entries is None or key in entries[0]


def _only_binding(model: FileModel, scope: Optional[int], name: str):
    """The one assignment or declaration of `name` in the nearest scope that binds it, when nothing that can
    see it binds or changes it again (no second binding, no `name.k = v`, no `name[k] = v`, no `delete`)."""
    scopes = [f.id for f in model.enclosing_functions(scope)] + [None]
    for where in scopes:
        here = [b for b in model.bindings if b.function == where and b.name == name]
        if not here:
            continue
        if len(here) != 1 or here[0].kind not in ("assign", "declare"):
            return None
        if any(b is not here[0] and _names(b.name, name) and _sees(model, b.function, here[0])
               for b in model.bindings):
            return None
        return here[0]
    return None


def _read_by_constructs_only(index, model: FileModel, binding) -> bool:
    """Whether every read of the constant hands it whole to a Lambda construct (which copies it): a constant
    shared by several functions is still known, one passed anywhere else or reached into is not."""
    for ref in model.names:
        if not _names(ref.name, binding.name) or not _sees(model, ref.function, binding):
            continue
        d = ref.disposition
        if (ref.name != binding.name or d.use is not Use.ARGUMENT or d.consumer is None or d.spread
                or index.api(model, model.calls[d.consumer], "cdk_lambda_function") is None):
            return False
    return True


def _names(path: str, name: str) -> bool:
    """Whether a dotted path is `name` or reaches into it (`name.k`, `name[]`)."""
    return path == name or (path.startswith(name) and path[len(name)] in ".[")


def _sees(model: FileModel, scope: Optional[int], binding) -> bool:
    """Whether code in `scope` is inside the scope the binding lives in (a nested function sees it too)."""
    if binding.function is None:
        return True
    return any(f.id == binding.function for f in model.enclosing_functions(scope))


# ------------------------------------------------------------------ where the construct instance goes

def _instance_contained(index, model: FileModel, call: Call) -> bool:
    """Whether every use of the construct instance is seen and none can change its environment."""
    d = call.disposition
    if d.use is Use.DISCARDED:
        return True
    if d.use is Use.ARGUMENT:
        return d.consumer is not None and _consumer(index, model, d.consumer)
    if d.use is not Use.ASSIGNED or not d.target or not _IDENTIFIER.match(d.target) or d.container is not None:
        return False  # stored in a property, returned, put in a list…: anything may reach it
    binding = _only_binding(model, call.function, d.target)
    if binding is None or binding.value_call != call.id:
        return False
    return all(_harmless_use(index, model, ref) for ref in model.names
               if _names(ref.name, binding.name) and _sees(model, ref.function, binding))


def _harmless_use(index, model: FileModel, ref) -> bool:
    parts = ref.name.split(".")
    if len(parts) > 1:  # `fn.functionArn`, `fn.role`: another value; not `fn.node`, not `fn.addEnvironment`
        changing = index.catalog.categories.first("cdk_environment_change_method", model.language.is_js, parts[1])
        return parts[1] != _TREE and changing is None and "[" not in parts[0]
    if "[" in ref.name:
        return False
    d = ref.disposition
    if d.consumer is None:
        return False
    if d.use is Use.RECEIVER:
        call = model.calls[d.consumer]
        return not _changes_environment(index, model, call)
    if d.use is Use.ARGUMENT:
        return _consumer(index, model, d.consumer)
    return False


def _consumer(index, model: FileModel, call_id: int) -> bool:
    """Whether the call the instance is passed to is an AWS CDK API that cannot change its environment."""
    call = model.calls[call_id]
    return (index.api(model, call, "cdk_function_consumer") is not None
            and not _changes_environment(index, model, call))


def _changes_environment(index, model: FileModel, call: Call) -> bool:
    """`x.addEnvironment(…)`, an override on a Lambda resource: by what the call resolves to, or by the
    method's name when the receiver is not known (`cfn.addPropertyOverride(…)` on `fn.node.defaultChild`)."""
    if index.qualified(index.resolve_callee(model, call)) is not None:
        return index.api(model, call, "cdk_environment_change") is not None
    js = model.language.is_js
    return index.catalog.categories.first("cdk_environment_change_method", js, call.method) is not None


def _receiver_holds_construct(index, model: FileModel, call: Call) -> bool:
    """Whether the receiver of an environment-changing call is a variable bound only to Lambda constructs this
    reader sees (their own uses then make them unknown)."""
    receiver = call.receiver
    if not receiver or "(" in receiver or "[" in receiver:
        return False
    if _IDENTIFIER.match(receiver):  # the variable this code sees, not another of the same name
        found = _only_binding(model, call.function, receiver)
        bindings = [found] if found is not None else []
    else:  # `this.fn`, `self.fn`: every assignment of the property in the file
        bindings = [b for b in model.bindings if b.name == receiver]
    return bool(bindings) and all(
        b.value_call is not None and index.api(model, model.calls[b.value_call], "cdk_lambda_function") is not None
        for b in bindings)
