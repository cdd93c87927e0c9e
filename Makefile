# Everything runs from the project-local virtualenv .venv; nothing is installed system-wide.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
LAKE ?= lake
DATE ?= 2023-05-25

AIRFLOW_HOME ?= $(HOME)/airflow

.PHONY: setup demo test lint airflow airflow-home lock clean

setup: $(VENV)/.installed

# requirements.lock pins every transitive version (resolved with uv from pyproject.toml); uv installs it fast.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q -p $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

## Archive the bundled sample into ./lake and show what landed; ready the default Airflow home for `airflow dags test`.
demo: setup airflow-home
	$(BIN)/epaper run --date $(DATE) --lake $(LAKE)
	$(BIN)/epaper sql --lake $(LAKE) "SELECT page, coalesce(nullif(title, ''), '（无标题）') AS title, array_to_string(authors, ' ') AS authors, n_chars FROM articles WHERE issue_date = DATE '$(DATE)' ORDER BY article_id"

## The whole test suite. pytest's exit 5 (nothing collected) counts as a failure.
test: setup
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: setup
	$(BIN)/ruff check pipeline dags tests bench
	$(BIN)/ruff format --check pipeline dags tests bench
	$(BIN)/mypy

## Airflow standalone on 127.0.0.1 with the DAGs of dags/ and a local lake; prints URL and login.
airflow: setup
	bash docker/airflow-standalone.sh

## Airflow 3 refuses `airflow dags test` until its metadata DB is migrated: do it once for AIRFLOW_HOME (default
## ~/airflow) and point its dags/ at this project's DAGs (only when that home has no dags/ of its own).
airflow-home: setup
	@mkdir -p $(AIRFLOW_HOME)
	@[ -e $(AIRFLOW_HOME)/dags ] || ln -s $(CURDIR)/dags $(AIRFLOW_HOME)/dags
	@[ -f $(AIRFLOW_HOME)/airflow.db ] || AIRFLOW_HOME=$(AIRFLOW_HOME) $(BIN)/airflow db migrate >/dev/null 2>&1 || \
	  echo "warning: airflow db migrate failed for $(AIRFLOW_HOME)" >&2

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra airflow -p 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(LAKE) .state
