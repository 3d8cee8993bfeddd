# The two README commands: `make serve` and `make test`. Both bootstrap .venv idempotently.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The engine extension is compiled at install (setup.py): reinstall when its C sources change.
ENGINE_SOURCES := setup.py $(wildcard native/engine/*.c native/engine/*.h vendor/quickjs-ng/*.c vendor/quickjs-ng/*.h vendor/llhttp/*.c vendor/llhttp/*.h)

.PHONY: serve test lint bench clean check-deploy sanitize

$(STAMP): pyproject.toml $(ENGINE_SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/zigttp serve examples/hello.js

# `make test` runs exactly what `make lint` runs (so CI, which runs `make test`, catches a
# formatting drift), then the suite.
test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check zigttp tests bench
	$(BIN)/ruff format --check zigttp tests bench

# The engine extension under AddressSanitizer + UBSan (build/sanitize/) and its tests on it;
# `make test` runs this too (tests/engine/test_sanitizer.py). docs/fuzzing.md.
sanitize: $(STAMP)
	PYTHON=$(BIN)/python native/sanitize.sh

bench: $(STAMP)
	$(BIN)/zigttp bench

check-deploy: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[deploy-check]'
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q tests/deploy

clean:
	rm -rf $(VENV) build *.egg-info zigttp/runtime/_engine*.so
