"""How long a finding's message may be (SPEC: 240 characters in all at the most), and the last resort that
keeps it so."""
from __future__ import annotations

import re

MAX_MESSAGE = 240
_NAME = re.compile(r"`([^`]{25,})`")


def fit_message(text: str) -> str:
    """`text` within MAX_MESSAGE characters, for messages that quote names of any length (a resource, a
    module, a callee chain): the longest quoted names are cut in their middle
    (`SavePayload…MachineFunction`) until it fits."""
    while len(text) > MAX_MESSAGE:
        names = sorted(_NAME.finditer(text), key=lambda m: -len(m[1]))
        if not names:
            break
        name = names[0][1]
        keep = max(10, (len(name) - (len(text) - MAX_MESSAGE) - 1) // 2)
        if 2 * keep + 1 >= len(name):
            break
        text = text[:names[0].start(1)] + name[:keep] + "…" + name[-keep:] + text[names[0].end(1):]
    return text
