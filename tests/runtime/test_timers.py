"""Timers and the request's event loop (issue 17 item 4), through a real `zigttp serve`.

One runtime (`-n 1`) so consecutive requests share it: a timer of one request must never
fire in the next, `ctx.waitUntil` work finishes before the next request starts, and the
request deadline covers time spent waiting for timers.
"""

from __future__ import annotations

import time

TIMERS = """
const fired = [];
export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url, "http://local").pathname;
    if (path === "/order") {
      const seen = [];
      setTimeout(() => seen.push("b"), 20);
      setTimeout(() => seen.push("a"), 5);
      queueMicrotask(() => seen.push("micro"));
      await new Promise((resolve) => setTimeout(resolve, 40));
      return Response.text(seen.join(","));
    }
    if (path === "/interval") {
      let ticks = 0;
      await new Promise((resolve) => {
        const id = setInterval(() => { ticks += 1; if (ticks === 3) { clearInterval(id); resolve(); } }, 2);
      });
      return Response.text(String(ticks));
    }
    if (path === "/arm") {           // answers at once; its timer must be cancelled, not fire later
      setTimeout(() => fired.push("late"), 30);
      return Response.text("armed");
    }
    if (path === "/arm-async") {     // answers after its own timer; a second one is left pending
      await new Promise((resolve) => setTimeout(resolve, 1));
      setTimeout(() => fired.push("late-async"), 30);
      return Response.text("armed");
    }
    if (path === "/wait") {          // a request that itself waits long enough for stale timers
      await new Promise((resolve) => setTimeout(resolve, 120));
      return Response.json(fired);
    }
    if (path === "/background") {
      ctx.waitUntil(new Promise((resolve) => setTimeout(() => { fired.push("background"); resolve(); }, 30)));
      return Response.text("accepted");
    }
    if (path === "/fired") return Response.json(fired);
    if (path === "/forever") {
      await new Promise((resolve) => setTimeout(resolve, 60000));
      return Response.text("unreachable");
    }
    if (path === "/throws") {
      setTimeout(() => { throw new Error("timer boom"); }, 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return Response.text("survived");
    }
    return Response.text("?", { status: 404 });
  },
};
"""


def test_timers_fire_in_delay_order_after_microtasks(serve) -> None:
    server = serve(TIMERS, "-n", "1")
    assert server.get("/order").text == "micro,a,b"


def test_set_interval_repeats_until_cleared(serve) -> None:
    server = serve(TIMERS, "-n", "1")
    assert server.get("/interval").text == "3"


def test_timers_pending_when_the_response_is_done_never_fire_in_another_request(serve) -> None:
    server = serve(TIMERS, "-n", "1")
    assert server.get("/arm").text == "armed"
    assert server.get("/arm-async").text == "armed"
    time.sleep(0.1)  # longer than both timers' delays: they would be due by now
    # /wait runs the runtime's loop for 120 ms: a stale timer would fire inside it.
    assert server.get("/wait").json() == []
    assert server.get("/fired").json() == []


def test_wait_until_keeps_the_runtime_busy_until_it_settles(serve) -> None:
    server = serve(TIMERS, "-n", "1")
    assert server.get("/background").text == "accepted"
    # the single runtime finishes the waitUntil work (and its timer) before the next request
    assert server.get("/fired").json() == ["background"]


def test_the_deadline_covers_time_spent_waiting_for_timers(serve) -> None:
    server = serve(TIMERS, "-n", "1", "--timeout", "0.5")
    response = server.get("/forever", timeout=20)
    assert response.status_code >= 500
    assert "time limit" in server.wait_for_log("time limit")
    assert server.get("/order").text == "micro,a,b"  # the server keeps serving


def test_an_exception_in_a_timer_is_reported_and_the_request_still_answers(serve) -> None:
    server = serve(TIMERS, "-n", "1")
    assert server.get("/throws").text == "survived"
    assert "timer boom" in server.wait_for_log("timer boom")
