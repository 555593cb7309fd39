"""Records as data: frozen dataclasses to JSON and back, for the on-disk cache.

The cache is shared (a team's --cache-dir, a CI cache restored from elsewhere), so what it holds is
data that can at worst give a wrong value, never code that runs: no pickle, no eval, no import by a
name read from the file. A record is written as {"__type__": "Name", field: value, ...}, and read
back only as a class of that name defined in one of RECORD_MODULES; any other name, a missing or
extra field, or an unknown tag is a DecodeError, and the cache treats the entry as a miss.

A new record type is stored by defining it (a frozen dataclass, or an Enum) in one of these modules,
or by adding its module to RECORD_MODULES.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import math
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

RECORD_MODULES: tuple[str, ...] = (
    "checker.models",
    "checker.values",
)


class DecodeError(ValueError):
    """Stored bytes that are not a record this version of claimcheck writes."""


@lru_cache(maxsize=1)
def record_types() -> dict[str, type]:
    """Name → class of every dataclass and Enum defined (not merely imported) in RECORD_MODULES."""
    found: dict[str, type] = {}
    for module_name in RECORD_MODULES:
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if isinstance(obj, type) and obj.__module__ == module_name and \
                    (dataclasses.is_dataclass(obj) or issubclass(obj, Enum)):
                if name in found and found[name] is not obj:
                    raise RuntimeError(f"record type {name} is defined in two of RECORD_MODULES")
                found[name] = obj
    return found


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def _encode(x: Any) -> Any:
    # the common leaves first: this runs for every field of every mention stored
    t = type(x)
    if t is str or t is int or t is bool or x is None:
        return x
    if t is float:
        return x if math.isfinite(x) else {"__float__": repr(x)}
    if t is list:
        return [_encode(v) for v in x]
    if t is tuple:
        return {"__tuple__": [_encode(v) for v in x]}
    if t is frozenset or t is set:
        # sorted by their encoding, so equal sets are equal bytes whatever the process's hash seed
        if all(type(v) is str for v in x):  # the common case: a set of words
            items = sorted(x)
        else:
            items = sorted((_encode(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return {"__frozenset__" if t is frozenset else "__set__": items}
    if t is datetime:
        return {"__datetime__": x.isoformat()}
    if t is date:
        return {"__date__": x.isoformat()}
    if t is dict:
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in x.items()]}
    if t.__module__ == "numpy" and hasattr(x, "item"):  # a numpy scalar (a similarity, a score)
        return _encode(x.item())
    name, names = _writable(t)
    if names is None:
        return {"__enum__": name, "value": _encode(x.value)}
    out = {"__type__": name}
    for f in names:
        v = getattr(x, f)
        tv = type(v)
        # a leaf written as it is, without a call: a mention has a dozen of them
        out[f] = v if tv is str or tv is int or tv is bool or v is None else _encode(v)
    return out


_WRITABLE: dict[type, tuple[str, tuple[str, ...] | None]] = {}


def _writable(t: type) -> tuple[str, tuple[str, ...] | None]:
    """The name a record type is written under and its fields (None for an Enum); TypeError for a
    type outside RECORD_MODULES, which could not be read back."""
    known = _WRITABLE.get(t)
    if known is None:
        if record_types().get(t.__name__) is not t:
            raise TypeError(f"{t.__module__}.{t.__name__} is not a record type the cache stores "
                            "(define it in one of checker.records.RECORD_MODULES)")
        known = _WRITABLE[t] = (t.__name__, None if issubclass(t, Enum) else _field_names(t))
    return known


def _allowed(hint: Any) -> tuple[type, ...] | None:
    """The classes a field's annotation admits, as far as a cheap isinstance can tell; None for any."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return None
    if origin in (typing.Union, types.UnionType):
        parts = [_allowed(a) for a in typing.get_args(hint)]
        return None if any(p is None for p in parts) else tuple(c for p in parts for c in p)
    if origin is not None:
        return (origin,) if isinstance(origin, type) else None
    if hint is type(None):
        return (type(None),)
    if hint is float:
        return (float, int)
    return (hint,) if isinstance(hint, type) else None


def conforms(value: Any, hint: Any) -> bool:
    """Whether `value` is of the annotated type all the way down: every element of a tuple[...],
    list[...], set[...] or dict[...] too, so a doctored entry with a wrong type nested in a field
    is refused here and never reaches a rule. Records nested in a value were checked when built."""
    if hint is Any or isinstance(hint, (str, typing.TypeVar)):
        return True
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if origin is typing.Literal:
        return value in args and type(value) in {type(a) for a in args}
    if origin is None:
        if hint is type(None):
            return value is None
        if hint is float:
            return type(value) in (float, int)
        if hint is int:
            return type(value) is int
        return not isinstance(hint, type) or isinstance(value, hint)
    if isinstance(origin, type) and not isinstance(value, origin):
        return False
    if not args:
        return True
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(conforms(v, a) for v, a in zip(value, args))
    if origin in (list, set, frozenset):
        return all(conforms(v, args[0]) for v in value)
    if origin is dict and len(args) == 2:
        return all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    return True


@lru_cache(maxsize=1)
def _constructors() -> dict[str, tuple[type, frozenset[str], tuple[tuple[str, Any], ...]]]:
    """Name → (dataclass, its fields, the fields whose type can be checked): what a "__type__" may
    name. A doctored entry with a value of the wrong type is refused here, not met by a rule."""
    out = {}
    for name, cls in record_types().items():
        if dataclasses.is_dataclass(cls):
            try:
                hints = typing.get_type_hints(cls)
            except Exception:  # an annotation that names what the module imports only for type checkers
                hints = {}
            checks = tuple((f, hints[f]) for f in _field_names(cls) if _allowed(hints.get(f, Any)) is not None)
            out[name] = (cls, frozenset(_field_names(cls)), checks)
    return out


def _decode_tagged(obj: dict) -> Any:
    """json's object_hook: each JSON object, innermost first, back to what it encoded."""
    name = obj.pop("__type__", None)
    if name is not None:
        known = _constructors().get(name)
        if known is None:
            raise DecodeError("unknown record type")
        cls, names, checks = known
        if obj.keys() != names:
            raise DecodeError(f"fields of {name} do not match")
        for f, hint in checks:
            if not conforms(obj[f], hint):
                raise DecodeError(f"{name}.{f} of the wrong type")
        return cls(**obj)
    if len(obj) == 1:
        (tag, v), = obj.items()
        if tag == "__tuple__" and type(v) is list:
            return tuple(v)
        if tag == "__frozenset__" and type(v) is list:
            return frozenset(v)
        if tag == "__set__" and type(v) is list:
            return set(v)
        if tag == "__date__" and type(v) is str:
            return date.fromisoformat(v)
        if tag == "__datetime__" and type(v) is str:
            return datetime.fromisoformat(v)
        if tag == "__float__" and v in ("inf", "-inf", "nan"):
            return float(v)
        if tag == "__dict__" and type(v) is list and all(type(p) is list and len(p) == 2 for p in v):
            return {k: val for k, val in v}
    if len(obj) == 2 and "__enum__" in obj and "value" in obj:
        cls = record_types().get(obj["__enum__"])
        if cls is None or not issubclass(cls, Enum):
            raise DecodeError("unknown enum type")
        return cls(obj["value"])
    raise DecodeError("an object the cache does not write")


def dumps(value: Any) -> bytes:
    """UTF-8 JSON of `value` (records, lists, tuples, sets, dates, Enums, numbers, strings)."""
    # ensure_ascii: a lone surrogate (a file name that is not UTF-8) is written as \\udcxx and read back
    return json.dumps(_encode(value), ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def loads(data: bytes | str) -> Any:
    """What `dumps` wrote; anything else is a DecodeError, never an object of another type."""
    try:
        return json.loads(data, object_hook=_decode_tagged)
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as exc:  # bad JSON, bad field values
        raise DecodeError(str(exc)) from None
