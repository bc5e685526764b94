# SPM Workbench: two commands on a fresh machine (only python3 needed).
#   make demo   -> sets up .venv and runs the batch of regional reports on the bundled demo data
#   make test   -> sets up .venv (with test extras) and runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test lab clean notebooks

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dask,kelas]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (SPM Workbench)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/spm demo

test: $(STAMP)
	$(VENV)/bin/ruff check --no-cache .
	$(PY) -m pytest -q -n 2 $(PYTEST_ARGS)

# JupyterLab for workshop participants: no news/update pop-ups (exercises/jupyterlab/overrides.json),
# widgets work out of the box (ipywidgets 8 + jupyterlab 4 from the same environment).
lab: $(STAMP)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp exercises/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab --notebook-dir=. --ServerApp.open_browser=True

# Rebuild the committed .ipynb from their jupytext sources (notebooks/sumber, exercises/sumber).
notebooks: $(STAMP)
	$(PY) notebooks/_build/build.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
