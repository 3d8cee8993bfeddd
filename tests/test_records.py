"""`zigttp.records`: the dataclass behaviour the start path's classes rely on, without dataclasses."""

from __future__ import annotations

import pytest

from zigttp.config import ServerConfig
from zigttp.errors import UsageError
from zigttp.records import FrozenInstanceError, asdict, field, fields, record, replace


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default=(), compare=False)


@record
class Bag:
    items: list[int] = field(default_factory=list)


def test_fields_take_positions_keywords_and_defaults() -> None:
    assert Point(1) == Point(x=1, y=0)
    assert (Point(1, 2).x, Point(1, 2).y) == (1, 2)
    assert [f.name for f in fields(Point)] == ["x", "y", "tags"]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [((), {}, "missing required argument 'x'"), ((1, 2, (), 4), {}, "positional"),
     ((1,), {"x": 2}, "multiple values"), ((1,), {"z": 2}, "unexpected keyword argument 'z'")],
)  # fmt: skip
def test_bad_arguments_are_type_errors(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)


def test_frozen_records_refuse_assignment_and_hash_by_compared_fields() -> None:
    point = Point(1, 2, ("a",))
    with pytest.raises(FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    assert point == Point(1, 2, ("b",)) and hash(point) == hash(Point(1, 2, ("b",)))  # tags: compare=False
    assert point != Point(2, 2)


def test_mutable_records_get_a_fresh_default_each_and_are_unhashable() -> None:
    first, second = Bag(), Bag()
    first.items.append(1)
    assert second.items == [] and Bag.__hash__ is None


def test_replace_asdict_and_repr() -> None:
    point = Point(1, 2)
    assert replace(point, y=5) == Point(1, 5)
    assert asdict([Point(1, tags=("t",))]) == [{"x": 1, "y": 0, "tags": ("t",)}]
    assert repr(point) == "Point(x=1, y=2, tags=())"


def test_server_config_validates_in_post_init_and_with_changes_keeps_the_rest() -> None:
    config = ServerConfig(port=9000, quiet=True)
    changed = config.with_changes(port=9001)
    assert (changed.port, changed.quiet) == (9001, True)
    with pytest.raises(UsageError, match="invalid port"):
        ServerConfig(port=70000)
