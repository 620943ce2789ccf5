# CollabCoder: every target sets up what it needs (a .venv in the repo) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORK := .work
SAMPLE := $(WORK)/sample.ccproj

.PHONY: setup sample run test lint demo bench screenshots clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	touch $(STAMP)

# (Re)build the sample project when it is missing or its sources changed since it was built.
sample: $(STAMP)
	@mkdir -p $(WORK)
	@if [ ! -f $(SAMPLE) ] || [ -n "$$(find sample_projects/collaborative-working codebooks -type f -newer $(SAMPLE))" ]; then \
		$(BIN)/collabcoder sample $(SAMPLE) --replace; fi

## run: set everything up and open the GUI on the bundled sample project
run: sample
	$(BIN)/collabcoder gui $(SAMPLE)

## test: set everything up, check the layer contracts, run every test (GUI offscreen)
test: $(STAMP)
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## lint: ruff, mypy and the import-linter contracts
lint: $(STAMP)
	$(BIN)/ruff check collabcoder tests bench
	$(BIN)/ruff format --check collabcoder tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## demo: the headless pipeline on the sample project: import, suggest, matrix, Excel
demo: $(STAMP)
	$(BIN)/collabcoder demo $(WORK)/demo

## bench: every benchmark, printing its figures
bench: $(STAMP)
	@for script in bench/*_bench.py; do \
		echo "== $$script"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; \
	done

## screenshots: the main window on the sample project, rendered offscreen
screenshots: sample
	mkdir -p docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m collabcoder.gui.screenshot docs/screenshots/main-window.png $(SAMPLE)

clean:
	rm -rf $(WORK) build *.egg-info
