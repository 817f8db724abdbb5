# Quick start: `make run` (the app on http://localhost:8501) and `make test` (all tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/warroom.duckdb
PORT ?= 8501

.PHONY: run test demo-db screenshots bench bench-smoke clean-db

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m warroom init --demo --db $(DB)

demo-db: $(DB)

run: $(VENV)/.installed $(DB)
	WARROOM_DB=$(DB) $(VENV)/bin/streamlit run server.py --server.port $(PORT)

test: $(VENV)/.installed
	scripts/ensure-chromium
	$(PY) -m pytest -q tests

screenshots: $(VENV)/.installed
	scripts/ensure-chromium
	WARROOM_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

bench: $(VENV)/.installed
	$(PY) -m bench

bench-smoke: $(VENV)/.installed
	$(PY) -m bench --smoke

clean-db:
	rm -f $(DB) $(DB).wal
