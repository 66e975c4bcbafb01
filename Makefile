# The two commands: `make demo` and `make test`. Both set up .venv themselves.
# `make demo-group`: the demo group of three stores (storeops demo --group) and its group daily.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := storeops
SCALE ?= 1
DATE ?=
GROUP ?= data/demo-group
# test processes (pytest-xdist), one per core; a test module stays in one process with its fixtures
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: demo demo-group test bench lab clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "storeops" >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/storeops demo --scale $(SCALE)
	$(BIN)/storeops run daily $(if $(DATE),--date $(DATE),)

demo-group: $(STAMP)
	$(BIN)/storeops demo --group $(GROUP) --scale $(SCALE)
	$(BIN)/storeops run group-daily --group $(GROUP) --stores $(if $(DATE),--date $(DATE),)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

lab: $(STAMP)
	$(BIN)/pip install --quiet -e '.[lab]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal
