"""Building the control-structure records, shared by both front ends.

A front end calls these while it walks its tree once: it opens a construct
when it meets a control statement, opens one region per body or arm, and
records each exit. What needs the chain of open regions (the target of a
`break`, the handler a `raise` re-raises from) is resolved here, at the
moment it is recorded, by walking `Region.parent` — so no second pass is
needed and the front ends stay free of this bookkeeping.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import (
    Condition,
    Construct,
    ConstructKind,
    Exit,
    ExitKind,
    FileModel,
    Handler,
    Region,
    RegionKind,
    Span,
)

__all__ = ["StructureBuilder"]


class StructureBuilder:
    __slots__ = ("constructs", "regions", "exits", "switch_breaks")

    def __init__(self, model: FileModel, switch_breaks: bool):
        self.constructs = model.constructs
        self.regions = model.regions
        self.exits = model.exits
        self.switch_breaks = switch_breaks      # JS: an unlabelled `break` leaves a switch too

    def construct(self, kind: ConstructKind, span: Span, function: Optional[int], region: Optional[int],
                  **fields) -> Construct:
        construct = Construct(len(self.constructs), kind, span, function, region, **fields)
        self.constructs.append(construct)
        return construct

    def region(self, construct: Construct, kind: RegionKind, span: Span, parent: Optional[int],
               condition: Optional[Condition] = None, handler: Optional[Handler] = None) -> int:
        rid = len(self.regions)
        self.regions.append(Region(rid, kind, span, construct.id, construct.function, parent, condition, handler))
        construct.regions.append(rid)
        return rid

    def exit(self, kind: ExitKind, span: Span, function: Optional[int], region: Optional[int],
             has_value: bool = False, value: Optional[str] = None, label: Optional[str] = None) -> Exit:
        record = Exit(kind, span, function, region, has_value, value, label=label)
        if kind is ExitKind.BREAK or kind is ExitKind.CONTINUE:
            record.target = self.target(region, kind is ExitKind.BREAK, label)
        elif kind is ExitKind.RAISE:
            self.raised(region, value if has_value else None, not has_value)
        self.exits.append(record)
        return record

    def target(self, region: Optional[int], is_break: bool, label: Optional[str]) -> Optional[int]:
        regions, constructs = self.regions, self.constructs
        while region is not None:
            r = regions[region]
            construct = constructs[r.construct]
            if label is not None:
                if construct.label == label:
                    return construct.id
            elif construct.kind is ConstructKind.LOOP or (
                    is_break and self.switch_breaks and construct.kind is ConstructKind.SWITCH):
                return construct.id
            region = r.parent
        return None

    def raised(self, region: Optional[int], value: Optional[str], bare: bool) -> None:
        """Every handler the raise sits in raises; the one whose exception it is re-raises."""
        regions = self.regions
        claimed = False
        while region is not None:
            r = regions[region]
            handler = r.handler
            if handler is not None:
                handler.raises = True
                if not claimed and (bare or (value is not None and value == handler.name)):
                    handler.reraises = True
                    claimed = True
            region = r.parent
