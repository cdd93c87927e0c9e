#!/usr/bin/env bash
# One command to see the pipeline in Airflow: `airflow standalone` (api-server + UI, scheduler, dag-processor,
# triggerer, LocalExecutor, SQLite) with everything kept under the project's ignored state folder.
#
#   docker/airflow-standalone.sh          # lake on local disk (./lake), source = bundled sample
#   docker/airflow-standalone.sh --s3     # lake on a local SeaweedFS (s3://epaper/lake), data in .state/s3
#
# It prints the URL and the login once Airflow answers, then keeps running until Ctrl-C (or SIGTERM), which
# stops every component. Settings (environment):
#   EPAPER_STATE_DIR     state folder (default: <project>/.state); AIRFLOW_HOME is $EPAPER_STATE_DIR/airflow
#   EPAPER_AIRFLOW_PORT  port of the UI/API on 127.0.0.1 (default 8080)
#   EPAPER_LAKE          lake (default: <project>/lake, which `epaper sql` reads by default)
#   EPAPER_SOURCE        source folder (default: unset = the bundled sample, works offline)
# The admin password is generated on first start and kept in $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${EPAPER_STATE_DIR:-$ROOT/.state}"
PORT="${EPAPER_AIRFLOW_PORT:-8080}"
USE_S3=0
for arg in "$@"; do
  case "$arg" in
    --s3) USE_S3=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -x "$ROOT/.venv/bin/airflow" ]]; then
  echo "no $ROOT/.venv/bin/airflow: install the project first (pip install -e '.[airflow,dev]' into .venv)" >&2
  exit 1
fi
if "$ROOT/.venv/bin/python" -c "import socket,sys; s=socket.socket(); s.settimeout(0.5); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "port $PORT on 127.0.0.1 is already in use: set EPAPER_AIRFLOW_PORT to another one" >&2
  exit 1
fi

mkdir -p "$STATE/airflow/config"
# Longer SQLite busy timeout for every Airflow process of this home, the CLI included (see the file's docstring).
cp "$ROOT/docker/airflow_local_settings.py" "$STATE/airflow/config/airflow_local_settings.py"
export PATH="$ROOT/.venv/bin:$PATH"
export AIRFLOW_HOME="$STATE/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__API__BASE_URL="http://127.0.0.1:$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$PORT/execution/"
export AIRFLOW__API__EXPOSE_CONFIG=False
export EPAPER_LAKE="${EPAPER_LAKE:-$ROOT/lake}"

# Start a command in the background in its own session (so a terminal's Ctrl-C reaches only this script, which
# forwards it once) with SIGINT at its default: bash starts background jobs of a script with SIGINT ignored, and
# a Python started that way never raises KeyboardInterrupt, so `airflow standalone` could not be stopped cleanly.
background() {
  setsid "$ROOT/.venv/bin/python" -c \
    'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@" &
}

airflow_pid=""
s3_pid=""
gone() {  # gone PID SECONDS: wait until the process has exited, at most SECONDS
  for _ in $(seq 1 "$2"); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  return 1
}
stop() {
  # airflow standalone stops its components on SIGINT (KeyboardInterrupt); SIGTERM would orphan them.
  # The S3 server goes last (Airflow may still be writing to it); it stops on SIGTERM.
  if [[ -n "$airflow_pid" ]]; then
    kill -INT "$airflow_pid" 2>/dev/null || true
    # Past 90 s, kill its whole process group (setsid made it the group's leader): its components with it.
    gone "$airflow_pid" 90 || kill -KILL -- "-$airflow_pid" 2>/dev/null || true
  fi
  if [[ -n "$s3_pid" ]]; then
    kill -TERM "$s3_pid" 2>/dev/null || true
    gone "$s3_pid" 30 || kill -KILL "$s3_pid" 2>/dev/null || true
  fi
  rm -f "$STATE/airflow-standalone.pids"
}
trap 'stop; exit 0' INT TERM

if [[ "$USE_S3" == 1 ]]; then
  rm -f "$STATE/s3.env"
  background python "$ROOT/tests/s3server.py" --dir "$STATE/s3" --port "${EPAPER_S3_PORT:-8333}" \
    --env-file "$STATE/s3.env" > "$STATE/s3.log" 2>&1
  s3_pid="$!"
  for _ in $(seq 1 60); do [[ -s "$STATE/s3.env" ]] && break; sleep 0.5; done
  [[ -s "$STATE/s3.env" ]] || { echo "SeaweedFS did not start; see $STATE/s3.log" >&2; stop; exit 1; }
  set -a; source "$STATE/s3.env"; set +a
  export EPAPER_LAKE="s3://${S3_BUCKET:-epaper}/lake"
fi

cd "$STATE"
background airflow standalone
airflow_pid="$!"
echo "$$ $airflow_pid $s3_pid" > "$STATE/airflow-standalone.pids"  # this script, standalone, SeaweedFS (if any)

url="http://127.0.0.1:$PORT"
for _ in $(seq 1 240); do
  if python -c "import sys,urllib.request; urllib.request.urlopen('$url/api/v2/monitor/health', timeout=2)" 2>/dev/null; then
    break
  fi
  kill -0 "$airflow_pid" 2>/dev/null || { echo "airflow standalone exited" >&2; stop; exit 1; }
  sleep 1
done
password_file="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
password="$(python -c "import json,sys; print(json.load(open(sys.argv[1]))['admin'])" "$password_file" 2>/dev/null || echo '?')"
cat <<EOF

==================================================================================================
 Airflow is up:  $url
 Login:          admin / $password
                 (password kept in $password_file)
 DAGs folder:    $ROOT/dags        AIRFLOW_HOME: $AIRFLOW_HOME
 Lake:           $EPAPER_LAKE
 Source:         ${EPAPER_SOURCE:-bundled sample (pipeline/samples)}
 Try it:         open epaper_daily, Trigger, logical date 2023-05-25 (or conf {"issue_date": "2023-05-25"})
 Stop:           Ctrl-C
==================================================================================================

EOF
wait "$airflow_pid" || true
stop
