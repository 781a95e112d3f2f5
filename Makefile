# Two commands do all set-up on a fresh Debian 12 / Ubuntu 24.04 machine with Python 3.11-3.13:
#   make run    create the virtual environment if needed, install, start the console
#   make test   same set-up, then the whole test suite offscreen
#   make bundle a PyInstaller one-folder bundle in dist/dho-console/ and a .deb beside it
SHELL := /bin/bash
# The first of these that exists; `make PYTHON=/path/to/python3.12` chooses another.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null && { command -v $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Two test processes (pytest-xdist), each test module in one of them so a module's seeded
# backend is made once: about 7 minutes on 2 cores where one process took over 10, since
# many tests wait on a backend's clock. `make test XDIST=` runs them in one process.
XDIST ?= -n 2 --dist loadscope

.PHONY: run test lint typecheck sysdeps venv translations benchmarks screenshot bundle clean

$(STAMP): pyproject.toml constraints.txt
	@bash packaging/check-python.sh "$(PYTHON)" "$(BIN)/python"
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
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

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

# Linux: dist/dho-console/ (program dist/dho-console/dho-console) and dist/dho-console_*.deb.
# Windows: the same spec on Windows, then packaging/windows/dho-console.iss (Inno Setup).
bundle: sysdeps $(STAMP)
	@bash packaging/system-deps.sh bundle
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/dho-console.spec
	bash packaging/linux/make-deb.sh dist/dho-console dist

clean:
	rm -rf $(VENV) build dist *.egg-info
