"""What the Lambda runtime itself brings: standard library, the AWS SDK it ships, reserved variables."""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from importlib import resources
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@lru_cache(maxsize=1)
def _data() -> dict:
    with resources.files("lambdalint.catalog").joinpath("deploy.toml").open("rb") as handle:
        return tomllib.load(handle)


def reserved_variables() -> frozenset[str]:
    return frozenset(_data()["environment"]["reserved"])


def wrapper_variables() -> frozenset[str]:
    """Variables naming a wrapper script the runtime runs before the handler (it may export more variables)."""
    return frozenset(_data()["environment"].get("wrappers", ()))


def preloads_code(environment: dict) -> bool:
    """Whether the function's `NODE_OPTIONS` (None: not a literal) may load code or a `.env` file first."""
    data = _data()["environment"]
    name = data.get("node_options")
    if name not in environment:
        return False
    located = environment[name]
    if located is None:
        return True
    flags = data.get("node_preload_flags", ())
    return any(word.split("=", 1)[0] in flags for word in located.value.split())


def node_major(runtime: Optional[str]) -> Optional[int]:
    """`nodejs20.x` -> 20; None when the runtime is unknown or not Node.js."""
    match = re.match(r"nodejs(\d+)", runtime or "")
    return int(match[1]) if match else None


def python_provided(module: str) -> bool:
    """The standard library (of the Python that runs lambdalint, 3.10+) and what the runtime adds (boto3…)."""
    top = module.split(".", 1)[0]
    return top in sys.stdlib_module_names or top in _data()["python"]["provided"]


def python_distributions(top: str) -> list[str]:
    """Distribution names that provide import name `top` (itself, and the known exceptions)."""
    from lambdalint.deploy.manifests import normalise

    return [normalise(top)] + [normalise(d) for d in _data()["python"]["distributions"].get(top, ())]


def node_package(specifier: str) -> Optional[str]:
    """`@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`; None for a relative or absolute path, and for
    `#internal/x`, which the nearest package.json's `imports` field maps into the package itself."""
    if specifier.startswith((".", "/", "#")) or not specifier:
        return None
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def node_provided(package: str, runtime: Optional[str]) -> Optional[bool]:
    """True: the runtime has it; False: it does not; None: it depends on a runtime we do not know."""
    node = _data()["node"]
    if package.startswith("node:") or package in node["builtins"] or package in node["bundled"]:
        return True
    major = node_major(runtime)
    if any(package.startswith(prefix) for prefix in node["sdk_v3_prefixes"]):
        return None if major is None else major >= node["sdk_v3_since"]
    if package == node["sdk_v2"]:
        return None if major is None else major <= node["sdk_v2_until"]
    return False


def python_parents(top: str) -> list[str]:
    """Distributions known to install import name `top` as their own dependency (`urllib3` by `requests`)."""
    from lambdalint.deploy.manifests import normalise

    return [normalise(parent) for parent, children in _data()["python"]["installed_by"].items() if top in children]
