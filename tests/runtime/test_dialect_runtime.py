"""range(), zigttp:compose and the match/pipe helpers in the real engine (runtime/js/dialect.js)."""

from __future__ import annotations

RANGES = """
function handler(r) {
  return Response.json({
    n: [...range(4)], se: [...range(2, 5)], neg: [...range(3, 0, -1)], zero: [...range(0, 3, 0)],
    frac: [...range(2.9)], empty: [...range(5, 2)], none: range() === undefined,
    len: range(0, 10, 3).length, text: [...range("3")],
  });
}
"""

COMPOSE = """
import { guard, pipe } from "zttp:compose";
const events = [];
const pre = guard((r) => { events.push("pre"); });
const post = guard((res) => { events.push("post " + res.status); });
async function slow(r) { await null; events.push("handler"); return Response.text("ok", { status: 201 }); }
const composed = pre |> slow |> post;
async function handler(r) {
  events.length = 0;
  if (r.path === "/pipe") return Response.json(pipe(() => 2, (x) => x + 1, String));
  if (r.path === "/direct") return Response.json(guard((x) => x * 2)(21));
  if (r.path === "/bad") { try { 1 |> 2; } catch (e) { return Response.text(e.message); } }
  const res = await composed(r);
  return Response.json({ status: res.status, events });
}
"""

MATCH = """
function handler(r) {
  const v = JSON.parse(r.body);
  return Response.json(match (v) {
    when { a: { b: 1 } }: "nested"
    when { a: _ }: "has a"
    when null: "null"
    when [_, _]: "pair"
    when "x": "x"
  } ?? "nothing");
}
"""


def test_range_follows_upstream_arguments(serve) -> None:
    body = serve(RANGES, "-n", "1").get("/").json()
    assert body == {
        "n": [0, 1, 2, 3],
        "se": [2, 3, 4],
        "neg": [3, 2, 1],
        "zero": [0, 1, 2],
        "frac": [0, 1],
        "empty": [],
        "none": True,
        "len": 4,
        "text": [],
    }


def test_guard_composition_awaits_async_handlers_and_runs_post_guards(serve) -> None:
    server = serve(COMPOSE, "-n", "1")
    assert server.get("/").json() == {"status": 201, "events": ["pre", "handler", "post 201"]}
    assert server.get("/pipe").json() == "3"
    assert server.get("/direct").json() == 42
    assert server.get("/bad").text == "`|>`: the right-hand side is number, not a function"


def test_match_patterns_nested_presence_literal_and_no_fallback(serve) -> None:
    server = serve(MATCH, "-n", "1")
    answers = {
        '{"a":{"b":1}}': "nested",
        '{"a":0}': "has a",
        '{"a":null}': "has a",
        "{}": "nothing",
        "null": "null",
        "[1,2]": "pair",
        "[1]": "nothing",
        '"x"': "x",
    }
    for body, expected in answers.items():
        assert server.post("/", data=body).json() == expected, body


PLACES = """
const double = (x) => x * 2;
const inc = (x) => x + 1;
async function later(x) { return x; }
async function handler(r) {
  const inArrow = [1, 2].map((x) => x |> double);
  const inObject = { a: 3 |> double, b: 1 };
  const inTemplate = `${4 |> inc}!`;
  const ternaryLeft = (r.path === "/" ? 1 : 2) |> inc;
  const awaited = await later(5) |> double;
  const multiline = 1
    |> inc
    |> double;
  const nested = match ({ k: 2 |> inc }) {
    when { k: 3 }: match (["x", 1]) { when ["x", _]: "both" default: "inner" }
    default: "outer"
  };
  return Response.json({ inArrow, inObject, inTemplate, ternaryLeft, awaited, multiline, nested });
}
"""


def test_pipes_and_matches_in_every_expression_position(serve) -> None:
    assert serve(PLACES, "-n", "1").get("/").json() == {
        "inArrow": [2, 4],
        "inObject": {"a": 6, "b": 1},
        "inTemplate": "5!",
        "ternaryLeft": 2,
        "awaited": 10,
        "multiline": 4,
        "nested": "both",
    }
