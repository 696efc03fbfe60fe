# Intake Desktop — `make run` starts the app, `make test` runs every check.
# Both set up everything they need on a fresh Debian machine with only Python.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSDEPS_STAMP := $(VENV)/.sysdeps

.PHONY: run test test-postgres lint typecheck unit clock sysdeps bench clean translations

run: $(STAMP) $(SYSDEPS_STAMP)
	$(PY) -m intake_desktop --test-mode=auto

test: $(STAMP) $(SYSDEPS_STAMP) lint typecheck unit clock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $@

# Qt (even offscreen) needs EGL/GL, fontconfig and xkbcommon; the viewer and slips need a
# font with Vietnamese glyphs. Installed only when missing, and only where we may (root).
$(SYSDEPS_STAMP): .ci/sysdeps | $(VENV)/bin/python
	bash .ci/sysdeps
	touch $@

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy intake_desktop

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The suite again with every live store on a PostgreSQL server the tests start themselves
# (an office's shared database); installs Debian's postgresql package when missing.
test-postgres: $(STAMP) $(SYSDEPS_STAMP)
	INTAKE_SYSDEPS_POSTGRES=1 bash .ci/sysdeps
	INTAKE_TEST_POSTGRES=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The date-sensitive tests again as if at awkward instants (month's end, 00:30 when UTC is
# still yesterday, New Year, Tết) on machines in other zones; CLOCK_FLAGS=--full adds the
# whole suite at one of them (CI does).
clock: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) .ci/clock_check.py $(CLOCK_FLAGS)

# Refresh the English catalog from the UI's Vietnamese source strings; translate the new
# entries in resources/translations/intake_en.ts (tests fail while any is unfinished).
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find intake_desktop/ui intake_desktop/viewer -name '*.py' | sort) \
		-ts resources/translations/intake_en.ts -source-language vi_VN -target-language en_GB \
		-no-obsolete -locations none

bench: $(STAMP) $(SYSDEPS_STAMP)
	$(PY) bench/verify_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
