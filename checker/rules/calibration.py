"""A finding's confidence: the estimated probability that it is a real conflict.

A logistic model over what the finding rests on (how the two claims were linked, how close the two
sentences are, how much of what they describe they share, whether a value is hedged, the rule's own
hand-set link confidence). `make calibrate` (bench/calibrate.py) fits it on labelled corpora and writes
its coefficients to calibration.json beside this module; the file is read once per process.

Only this module turns features into numbers for the model, so the fit and the checker cannot read
a finding differently.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.facts.link import Link

CALIBRATION_FILE = "calibration.json"
DIGITS = 4  # coefficients are rounded so that a refit on another machine writes the same file
REGULARISATION = 1.0  # scikit-learn's C: a few hundred labelled findings, twelve features
# "aligned" is never reported: a pair of values in aligned sentences that the linker did not take
# as one fact, which `make calibrate` collects as the false candidates the linker saves us from
HOWS = ("copy", "anchor", "person", "scope", "aligned")
MAX_NOUNS = 4  # beyond four shared words, a link is no surer

# the model's inputs, in the order of the coefficients in calibration.json
FEATURES: tuple[str, ...] = (
    "conflict", "how_copy", "how_anchor", "how_person", "how_scope", "how_aligned", "similarity",
    "shared_nouns", "same_verb", "owner_shared", "hedged", "statement", "prior",
)


def feature_row(verdict: str, link: Link) -> tuple[float, ...]:
    """The model's inputs for one candidate finding, in the order of FEATURES."""
    f = link.features
    return (
        float(verdict == "conflict"),
        *(float(link.how == h) for h in HOWS),
        float(f.similarity),
        min(f.shared_nouns, MAX_NOUNS) / MAX_NOUNS,
        float(f.same_verb),
        float(f.owner_shared),
        float(f.hedged),
        float(f.reported),
        float(link.confidence),
    )


@lru_cache(maxsize=1)
def model() -> tuple[float, tuple[float, ...]]:
    """The shipped intercept and coefficients; a file fitted on other features is an error."""
    data = json.loads(resources.files("checker.rules").joinpath(CALIBRATION_FILE).read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{CALIBRATION_FILE} was fitted on features {data['features']}, not {list(FEATURES)}:"
                         " run `make calibrate`")
    return float(data["intercept"]), tuple(float(c) for c in data["coefficients"])


def probability_of(row: tuple[float, ...]) -> float:
    """The model's probability for one row of features, rounded as findings carry it."""
    intercept, coefficients = model()
    z = intercept + sum(c * x for c, x in zip(coefficients, row))
    return round(1.0 / (1.0 + math.exp(-z)), 2)


def probability(verdict: str, link: Link) -> float:
    """The estimated probability that a finding with this verdict and link is a real conflict.
    (The rule is not a feature: too few labelled findings per rule to fit one coefficient each.)"""
    return probability_of(feature_row(verdict, link))


def fit(rows: list[tuple[float, ...]], labels: list[int]) -> dict:
    """Fit the model on feature rows (FEATURES order) and 0/1 labels: the content of
    calibration.json. Deterministic: the rows are sorted first, the solver is fixed, and the
    coefficients are rounded."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    data = sorted(zip(rows, labels))
    x = np.array([r for r, _ in data], dtype=float)
    y = np.array([label for _, label in data], dtype=int)
    lr = LogisticRegression(C=REGULARISATION, solver="lbfgs", max_iter=10_000, tol=1e-10)
    lr.fit(x, y)
    return {"features": list(FEATURES), "intercept": round(float(lr.intercept_[0]), DIGITS),
            "coefficients": [round(float(c), DIGITS) for c in lr.coef_[0]]}
