"""The one-command local Airflow (`docker/airflow-standalone.sh`), driven as a newcomer would, but by machine.

The script is started in a temporary state folder on a free port; the sample date is triggered through the REST
API (`/api/v2`, JWT from `/auth/token` with the generated admin password), the run is awaited, its task instances
are checked (one mapped `page.fetch` and `page.segment` per page), headless Chromium logs into the UI through chromedriver (plain
W3C WebDriver over HTTP, no extra Python package) and screenshots the DAG's grid view, and the script is stopped
with SIGTERM, which must stop every Airflow component.

Screenshots are kept in `.state/screenshots/` (ignored): `epaper_daily_grid.png` and `epaper_daily_mapped.png`.
Chromium and chromedriver are Debian's packages; they are installed when missing (as root), like CI needs.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import lake_state

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docker" / "airflow-standalone.sh"
SHOTS = ROOT / ".state" / "screenshots"
RUN_ID = "sample-2023-05-25"

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Standalone:
    proc: subprocess.Popen[bytes]
    url: str
    port: int
    state: Path
    lake: Path
    log: Path

    @property
    def password(self) -> str:
        data = json.loads((self.state / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())
        return str(data["admin"])

    def api(self) -> httpx.Client:
        token = httpx.post(
            f"{self.url}/auth/token", json={"username": "admin", "password": self.password}, timeout=30
        ).raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        return httpx.Client(base_url=f"{self.url}/api/v2", headers=headers, timeout=120)

    def stop(self, timeout: float = 150) -> int | None:
        """SIGTERM to the script (it forwards SIGINT to `airflow standalone`); kill what is left after `timeout`
        (longer than the script's own 90 s + 30 s, so a slow stop is the script's to finish)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(self.state / "airflow-standalone.pids")
            self.proc.kill()
            return None


def _descendants(pid: int) -> list[int]:
    out = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if Path(f"/proc/{pid}").exists() else []:
        out += [int(child), *_descendants(int(child))]
    return out


def _kill_tree(pid_file: Path) -> None:
    """Last resort after a failed clean stop: kill the processes this test's script started, by pid."""
    if not pid_file.exists():
        return
    for pid in (int(p) for p in pid_file.read_text().split()):
        for victim in [*_descendants(pid), pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    base = tmp_path_factory.mktemp("standalone")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EPAPER_"))}
    env.update(EPAPER_STATE_DIR=str(base / "state"), EPAPER_AIRFLOW_PORT=str(port), EPAPER_LAKE=str(base / "lake"))
    # No cron runs (the latest 07:30 run would otherwise start on unpause and, some hours of the day, wait for an
    # issue): the grid then shows exactly the run this test triggers.
    env["AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE"] = "False"
    log = base / "standalone.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["bash", str(SCRIPT)], env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Standalone(proc, f"http://127.0.0.1:{port}", port, base / "state", base / "lake", log)
    try:
        deadline = time.monotonic() + 240
        while "Airflow is up" not in log.read_text(errors="replace"):
            assert proc.poll() is None, f"script exited:\n{log.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, f"not up in 240 s:\n{log.read_text(errors='replace')[-3000:]}"
            time.sleep(1)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sample_run(standalone: Standalone) -> dict[str, Any]:
    """Trigger 2023-05-25 through the REST API once the DAG is parsed; wait for the run to finish."""
    with standalone.api() as api:
        deadline = time.monotonic() + 120
        while api.get("/dags/epaper_daily").status_code != 200:
            assert time.monotonic() < deadline, "epaper_daily never showed up"
            time.sleep(2)
        created = api.post(
            "/dags/epaper_daily/dagRuns", json={"dag_run_id": RUN_ID, "logical_date": "2023-05-25T00:00:00Z"}
        )
        assert created.status_code == 200, created.text
        deadline = time.monotonic() + 240
        while (run := api.get(f"/dags/epaper_daily/dagRuns/{RUN_ID}").json())["state"] not in ("success", "failed"):
            assert time.monotonic() < deadline, f"run still {run['state']}"
            time.sleep(2)
        tis = api.get(f"/dags/epaper_daily/dagRuns/{RUN_ID}/taskInstances").json()["task_instances"]
    return {"run": run, "tis": tis}


def test_the_script_prints_url_and_login(standalone: Standalone) -> None:
    text = standalone.log.read_text(errors="replace")
    assert f"Airflow is up:  {standalone.url}" in text
    assert f"Login:          admin / {standalone.password}" in text
    assert str(standalone.state / "airflow") in text  # AIRFLOW_HOME inside the state folder
    # Every Airflow process of that home (the CLI of the backfill test too) imports the SQLite busy-timeout settings.
    local_settings = standalone.state / "airflow" / "config" / "airflow_local_settings.py"
    assert local_settings.read_bytes() == (ROOT / "docker" / "airflow_local_settings.py").read_bytes()


def test_sample_date_triggered_over_rest_succeeds_with_mapped_pages(
    standalone: Standalone, sample_run: dict[str, Any]
) -> None:
    assert sample_run["run"]["state"] == "success", sample_run
    states = {(t["task_id"], t["map_index"]): t for t in sample_run["tis"]}
    assert {k[0] for k in states} == {
        "resolve_issue_date", "wait_for_issue", "list_pages", "page.fetch", "page.segment", "stitch", "publish",
        "check_quality",
    }  # fmt: skip
    assert all(t["state"] == "success" for t in sample_run["tis"]), states
    for task_id in ("page.fetch", "page.segment"):
        mapped = [t for t in sample_run["tis"] if t["task_id"] == task_id]
        assert [(t["map_index"], t["rendered_map_index"]) for t in mapped] == [(0, "page 01")]
    assert lake_state(standalone.lake)["issues"][0]["issue_date"] == dt.date(2023, 5, 25)  # type: ignore[index]


def test_backfill_create_runs_each_issue_day(standalone: Standalone, sample_run: dict[str, Any]) -> None:
    """The documented `airflow backfill create` over 2023-05-24..26 (local 07:30 bounds): 25 archived, 24/26 skipped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EPAPER_"))}
    env.update(AIRFLOW_HOME=str(standalone.state / "airflow"), AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"))
    bounds = ["--from-date", "2023-05-24T07:30:00+08:00", "--to-date", "2023-05-26T07:30:00+08:00"]
    created = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "airflow"), "backfill", "create", "--dag-id", "epaper_daily", *bounds],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert created.returncode == 0, (created.stdout + created.stderr)[-3000:]
    with standalone.api() as api:
        deadline = time.monotonic() + 240
        while True:
            runs = api.get("/dags/epaper_daily/dagRuns", params={"run_type": "backfill"}).json()["dag_runs"]
            if len(runs) == 3 and all(r["state"] in ("success", "failed") for r in runs):
                break
            assert time.monotonic() < deadline, runs
            time.sleep(2)
        by_issue = {}
        for r in runs:
            tis = api.get(f"/dags/epaper_daily/dagRuns/{quote(r['dag_run_id'], safe='')}/taskInstances").json()
            states = {t["task_id"]: t["state"] for t in tis["task_instances"]}
            issue = _issue_of(r["logical_date"])
            by_issue[issue] = (r["state"], states["wait_for_issue"], states["publish"])
    assert by_issue == {
        "2023-05-24": ("success", "skipped", "skipped"),
        "2023-05-25": ("success", "success", "success"),
        "2023-05-26": ("success", "skipped", "skipped"),
    }


def _issue_of(logical_date: str) -> str:
    """Local (Asia/Shanghai) date of an API timestamp: the issue the run archived."""
    from zoneinfo import ZoneInfo

    moment = dt.datetime.fromisoformat(logical_date.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_browser_logs_in_and_screenshots_the_grid(standalone: Standalone, sample_run: dict[str, Any]) -> None:
    _ensure_chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with WebDriver() as browser:
        browser.get(f"{standalone.url}/")
        browser.type("input[name='username']", "admin")
        browser.type("input[name='password']", standalone.password)
        browser.click("button[type='submit']")
        browser.wait_for(lambda: "/auth/login" not in browser.current_url(), "login did not go through")
        browser.get(f"{standalone.url}/dags/epaper_daily")
        browser.wait_for(lambda: "stitch" in browser.source(), "grid with the task list did not render")
        time.sleep(2)  # let the grid's bars finish drawing
        grid = browser.screenshot(SHOTS / "epaper_daily_grid.png")
        browser.get(f"{standalone.url}/dags/epaper_daily/runs/{RUN_ID}/tasks/page.segment/mapped")
        browser.wait_for(lambda: "page 01" in browser.source(), "mapped task list did not render")
        time.sleep(1)
        mapped = browser.screenshot(SHOTS / "epaper_daily_mapped.png")
    assert grid.stat().st_size > 20_000 and mapped.stat().st_size > 10_000


def test_sigterm_stops_every_component(standalone: Standalone, sample_run: dict[str, Any]) -> None:
    pids = [int(p) for p in (standalone.state / "airflow-standalone.pids").read_text().split()]
    tree = [d for pid in pids for d in _descendants(pid)]
    assert standalone.stop() == 0, standalone.log.read_text(errors="replace")[-3000:]
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(1)
    left = [pid for pid in tree if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
    assert not left, f"still running after stop: {left}"
    assert not port_open(standalone.port)
    assert "Shutting down components" in standalone.log.read_text(errors="replace")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


# --- a minimal W3C WebDriver client for chromedriver -----------------------------------------------------------

CHROME_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
    "--window-size=1600,1000",
]


def _ensure_chromium() -> None:
    """Debian's chromium and chromium-driver; installed with apt-get when missing (CI machines start clean)."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if os.geteuid() != 0:
        pytest.fail("chromium and chromedriver are missing: apt-get install chromium chromium-driver")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True, timeout=600)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
        check=True, env=env, capture_output=True, timeout=900,
    )  # fmt: skip


class WebDriver:
    """Just enough WebDriver: open a page, type, click, read the URL and source, take a screenshot."""

    def __init__(self) -> None:
        self.port = free_port()
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        self.session = ""

    def __enter__(self) -> WebDriver:
        self.wait_for(self._driver_ready, "chromedriver did not start", timeout=30)
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": shutil.which("chromium"), "args": CHROME_ARGS},
        }
        reply = self.http.post("/session", json={"capabilities": {"alwaysMatch": caps}}).raise_for_status()
        self.session = f"/session/{reply.json()['value']['sessionId']}"
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.session:
                self.http.delete(self.session)
        finally:
            self.http.close()
            self.driver.terminate()
            self.driver.wait(20)

    def _driver_ready(self) -> bool:
        try:
            return self.http.get("/status").status_code == 200
        except httpx.HTTPError:
            return False

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        reply = self.http.request(method, f"{self.session}{path}", json=body)
        reply.raise_for_status()
        return reply.json()["value"]

    def get(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def current_url(self) -> str:
        return str(self._call("GET", "/url"))

    def source(self) -> str:
        return str(self._call("GET", "/source"))

    def find(self, css: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            reply = self.http.post(f"{self.session}/element", json={"using": "css selector", "value": css})
            if reply.status_code == 200:
                return str(next(iter(reply.json()["value"].values())))
            assert time.monotonic() < deadline, f"no element {css!r} on {self.current_url()}"
            time.sleep(0.5)

    def type(self, css: str, text: str) -> None:
        self._call("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css: str) -> None:
        self._call("POST", f"/element/{self.find(css)}/click", {})

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self._call("GET", "/screenshot")))
        return path

    def wait_for(self, condition: Any, message: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, message
            time.sleep(0.5)
