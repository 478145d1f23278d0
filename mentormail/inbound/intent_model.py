"""A second opinion on a reply's intent: character n-grams and a linear model.

The rules in ``intent`` decide; this model can only lower their confidence (a veto),
never be the reason a reply acts. It is fitted once per process, on first use, from the
shipped labelled replies (``data/intent_training.tsv``: the development part of the
independent set and the table, written by ``scripts/build_intent_training.py``; the
held-back part is never in it). A label is the intent a coordinator would read when the
reply is safe to act on, else ``ask``.

Prediction does not go through scikit-learn per reply (its input checks cost more than
the arithmetic): the fitted idf and weights are folded into one table, n-gram -> weight
per class, and a reply is scored with a dictionary walk over its n-grams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from functools import cache
from pathlib import Path

from mentormail.inbound.intent_text import fold, new_text

TRAINING = Path(__file__).with_name("data") / "intent_training.tsv"
ASK = "ask"  # the label of a reply that is not safe to act on
ANYWHERE = ("stop", "pause", "available", "report_problem", "help", "other")  # any context
NGRAMS = (2, 4)  # character n-gram sizes, within word boundaries
C = 10.0  # inverse regularisation of the logistic regression
CLASS_WEIGHT: str | None = None  # every label weighs alike, however rare
MAX_CHARS = 600  # the decision is in the first lines; the model reads no further


@dataclass(frozen=True)
class Example:
    """One labelled reply."""

    context: str
    label: str
    text: str


@dataclass(frozen=True)
class Model:
    """A fitted linear model as tables: n-gram -> row of ``weights`` (idf folded in)."""

    labels: tuple[str, ...]
    rows: dict[str, int]
    weights: Any  # numpy array, one row per n-gram, one column per label (times its idf)
    intercept: Any  # numpy array, one value per label
    allowed: dict[str, Any]  # context -> boolean mask over labels seen in it

    def probabilities(self, text: str, context: str) -> dict[str, float]:
        """P(label | reply), over the labels seen in this context."""
        import numpy as np

        counts = Counter(g for g in ngrams(text) if g in self.rows)
        if counts:
            index = [self.rows[g] for g in counts]
            tf = 1.0 + np.log(np.fromiter(counts.values(), float, len(counts)))
            columns = self.weights[index]  # tf-idf = tf * idf; idf is folded into the rows
            norm = np.sqrt(((columns[:, -1] * tf) ** 2).sum())
            scores = self.intercept + (tf @ columns[:, :-1]) / norm
        else:
            scores = self.intercept.copy()
        mask = self.allowed.get(context)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True) if p > 0}


def ngrams(text: str) -> list[str]:
    """The features of a reply: character n-grams of each folded word padded with spaces
    (as ``char_wb``), then its words and word pairs (marked ``w:``)."""
    grams: list[str] = []
    low, high = NGRAMS
    words = _WORD.findall(fold(new_text(text)[:MAX_CHARS]))
    for word in words:
        padded = f" {word} "
        for n in range(low, high + 1):
            if n > len(padded):
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    grams.extend("w:" + w for w in words)
    grams.extend(f"w:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


_WORD = re.compile(r"[\w']+|[^\w\s]")


def read_examples(path: Path = TRAINING) -> list[Example]:
    """The labelled replies of a training file (``context<TAB>label<TAB>text``)."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        context, label, text = line.split("\t", 2)
        examples.append(Example(context, label, text.replace("\\n", "\n")))
    return examples


def fit(examples: Sequence[Example]) -> Model:
    """Fit TF-IDF (sublinear tf, l2) and a multinomial logistic regression; tabulate them."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True)
    matrix = vectorizer.fit_transform([e.text for e in examples])
    classifier = LogisticRegression(C=C, solver="saga", max_iter=3000, random_state=0, class_weight=CLASS_WEIGHT)
    classifier.fit(matrix, [e.label for e in examples])
    labels = tuple(str(label) for label in classifier.classes_)
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(labels) == 2:  # a binary model keeps one row: the second class against the first
        coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    idf = vectorizer.idf_[:, None]
    weights = np.hstack([coef.T * idf, idf])  # the last column keeps idf, for the norm
    allowed = {
        context: np.array([label in seen for label in labels])
        for context, seen in _allowed(examples).items()
    }
    return Model(labels, dict(vectorizer.vocabulary_), weights, intercept.copy(), allowed)


def _allowed(examples: Iterable[Example]) -> dict[str, set[str]]:
    """The labels each context may have: those seen in it, and those valid anywhere."""
    seen: dict[str, set[str]] = {}
    for e in examples:
        seen.setdefault(e.context, {ASK, *ANYWHERE}).add(e.label)
    return seen


@cache
def shipped_model() -> Model:
    """The model fitted on the shipped training file (once per process)."""
    return fit(read_examples())


def agreement(text: str, context: str, intent: str) -> float:
    """How strongly the model also reads ``intent`` in this reply (0-1)."""
    return shipped_model().probabilities(text, context).get(intent, 0.0)
