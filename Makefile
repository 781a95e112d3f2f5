# Two commands do all set-up on a fresh Debian 12 machine with Python 3.11:
#   make run    create the virtual environment if needed, install, start the console
#   make test   same set-up, then the whole test suite offscreen
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck sysdeps venv translations benchmarks screenshot clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=23"
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@# An editable install compiles nothing; cached bytecode saves ~0.5 s at every start.
	$(BIN)/python -m compileall -q console widgets server >/dev/null || true
	@touch $@

venv: $(STAMP)

# Installs the shared libraries Qt needs when we are root on Debian/Ubuntu; otherwise only checks.
sysdeps:
	@bash packaging/system-deps.sh

run: sysdeps $(STAMP)
	@$(BIN)/python -m compileall -q console widgets server >/dev/null || true
	$(BIN)/dho-console $(ARGS)

test: sysdeps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy console widgets server

# Regenerate the Qt Linguist sources from the code, then compile them.
translations: $(STAMP)
	$(BIN)/python packaging/translations.py update
	$(BIN)/python packaging/translations.py release

benchmarks: sysdeps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

screenshot: sysdeps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/dho-console --screenshot docs/screenshot-patients.png $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
