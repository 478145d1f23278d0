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

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mentormail.inbound.intent_text import fold, new_text

TRAINING = Path(__file__).with_name("data") / "intent_training.tsv"
ASK = "ask"  # the label of a reply that is not safe to act on
ANYWHERE = ("stop", "pause", "available", "report_problem", "help", "other")  # any context
ALSO = {"checkin": ("end",)}  # labels a context may have that its examples seldom show
NGRAMS = (2, 4)  # character n-gram sizes, within word boundaries
C = 10.0  # inverse regularisation of the logistic regression
TOL = 1e-3  # saga's stopping tolerance: on 1,605 rows 0.6 s instead of 5.3 s (default 1e-4),
# probabilities within 0.03 of the tighter fit
BALANCE = 1.0  # label weight (n / (labels * n_label)) ** BALANCE: 0 unweighted, 1 "balanced"
MAX_MEMO_WORDS = 50_000  # words whose feature rows are remembered (then forgotten at once)
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
    allowed: dict[str, Any]  # context -> 0 / -inf per label: the labels it may have
    word_rows: dict[str, list[int]] = field(default_factory=dict)  # word -> its feature rows

    def probabilities(self, text: str, context: str) -> dict[str, float]:
        """P(label | reply), over the labels this context may have."""
        return self.probabilities_of_folded(fold(new_text(text)), context)

    def probabilities_of_folded(self, folded: str, context: str) -> dict[str, float]:
        """``probabilities`` of a reply already cleaned and folded as the rules read it."""
        import numpy as np

        counts = Counter(self._feature_rows(folded))
        scores = self.intercept
        if counts:
            tf = [1.0 + math.log(c) if c > 1 else 1.0 for c in counts.values()]
            columns = self.weights[list(counts)]  # rows: weight * idf per label, then idf
            summed = np.dot(tf, columns)
            norm = math.sqrt(float(np.dot(np.square(tf), np.square(columns[:, -1]))))
            scores = scores + summed[:-1] / norm
        scores = scores + self.allowed.get(context, 0.0)  # -inf where a label is not allowed
        exp = np.exp(scores - scores.max())
        probs = (exp / exp.sum()).tolist()
        return {label: p for label, p in zip(self.labels, probs, strict=True) if p > 0}

    def _feature_rows(self, folded: str) -> list[int]:
        """The rows of every known feature of a folded reply, repeated as often as it occurs."""
        rows, memo = self.rows, self.word_rows
        words = _WORD.findall(folded[:MAX_CHARS])
        index: list[int] = []
        for word in words:
            known = memo.get(word)
            if known is None:
                if len(memo) >= MAX_MEMO_WORDS:
                    memo.clear()
                known = memo[word] = [rows[g] for g in _word_grams(word) if g in rows]
            index.extend(known)
        for pair in itertools.pairwise(words):
            row = rows.get(f"w:{pair[0]} {pair[1]}")
            if row is not None:
                index.append(row)
        return index


def ngrams(text: str) -> list[str]:
    """The features of a reply (see ``folded_ngrams``), after cleaning and folding it."""
    return folded_ngrams(fold(new_text(text)))


def folded_ngrams(folded: str) -> list[str]:
    """Character n-grams of each word padded with spaces (as ``char_wb``) and the word itself
    (marked ``w:``), then the word pairs, of the first ``MAX_CHARS`` of a folded reply."""
    words = _WORD.findall(folded[:MAX_CHARS])
    grams = [g for word in words for g in _word_grams(word)]
    grams.extend([f"w:{a} {b}" for a, b in itertools.pairwise(words)])
    return grams


def _word_grams(word: str) -> list[str]:
    """The features of one word: its character n-grams, padded with spaces, and itself."""
    padded = f" {word} "
    size = len(padded)
    low, high = NGRAMS
    sizes = range(low, min(high, size) + 1)
    grams = [padded[i : i + n] for n in sizes for i in range(size - n + 1)]
    grams.append("w:" + word)
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
    classifier = LogisticRegression(
        C=C,
        solver="saga",
        max_iter=3000,
        tol=TOL,
        random_state=0,
        class_weight=class_weights([e.label for e in examples]),
    )
    classifier.fit(matrix, [e.label for e in examples])
    labels = tuple(str(label) for label in classifier.classes_)
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(labels) == 2:  # a binary model keeps one row: the second class against the first
        coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    idf = vectorizer.idf_[:, None]
    weights = np.hstack([coef.T * idf, idf])  # the last column keeps idf, for the norm
    allowed = {  # added to the scores: 0 where a label may be, -inf where it may not
        context: np.array([0.0 if label in seen else -np.inf for label in labels])
        for context, seen in _allowed(examples).items()
    }
    return Model(labels, dict(vectorizer.vocabulary_), weights, intercept.copy(), allowed)


def class_weights(labels: Sequence[str]) -> dict[str, float]:
    """Each label's weight in the fit: rarer labels weigh more per example (see ``BALANCE``)."""
    counts = Counter(labels)
    n, k = len(labels), len(counts)
    return {label: (n / (k * c)) ** BALANCE for label, c in counts.items()}


def _allowed(examples: Iterable[Example]) -> dict[str, set[str]]:
    """The labels each context may have: those seen in it, and those valid anywhere."""
    seen: dict[str, set[str]] = {}
    for e in examples:
        seen.setdefault(e.context, {ASK, *ANYWHERE, *ALSO.get(e.context, ())}).add(e.label)
    return seen


@cache
def shipped_model() -> Model:
    """The model fitted on the shipped training file (once per process)."""
    return fit(read_examples())


def agreement(text: str, context: str, intent: str) -> float:
    """How strongly the model also reads ``intent`` in this reply (0-1)."""
    return shipped_model().probabilities(text, context).get(intent, 0.0)
