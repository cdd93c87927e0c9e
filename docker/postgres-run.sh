#!/usr/bin/env bash
# The compose configuration, natively: Airflow 3.3.2 with LocalExecutor on a real PostgreSQL (Debian's package,
# started here on 127.0.0.1), its own components (api-server, scheduler, dag-processor, triggerer) as separate
# processes, and one DAG run of epaper_daily for 2023-05-25 that must end in success.
#
#   docker/postgres-run.sh            # exit 0 when the run succeeded and the lake holds the day
#
# Installs postgresql with apt-get when it is missing (needs root, as on CI machines, which start clean). As root,
# the server runs as the `postgres` user (PostgreSQL refuses root). Everything lives in a temporary folder
# ($EPAPER_PG_STATE, default mktemp), removed on success and kept (with logs) on failure. The server, the Airflow
# components and the folder are cleaned up on any exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_BIN="$ROOT/.venv/bin"
DATE="2023-05-25"
RUN_ID="pg-sample-$DATE"
STATE="${EPAPER_PG_STATE:-$(mktemp -d /tmp/epaper-pg.XXXXXX)}"
mkdir -p "$STATE"
chmod 755 "$STATE"

log() { printf '[postgres-run] %s\n' "$*"; }
free_port() { "$VENV_BIN/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

# --- PostgreSQL --------------------------------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [[ -z "$(pg_bin)" ]]; then
  [[ "$(id -u)" == 0 ]] || { echo "postgresql is not installed and this is not root: apt-get install postgresql" >&2; exit 1; }
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(pg_bin)"
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PG_PORT="$(free_port)"
PG_DATA="$STATE/pgdata"
PG_SOCK="$STATE/pgsock"
PG_PASSWORD="$("$VENV_BIN/python" -c 'import secrets; print(secrets.token_hex(16))')"
mkdir -p "$PG_SOCK" "$PG_DATA"
chmod 700 "$PG_DATA"
umask 077
printf '%s\n' "$PG_PASSWORD" > "$STATE/pgpass"
umask 022
if [[ "$(id -u)" == 0 ]]; then chown postgres "$STATE/pgpass" "$PG_SOCK" "$PG_DATA"; fi

pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ -f "$PG_DATA/postmaster.pid" ]]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true; fi
  if [[ "$status" == 0 && -z "${EPAPER_PG_STATE:-}" ]]; then
    rm -rf "$STATE"
  elif [[ "$status" != 0 ]]; then
    log "failed (exit $status); logs kept in $STATE"
    for f in "$STATE"/logs/*.log "$STATE/postgres.log"; do
      [[ -f "$f" ]] && { echo "--- tail $f"; tail -n 25 "$f"; }
    done
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "initdb + start PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U airflow --pwfile="$STATE/pgpass" --auth-host=scram-sha-256 \
  --auth-local=peer -E UTF8 >/dev/null
touch "$STATE/postgres.log"
if [[ "$(id -u)" == 0 ]]; then chown postgres "$STATE/postgres.log"; fi
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK" start >/dev/null
export PGPASSWORD="$PG_PASSWORD"
psql_q() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U airflow -d airflow -tAc "$1"; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U airflow airflow
log "$(psql_q 'select version()' | cut -d, -f1)"

# --- Airflow, configured as in docker/compose.yaml ---------------------------------------------------------------
API_PORT="$(free_port)"
export PATH="$VENV_BIN:$PATH"
export AIRFLOW_HOME="$STATE/airflow"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow:$PG_PASSWORD@127.0.0.1:$PG_PORT/airflow"
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM=4
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=False  # only the run triggered below, no cron runs
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="$API_PORT"
export AIRFLOW__API__BASE_URL="http://127.0.0.1:$API_PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$API_PORT/execution/"
export EPAPER_LAKE="$STATE/lake"
unset EPAPER_SOURCE EPAPER_CONN_ID
mkdir -p "$STATE/logs"

log "airflow db migrate"
airflow db migrate >"$STATE/logs/migrate.log" 2>&1
for component in api-server scheduler dag-processor triggerer; do
  airflow "$component" >"$STATE/logs/$component.log" 2>&1 &
  pids+=("$!")
done
log "started api-server, scheduler, dag-processor, triggerer (LocalExecutor)"

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { log "a component died while waiting for $what"; return 1; }; done
    sleep 1
  done
  log "timed out waiting for $what"
  return 1
}
dag_parsed() { [[ "$(psql_q "select count(*) from dag where dag_id = 'epaper_daily'")" == 1 ]]; }
wait_for 180 "epaper_daily to be parsed" dag_parsed

log "trigger epaper_daily $DATE (run $RUN_ID)"
airflow dags trigger epaper_daily --logical-date "${DATE}T00:00:00+00:00" --run-id "$RUN_ID" >"$STATE/logs/trigger.log" 2>&1
run_done() { [[ "$(psql_q "select state from dag_run where run_id = '$RUN_ID'")" =~ ^(success|failed)$ ]]; }
wait_for 300 "run $RUN_ID to finish" run_done
state="$(psql_q "select state from dag_run where run_id = '$RUN_ID'")"
log "task instances (from PostgreSQL):"
psql_q "select task_id || '[' || map_index || '] ' || state from task_instance where run_id = '$RUN_ID' order by task_id, map_index" \
  | sed 's/^/    /'
log "dag run $RUN_ID: $state"
[[ "$state" == success ]]
test -d "$EPAPER_LAKE/articles/_delta_log"
ls "$EPAPER_LAKE/articles/paper=dqnews/year=${DATE:0:4}/"*.parquet >/dev/null
log "lake: $(find "$EPAPER_LAKE" -name '*.parquet' -not -path '*/_delta_log/*' | wc -l) Delta data file(s) under $EPAPER_LAKE"
