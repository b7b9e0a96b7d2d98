# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Each creates .venv when missing and installs the pinned dependencies (constraints.txt).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench lock clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@# antiword reads old binary .doc files; install it where we may (root + apt), else say so
	@command -v antiword >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword) >/dev/null 2>&1 \
	      || echo "note: could not install antiword; .doc inputs will report that it is needed"; \
	  else echo "note: antiword not found; install it (apt-get install antiword) to read .doc files"; fi; }
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) scripts/demo.py

test: install
	$(PY) -m pytest -q -p no:cacheprovider

bench: install
	$(PY) benchmarks/run.py

# Re-pin every installed package after changing dependencies in pyproject.toml.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^policyminer' > constraints.txt

clean:
	rm -rf $(VENV) out .pytest_cache
