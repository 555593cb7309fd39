"""Shared fixtures: the real model and the real pipeline, loaded once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory):
    """Commands run by the tests cache into a folder of the test session, not the user's. The ONNX
    export of the model (made once, from the packaged weights; checker.align.onnx_model) is shared
    with the user's: exporting it again in each session would add half a minute to each."""
    from checker.align.onnx_model import model_dir

    os.environ.setdefault("CLAIMCHECK_MODEL_DIR", str(model_dir()))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield


@pytest.fixture(scope="session")
def embedder():
    from checker.align.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def seeds_report(embedder):
    from checker.pipeline import check_folder

    return check_folder(str(SEEDS), embedder=embedder)
