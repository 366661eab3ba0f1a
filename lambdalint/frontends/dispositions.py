"""Shared disposition templates for the front ends' walks (records take `.copy()`s of them)."""
from lambdalint.model import Disposition, Use

OTHER = Disposition(Use.OTHER)
DISCARDED = Disposition(Use.DISCARDED)
CONDITION = Disposition(Use.CONDITION)
RETURNED = Disposition(Use.RETURNED)
AWAITED = Disposition(Use.AWAITED)
YIELDED = Disposition(Use.YIELDED)
VOIDED = Disposition(Use.VOIDED)
ITERATED = Disposition(Use.ITERATED)
ASYNC_ITERATED = Disposition(Use.ASYNC_ITERATED)
CONTEXT = Disposition(Use.CONTEXT)
