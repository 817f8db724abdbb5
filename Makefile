# Quick start: `make run` (the app on http://localhost:8501) and `make test` (all tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/warroom.duckdb
PORT ?= 8501

.PHONY: run test check demo-db screenshots bench bench-smoke clean-db

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt | $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m warroom init --demo --db $(DB)

demo-db: $(DB)

run: $(VENV)/.installed $(DB)
	WARROOM_DB=$(DB) $(VENV)/bin/streamlit run server.py --server.port $(PORT)

# The whole suite, browser tests and the awkward-day runs (tests/test_awkward_days.py) included.
test: $(VENV)/.installed
	scripts/ensure-chromium
	$(PY) -m pytest -q tests --durations=15

# Lint (ruff: pyflakes, pycodestyle, import order) and types (mypy over warroom/ outside ui/).
check: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

screenshots: $(VENV)/.installed
	scripts/ensure-chromium
	WARROOM_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

bench: $(VENV)/.installed
	$(PY) -m bench

bench-smoke: $(VENV)/.installed
	$(PY) -m bench --smoke

clean-db:
	rm -f $(DB) $(DB).wal
