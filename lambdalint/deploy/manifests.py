"""Dependency manifests next to a function's code: what its build installs.

Python: `requirements.txt` (with `-r` includes), `pyproject.toml` (`[project]
dependencies`, Poetry's table) and `Pipfile`. Node.js: `package.json`
(`dependencies`, `optionalDependencies`, `peerDependencies`, and apart
`devDependencies`). The nearest folder from the code root up to the project
root that has one wins, as the build tools look. A line we cannot read (a URL
without `#egg=`, an option we do not know) makes the manifest *opaque*: a
module missing from it is then unknown, never reported.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Optional

from lambdalint import observe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_MAX_BYTES = 1024 * 1024
_PY_FILES = ("requirements.txt", "pyproject.toml", "Pipfile")


@dataclass
class Manifest:
    path: str                                  # the file that was read (absolute)
    dependencies: set[str] = field(default_factory=set)   # normalised names
    dev: set[str] = field(default_factory=set)
    opaque: bool = False

    installed: Optional[dict[str, bool]] = None   # Node.js lock file: package -> dev only

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def installs(self, package: str) -> bool:
        """A lock file beside the manifest installs `package` for production (a dependency's dependency)."""
        return self.installed is not None and self.installed.get(package) is False


def normalise(name: str) -> str:
    """PEP 503: `Foo_Bar.baz` and `foo-bar-baz` are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(path: str) -> Optional[str]:
    try:
        if observe.getsize(path) > _MAX_BYTES:
            return None
        return observe.read_bytes(path).decode("utf-8-sig", "replace")
    except OSError:
        return None


def _folders(code_root: str, stop_at: str):
    """The code folder, then its parents up to `stop_at` (only when the code folder is inside it)."""
    folder, stop = os.path.abspath(code_root), os.path.abspath(stop_at)
    inside = folder == stop or folder.startswith(stop.rstrip(os.sep) + os.sep)
    while True:
        yield folder
        if not inside or folder == stop or os.path.dirname(folder) == folder:
            return
        folder = os.path.dirname(folder)


def python_manifest(code_root: str, stop_at: str) -> Optional[Manifest]:
    for folder in _folders(code_root, stop_at):
        for name in _PY_FILES:
            path = os.path.join(folder, name)
            if observe.isfile(path):
                return _python(path)
    return None


def _python(path: str) -> Manifest:
    manifest = Manifest(path)
    text = _read(path)
    if text is None:
        manifest.opaque = True
        return manifest
    name = os.path.basename(path)
    if name == "requirements.txt":
        _requirements(path, text, manifest, depth=0)
        return manifest
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        manifest.opaque = True
        return manifest
    if name == "Pipfile":
        manifest.dependencies |= {normalise(k) for k in data.get("packages", {})}
        manifest.dev |= {normalise(k) for k in data.get("dev-packages", {})}
        return manifest
    for requirement in data.get("project", {}).get("dependencies", []) or []:
        _requirement_line(str(requirement), manifest)
    poetry = data.get("tool", {}).get("poetry", {})
    manifest.dependencies |= {normalise(k) for k in poetry.get("dependencies", {}) if k != "python"}
    if not data.get("project", {}).get("dependencies") and not poetry.get("dependencies"):
        manifest.opaque = True  # a pyproject that does not list dependencies here (another tool, dynamic)
    return manifest


def _requirements(path: str, text: str, manifest: Manifest, depth: int) -> None:
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement")) and depth < 5:
            included = os.path.join(os.path.dirname(path), line.split(None, 1)[-1].split("=", 1)[-1].strip())
            inner = _read(included)
            if inner is None:
                manifest.opaque = True
            else:
                _requirements(included, inner, manifest, depth + 1)
            continue
        if line.startswith("-"):
            if line.startswith(("-e", "--editable")) or not line.startswith(("-i", "--index", "--extra-index",
                                                                               "--trusted-host", "-c", "--constraint",
                                                                               "--find-links", "-f", "--no-binary",
                                                                               "--only-binary", "--pre", "--prefer")):
                egg = _EGG.search(line)
                if egg:
                    manifest.dependencies.add(normalise(egg[1]))
                else:
                    manifest.opaque = True
            continue
        _requirement_line(line, manifest)


def _requirement_line(line: str, manifest: Manifest) -> None:
    egg = _EGG.search(line)
    if egg:
        manifest.dependencies.add(normalise(egg[1]))
        return
    if "://" in line or line.startswith((".", "/")):
        manifest.opaque = True
        return
    match = _NAME.match(line)
    if match:
        manifest.dependencies.add(normalise(match[1]))
    else:
        manifest.opaque = True


def node_manifest(code_root: str, stop_at: str) -> Optional[Manifest]:
    for folder in _folders(code_root, stop_at):
        path = os.path.join(folder, "package.json")
        if observe.isfile(path):
            return _package_json(path)
    return None


def _package_json(path: str) -> Manifest:
    manifest = Manifest(path)
    text = _read(path)
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        manifest.opaque = True
        return manifest
    for key in ("dependencies", "optionalDependencies", "peerDependencies"):
        table = data.get(key)
        if isinstance(table, dict):
            manifest.dependencies |= set(table)
    for key in ("bundledDependencies", "bundleDependencies"):
        listed = data.get(key)
        if isinstance(listed, list):
            manifest.dependencies |= {str(x) for x in listed}
    dev = data.get("devDependencies")
    if isinstance(dev, dict):
        manifest.dev |= set(dev)
    if data.get("workspaces"):
        manifest.opaque = True  # hoisted workspace dependencies: the package that lists them is elsewhere
    manifest.installed = _package_lock(os.path.join(os.path.dirname(path), "package-lock.json"))
    if manifest.installed is None and any(observe.isfile(os.path.join(os.path.dirname(path), lock))
                                          for lock in ("yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock")):
        manifest.opaque = True  # a lock file we do not read may install it through another package
    return manifest


def _package_lock(path: str) -> Optional[dict[str, bool]]:
    """`package-lock.json` (v1, v2 or v3) -> package name -> installed only as a dev dependency."""
    text = _read(path) if observe.isfile(path) else None
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    found: dict[str, bool] = {}
    packages = data.get("packages") if isinstance(data, dict) else None
    if isinstance(packages, dict):
        for key, info in packages.items():
            if key.startswith("node_modules/") and isinstance(info, dict):
                name = key.rsplit("node_modules/", 1)[-1]
                found[name] = found.get(name, True) and bool(info.get("dev"))
        return found
    dependencies = data.get("dependencies") if isinstance(data, dict) else None
    if isinstance(dependencies, dict):
        for name, info in dependencies.items():
            if isinstance(info, dict):
                found[name] = bool(info.get("dev"))
    return found
