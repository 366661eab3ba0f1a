"""The functions a project deploys whose handler code lambdalint has: what the template-plus-code rules judge."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from lambdalint.iac.records import IacFunction, IacProject
from lambdalint.iac.resolve import FOUND, Resolution

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex


@dataclass(frozen=True)
class Deployed:
    function: IacFunction
    resolution: Resolution             # FOUND: `file` and `export` name the handler in the project
    iac: IacProject

    @property
    def handler_name(self) -> str:
        """`report.handler`: the module and the function the runtime loads."""
        return f"{os.path.splitext(os.path.basename(self.resolution.file))[0]}.{self.resolution.export}"


def deployed_functions(index: "ProjectIndex") -> Iterator[Deployed]:
    """Each IaC function whose handler resolves to a function in the project's code."""
    iac = getattr(index, "iac", None)
    if iac is None:
        return
    for fn in iac.functions:
        resolution = iac.resolution(fn)
        if resolution is not None and resolution.status == FOUND and resolution.file and resolution.export:
            yield Deployed(fn, resolution, iac)
