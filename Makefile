# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

# The project's packages: linted, type-checked and held to the layers in .importlinter.
APPS := sonitec roles clients candidates pipelines leads partners messaging assessments imports matching privacy

.PHONY: run test install lint mutation worker beat lock clean

# Dependencies come from the lock file (exact versions with hashes, as in the image); pyproject.toml keeps the
# ranges. Plain pip reads it, so a fresh machine needs only Python and make. `make lock` refreshes both locks.
$(STAMP): pyproject.toml requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# After changing a range in pyproject.toml: rewrite both locks. Pins that still fit are kept;
# `make lock LOCK_ARGS=--upgrade` takes the newest releases within the ranges.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet "uv>=0.5,<1"
	$(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 -q $(LOCK_ARGS) -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --generate-hashes --python-version 3.11 -q \
		$(LOCK_ARGS) -o requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles
