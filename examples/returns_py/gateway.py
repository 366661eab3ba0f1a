"""Outer handlers that run the returns workflow in the same function, around some bookkeeping."""
import logging

from returns import handler as returns_workflow

log = logging.getLogger()


def handler(event, context):
    try:
        return returns_workflow(event, context)
    except Exception:  # BUG DF021: the service never sees the SDK's failure, so it never retries.
        log.exception("returns workflow failed")
        return {"ok": False}


def strict_handler(event, context):
    try:
        return returns_workflow(event, context)
    except Exception:  # correct: re-raised after logging, so the service retries the invocation.
        log.exception("returns workflow failed")
        raise
