"""Program models to and from plain JSON values, derived from the dataclass fields.

The cache stores models as data that can only ever become data again: lists,
strings, numbers. Each dataclass becomes a list of its field values in field
order, an enum its value, `Span` a 4-tuple; the encoder and decoder for a type
are built once from its type hints, so a field added to the model needs no
code here. A value that does not fit its field's type (a wrong length, an
unknown enum value, a string where a list belongs) raises `DecodeError`, and
the caller treats the entry as absent.

Decoding is the warm run's hot path: a dataclass is rebuilt by one generated
function that checks the field count and types and stores the attributes of a
fresh instance (no `__init__`); fields whose values are already what JSON
gives back (str, int, bool, None) are only type-checked.
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import types
import typing
from typing import Any, Callable, Optional, Union

from lambdalint.findings import Span

Encoder = Callable[[Any], Any]
Decoder = Optional[Callable[[Any], Any]]   # None: the JSON value is already the Python value

_SCALARS = (str, int, float, bool, type(None))
_new = object.__new__


class DecodeError(ValueError):
    """The data does not have the shape of the type it is decoded as."""


class EncodeError(ValueError):
    """A value the format cannot carry losslessly (the caller then does not cache it)."""


def encoder(tp) -> Encoder:
    return _Codecs.get().encoder(tp)


def decoder(tp) -> Callable[[Any], Any]:
    found = _Codecs.get().decoder(tp)
    return found if found is not None else (lambda value: value)


def schema_fingerprint(tp) -> str:
    """A digest of the field names and types reachable from `tp`: changes whenever the encoding would."""
    seen: dict[str, str] = {}
    _describe(tp, seen)
    text = "\n".join(f"{name}: {fields}" for name, fields in sorted(seen.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _describe(tp, seen: dict) -> None:
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        name = f"{tp.__module__}.{tp.__qualname__}"
        if name in seen:
            return
        hints = typing.get_type_hints(tp)
        seen[name] = ", ".join(f"{f.name}={hints[f.name]!r}" for f in dataclasses.fields(tp))
        for f in dataclasses.fields(tp):
            _describe(hints[f.name], seen)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        seen[f"{tp.__module__}.{tp.__qualname__}"] = ", ".join(repr(m.value) for m in tp)
    else:
        for arg in typing.get_args(tp):
            _describe(arg, seen)


class _Codecs:
    """Encoders and decoders per type, built on first use and kept for the process.

    A dataclass's encoder and decoder are generated as the source of one small
    function from the class's own field list (as `dataclasses` generates
    `__init__`): a warm run decodes hundreds of thousands of records, and one
    flat function per class is several times faster than a loop over fields.
    Only our own field names and type tests enter that source, never data.
    """

    _instance: Optional["_Codecs"] = None

    @classmethod
    def get(cls) -> "_Codecs":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        self._encoders: dict = {}
        self._decoders: dict = {}

    # ------------------------------------------------------------ encoding
    def encoder(self, tp) -> Encoder:
        key = _key(tp)
        if key not in self._encoders:
            self._encoders[key] = lambda value: self._encoders[key](value)  # recursive types
            self._encoders[key] = self._build_encoder(tp)
        return self._encoders[key]

    def _build_encoder(self, tp) -> Encoder:
        if tp is Span:
            return _encode_span
        if _plain_types(tp) is not None:
            return _scalar_encoder(tp)
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1:
                encode = self.encoder(inner[0])
                return lambda v: None if v is None else encode(v)
            return _encode_object
        if origin is list:
            if _plain_types(args[0]) is not None:
                return list
            encode = self.encoder(args[0])
            return lambda v: [encode(x) for x in v]
        if origin is tuple:
            encoders = [self.encoder(a) for a in args]
            return lambda v: [e(x) for e, x in zip(encoders, v)]
        if origin is dict:
            encode_key, encode_value = self.encoder(args[0]), self.encoder(args[1])
            return lambda v: [[encode_key(k), encode_value(x)] for k, x in v.items()]
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return lambda v: v.value
        if dataclasses.is_dataclass(tp):
            return self._dataclass_encoder(tp)
        return _encode_object

    def _dataclass_encoder(self, cls) -> Encoder:
        hints = typing.get_type_hints(cls)
        namespace: dict[str, Any] = {}
        items = []
        for i, f in enumerate(dataclasses.fields(cls)):
            value = f"o.{f.name}"   # never `o.__dict__`: reading it gives every record a dict of its own
            tp = hints[f.name]
            if _plain_types(tp) is not None:
                items.append(value)   # a wrong type here is caught by the decoder, which then rejects the entry
            elif tp is Span:
                items.append(f"_span({value})")
            else:
                namespace[f"e{i}"] = self.encoder(tp)
                items.append(f"e{i}({value})")
        namespace["_span"] = _encode_span
        source = f"def encode(o):\n    return [{', '.join(items)}]\n"
        return _compile(source, namespace, "encode")

    # ------------------------------------------------------------ decoding
    def decoder(self, tp) -> Decoder:
        key = _key(tp)
        if key not in self._decoders:
            self._decoders[key] = lambda value: self._decoders[key](value)  # recursive types
            self._decoders[key] = self._build_decoder(tp)
        return self._decoders[key]

    def _build_decoder(self, tp) -> Decoder:
        if tp is Span:
            return _decode_span
        if _plain_types(tp) is not None:
            return None
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1:
                decode = self.decoder(inner[0])
                return lambda v: None if v is None else decode(v)
            return _decode_object
        if origin is list:
            decode = self.decoder(args[0])
            if decode is None:
                plain = _plain_types(args[0])
                return lambda v: _check_list(v, plain)
            return lambda v: [decode(x) for x in _list(v)]
        if origin is tuple:
            decoders = [self.decoder(a) or _checked(_plain_types(a)) for a in args]

            def decode_tuple(v):
                v = _list(v)
                if len(v) != len(decoders):
                    raise DecodeError("tuple of the wrong length")
                return tuple(d(x) for d, x in zip(decoders, v))
            return decode_tuple
        if origin is dict:
            decode_key = self.decoder(args[0]) or _checked(_plain_types(args[0]))
            decode_value = self.decoder(args[1]) or _checked(_plain_types(args[1]))
            return lambda v: {decode_key(k): decode_value(x) for k, x in (_pair(p) for p in _list(v))}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _enum_decoder(tp)
        if dataclasses.is_dataclass(tp):
            return self._dataclass_decoder(tp)
        return _decode_object

    def _dataclass_decoder(self, cls) -> Callable[[Any], Any]:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        namespace: dict[str, Any] = {"cls": cls, "new": _new, "DecodeError": DecodeError,
                                     "_span": _decode_span}
        checks, items = [], []
        for i, f in enumerate(fields):
            tp, a = hints[f.name], f"a{i}"
            plain = _plain_types(tp)
            if plain is not None:
                test = " or ".join(f"{a}.__class__ is {t.__name__}" if t is not type(None) else f"{a} is None"
                                   for t in plain)
                checks.append(f"({test})")
                items.append((f.name, a))
            elif tp is Span:
                items.append((f.name, f"_span({a})"))
            elif typing.get_origin(tp) is list and self.decoder(typing.get_args(tp)[0]) is not None:
                namespace[f"d{i}"] = self.decoder(typing.get_args(tp)[0])
                checks.append(f"{a}.__class__ is list")
                items.append((f.name, f"[d{i}(x) for x in {a}]"))
            else:
                namespace[f"d{i}"] = self.decoder(tp)
                items.append((f.name, f"d{i}({a})"))
        # Plain attribute stores keep the instance's compact (key-sharing) layout; a frozen class's
        # `__setattr__` refuses them, so `object.__setattr__` stores them (never `o.__dict__`, which
        # would give every record a dict of its own).
        namespace["store"] = object.__setattr__
        if cls.__dataclass_params__.frozen:
            stores = [f"    store(o, {name!r}, {value})\n" for name, value in items]
        else:
            stores = [f"    o.{name} = {value}\n" for name, value in items]
        unpack = ", ".join(f"a{i}" for i in range(len(fields))) + ","
        test = " and ".join(checks) or "True"
        source = (
            "def decode(v):\n"
            f"    if v.__class__ is not list or len(v) != {len(fields)}:\n"
            f"        raise DecodeError({cls.__name__ + ': expected ' + str(len(fields)) + ' fields'!r})\n"
            f"    {unpack} = v\n"
            f"    if not ({test}):\n"
            f"        raise DecodeError({cls.__name__ + ': a field of the wrong type'!r})\n"
            "    o = new(cls)\n"
            + "".join(stores)
            + "    return o\n"
        )
        return _compile(source, namespace, "decode")


def _compile(source: str, namespace: dict, name: str):
    exec(compile(source, f"<lambdalint.codec {name}>", "exec"), namespace)  # our own schema, never data
    return namespace[name]


def _key(tp):
    return tp if isinstance(tp, type) else repr(tp)


def _plain_types(tp) -> Optional[tuple]:
    """The Python types a JSON value may have to stand for itself in a field of type `tp`, or None."""
    if tp is float:
        return (int, float)
    if tp in (str, int, bool):
        return (tp,)
    if typing.get_origin(tp) in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1 and inner[0] in (str, int, float, bool):
            return _plain_types(inner[0]) + (type(None),)
    return None


def _scalar_encoder(tp) -> Encoder:
    allowed = _plain_types(tp)

    def encode(v):
        if not isinstance(v, allowed):
            raise EncodeError(f"expected {tp.__name__}, got {type(v).__name__}")
        return v
    return encode


def _checked(allowed: Optional[tuple]) -> Callable[[Any], Any]:
    allowed = allowed or _SCALARS

    def decode(v):
        if not isinstance(v, allowed):
            raise DecodeError("wrong type")
        return v
    return decode


def _list(v) -> list:
    if type(v) is not list:
        raise DecodeError("expected a list")
    return v


def _check_list(v, scalar: tuple) -> list:
    if type(v) is not list or not all(isinstance(x, scalar) for x in v):
        raise DecodeError("expected a list of scalars")
    return v


def _pair(p) -> tuple:
    if type(p) is not list or len(p) != 2:
        raise DecodeError("expected a key/value pair")
    return p[0], p[1]


def _encode_span(s: Span) -> list:
    return [s.line, s.column, s.end_line, s.end_column]


def _decode_span(v) -> Span:
    if v.__class__ is not list or len(v) != 4:
        raise DecodeError("Span: expected four whole numbers")
    a, b, c, d = v
    if not (a.__class__ is int and b.__class__ is int and c.__class__ is int and d.__class__ is int):
        raise DecodeError("Span: expected four whole numbers")
    return Span(a, b, c, d)


def _enum_decoder(cls) -> Callable[[Any], Any]:
    members = {m.value: m for m in cls}

    def decode(v):
        try:
            return members[v]
        except (KeyError, TypeError):
            raise DecodeError(f"{cls.__name__}: unknown value") from None
    return decode


# Fields typed `object` hold literal values: JSON scalars as themselves, the
# few Python literals JSON has no word for as a one-key tagged object.
def _encode_object(v):
    if v is None or type(v) in (str, bool, float, int):
        return v
    if type(v) is bytes:
        return {"bytes": v.decode("latin-1")}
    if type(v) is complex:
        return {"complex": [v.real, v.imag]}
    raise EncodeError(f"cannot encode a {type(v).__name__}")


def _decode_object(v):
    if type(v) is dict:
        if len(v) == 1 and type(v.get("bytes")) is str:
            try:
                return v["bytes"].encode("latin-1")
            except UnicodeEncodeError:
                raise DecodeError("bytes: not latin-1") from None
        parts = v.get("complex") if len(v) == 1 else None
        if type(parts) is list and len(parts) == 2 and all(type(x) in (int, float) for x in parts):
            return complex(parts[0], parts[1])
        raise DecodeError("unknown tagged value")
    if type(v) is list:
        raise DecodeError("a list where a literal belongs")
    return v
