# CollabCoder: every target sets up what it needs (a .venv in the repo) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORK := .work
SAMPLE := $(WORK)/sample.ccproj

.PHONY: setup sample run test test-xvfb lint demo bench screenshots clean

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

## run: set everything up (Qt's system libraries too, as root) and open the GUI on the sample
run: sample
	@scripts/qt-system-libs.sh --install
	$(BIN)/collabcoder gui $(SAMPLE)

## test: set everything up, check the layer contracts, run every test (GUI offscreen), then
## open the real window under Xvfb at the smallest supported screen (skipped without Xvfb)
test: $(STAMP)
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	@$(MAKE) --no-print-directory test-xvfb

## test-xvfb: the real main window on an X server (Xvfb) at 1280x720 and 1366x768
test-xvfb: $(STAMP)
	@if ! command -v xvfb-run >/dev/null 2>&1; then \
		echo "test-xvfb: skipped (xvfb-run not installed; apt-get install xvfb)"; \
	elif ! scripts/qt-system-libs.sh; then \
		echo "test-xvfb: skipped (Qt's xcb libraries are missing, see above)"; \
	else for size in 1280x720 1366x768; do \
		CC_XVFB_SCREEN=$$size xvfb-run -a -s "-screen 0 $${size}x24" \
			env -u QT_QPA_PLATFORM QT_QPA_PLATFORM=xcb $(BIN)/python -m pytest -q tests/gui/test_real_window.py || exit 1; \
	done; fi

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

## screenshots: main window, Matrix (a cell open) and co-occurrence at 1280x720 and 1920x1080,
## on real X servers (Xvfb) so each window sizes itself from the screen
SCREEN_SIZES := 1280x720 1920x1080
screenshots: sample
	@scripts/qt-system-libs.sh --install
	mkdir -p docs/screenshots
	for size in $(SCREEN_SIZES); do \
		xvfb-run -a -s "-screen 0 $${size}x24" env QT_QPA_PLATFORM=xcb \
			$(BIN)/python -m collabcoder.gui.screenshot docs/screenshots $(SAMPLE) || exit 1; \
	done

clean:
	rm -rf $(WORK) build *.egg-info
