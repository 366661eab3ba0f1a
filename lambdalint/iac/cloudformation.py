"""AWS SAM and CloudFormation templates -> function records.

SAM's `Globals.Function` is merged as the SAM translator does: a scalar set on
the resource wins, mappings (`Environment.Variables`) are merged, lists
(`Layers`) are concatenated globals first. Inherited values keep the position
of the `Globals` line they come from.
"""
from __future__ import annotations

import os
from typing import Optional

from lambdalint.iac.records import Event, IacFunction, Layer, Located
from lambdalint.iac.yaml_reader import YNode
from lambdalint.model import Span
from lambdalint import observe

SAM_FUNCTION = "AWS::Serverless::Function"
CFN_FUNCTION = "AWS::Lambda::Function"
SAM_LAYER = "AWS::Serverless::LayerVersion"
CFN_LAYER = "AWS::Lambda::LayerVersion"
ESM = "AWS::Lambda::EventSourceMapping"


def span_of(node: YNode) -> Span:
    return Span(node.line, node.column, node.end_line, node.end_column)


def located(node: Optional[YNode], path: str) -> Optional[Located]:
    if node is None or node.text is None:
        return None
    return Located(node.text.strip(), path, span_of(node))


def is_cloudformation(root: Optional[YNode]) -> bool:
    return root is not None and root.is_map and (
        root.get("Resources") is not None or root.get("AWSTemplateFormatVersion") is not None)


def read_cloudformation(root: YNode, path: str, folder: str) -> tuple[list[IacFunction], dict[str, Layer]]:
    """Functions and locally built layers of one template (`folder`: its absolute directory)."""
    resources = root.get("Resources")
    if resources is None or not resources.is_map:
        return [], {}
    globals_fn = root.path("Globals", "Function")
    layers: dict[str, Layer] = {}
    functions: dict[str, IacFunction] = {}
    for logical_id, resource in resources.items():
        kind = resource.get("Type")
        kind = kind.text if kind is not None else None
        props = resource.get("Properties")
        if kind in (SAM_LAYER, CFN_LAYER):
            layers[logical_id] = _layer(logical_id, resource, props, kind, folder)
        elif kind == SAM_FUNCTION:
            merged = _merge_globals(globals_fn, props)
            functions[logical_id] = _sam_function(logical_id, resource, merged, path, folder)
        elif kind == CFN_FUNCTION:
            functions[logical_id] = _cfn_function(logical_id, resource, props, path, folder)
    for logical_id, resource in resources.items():
        kind = resource.get("Type")
        if kind is not None and kind.text == ESM:
            target = _ref_target(resource.path("Properties", "FunctionName"))
            if target in functions:
                functions[target].events.append(Event("EventSourceMapping", logical_id, span_of(resource), path))
    for fn in functions.values():
        fn.layers = [lid if lid in layers else None for lid in fn.layers]
    return list(functions.values()), layers


def _ref_target(node: Optional[YNode]) -> Optional[str]:
    """`!Ref X`, `!GetAtt X.Arn`, `{Ref: X}`, `{"Fn::GetAtt": [X, Arn]}` -> X."""
    if node is None:
        return None
    if node.tag in ("!Ref", "!GetAtt") and isinstance(node.value, str):
        return node.value.split(".", 1)[0]
    if node.tag == "!GetAtt" and isinstance(node.value, list) and node.value:
        return node.value[0].text
    if node.is_map:
        ref = node.get("Ref")
        if ref is not None and ref.text:
            return ref.text
        att = node.get("Fn::GetAtt")
        if att is not None:
            if att.text:
                return att.text.split(".", 1)[0]
            if att.is_seq and att.value:
                return att.value[0].text
    return None


def _ref_parts(node: Optional[YNode]) -> Optional[tuple[str, str]]:
    """`!Ref X` -> (X, ""), `!Ref X.Alias` -> (X, "Alias"), `!GetAtt X.Arn` / `{"Fn::GetAtt": [X, Arn]}` -> (X, "Arn")."""
    if node is None:
        return None
    if node.tag in ("!Ref", "!GetAtt") and isinstance(node.value, str):
        target, _, attribute = node.value.partition(".")
        return (target, attribute) if target else None
    if node.tag == "!GetAtt" and isinstance(node.value, list) and len(node.value) == 2:
        target, attribute = node.value[0].text, node.value[1].text
        return (target, attribute or "") if target else None
    if node.is_map:
        ref = node.get("Ref")
        if ref is not None and ref.text:
            target, _, attribute = ref.text.partition(".")
            return target, attribute
        att = node.get("Fn::GetAtt")
        if att is not None and att.is_seq and len(att.value) == 2 and att.value[0].text:
            return att.value[0].text, att.value[1].text or ""
        if att is not None and att.text:
            target, _, attribute = att.text.partition(".")
            return target, attribute
    return None


def _merge_globals(globals_fn: Optional[YNode], props: Optional[YNode]) -> dict[str, YNode]:
    """The resource's effective properties, as YNodes that keep their own positions."""
    own = dict(props.items()) if props is not None and props.is_map else {}
    if globals_fn is None or not globals_fn.is_map:
        return own
    merged = dict(own)
    for key, g in globals_fn.items():
        mine = own.get(key)
        if mine is None:
            merged[key] = g
        elif g.is_map and mine.is_map:
            merged[key] = _merge_maps(g, mine)
        elif g.is_seq and mine.is_seq:
            merged[key] = YNode(list(g.value) + list(mine.value), mine.line, mine.column, mine.end_line,
                                mine.end_column)
    return merged


def _merge_maps(g: YNode, mine: YNode) -> YNode:
    out = dict(g.value)
    for key, value in mine.items():
        inherited = out.get(key)
        out[key] = _merge_maps(inherited, value) if inherited is not None and inherited.is_map and value.is_map \
            else value
    return YNode(out, mine.line, mine.column, mine.end_line, mine.end_column)


def _local_dir(node: Optional[YNode], folder: str, default: Optional[str]) -> tuple[Optional[str], bool]:
    """(absolute code folder or None, known): a local path string; S3 URIs and mappings are not local."""
    if node is None:
        return default, default is not None
    text = node.text
    if text is None or text.startswith(("s3://", "http://", "https://")) or "${" in text:
        return None, False
    path = os.path.normpath(os.path.join(folder, text))
    if observe.isfile(path):  # a single file is packaged alone (a zip is opaque)
        return (None, False) if path.lower().endswith((".zip", ".jar")) else (os.path.dirname(path), True)
    return path, True


def _common(fn: IacFunction, props: dict[str, YNode], path: str) -> None:
    handler = props.get("Handler")
    fn.handler = located(handler, path)
    fn.handler_unknown = handler is not None and fn.handler is None
    runtime = props.get("Runtime")
    fn.runtime = located(runtime, path)
    fn.runtime_unknown = runtime is not None and fn.runtime is None
    package = props.get("PackageType")
    fn.image = package is not None and (package.text or "").lower() == "image" or props.get("ImageUri") is not None
    env = props.get("Environment")
    variables = env.get("Variables") if env is not None else None
    if env is not None and (not env.is_map or (variables is not None and not variables.is_map)):
        fn.environment_unknown = True
    for name, value in (variables.items() if variables is not None else ()):
        fn.environment[name] = located(value, path)
        if fn.environment[name] is None:
            ref = _ref_parts(value)
            if ref is not None:
                fn.environment_refs[name] = ref
    layers = props.get("Layers")
    if layers is not None:
        if not layers.is_seq:
            fn.layers_unknown = True
        else:
            fn.layers = [_ref_target(item) or "" for item in layers.value]
    fn.durable = props.get("DurableConfig") is not None
    fn.function_name = located(props.get("FunctionName"), path)


def _sam_function(logical_id: str, resource: YNode, props: dict[str, YNode], path: str, folder: str) -> IacFunction:
    fn = IacFunction("sam", path, logical_id, span_of(resource))
    _common(fn, props, path)
    if props.get("InlineCode") is not None:
        fn.inline = True
        fn.inline_code = props["InlineCode"].text
    else:
        fn.code_root, _ = _local_dir(props.get("CodeUri"), folder, folder)
    metadata = resource.get("Metadata")
    method = metadata.get("BuildMethod") if metadata is not None else None
    if method is not None:
        fn.build = (method.text or "unknown").lower()
    if fn.build == "esbuild" and fn.code_root is not None:
        entries = metadata.path("BuildProperties", "EntryPoints")
        for item in (entries.value if entries is not None and entries.is_seq else ()):
            if item.text:
                fn.entry_points.append(os.path.normpath(os.path.join(fn.code_root, item.text)))
    events = props.get("Events")
    for name, event in (events.items() if events is not None else ()):
        etype = event.get("Type")
        if etype is not None and etype.text:
            fn.events.append(Event(etype.text, name, span_of(event), path))
    return fn


def _cfn_function(logical_id: str, resource: YNode, props: Optional[YNode], path: str, folder: str) -> IacFunction:
    fn = IacFunction("cloudformation", path, logical_id, span_of(resource))
    props_map = dict(props.items()) if props is not None and props.is_map else {}
    _common(fn, props_map, path)
    code = props_map.get("Code")
    if code is not None and code.is_map:
        if code.get("ZipFile") is not None:
            fn.inline = True
            fn.inline_code = code.get("ZipFile").text
        elif code.get("ImageUri") is not None:
            fn.image = True
    elif code is not None:
        fn.code_root, _ = _local_dir(code, folder, None)
    return fn


def _layer(logical_id: str, resource: YNode, props: Optional[YNode], kind: str, folder: str) -> Layer:
    key = "ContentUri" if kind == SAM_LAYER else "Content"
    content = props.get(key) if props is not None else None
    built = resource.path("Metadata", "BuildMethod") is not None
    content_dir, _ = _local_dir(content, folder, None) if content is not None else (None, False)
    return Layer(logical_id, None if built else content_dir)
