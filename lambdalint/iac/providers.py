"""Code that belongs to a Serverless Framework service for another cloud: no Lambda rule judges it.

A `serverless.yml` whose `provider.name` (or `provider: <name>`) is not `aws`
deploys Google Cloud Functions, Azure Functions, OpenWhisk actions, Twilio
functions…: its `handler` values follow that cloud's conventions (`handler:
http`), and the code in its folder runs under that cloud's runtime, which
neither freezes nor loads handlers the way Lambda does. The reader takes no
function from such a file, and the files below its folder are not Lambda code
— unless a nearer AWS template (a SAM or CloudFormation template, an AWS
`serverless.yml`) claims them, or a Lambda handler imports them
(`ProjectIndex.other_cloud`).
"""
from __future__ import annotations

import os
from typing import Optional

from lambdalint.iac.records import IacProject


def other_cloud(iac: Optional[IacProject], path: str) -> Optional[str]:
    """The provider (`google`, `azure`…) of the nearest service above `path` when that is a Serverless Framework
    service for another cloud; None when an AWS template is nearer (or in the same folder) or there is none."""
    if iac is None or not iac.other_clouds:
        return None
    return _of_folder(iac, os.path.dirname(os.path.abspath(path)))


def _of_folder(iac: IacProject, folder: str) -> Optional[str]:
    memo = iac.provider_memo
    walked = []
    found: Optional[str] = None
    while True:
        if folder in memo:
            found = memo[folder]
            break
        walked.append(folder)
        if folder in iac.aws_folders:
            break
        if folder in iac.other_clouds:
            found = iac.other_clouds[folder]
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for seen in walked:
        memo[seen] = found
    return found


def claim_lambda_code(iac: IacProject, functions) -> bool:
    """Mark the code folders of the Lambda functions read as AWS code (a SAM `CodeUri`, a CDK asset or entry
    inside another cloud's service folder is Lambda code all the same); True when that changed a file's cloud."""
    if not iac.other_clouds:
        return False
    changed = False
    for fn in functions:
        resolution = iac.resolution(fn)
        folders = [fn.code_root, os.path.dirname(fn.entry) if fn.entry else None,
                   os.path.dirname(os.path.abspath(resolution.file)) if resolution is not None and resolution.file
                   else None]
        for folder in folders:
            if folder and _of_folder(iac, os.path.abspath(folder)) is not None:
                iac.aws_folders.add(os.path.abspath(folder))
                iac.provider_memo.clear()
                changed = True
    return changed
