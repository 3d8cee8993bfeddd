"""Records: classes declared like dataclasses, built without `dataclasses`.

Why: the classes on the path to a server's first answer (ServerConfig, the serve options, the
compiled handler, module specs...) were dataclasses, and `dataclasses` costs a cold start
twice: its import brings inspect, ast, dis and tokenize (~40 M instructions), and each class
`exec`s the source of its `__init__`, `__repr__`, `__eq__`, `__hash__` and frozen setters
(~1.5 M per small class, 20 M for ServerConfig's 40 fields): together about a quarter of a
start (bench/README.md, cold start). `record` gives the same declarations the same behaviour
from one generic `__init__` per class and no compiled source.

Supported, as in `dataclasses`: fields from the class's annotations in order (inherited
records' first), defaults, `field(default=..., default_factory=..., compare=..., hash=...,
repr=...)`, `frozen` (assignment raises `FrozenInstanceError`, an AttributeError), `eq`,
`__post_init__`, positional or keyword construction; `replace`, `asdict` and `fields`.
Not supported: `slots`, `order`, `init=False` fields, `ClassVar`/`InitVar` annotations. An
instance costs more to build than a dataclass's (a loop instead of straight-line code), so
classes built per request are plain classes with `__slots__` (marshal.HandlerResponse,
pool.Call). Type checkers see `dataclasses` itself (TYPE_CHECKING), so constructors stay checked.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not `typing.TYPE_CHECKING`: `typing` is also off the start path)
if TYPE_CHECKING:
    from dataclasses import FrozenInstanceError, asdict, field, fields, replace
    from dataclasses import dataclass as record
else:

    class FrozenInstanceError(AttributeError):
        """Assignment to a field of a frozen record."""

    class _Missing:
        def __repr__(self) -> str:
            return "MISSING"

    MISSING = _Missing()

    class Field:
        """One field: its name, its default (or factory) and whether eq/hash/repr see it."""

        __slots__ = ("compare", "default", "default_factory", "hash", "name", "repr")

        def __init__(self, default, default_factory, compare, hash, repr):
            self.name = ""
            self.default = default
            self.default_factory = default_factory
            self.compare = compare
            self.hash = compare if hash is None else hash
            self.repr = repr

    def field(*, default=MISSING, default_factory=MISSING, compare=True, hash=None, repr=True):
        return Field(default, default_factory, compare, hash, repr)

    def record(cls=None, /, *, frozen=False, eq=True):
        """The class decorator (`@record` or `@record(frozen=True)`)."""

        def wrap(cls):
            _build(cls, frozen, eq)
            return cls

        return wrap if cls is None else wrap(cls)

    def fields(obj):
        return obj.__record_fields__

    def replace(obj, **changes):
        values = {f.name: getattr(obj, f.name) for f in obj.__record_fields__}
        return type(obj)(**(values | changes))

    def asdict(obj):
        if hasattr(type(obj), "__record_fields__"):
            return {f.name: asdict(getattr(obj, f.name)) for f in obj.__record_fields__}
        if isinstance(obj, list | tuple):
            return type(obj)(asdict(item) for item in obj)
        if isinstance(obj, dict):
            return {asdict(key): asdict(value) for key, value in obj.items()}
        return obj

    def _collect(cls):
        """The fields of `cls`, inherited ones first; class-level `Field`s become defaults."""
        found = {}
        for base in reversed(cls.__mro__[1:]):
            for inherited in base.__dict__.get("__record_fields__", ()):
                found[inherited.name] = inherited
        for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063  (inspect is not imported)
            value = cls.__dict__.get(name, MISSING)
            one = value if isinstance(value, Field) else Field(value, MISSING, True, None, True)
            one.name = name
            found[name] = one
            if isinstance(value, Field):
                if one.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, one.default)
        return tuple(found.values())

    def _build(cls, frozen, eq):
        every = _collect(cls)
        cls.__record_fields__ = every
        cls.__init__ = _init(cls, every, frozen)
        if "__repr__" not in cls.__dict__:
            shown = tuple(f.name for f in every if f.repr)
            cls.__repr__ = lambda self: (
                f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"
            )
        if eq and "__eq__" not in cls.__dict__:
            compared = tuple(f.name for f in every if f.compare)

            def __eq__(self, other):
                if other.__class__ is not self.__class__:
                    return NotImplemented
                return all(getattr(self, n) == getattr(other, n) for n in compared)

            cls.__eq__ = __eq__
            if "__hash__" not in cls.__dict__:  # (dataclasses: eq without frozen is unhashable)
                hashed = tuple(f.name for f in every if f.hash)
                cls.__hash__ = _hash(hashed) if frozen else None
        if frozen:
            cls.__setattr__ = _refuse
            cls.__delattr__ = _refuse

    def _hash(hashed):
        return lambda self: hash(tuple(getattr(self, n) for n in hashed))

    def _refuse(self, name, *_value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def _init(cls, every, frozen):
        names = tuple(f.name for f in every)
        by_name = {f.name: f for f in every}
        assign = object.__setattr__ if frozen else setattr
        post_init = getattr(cls, "__post_init__", None)

        def __init__(self, *args, **kwargs):
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments, not {len(args)}")
            for name, value in zip(names, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
                assign(self, name, value)
            for name in names[len(args) :]:
                if name in kwargs:
                    value = kwargs.pop(name)
                else:
                    one = by_name[name]
                    if one.default is not MISSING:
                        value = one.default
                    elif one.default_factory is not MISSING:
                        value = one.default_factory()
                    else:
                        raise TypeError(f"{cls.__name__}() missing required argument {name!r}")
                assign(self, name, value)
            if kwargs:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}")
            if post_init is not None:
                post_init(self)

        return __init__
