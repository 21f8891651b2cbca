# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

# The project's packages: linted, type-checked and held to the layers in .importlinter.
APPS := sonitec roles clients candidates pipelines leads partners messaging privacy

.PHONY: run test install lint worker beat clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup
	@# Without Redis there is no beat: a dispatcher loop sends follow-ups that fall due during the demo.
	@if [ -z "$$REDIS_URL" ]; then \
		$(BIN)/python manage.py run_dispatcher --interval 30 & trap 'kill $$! 2>/dev/null' EXIT; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	else \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	fi

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -ll -c pyproject.toml -r $(APPS)
	$(BIN)/lint-imports
	$(BIN)/mypy $(APPS)
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: $(STAMP)
	$(BIN)/celery -A sonitec worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A sonitec beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles
