# The two commands: `make run` (set up and serve) and `make test`.
.PHONY: run setup test test-odoo lint bench scaleout help

help:
	@echo "make run    set up (venv, PostgreSQL, database with demo data) and serve http://localhost:8069"
	@echo "make test   fresh test database, every test with pytest-odoo, database dropped"
	@echo "make test-odoo  the same tests through odoo-bin --test-enable (Odoo's own runner)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  performance figures (see docs/benchmarks.md)"
	@echo "make scaleout  primary + replica + two Odoo nodes + nginx on loopback, load and checks"

run setup:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-odoo:
	@bash scripts/test_odoo_bin.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:
	@bash scripts/bench.sh

scaleout:
	@bash scripts/scaleout.sh
