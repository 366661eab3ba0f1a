"""Which files are CDK app code: the CDK reader reads their text as well as their model."""
from __future__ import annotations

import re

from lambdalint.model import FileModel

_CDK_IMPORT = re.compile(r"^(aws-cdk-lib|@aws-cdk/|aws_cdk)")


def reads_source_text(model: FileModel) -> bool:
    """Whether the CDK reader reads the file's text (to locate the props of its constructs)."""
    return any(_CDK_IMPORT.match(i.module) for i in model.imports)
