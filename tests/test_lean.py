"""zigttp.lean: `Pattern` behaves as the compiled regex, `suppress` as contextlib.suppress,
`json_loads` as json.loads."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zigttp.lean import Pattern, json_loads, suppress


def test_a_pattern_compiles_at_first_use_and_answers_as_re_does():
    pattern = Pattern(r"<input>:(\d+)(?::(\d+))?")
    assert "match" not in vars(pattern)  # nothing compiled yet
    text = "at f (<input>:3:7)"
    assert pattern.search(text).groups() == re.compile(r"<input>:(\d+)(?::(\d+))?").search(text).groups()
    assert "search" in vars(pattern)  # the compiled method, kept
    assert pattern.sub("X", text) == "at f (X)"


def test_suppress_ends_the_block_on_a_listed_exception_only():
    with suppress(KeyError, OSError):
        raise FileNotFoundError("gone")  # an OSError
    with suppress(KeyError):
        pass
    with pytest.raises(ValueError), suppress(KeyError):
        raise ValueError("not listed")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES, st.sampled_from(["", " ", "\n\t", "\r\n "]))
def test_json_loads_reads_what_json_wrote(value, space):
    text = space + json.dumps(value, ensure_ascii=False) + space
    assert json_loads(text.encode("utf-8")) == json.loads(text)


@pytest.mark.parametrize("text", ["", " ", "{", '{"a": 1} x', "[1,]", "{'a': 1}", '"\x01"', "[1] [2]"])
def test_json_loads_refuses_what_json_refuses(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        json_loads(text)


def test_json_loads_keeps_the_constants_json_accepts():
    assert repr(json_loads("[NaN, Infinity, -Infinity]")) == repr(json.loads("[NaN, Infinity, -Infinity]"))
