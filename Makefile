# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app koosloome
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in e-mails, invites, QR codes and the board's join link point here: derived from
# HOST and PORT unless KOOSLOOME_BASE_URL is set (a server on 0.0.0.0 is reached locally).
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
RUN_BASE_URL := $(or $(KOOSLOOME_BASE_URL),http://$(LINK_HOST):$(PORT))
PO_FILES := $(wildcard koosloome/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test install install-dev lint translations lock clean

# The outbox worker runs beside the server and delivers the mail it queues: as .eml files
# under instance/mail/ unless KOOSLOOME_MAIL_SERVER is set. It stops when the server stops.
run: export KOOSLOOME_BASE_URL = $(RUN_BASE_URL)
run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) outbox work & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installs are pinned by constraints.txt (regenerate with `make lock`).
$(VENV)/.installed-runtime: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-dev: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip check
	touch $@ $(VENV)/.installed-runtime

translations: $(MO_FILES)

%.mo: %.po
	$(FLASK) translate compile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check koosloome tests

lock: install-dev
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
