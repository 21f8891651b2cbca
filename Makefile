# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

# The project's packages: linted, type-checked and held to the layers in .importlinter.
APPS := sonitec roles clients candidates pipelines leads partners messaging

.PHONY: run test install lint mutation worker beat clean

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

# ruff, ruff format and django-upgrade are also the pre-commit hooks (.pre-commit-config.yaml): same tools, same
# versions (this venv), but here they only check.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find $(APPS) tests bench scripts manage.py -name '*.py' | xargs $(BIN)/django-upgrade --target-version 5.2 --check
	$(BIN)/bandit -q -ll -c pyproject.toml -r $(APPS)
	$(BIN)/lint-imports
	$(BIN)/mypy $(APPS)
	$(BIN)/python manage.py makemigrations --check --dry-run

# Mutation testing of the rule functions (docs/testing.md): fees, stage transitions and the representation gate,
# follow-up due times. Slow, so neither `make test` nor CI runs it. Only the tests that exercise the rules run, on a
# file-backed SQLite test database kept between mutants; MUTATION_JOBS workers (1: the CPU is shared).
MUTATION_JOBS ?= 1
MUTANTS := 'pipelines.fees.*' \
	'pipelines.services.x_stage_label__*' 'pipelines.services.x_transition_error__*' \
	'pipelines.services.x_submission_representation_problems__*' 'pipelines.services.x__moves_towards_client__*' \
	'messaging.followups.x__days_after__*' 'messaging.followups.x__at_morning__*' \
	'messaging.followups.x__morning_before__*' 'messaging.followups.x_add_business_days__*' \
	'messaging.followups.x__schedule__*'

mutation: $(STAMP)
	rm -rf mutants
	env -u DATABASE_URL -u REDIS_URL SQLITE_TEST_DATABASE=$(CURDIR)/mutants/test-db.sqlite3 \
		$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(BIN)/mutmut results --all true | $(BIN)/python scripts/mutation_score.py $(MUTANTS)

worker: $(STAMP)
	$(BIN)/celery -A sonitec worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A sonitec beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles
