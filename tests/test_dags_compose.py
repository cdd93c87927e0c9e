"""`docker/compose.yaml` and `docker/Dockerfile`, checked for structure (there is no Docker engine here).

What is checked is what would break a `docker compose up`: services and their order, health checks, the Celery
profile, the image built from the Dockerfile of the pinned Airflow version, settings the DAGs actually read, and
that no secret is written in the files (every one is a `${VAR:?…}` from `.env`).
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"}
ONE_SHOT = {"airflow-init", "s3-init"}
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")  # `$${X}` is the container's
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def interpolate(value: str) -> str:
    """Compose-style `${VAR}`, `${VAR:-default}`, `${VAR:?error}` with a dummy value for every variable."""
    return INTERPOLATION.sub(lambda m: f"dummy-{m.group(1).lower()}", value)


def env_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment as a mapping"
    return {k: str(v) for k, v in env.items()}


def test_services_of_the_production_shape(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) >= {"postgres", "seaweedfs", *AIRFLOW_SERVICES, *ONE_SHOT, "redis", "airflow-worker"}
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no", name
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no health check"


def test_airflow_services_share_the_project_image_and_wait_for_their_dependencies(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in AIRFLOW_SERVICES | {"airflow-worker"}:
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
        assert service["image"] == f"epaper-airflow:{version('apache-airflow')}"
        deps = service["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["airflow-init"]["condition"] == "service_completed_successfully"
        assert deps["s3-init"]["condition"] == "service_completed_successfully"
    assert services["s3-init"]["depends_on"] == {"seaweedfs": {"condition": "service_healthy"}}
    assert services["airflow-init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    commands = {name: services[name]["command"] for name in AIRFLOW_SERVICES}
    assert commands == {
        "airflow-apiserver": ["api-server"],
        "airflow-scheduler": ["scheduler"],
        "airflow-dag-processor": ["dag-processor"],
        "airflow-triggerer": ["triggerer"],
    }


def test_celery_profile_is_opt_in(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["redis"]["profiles"] == ["celery"]
    assert services["airflow-worker"]["profiles"] == ["celery"]
    assert services["airflow-worker"]["command"] == ["celery", "worker"]
    assert services["airflow-worker"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert not [n for n, s in services.items() if "profiles" in s and n not in ("redis", "airflow-worker")]
    env = env_of(services["airflow-scheduler"])
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379/")
    header = (DOCKER / "compose.yaml").read_text(encoding="utf-8").split("\nname:")[0]
    assert "AIRFLOW_EXECUTOR=CeleryExecutor docker compose --profile celery up" in header


def test_settings_the_dags_read_point_at_postgres_and_the_s3_store(compose: dict[str, Any]) -> None:
    services = compose["services"]
    env = {k: interpolate(v) for k, v in env_of(services["airflow-scheduler"]).items()}
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert env["EPAPER_LAKE"].startswith("s3://")
    conn_id = env["EPAPER_CONN_ID"]
    conn = json.loads(env[f"AIRFLOW_CONN_{conn_id.upper()}"])
    assert conn["conn_type"] == "aws"
    s3_port = re.search(r"-s3\.port=(\d+)", " ".join(services["seaweedfs"]["command"]))
    assert s3_port and conn["extra"]["endpoint_url"] == f"http://seaweedfs:{s3_port.group(1)}"
    daily = (ROOT / "dags" / "epaper_daily.py").read_text(encoding="utf-8")
    assert 'os.environ.get("EPAPER_CONN_ID")' in daily and "EPAPER_LAKE" in daily
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "airflow"


def test_no_secret_is_written_in_the_files(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in env_of(service).items():
            if SECRET_NAME.search(key):
                assert INTERPOLATION.fullmatch(value), f"{name}: {key} must come from .env, not be written here"
        for key, value in env_of(service).items():
            for url in re.findall(r"\w+(?:\+\w+)?://[^\s\"]+", value):
                userinfo = url.split("://", 1)[1].split("@")[0] if "@" in url else ""
                if ":" in userinfo:
                    assert INTERPOLATION.search(userinfo.split(":", 1)[1]), f"{name}: password in {key}"
        conn = env_of(service).get("AIRFLOW_CONN_EPAPER_S3")
        if conn:
            parsed = json.loads(conn)
            assert INTERPOLATION.fullmatch(parsed["login"]) and INTERPOLATION.fullmatch(parsed["password"])
    lines = (DOCKER / "compose.yaml").read_text(encoding="utf-8").splitlines()
    required = {m.group(1) for line in lines if not line.lstrip().startswith("#") for m in INTERPOLATION.finditer(line)}
    example = (DOCKER / "compose.env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, re.MULTILINE))
    assert required <= documented, f"undocumented in compose.env.example: {sorted(required - documented)}"


def test_ports_are_published_on_loopback_only(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_dockerfile_builds_on_the_pinned_airflow_and_installs_the_project() -> None:
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert froms == [f"apache/airflow:{version('apache-airflow')}-python3.11"]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"apache-airflow=={version("apache-airflow")}"' in pyproject
    assert re.search(r"COPY .*pipeline /opt/epaper/pipeline", text)
    assert re.search(r"COPY .*dags /opt/airflow/dags", text)
    assert '"apache-airflow==${AIRFLOW_VERSION}" "/opt/epaper[airflow]"' in text
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".state", "lake", ".git"} <= set(ignore)
