# The two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup lint format messages clean browser-deps

setup: $(VENV)/.installed node_modules/.installed jianfu/static/vendor/.built .messages-built

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

jianfu/static/vendor/.built: node_modules/.installed $(VENV)/.installed
	$(BIN)/jianfu setup-static --no-collect
	touch $@

.messages-built: $(wildcard jianfu/locale/*/LC_MESSAGES/*.po) $(VENV)/.installed
	$(BIN)/jianfu buildmessages
	touch $@

run: setup
	$(BIN)/jianfu migrate --noinput -v 0
	$(BIN)/jianfu collectstatic --noinput -v 0
	$(BIN)/jianfu demo --if-empty
	$(BIN)/jianfu run

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .

messages: setup
	$(BIN)/jianfu makemessages -l zh_Hans -l zh_Hant -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'benchmarks/*' --ignore 'scripts/*' --no-obsolete
	$(BIN)/python scripts/po_zh_hans.py
	$(BIN)/python scripts/fill_hant.py
	$(BIN)/jianfu buildmessages

clean:
	rm -rf $(VENV) node_modules jianfu/static/vendor .messages-built
