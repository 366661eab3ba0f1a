"""Serverless Framework `serverless.yml` -> function records.

`${self:…}` references are resolved inside the same file; every other
variable (`${opt:…}`, `${env:…}`, `${file(…)}`, `${ssm:…}`) is unknown and the
value that holds it is treated as not literal — never guessed. A service for
another cloud (`provider.name: google`) deploys no Lambda function
(`providers`); plugins that change the package are catalogue data
(`catalog/serverless.toml`).
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from importlib import resources
from typing import Optional

from lambdalint.iac.cloudformation import span_of
from lambdalint.iac.records import Event, IacFunction, Located
from lambdalint.iac.yaml_reader import YNode

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
AWS = "aws"


@lru_cache(maxsize=1)
def _plugins() -> dict:
    with resources.files("lambdalint.catalog").joinpath("serverless.toml").open("rb") as handle:
        return tomllib.load(handle)["plugins"]


def is_serverless(root: Optional[YNode]) -> bool:
    return root is not None and root.is_map and (root.get("service") is not None or root.get("functions") is not None)


def service_provider(root: YNode) -> str:
    """The cloud the service deploys to: `provider.name` (or `provider: google`), lower case.

    AWS when it is not written literally: the framework's default provider, and
    what a `${…}` we cannot resolve most likely stands for — the service's
    functions are then read, as they always were.
    """
    provider = root.get("provider")
    node = provider.get("name") if provider is not None and provider.is_map else provider
    name = _Resolver(root).text(node)
    return name.strip().lower() if name and name.strip() else AWS


class _Resolver:
    def __init__(self, root: YNode):
        self.root = root

    def text(self, node: Optional[YNode], depth: int = 0) -> Optional[str]:
        """The node's string with `${self:…}` resolved; None when anything in it is unknown."""
        if node is None or depth > 10:
            return None
        value = node.text
        if value is None:
            return None
        unknown = False

        def replace(match: re.Match) -> str:
            nonlocal unknown
            expr = match[1].strip()
            if not expr.startswith("self:") or "," in expr:
                unknown = True
                return ""
            target = self.root.path(*[p for p in expr[len("self:"):].split(".") if p])
            resolved = self.text(target, depth + 1)
            if resolved is None:
                unknown = True
                return ""
            return resolved

        for _ in range(5):
            if "${" not in value:
                break
            value = _VARIABLE.sub(replace, value)
            if unknown:
                return None
        return None if unknown or "${" in value else value


def read_serverless(root: YNode, path: str, folder: str) -> list[IacFunction]:
    if service_provider(root) != AWS:
        return []  # Google Cloud Functions, Azure Functions, OpenWhisk…: no Lambda function
    resolver = _Resolver(root)
    provider = root.get("provider")
    provider = provider if provider is not None and provider.is_map else None
    functions = root.get("functions")
    if functions is None or not functions.is_map:
        return []
    plugins = root.get("plugins")
    plugin_names = set()
    if plugins is not None:
        items = plugins.value if plugins.is_seq else (plugins.get("modules").value if plugins.get("modules")
                                                      is not None and plugins.get("modules").is_seq else [])
        # A fork published under a scope (`@team/serverless-plugin-typescript`) does what its original does.
        plugin_names = {item.text.rsplit("/", 1)[-1] if item.text.startswith("@") else item.text
                        for item in items if item.text}
    build = root.get("build")
    builds = bool(plugin_names & set(_plugins()["build"])) or build is not None
    plugin_modules = sorted({m for plugin in plugin_names for m in _plugins()["modules"].get(plugin, ())})
    package = root.get("package")
    service_artifact = package is not None and package.get("artifact") is not None
    service_patterns = _patterns(resolver, package)
    individually = package is not None and package.is_map and package.get("individually") is not None and (
        (package.get("individually").text or "").strip().lower() == "true")
    provider_env = provider.get("environment") if provider is not None else None
    provider_runtime = provider.get("runtime") if provider is not None else None
    provider_layers = provider.get("layers") if provider is not None else None
    out = []
    for name, spec in functions.items():
        if not spec.is_map:
            continue
        fn = IacFunction("serverless", path, name, span_of(spec))
        handler = spec.get("handler")
        fn.handler = _located(resolver, handler, path)
        fn.handler_unknown = handler is not None and fn.handler is None
        runtime = spec.get("runtime") or provider_runtime
        fn.runtime = _located(resolver, runtime, path)
        fn.runtime_unknown = runtime is not None and fn.runtime is None
        fn.image = spec.get("image") is not None
        fn_package = spec.get("package")
        if service_artifact or (fn_package is not None and fn_package.get("artifact") is not None):
            fn.code_root = None
        else:
            fn.code_root = folder
        fn.build = "esbuild" if builds else None
        if not builds:
            fn.package_patterns = _function_patterns(resolver, service_patterns, fn_package, individually)
        fn.plugin_modules = plugin_modules
        for env in (provider_env, spec.get("environment")):
            if env is None:
                continue
            if not env.is_map:
                fn.environment_unknown = True
                continue
            for key, value in env.items():
                fn.environment[key] = _located(resolver, value, path)
        layers = spec.get("layers") or provider_layers
        if layers is not None:
            if layers.is_seq:
                fn.layers = [None for _ in layers.value]
            else:
                fn.layers_unknown = True
        events = spec.get("events")
        for event in (events.value if events is not None and events.is_seq else ()):
            for etype, _body in event.items():
                fn.events.append(Event(etype, name, span_of(event), path))
        out.append(fn)
    return out


def _patterns(resolver: _Resolver, package: Optional[YNode]) -> Optional[list[str]]:
    """A `package` block's `patterns`, in order ([] for none); None when they cannot be judged (the older
    `include` / `exclude` lists, a pattern that is not literal)."""
    if package is None or not package.is_map:
        return []
    if package.get("include") is not None or package.get("exclude") is not None:
        return None
    node = package.get("patterns")
    if node is None:
        return []
    if not node.is_seq:
        return None
    out = []
    for item in node.value:
        text = resolver.text(item)
        if text is None:
            return None
        out.append(text.strip())
    return out


def _function_patterns(resolver: _Resolver, service: Optional[list[str]], fn_package: Optional[YNode],
                       individually: bool) -> Optional[list[str]]:
    """The patterns that decide a function's package: the service's, then (packaged individually) its own."""
    own = _patterns(resolver, fn_package)
    if service is None or own is None or (own and not individually):
        return None
    return (service + own) or None


def _located(resolver: _Resolver, node: Optional[YNode], path: str) -> Optional[Located]:
    text = resolver.text(node)
    if text is None:
        return None
    return Located(text.strip(), path, span_of(node))
