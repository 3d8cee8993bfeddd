"""Pool metrics line, `--metrics` (Prometheus text parsed by prometheus_client) and health."""

from __future__ import annotations

import time

import requests
from prometheus_client.parser import text_string_to_metric_families

HANDLER = """
function handler(r) {
  if (r.url === "/boom") throw new Error("boom");
  if (r.url === "/missing") return Response.text("no", { status: 404 });
  return Response.text("ok " + r.url);
}
"""


def scrape(server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = server.get("/_zigttp/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_line_every_n_requests(serve):
    server = serve(HANDLER, "--metrics-every", "2")
    server.get("/a")
    server.get("/b")
    line = server.wait_for_log("Pool metrics: in_use=")
    assert "exhausted=0 avg_wait_us=" in line and "max_exec_us=" in line


def test_prometheus_text_counts_requests_by_status(serve, backend):
    server = serve(HANDLER, "--metrics", "--backend", backend)
    for path in ("/a", "/b", "/c", "/boom", "/missing"):
        server.get(path)
    samples = scrape(server)
    assert samples[("zigttp_requests_total", (("status", "200"),))] == 3
    assert samples[("zigttp_requests_total", (("status", "500"),))] == 1
    assert samples[("zigttp_requests_total", (("status", "404"),))] == 1
    assert samples[("zigttp_worker_requests_total", (("status", "200"), ("worker", "1")))] == 3


def test_latency_histogram_is_cumulative_and_complete(serve):
    server = serve(HANDLER, "--metrics")
    for _ in range(4):
        server.get("/x")
    samples = scrape(server)
    assert samples[("zigttp_request_duration_seconds_count", ())] == 4
    assert samples[("zigttp_request_duration_seconds_bucket", (("le", "+Inf"),))] == 4
    assert samples[("zigttp_request_duration_seconds_sum", ())] > 0


def test_pool_figures_are_exported(serve):
    server = serve(HANDLER, "--metrics", "-n", "3")
    server.get("/x")
    samples = scrape(server)
    assert samples[("zigttp_pool_size", ())] == 3
    assert samples[("zigttp_pool_exhausted_total", ())] == 0
    assert samples[("zigttp_pool_executions_total", ())] >= 1
    assert samples[("zigttp_pool_in_use", ())] == 0


def test_static_cache_figures_are_exported(serve, tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "a.txt").write_text("hello")
    server = serve(HANDLER, "--metrics", "--static", str(tmp_path / "public"))
    for _ in range(3):
        server.get("/a.txt")
    samples = scrape(server)
    assert samples[("zigttp_static_cache_misses_total", ())] == 1
    assert samples[("zigttp_static_cache_hits_total", ())] == 2
    assert samples[("zigttp_static_cache_hit_bytes_total", ())] == 10
    assert samples[("zigttp_static_cache_bytes", ())] == 5


def test_internal_paths_belong_to_the_handler_without_the_flag(serve):
    server = serve(HANDLER)
    assert server.get("/_zigttp/metrics").text == "ok /_zigttp/metrics"
    assert server.get("/_zigttp/health").text == "ok /_zigttp/health"


def test_health_alone(serve):
    server = serve(HANDLER, "--health")
    response = server.get("/_zigttp/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert server.get("/_zigttp/metrics").text == "ok /_zigttp/metrics"


def test_scrapes_are_not_counted_or_logged(serve):
    server = serve(HANDLER, "--metrics")
    scrape(server)
    samples = scrape(server)
    assert not any(name == "zigttp_requests_total" for name, _ in samples)
    assert "/_zigttp/metrics" not in server.stderr


def test_workers_are_reported_each_and_summed(serve):
    server = serve(HANDLER, "--metrics", "--workers", "2", "-n", "2")
    for index in range(20):
        requests.get(f"{server.url}/r{index}", headers={"Connection": "close"}, timeout=10)
    time.sleep(1.5)  # other workers publish their snapshot about once a second
    samples = scrape(server)
    per_worker = {
        labels: value for (name, labels), value in samples.items() if name == "zigttp_worker_requests_total"
    }
    assert {dict(labels)["worker"] for labels in per_worker} <= {"1", "2"}
    assert sum(per_worker.values()) == 20
    assert samples[("zigttp_requests_total", (("status", "200"),))] == 20
    assert samples[("zigttp_pool_size", ())] == 4


def test_a_stopped_server_stops_writing_its_metrics_snapshots() -> None:
    """An embedded server's snapshot writer ends with it (it took a snapshot every second for
    the rest of the process), and never brings back the state directory the server removed."""
    import os

    import zigttp

    handler = "function handler(req) { return Response.text('ok'); }"
    server = zigttp.Server(handler, zigttp.ServerConfig(port=0, metrics=True, quiet=True))
    server.start()
    assert requests.get(f"{server.url}/_zigttp/metrics", timeout=5).status_code == 200
    store, state_dir = server.dispatcher.store, server.state_dir
    taken: list[int] = []
    take = store.take
    store.take = lambda: (taken.append(1), take())[1]  # (counts the writer's snapshots)
    server.stop()
    time.sleep(1.5)  # (past the writer's one-second period)
    assert taken == []
    assert state_dir is not None and not os.path.exists(state_dir)
