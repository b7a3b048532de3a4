# The two set-up commands are `make demo` and `make test`; the rest are helpers.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
# county: Staffordshire-sized returns (the default demo); tiny: a few hundred children.
SCALE ?= county
SEED ?= 2021
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= safeguarding.config.settings.local
# Keep compiled bytecode (and pytest's rewritten test modules) between runs, even where the
# environment turns it off: each pytest process otherwise compiles every module again
# (collecting the suite took 31.6 s of CPU without the cache, 13.1 s with it).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test install assets lint types browser bench serve clean

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --quiet
	$(MAKE) assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --quiet

assets: node_modules/.package-lock.json
	node assets/build.mjs

demo: install
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(UV) run safeguarding migrate --verbosity 0
	$(UV) run safeguarding demo --scale $(SCALE) --seed $(SEED)
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(UV) run safeguarding runserver 127.0.0.1:$(PORT)

# --dist loadfile: a module's shared world is built on one worker, not both. Tests whose
# database is flushed (transactional) run apart, in a process (and database) of their own, so
# no flush empties another file's seed data. That process is one test process on one core
# for about a minute, so it runs beside the two workers rather than after them (its report
# is printed when both are done). It first makes the kept whole demo if the source changed
# (SAFEGUARDING_WHOLE_DEMO_FIRST, tests/conftest.py), so no worker waits for it.
# The browser tests: --dist loadgroup hands each test to a worker as a unit, so the two parts
# of the page walk (collected first) start on different workers. They all live in
# tests/browser/ (tests/conftest.py refuses one elsewhere), so only that folder is collected.
test: install
	@mkdir -p var
	SAFEGUARDING_WHOLE_DEMO_FIRST=1 $(UV) run pytest -p no:xdist -m "transactional and not browser" \
	  > var/transactional.log 2>&1 & \
	  apart=$$!; \
	  $(UV) run pytest -n 2 --dist loadfile -m "not browser and not transactional"; rest=$$?; \
	  wait $$apart; flushed=$$?; \
	  echo "--- the transactional tests (run beside the others)"; cat var/transactional.log; \
	  [ $$rest -eq 0 ] && [ $$flushed -eq 0 ]
	$(UV) run pytest -m browser -n 2 --dist loadgroup tests/browser

lint: install
	$(UV) run ruff check src tests bench
	$(UV) run lint-imports

types: install
	$(UV) run mypy

clean:
	rm -rf .venv node_modules var src/safeguarding/static/vendor db.sqlite3*
