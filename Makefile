# The README's two commands: `make lab` (open the course) and `make test` (run every test).
# Both create .venv and install what they need on a fresh machine.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.nukedu-installed
ROOT   := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab instructor-lab self-study classroom test chromium bench validate clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[lab,instructor,export,hub,test]'
	@# rfc3987-syntax only validates IRIs in jupyter-events' schemas; it costs ~3 s at every
	@# nbformat/nbgrader import and at a kernel's first plotly figure (pip check stays clean without it).
	-@$(PY) -m pip uninstall -y -q rfc3987-syntax 2>/dev/null
	@touch $@

# Students' JupyterLab: nbgrader's toolbar, Validate button and instructor panels are switched off
# (nukedu/student_jupyter_config); instructors use `make instructor-lab`.
STUDENT_CONFIG := $(CURDIR)/nukedu/student_jupyter_config
lab: $(STAMP)
	JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG) $(VENV)/bin/jupyter lab $(ROOT) --ServerApp.root_dir=course $(LAB_ARGS)

instructor-lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT) --ServerApp.root_dir=. $(LAB_ARGS)

# The self-study app (Voilà) on this machine only; answers go to the same progress store as the lessons.
SELF_STUDY_PORT ?= 8866
self-study: $(STAMP)
	JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG) $(VENV)/bin/voila course/self-study.ipynb --Voila.ip=127.0.0.1 --port=$(SELF_STUDY_PORT) $(VOILA_ARGS)

# A class on a local JupyterHub (127.0.0.1:8000): as root, an instructor and three students as Unix accounts,
# nbgrader's exchange in /srv/nbgrader/exchange; without root, one account for all (it says so).
classroom: $(STAMP)
	$(PY) classroom/setup.py $(CLASSROOM_ARGS)

# Debian's Chromium for the browser tests, when missing and the machine allows installing it.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "warning: could not install chromium; browser tests will skip (or fail under CI=true)"; \
	else echo "note: /usr/bin/chromium missing and cannot apt-get it here; browser tests will skip"; fi

test: $(STAMP) chromium
	$(PY) -m pytest $(PYTEST_ARGS)

validate: $(STAMP)
	$(VENV)/bin/nukedu validate question_bank

bench: $(STAMP)
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_cards.py
	$(PY) benchmarks/bench_progress.py
	$(PY) benchmarks/bench_exports.py
	$(PY) benchmarks/bench_items.py
	$(PY) benchmarks/bench_timeline.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
