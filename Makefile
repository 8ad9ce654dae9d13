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
## Reads need no token here (loopback only); set API__READS=token to require one.
run: build
	API__READS=$${API__READS:-open} node dist/main.js start

## Installs, builds, starts a fresh Kafka, Postgres and Redis on loopback (installing them when
## missing), runs every test (unit, integration, contract, lint rules), and stops the servers.
test: build
	scripts/with-test-infra.sh npx vitest run $(VITEST_ARGS)

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
