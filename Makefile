# ticketflow — the two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: help install demo test check lint typecheck promtool pytest unit integration schemas corpus audit clean

help:
	@echo "make demo [ARGS='--for 30']  run the pipeline on embedded defaults, live"
	@echo "make test                    install, then ruff + mypy + pytest (what CI runs)"
	@echo "make unit | integration      only the fast tests | only the broker-backed tests"
	@echo "make promtool                check the Prometheus config and alert rules, run their tests"
	@echo "make schemas                 regenerate schemas/json from the models"
	@echo "make audit                   known vulnerabilities in the installed dependencies"
	@echo "                             (pip-audit; needs the advisory database online: not in test)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ticketflow needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing ticketflow into $(VENV) ..." >&2
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(BIN)/ticketflow demo $(ARGS)

test: check

check: lint typecheck promtool pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The alert rules (ops/prometheus/alerts.yml) and their unit tests (ops/prometheus/tests/).
# promtool comes with Debian's `prometheus` package (.ci/run installs it in CI).
PROMTOOL ?= promtool
promtool:
	@command -v $(PROMTOOL) >/dev/null 2>&1 || { echo "make promtool: '$(PROMTOOL)' not found; install it (Debian/Ubuntu: apt-get install prometheus) or run make PROMTOOL=/path/to/promtool" >&2; exit 1; }
	$(PROMTOOL) check rules ops/prometheus/alerts.yml
	$(PROMTOOL) check config ops/prometheus/prometheus.yml
	$(PROMTOOL) test rules ops/prometheus/tests/*.yml

# Two test processes (pytest-xdist), whole files to one process: the suite mostly waits on
# real brokers, workers and SLA deadlines (≈25 % of two cores busy when run in one process), and
# each process has its own session broker, model and store. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
pytest: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(ARGS)

unit: $(STAMP)
	$(BIN)/pytest -m "not integration" $(ARGS)

integration: $(STAMP)
	$(BIN)/pytest -m integration $(ARGS)

schemas: $(STAMP)
	$(BIN)/ticketflow schemas export

corpus: $(STAMP)
	$(BIN)/python -m corpus.generate

# Not a prerequisite of `test`/`check`: pip-audit fetches the vulnerability database, which CI
# cannot reach (it reaches package registries only), and a new advisory must not fail a change
# that did not touch dependencies. The project itself (editable, not on PyPI) is skipped.
audit: $(STAMP)
	$(BIN)/pip-audit --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) .ticketflow .mypy_cache .ruff_cache .pytest_cache
