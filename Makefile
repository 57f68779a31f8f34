# Tongxue: `make run` starts the assistant, `make test` runs the whole suite.
# Both create .venv, install everything and fetch the default model first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tongxue-installed

# llama-cpp-python has no wheel for this platform, so pip compiles it (about 7 minutes on
# 2 cores) and keeps the wheel in its cache. A portable x86-64-v3 build: the native build
# turns on AMX/AVX-512 code paths that some virtual CPUs advertise but cannot run.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc)
# The transformers backend runs on PyTorch; the CPU build is enough here.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test install model system-deps lint typecheck check bench clean

# Debian packages: Chromium (and a CJK font) for the browser tests, espeak-ng for Chinese speech, PortAudio
# for the microphone. Installed only when missing (CI and `make` run as root here).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei espeak-ng libportaudio2 sox
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar on --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Tongxue and its dependencies (llama-cpp-python compiles on first install)..."
	$(BIN)/pip install --progress-bar on '$(TORCH_SPEC)'
	$(BIN)/pip install --progress-bar on -e '.[dev,transformers]'
	touch $@

install: $(STAMP) system-deps

# The default chat model, then the speech models (all from the model store, sha256-checked),
# then the owner's manual's search index (rebuilt only when the manual or the embedder changed).
VOICE_MODELS := whisper-base silero-vad piper-en-us-joe pocketsphinx-en-us speech-embedding
model: install
	$(BIN)/tongxue models pull
	for m in $(VOICE_MODELS); do $(BIN)/tongxue models pull $$m || exit 1; done
	$(BIN)/tongxue manual build --if-stale

run: model
	$(BIN)/tongxue serve

test: model
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

bench: model
	$(BIN)/tongxue bench engine
	$(BIN)/tongxue bench rules
	$(BIN)/tongxue bench voice

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache reports
