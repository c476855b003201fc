# qlab: two commands do everything.
#   make lab   - create .venv if missing, install qlab, register its kernel, start JupyterLab
#   make test  - the same set-up where needed, then ruff and every test (notebooks and exercises too)
# A second run reinstalls nothing unless pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.qlab-installed
PORT   ?= 8888
KERNEL := qlab

.PHONY: lab test install check-python clean lint

check-python:
	@v=$$($(PYTHON) --version 2>&1 | head -n 1); \
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null || \
	  { echo "qlab needs Python 3.10 or newer, but '$(PYTHON)' is $${v:-not installed}: install a newer Python 3 and run make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)"; exit 1; }

$(BIN)/python:
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,hardware]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name $(KERNEL) --display-name "Python (qlab)" >/dev/null
	@touch $(STAMP)

install: check-python $(STAMP)

lab: install
	@echo "Starting JupyterLab on notebooks/ - open the http://127.0.0.1:$(PORT)/lab?token=... URL printed below."
	$(BIN)/jupyter lab --no-browser --port $(PORT) --ServerApp.root_dir=notebooks \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

lint: install
	$(BIN)/ruff check .

# unit tests, the lessons under nbval (one kernel per notebook: --dist loadscope keeps a notebook's
# cells on one worker), the graded labs (tests/test_exercises.py runs `qlab validate` on each)
test: install lint
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=600 tests notebooks

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
