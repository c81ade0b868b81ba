# The two set-up commands of the README. Both install whatever is missing first.
.PHONY: run test

## Build and serve the portal on http://localhost:3000 (SQLite under data/, demo data).
run:
	@scripts/run.sh

## Run every test: unit, integration (SQLite and PostgreSQL), browser (Playwright).
test:
	@scripts/test.sh
