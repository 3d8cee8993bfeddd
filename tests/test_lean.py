"""zigttp.lean: `Pattern` behaves as the compiled regex, `suppress` as contextlib.suppress."""

from __future__ import annotations

import re

import pytest

from zigttp.lean import Pattern, suppress


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
