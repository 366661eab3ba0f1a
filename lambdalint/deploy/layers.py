"""Could one of a function's layers provide a module? Unknown unless every layer's content can be read."""
from __future__ import annotations

import os
from typing import Optional

from lambdalint.iac.records import IacFunction, IacProject
from lambdalint import observe


def layer_folders(iac: IacProject, fn: IacFunction) -> Optional[list[str]]:
    """The content folders of the function's layers; None when some layer cannot be seen into."""
    if fn.layers_unknown:
        return None
    folders = []
    for logical_id in fn.layers:
        layer = iac.layers.get((fn.path, logical_id)) if logical_id else None
        if layer is None or layer.content_dir is None or not observe.isdir(layer.content_dir):
            return None
        folders.append(layer.content_dir)
    return folders


def layer_provides(folders: list[str], module: str, python: bool) -> bool:
    """Whether a layer's content holds the module where the runtime looks (`/opt/python`, `/opt/nodejs/…`)."""
    for folder in folders:
        if python:
            bases = [os.path.join(folder, "python")] + observe.glob(os.path.join(folder, "python", "lib", "python3*",
                                                                                "site-packages"))
            if any(observe.exists(os.path.join(b, module)) or observe.exists(os.path.join(b, module + ".py"))
                   for b in bases):
                return True
        else:
            bases = [os.path.join(folder, "nodejs", "node_modules")] + observe.glob(
                os.path.join(folder, "nodejs", "node*", "node_modules"))
            if any(observe.exists(os.path.join(b, *module.split("/"))) for b in bases):
                return True
            if observe.isfile(os.path.join(folder, "nodejs", "package.json")):
                return True  # a layer that installs its own packages at build time: assume it may
    return False
