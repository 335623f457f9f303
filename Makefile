# Two commands do everything: `make run` (demo on embedded defaults) and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-slow lint format install migrate seed bench bench-pages bench-commits bench-statistics screenshots clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || { echo "Python 3.11 is required (found: $(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var/mail var/media var/celery/broker var/celery/processed var/celery/results var/celery/control

migrate: install var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py create_open_badges_key --if-missing

# Web server, Celery worker and Celery beat in one foreground command; Ctrl-C stops all three.
# Links in emails point at the address the portal is served on, unless SITE_URL says otherwise.
run: seed
	@echo ""
	@echo "Emails are written to var/mail/. Press Ctrl-C to stop the web server, worker and beat."
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} HOST=$(HOST) PORT=$(PORT) $(PY) -m kdla_portal.demo_server

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The inner loop: no browser, worker or benchmark tests (the whole suite is `make test`).
test-fast: install
	$(PY) -m pytest -m "not e2e and not celery_worker and not bench" $(PYTEST_ARGS)

# The property-based tests of a career's invariants with many more random timelines than CI.
test-slow: install
	HYPOTHESIS_EXAMPLES=$${HYPOTHESIS_EXAMPLES:-300} $(PY) -m pytest tests/properties $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

screenshots: install
	KDLA_SCREENSHOTS=1 $(PY) -m pytest tests/e2e/test_screenshots.py -q

bench: install
	$(PY) -m bench.run_sweep_benchmark $(BENCH_ARGS)

bench-pages: install
	$(PY) -m bench.run_page_benchmark $(BENCH_ARGS)

bench-commits: install
	$(PY) -m bench.run_commit_benchmark $(BENCH_ARGS)

bench-statistics: install
	$(PY) -m bench.run_statistics_benchmark $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
