# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint perf clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m worlds.demo

lint: $(STAMP)
	$(PY) -m ruff check worlds tests bench
	$(PY) -m mypy

test: $(STAMP) lint
	$(PY) -m pytest -q -p no:cacheprovider

perf: $(STAMP)
	$(PY) -m pip install --quiet -e '.[perf]' || echo "peers not installable; measuring worlds alone"
	$(PY) bench/perf/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info
