# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make demo   renders the default lecture video into media/ and prints its path
#   make test   runs the whole test suite (make check: its fast tier, for the working loop)
# Both install what is missing first (system packages, .venv, the project); running
# them again installs nothing new.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# ffmpeg encodes the course folder's files; chromium and its driver run the player's browser tests.
SYSTEM_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core ffmpeg chromium chromium-driver espeak-ng
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test check floors lecture system-packages venv clean

# dpkg-query tells which packages are absent, so apt-get runs only when something is missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The stamp depends on pyproject.toml, so editing the dependencies reinstalls them.
$(VENV)/.installed: pyproject.toml | system-packages
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,voice]'
	touch $@

venv: system-packages $(VENV)/.installed

# The lecture's sections render on every core (lecture's --jobs defaults to the number of cores).
demo: venv
	$(BIN)/convprop lecture --quality low

# The import floors of docs/architecture.md, checked by import-linter (pyproject.toml). It reads the
# installed layout, where the top-level folders are convprop.mathcore, convprop.scenes, ...: so a
# copy is installed apart, into build/floors, and read there.
floors: venv
	rm -rf build/floors
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation --target build/floors . 2>/dev/null
	cd build/floors && ../../$(BIN)/lint-imports ../../pyproject.toml

# One pytest worker per core. Tests that share a costly fixture (a CLI module's pool of cases, a
# course folder, a rendered lecture) form one xdist group, run by one worker; tests/conftest.py
# starts the longest files first, so both workers stay busy to the end. The 20 slowest are listed.
test: venv floors
	$(BIN)/python -m pytest -n auto --dist loadgroup --durations=20

# The fast tier for the working loop, about a minute: mathcore against its oracles, the
# on-screen checker on every scene's default lesson, and the CLI's one-line errors (the tests
# marked `check`; the list is CHECK_FILES in tests/conftest.py). `make test` stays the whole suite.
check: venv
	$(BIN)/python -m pytest -n auto --dist loadgroup -m check

clean:
	rm -rf $(VENV) media build *.egg-info
