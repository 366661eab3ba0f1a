"""Facts about files a deployed function carries: is a wrapper script executable once deployed?

The executable bit is read from git's index when the file is tracked (the mode
a checkout on any machine, and a zip built from it, will give), else from the
file system. Git is only asked, never changed.
"""
from __future__ import annotations

import os
import stat
import subprocess
from typing import Optional


def is_executable(path: str) -> Optional[bool]:
    """True / False, or None when it cannot be told."""
    mode = _git_mode(path)
    if mode is not None:
        return mode in ("100755", "120000")
    try:
        return bool(os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))
    except OSError:
        return None


def _git_mode(path: str) -> Optional[str]:
    folder = os.path.dirname(path) or "."
    try:
        done = subprocess.run(["git", "ls-files", "-s", "--", os.path.basename(path)], cwd=folder,
                              capture_output=True, text=True, timeout=10,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return done.stdout.split(None, 1)[0]
