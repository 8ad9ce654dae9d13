# One command to run the daemon, one to run every test (README "Quick start").
.PHONY: install build run test bench lint clean infra-up infra-down

NPM ?= npm
VITEST_ARGS ?=

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

build: install
	$(NPM) run build

## Installs, builds and starts the daemon on the embedded default (LMDB journal, mock feed, paper broker).
run: build
	node dist/main.js start

## Installs, builds and runs every test (unit, integration, lint rules).
test: build
	npx vitest run $(VITEST_ARGS)

bench: build
	$(NPM) run bench

lint: install
	$(NPM) run lint
	$(NPM) run typecheck

## Starts Kafka (KRaft, from Maven Central), Postgres and Redis on loopback; writes .env.infra.
infra-up:
	scripts/infra-up.sh

## Stops them (their data stays in .infra/).
infra-down:
	scripts/infra-down.sh

clean:
	rm -rf dist data bench/results.json
