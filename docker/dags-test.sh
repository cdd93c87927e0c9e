#!/usr/bin/env bash
# `airflow dags test epaper_daily DATE` that also works from a fresh AIRFLOW_HOME.
#
#   docker/dags-test.sh [DATE] [DAG_ID]        # default 2023-05-25 epaper_daily
#
# Airflow 3.3's `dags test` refuses to start on an uninitialised metadata DB (it exits 1 with "Database migration
# required. Please run `airflow db migrate`"), so this runs `airflow db migrate` first when the DB needs it.
# AIRFLOW_HOME defaults to <project>/.state/airflow-cli, the DAGs folder to <project>/dags; EPAPER_LAKE and
# EPAPER_SOURCE are passed through (defaults: ./lake, the bundled sample). Exits with `dags test`'s status.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATE="${1:-2023-05-25}"
DAG_ID="${2:-epaper_daily}"
export PATH="$ROOT/.venv/bin:$PATH"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$ROOT/.state/airflow-cli}"
export AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$ROOT/dags}"
export AIRFLOW__CORE__LOAD_EXAMPLES="${AIRFLOW__CORE__LOAD_EXAMPLES:-False}"
mkdir -p "$AIRFLOW_HOME"
if ! airflow db check-migrations --migration-wait-timeout 0 >/dev/null 2>&1; then
  echo "initialising the metadata DB of $AIRFLOW_HOME (airflow db migrate)" >&2
  airflow db migrate >/dev/null
fi
exec airflow dags test "$DAG_ID" "$DATE"
