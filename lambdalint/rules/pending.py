"""Where the lifecycle rules look, shared by FF004 and FF006–FF009.

Work left running is lost when the code that started it runs inside an
invocation (a function a handler or a framework entry point reaches). Under a
Node callback-style handler the runtime waits for the event loop to drain, so
JS work there is only lost when the handler turns that wait off: that case
belongs to FF008, and the other rules leave it alone.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.served_code import runs_in_invocation, serving_handler
from lambdalint.index import Handler
from lambdalint.rules.base import Context
from lambdalint.rules.describe import message


def waiting_handler(ctx: Context, fid: Optional[int]) -> Optional[Handler]:
    """The callback-style handler reaching `fid`, whose runtime waits for pending work; None otherwise."""
    if not ctx.file.language.is_js:
        return None
    handler = ctx.index.handler_for(ctx.file.path, fid)
    return handler if handler is not None and handler.waits_for_event_loop else None


def lost_at_return(ctx: Context, fid: Optional[int]) -> bool:
    """Whether work started in `fid` and left running is lost to the freeze (see the module docstring)."""
    if fid is None:
        return False
    if not ctx.file.is_test and not runs_in_invocation(ctx.index, ctx.file.path, fid):
        return False  # test code gets the ordinary rules when `check-tests` is on (SPEC §1)
    return waiting_handler(ctx, fid) is None


def compose(head: str, note: str, fix: str) -> str:
    """`head`, the handler note, and the fix, within the message limit (`describe.message`)."""
    return message(head, note, fix)


def handler_note(ctx: Context, fid: Optional[int]) -> str:
    """`Context.handler_note`, also for code a handler reaches through a framework app (NestJS controllers)."""
    handler = serving_handler(ctx.index, ctx.file.path, fid)
    return f"; handler {handler.display} returns without waiting for it" if handler is not None else ""


def handler_name(ctx: Context, fid: Optional[int]) -> Optional[str]:
    handler = serving_handler(ctx.index, ctx.file.path, fid)
    return handler.name if handler is not None else None


def returner(ctx: Context) -> str:
    """"the handler" in a project with handlers; "the function" in a library (SPEC §3)."""
    return "the handler" if ctx.index.handlers and not ctx.file.is_test else "the function"
