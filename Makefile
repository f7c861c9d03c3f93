# Two set-up commands (README): `make run` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck imports pytest safety safety-report sysdeps installer bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

sysdeps:
	@sh .ci/system-deps

run: $(STAMP) sysdeps
	$(BIN)/wellbeing-desktop

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

test: $(STAMP) sysdeps lint typecheck imports pytest

# The tests the hazard log names as proof of its controls (docs/safety/).
# A skipped safety test fails the run (tests/safety/safety_strict.py).
safety: $(STAMP) sysdeps
	QT_QPA_PLATFORM=offscreen PYTHONPATH=tests/safety $(BIN)/pytest -m safety -p safety_strict

# Rebuild the clinical safety case (Markdown and PDF) from the hazard log.
safety-report: $(STAMP)
	$(BIN)/python -m wellbeing_desktop.packs.safety_case

installer: $(STAMP)
	$(BIN)/python -m wellbeing_desktop.licences
	$(BIN)/pyinstaller --noconfirm --clean build_installer.spec
	$(BIN)/python -m wellbeing_desktop.licences --texts dist/wellbeing-desktop/licences \
		--sbom dist/wellbeing-desktop/sbom.cdx.json
	cp LICENSE dist/wellbeing-desktop/LICENSE

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
