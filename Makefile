# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The SQL engine, SQLite compiled for WASI: built here (same bytes on every machine, pinned).
SQLITE_WASM := runtime/sqlite/sqlite.wasm
# JSONata's library for the jsonata language: fetched from npm, pinned by sha256.
JSONATA_JS := runtime/jsonata/jsonata.js
# Valid-program corpus for the JS-light checker's tests (fetched once; tests skip without node/npm).
TEST262 := .cache/npm/node_modules/test262-parser-tests/package.json

# Debian's Chromium, where report.html is tested (installed when we are root with apt; else the test skips).
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint perf bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,ray]'
	touch $(STAMP)

$(SQLITE_WASM): $(STAMP) runtime/sqlite/shim.c runtime/sqlite/build.py runtime/engines.toml
	$(PY) runtime/sqlite/build.py

$(JSONATA_JS): $(STAMP) runtime/jsonata/build.py runtime/engines.toml
	$(PY) runtime/jsonata/build.py

demo: $(STAMP) $(SQLITE_WASM) $(JSONATA_JS)
	$(PY) -m worlds.demo

lint: $(STAMP)
	$(PY) -m ruff check worlds tests bench
	$(PY) -m mypy

$(TEST262):
	command -v npm >/dev/null 2>&1 && npm install --no-save --prefix .cache/npm test262-parser-tests@0.0.5 \
		|| echo "npm not found: the test262 parser cases will be skipped"

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get install -y -qq chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); \
	else echo "not root with apt: report.html's browser test will be skipped (apt-get install chromium)"; fi

test: $(STAMP) $(SQLITE_WASM) $(JSONATA_JS) $(TEST262) $(CHROMIUM) lint bindings-test
	$(PY) -m pytest -q -p no:cacheprovider
	BENCH_PROGRESS=0 $(PY) -m pytest bench/

# Every bench task with the offline agents (reference, fixit); traces and report in bench/out.
bench: $(STAMP) $(SQLITE_WASM) $(JSONATA_JS)
	$(PY) -m pytest bench/

# The TypeScript client's test starts a real `worlds serve --http` with this venv's Python.
.PHONY: bindings-test
bindings-test: $(STAMP) $(SQLITE_WASM) $(JSONATA_JS)
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix bindings/typescript --no-audit --no-fund && \
		WORLDS_PYTHON=$(abspath $(PY)) npm test --prefix bindings/typescript; \
	else \
		echo "npm not found: skipping the TypeScript client's test (bindings/typescript)"; \
	fi

perf: $(STAMP) $(SQLITE_WASM) $(JSONATA_JS)
	$(PY) -m pip install --quiet -e '.[perf]' || echo "peers not installable; measuring worlds alone"
	$(PY) bench/perf/run.py
	$(PY) bench/perf/serve.py
	$(PY) bench/perf/scale.py
	$(PY) bench/perf/jsonata.py
	$(PY) bench/perf/host.py
	$(PY) bench/perf/ray_runs.py
	$(PY) bench/perf/ray_episodes.py

clean:
	rm -rf $(VENV) build dist *.egg-info $(SQLITE_WASM) $(JSONATA_JS)
