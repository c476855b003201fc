# qlab: two commands do everything.
#   make lab   - create .venv if missing, install qlab, register its kernel, make or refresh your
#                copy of the lessons (my-lessons/, ignored by git) and start JupyterLab on it
#   make test  - the same set-up where needed, then ruff and every test (notebooks and exercises too)
# A second run reinstalls nothing unless pyproject.toml changed.
# Organisers: make wheel - dist/qlab-VERSION-py3-none-any.whl, for teams to pip install on laptops.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.qlab-installed
PORT   ?= 8888
KERNEL := qlab
# the student's working copy of notebooks/: JupyterLab saves into it, never into the lessons
LESSONS := my-lessons

.PHONY: lab lessons test install check-python clean lint wheel

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

# new and updated lessons are copied in; a lesson the student changed is kept (one line each)
lessons: install
	@$(BIN)/python -m qlab.working_copy notebooks $(LESSONS)

# a busy port is refused with a message naming a free one (port_retries=0: JupyterLab never moves
# to another port behind the banner's back); the lab speaks the lessons' language (QLAB_LANG)
lab: lessons
	@$(BIN)/python -m qlab.port_check $(PORT)
	@echo "Starting JupyterLab on $(LESSONS)/ - open the http://127.0.0.1:$(PORT)/lab?token=... URL printed below."
	QLAB_LANG=$$($(BIN)/python -m qlab.working_copy --language) \
	  $(BIN)/jupyter lab --no-browser --port $(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir=$(LESSONS) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# one file with qlab (no dependencies inside) for teams' laptops: python -m pip install dist/qlab-*.whl
wheel: install
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w dist .
	@ls dist/qlab-*.whl

lint: install
	$(BIN)/ruff check .

# unit tests, the lessons under nbval (one kernel per notebook: --dist loadscope keeps a notebook's
# cells on one worker), the graded labs (tests/test_exercises.py runs `qlab validate` on each)
test: install lint
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=600 tests notebooks

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts dist
