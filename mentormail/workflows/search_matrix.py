"""Every mentor of a program scored at once: their stored words as postings of field values per
word (numpy arrays), so a search is a few column reads and reductions instead of a loop over
mentors.

The scores are ``search.score_document``'s, to the last bit: the same float operations in the
same order, and where one word of a mentor matches two words of the search ("coding
programming" both find "software"), the word is credited to the first of them only, as there.
numpy is imported when a matrix is built, never at start-up.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mentormail.workflows import search

if TYPE_CHECKING:
    from numpy.typing import NDArray


Entry = tuple[int, str, Sequence[tuple[str, Sequence[str]]]]  # id, name, document values


@dataclass
class Scores:
    """One search over a matrix: each mentor's score, and who may rank at all (qualified,
    above 0)."""

    total: NDArray[Any]
    eligible: NDArray[Any]


class Matrix:
    """A program's mentors as numpy arrays: ids, names and the postings of their field values."""

    def __init__(self, docs: Iterable[Entry]) -> None:
        """Index these mentors' documents (read once, in any order; held in order of id)."""
        import numpy as np

        column: dict[str, int] = {}
        ids, names = array("q"), list[str]()
        owner, weights, in_bio = array("i"), array("d"), array("b")
        counts, cols = array("i"), array("i")
        for mentor_id, name, values in docs:
            mentor = len(names)
            ids.append(mentor_id)
            names.append(name)
            last = len(values) - 1
            for i, (field, tokens) in enumerate(values):
                owner.append(mentor)
                weights.append(search.FIELD_WEIGHTS[field])
                in_bio.append(i == last and field == "bio")  # as score_document finds the bio
                counts.append(len(tokens))
                cols.extend([column.setdefault(t, len(column)) for t in tokens])
        rows = np.repeat(np.arange(len(owner), dtype=np.int32), np.frombuffer(counts, np.int32))
        self.column = column
        self.spelling = np.empty(len(column), dtype=np.int32)  # each word's place in str order
        self.spelling[[column[t] for t in sorted(column)]] = np.arange(len(column), dtype=np.int32)
        held = np.frombuffer(ids, dtype=np.int64)
        by_id = np.argsort(held, kind="stable")  # the documents may come in any order
        self.ids = held[by_id]
        self.names = [names[m] for m in by_id.tolist()]
        at = np.empty(len(names), dtype=np.int32)
        at[by_id] = np.arange(len(names), dtype=np.int32)
        keys = list(zip(self.names, self.ids.tolist(), strict=True))
        order = sorted(range(len(names)), key=keys.__getitem__)
        self.name_rank = np.empty(len(names), dtype=np.int32)
        self.name_rank[order] = np.arange(len(names), dtype=np.int32)
        self.owner = at[np.frombuffer(owner, dtype=np.int32)]
        self.weight = np.frombuffer(weights, dtype=np.float64).copy()
        self.field = ~np.frombuffer(in_bio, dtype=np.bool_).copy()  # not the bio
        by_word = np.frombuffer(cols, dtype=np.int32)
        self.postings = rows[np.argsort(by_word, kind="stable")]
        self.starts = np.zeros(len(column) + 1, dtype=np.int64)
        np.cumsum(np.bincount(by_word, minlength=len(column)), out=self.starts[1:])
        self._found: dict[str, tuple[NDArray[Any], NDArray[Any]]] = {}

    def __len__(self) -> int:
        """How many mentors it holds."""
        return len(self.names)

    def nbytes(self) -> int:
        """The size of its arrays, in bytes (names and the word table not counted)."""
        arrays = (self.ids, self.name_rank, self.owner, self.weight, self.field)
        return sum(a.nbytes for a in (*arrays, self.postings, self.starts, self.spelling))

    def positions(self, ids: Iterable[int]) -> list[int]:
        """Where these mentor ids are held (ids it does not hold are left out)."""
        import numpy as np

        wanted = np.fromiter(ids, dtype=np.int64)
        at = np.searchsorted(self.ids, wanted)
        at = at[at < len(self.ids)]
        return [int(p) for p in at[np.isin(self.ids[at], wanted)]]

    def _columns(self, word: str, matches: Mapping[str, float]) -> tuple[NDArray[Any], ...]:
        """The columns this search word matches, with how well (cached per word)."""
        import numpy as np

        if word not in self._found:
            pairs = [(self.column[t], q) for t, q in matches.items() if t in self.column]
            self._found[word] = (
                np.array([c for c, _ in pairs], dtype=np.int64),
                np.array([q for _, q in pairs], dtype=np.float64),
            )
        return self._found[word]

    def _postings(self, cols: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        """The field values holding any of these columns (repeats kept), and which column."""
        import numpy as np

        starts, ends = self.starts[cols], self.starts[cols + 1]
        lengths = ends - starts
        which = np.repeat(np.arange(len(cols)), lengths)
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return self.postings[np.repeat(starts, lengths) + offsets], which

    def scores(self, weighted: search.Weighted, matches: search.Matches) -> Scores:
        """Every mentor's score for the weighted words (``matches``: per word, the program's
        words it matches, with how well), as ``score_document`` adds it up."""
        import numpy as np

        n, values = len(self.names), len(self.owner)
        total = np.zeros(n)
        qualified = np.zeros(n, dtype=np.bool_)
        asked = max(weight for _, weight in weighted)
        shared = self._shared(weighted, matches)
        credited = np.zeros(0, dtype=np.int64)  # (value, word) pairs a search word took
        bonuses: list[NDArray[Any]] = []
        before: tuple[float, NDArray[Any]] | None = None  # the last word's weight and values
        for k, (word, weight) in enumerate(weighted):
            cols, quality = self._columns(word, matches.get(word, {}))
            rows, which = self._postings(cols)
            col = cols[which]
            sharing = np.isin(cols, shared)[which]
            if len(credited) and sharing.any():  # a word an earlier search word took
                at = np.flatnonzero(sharing)
                taken = at[np.isin(rows[at] * len(self.column) + col[at], credited)]
                if len(taken):
                    keep = np.ones(len(rows), dtype=np.bool_)
                    keep[taken] = False
                    rows, which, col, sharing = rows[keep], which[keep], col[keep], sharing[keep]
            found = self.weight[rows] * quality[which]  # field_weight * quality, per posting
            mentor = self.owner[rows]
            best = np.zeros(n)
            np.maximum.at(best, mentor, found)
            total += weight * best
            if k < len(weighted) - 1 and sharing.any():
                credited = np.union1d(
                    credited, self._credit(rows, col, mentor, found, best, sharing)
                )
            per_value = np.zeros(values)
            np.maximum.at(per_value, rows, found)
            in_field = rows[self.field[rows]]
            if weight >= asked:
                qualified[self.owner[in_field]] = True
            if before is not None:
                last_weight, last = before
                both = in_field[last[in_field] > 0]
                side = np.minimum(last_weight * last[both], weight * per_value[both])
                bonus = np.zeros(n)
                np.maximum.at(bonus, self.owner[both], side)
                bonuses.append(bonus)
            before = (weight, per_value)
        for bonus in bonuses:
            total += search.PHRASE_BONUS * bonus
        return Scores(total, qualified & (total > 0))

    def _shared(self, weighted: search.Weighted, matches: search.Matches) -> NDArray[Any]:
        """The columns more than one word of the search matches: where credit matters."""
        import numpy as np

        counts = Counter(t for w, _ in weighted for t in matches.get(w, {}))
        found = [self.column[t] for t, k in counts.items() if k > 1 and t in self.column]
        return np.array(sorted(found), dtype=np.int64)

    def _credit(
        self,
        rows: NDArray[Any],
        col: NDArray[Any],
        mentor: NDArray[Any],
        found: NDArray[Any],
        best: NDArray[Any],
        sharing: NDArray[Any],
    ) -> NDArray[Any]:
        """The (value, word) pairs a search word takes from later ones, as ``score_document``
        credits its best match (the first value reaching it, then the first word by spelling),
        where the word taken is one a later search word matches too (``sharing``)."""
        import numpy as np

        reaching = found == best[mentor]
        who = np.zeros(len(best), dtype=np.bool_)
        who[mentor[reaching & sharing]] = True  # mentors who may credit a shared word
        pick = np.flatnonzero(reaching & who[mentor])
        order = pick[np.lexsort((self.spelling[col[pick]], rows[pick], mentor[pick]))]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = mentor[order][1:] != mentor[order][:-1]
        chosen = order[first]
        chosen = chosen[sharing[chosen]]
        return np.sort(rows[chosen].astype(np.int64) * len(self.column) + col[chosen])

    def best_first(self, scores: Scores, skip: Iterable[int], chunk: int) -> Iterator[NDArray[Any]]:
        """Positions of the eligible mentors not skipped, best score (to 9 decimals) first,
        then by name and id, a slice of about ``chunk`` at a time (more when they tie)."""
        import numpy as np

        eligible = scores.eligible.copy()
        eligible[list(skip)] = False
        left = np.flatnonzero(eligible)
        rounded = np.round(scores.total[left], 9)
        while len(left):
            if len(left) > chunk:
                floor = np.partition(rounded, len(rounded) - chunk)[len(rounded) - chunk]
                now = rounded >= floor
            else:
                now = np.ones(len(left), dtype=np.bool_)
            taken, keys = left[now], rounded[now]
            order = np.lexsort((self.name_rank[taken], -keys))
            yield taken[order]
            left, rounded = left[~now], rounded[~now]
