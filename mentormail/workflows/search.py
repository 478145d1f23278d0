"""Ranking mentors for a mentee's words ("data science or healthcare").

How a mentor scores for a search:

- Only meaningful words count. Courtesy words and the words every search shares ("student",
  "career", "help", "work", "mentor", ...) weigh nothing.
- A word counts where it matches best: a profession or industry beats a major or an interest,
  which beat a bio. A word matches the same word, another form of it (nurse/nursing,
  economics/economist), a compound (health/healthcare), a likely misspelling (buisness), or,
  for a little less, a word people use for the same field (coding/software, doctor/physician,
  lawyer/attorney, fintech/banking, PM/product manager, and a few Spanish and French ones).
- A bio never qualifies a mentor on its own: it only adds to a mentor who already matches on a
  field. Two words of the search found side by side in one field ("public health") add a bonus.
- What a mentee says about themselves ("I'm a nursing student", "I work in HR right now") weighs
  less than what they ask for, so their own field does not crowd out the one they want.
- A mentor qualifies only through a field matching something the mentee asks for: never
  through a bio, a weak word ("school", "manager") or the mentee's own description alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    """a an and or the of in on at to for with from by about as is are be been i im i'm my me
    we our you your looking look find finding seek seeking want wanted would like someone
    somebody mentor mentors mentoring please hi hello hey dear thanks thank regards best who
    work works working field area areas interested interest something anyone any some into
    get help career job jobs also maybe ideally preferably really very much know just
    so too lot lots great good sounds sound ok okay cool perfect awesome wonderful nice
    appreciate appreciated cheers will shall can could this that these those it its yes no
    not but if then than there here what which when where how why all one ones other

    student students studying study studies studied major majoring minor junior senior
    sophomore freshman grad graduate graduating graduation alum alumni alumnus alumna
    careers jobs worked helping helps advice advise advisor guidance tips talk talking chat
    speak hear learn know knowing understand wonder wondering curious passionate
    love loves enjoy thinking think considering consider hoping hope trying try decide
    deciding plan planning dream goal goals become becoming want wants wanting need needs
    people person team teams years year months time day life someday eventually soon now
    right currently current actually honestly general generally whether worth fine
    professional professionals industry industries company companies world path next first
    new more most best better really things thing stuff kind sort way ways able make
    mentee mentees mentorship guide connect connected connecting contact reach meet
    someone anybody everyone advice question questions ask asking
    do does did doing go going got have has had am was were being get getting give
    should would might must may his her their them they she he us our ours its
    after before during while between over under again further once only own same
    such both each few many most other some than too very via per

    hola gracias saludos buenas buenos tardes dias noches soy estoy busco buscando quiero
    quisiera me mi mis el la los las un una unos unas y o de del en con para por que
    trabaje trabaja trabajar trabajo estudiante estudiantes mentora mentor carrera ayuda
    mucho muy interesa interesado interesada
    bonjour merci salut je suis cherche recherche voudrais veux un une le la les des du de
    et ou en au aux avec pour par que qui dans sur mon ma mes etudiant etudiante etudiants
    travail travailler carriere aide interesse interessee tres l d j m qu""".split()
)
# Words that mean little on their own but something next to another ("law school", "manager").
WEAK_WORDS = frozenset(
    """school schools research manager managers management managing skills experience
    support program programs degree degrees change care""".split()
)
WEAK = 0.35
SELF = 0.25  # a word the mentee said about themselves ("I'm a nursing student")
SYNONYM = 0.7  # a word people use for the same field, not the word itself
MISSPELT = 0.8
PHRASE_BONUS = 0.5  # share of the field weight added for two search words side by side
# Where a word matches says how well it matches: a profession beats a passing mention in a bio.
FIELD_WEIGHTS = {"profession": 3.0, "industry": 3.0, "major": 2.0, "interests": 2.0, "bio": 1.0}

# Words people write for the same field, folded and lower case. Each group is one field; a word
# of the search in a group also finds the group's other words.
_SAME_FIELD = [
    "software coding code coder coders programming programmer programmers developer "
    "developers programacion programar programmation informatique informatica",
    "cs computer computing",
    "tech technology technologies tecnologia technologie",
    "doctor doctors physician physicians medicine medical med md premed medecin medecine "
    "medicina medico",
    "law lawyer lawyers legal attorney attorneys abogado abogada derecho droit avocat avocate "
    "juridique",
    "finance financial fintech banking bank banker bankers investment investments finanzas "
    "financiero banca inversion banque",
    "accounting accountant accountants cpa finance",
    "pm product",
    "data analytics analyst analysts analysis statistics datos donnees",
    "science scientist scientists sciences ciencia ciencias",
    "business entrepreneur entrepreneurs entrepreneurship startup startups founder founders "
    "founding negocios empresa emprendimiento entreprise",
    "nurse nurses nursing rn enfermeria enfermera enfermero infirmiere infirmier",
    "health healthcare salud sante",
    "public publica publico publique",
    "government policy politics gobierno gouvernement politica politique",
    "therapist therapists therapy counseling counselor psychologist psychology psicologia "
    "psychologie",
    "game games gaming videogames videojuegos juegos jeux",
    "aero aerospace aeronautics space spacecraft rocket rockets propulsion",
    "teacher teachers teaching teach education educator profesor profesora enseignant",
    "msw social",
    "foster welfare",
    "climate sustainability sustainable environmental environment green renewable",
    "marketing advertising brand branding",
    "hr recruiting recruiter resume resumes cv",
    "museum museums curator gallery galleries",
    "film films documentary documentaries movie movies cinema",
    "journalist journalism journalists reporter reporting newspaper news periodismo",
    "pharmacist pharmacy pharmd",
    "vet veterinarian veterinary",
    "cybersecurity security hacking hacker hackers ctf",
    "ai ml",
    "econ economics economist",
    "biotech biotechnology",
    "ux hci",
    "consulting consultant consultants",
    "pt physical",
    "architect architecture architecte arquitecto arquitectura",
    "engineer engineering ingeniero ingenieria ingenieur ingenierie",
]
_SUFFIXES = (
    "ations ation ships ship ments ment ings ing ists ist ance ence ical ial ics ic ers er "
    "ants ant ies es s ed y e"
).split()


@dataclass(frozen=True)
class MentorProfile:
    """The searchable side of an available mentor. Never holds their email address."""

    mentor_id: int
    name: str
    profession: str
    industry: str
    major: str
    interests: tuple[str, ...]
    bio: str


# A mentee correcting their search ("sorry, I meant data science, not data entry"), in the
# six languages: the words meant, without the apology and without the words taken back.
_APOLOGY = (
    r"(?:sorry|oops|whoops|my\s+bad|correction|no|nope|perdón|perdon|perdona|lo\s+siento|"
    r"pardon|désolée?|desolee?|oups|non|entschuldigung|nein|desculp[ae]|foi\s+mal|não|nao)"
    r"[\s,:;.!—–-]*"
)
_SORRY = rf"(?:{_APOLOGY})?"
_MEANT = (
    rf"(?:i\s+)?meant(?:\s+to\s+say)?|{_APOLOGY}i\s+mean|what\s+i\s+meant\s+was|"
    r"quer[ií]a\s+decir|quise\s+decir|je\s+voulais\s+dire|ich\s+meinte|quis\s+dizer|"
    r"queria\s+dizer|我是说|我的意思是|应该是|應該是"
)
_NOT = r"(?:not|no|pas|nicht|não|nao|不是)"
_CORRECTION = re.compile(
    rf"^\s*{_SORRY}(?:{_MEANT})[\s:,]*[“\"']?(?P<meant>.+?)[”\"']?"
    rf"(?:\s*[,;，—–-]?\s*(?:and\s+|y\s+|et\s+|und\s+|e\s+)?{_NOT}(?:\s+|(?<=是)).*)?[\s.!。]*$",
    re.IGNORECASE | re.DOTALL,
)
_NOT_BUT = re.compile(
    rf"^\s*{_SORRY}{_NOT}\s+.+?\s*[,，]?\s*(?:but|sino|mais|sondern|mas|而是|是)\s+(?P<meant>.+?)[\s.!。]*$",
    re.IGNORECASE | re.DOTALL,
)
_INSTEAD = re.compile(
    r"^\s*(?P<meant>.+?)\s+(?:instead\s+of|rather\s+than|en\s+lugar\s+de|en\s+vez\s+de|"
    r"au\s+lieu\s+de|plutôt\s+que|statt|anstatt|em\s+vez\s+de|em\s+lugar\s+de)\s+.+?[\s.!]*$",
    re.IGNORECASE | re.DOTALL,
)


def corrected_search(text: str) -> str:
    """The words a mentee meant when they correct a search ("sorry, I meant data science, not
    data entry": "data science"; "not data entry but data science"; "data science instead of
    data entry"); the text itself when it corrects nothing."""
    for pattern in (_CORRECTION, _NOT_BUT, _INSTEAD):
        found = pattern.match(text.strip()[:500])
        if found and keywords(found.group("meant")):
            return found.group("meant").strip(" ,.;:!“”\"'")
    return text


def keywords(text: str) -> list[str]:
    """The meaningful, normalised words of a search, in order, without repeats."""
    return [word for word, _ in _weighted_keywords(text)]


def rank(query: str, mentors: list[MentorProfile], limit: int) -> list[MentorProfile]:
    """The best ``limit`` mentors for the query, best first; ties keep a stable order."""
    by_id = {m.mentor_id: m for m in mentors}
    found = rank_documents(query, [document(m) for m in mentors], limit)
    return [by_id[d.mentor_id] for d in found]


@dataclass(frozen=True)
class SearchDocument:
    """A mentor's folded words per field value, in scoring order, as stored for search."""

    mentor_id: int
    name: str
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (field, its distinct words, sorted)


Weighted = list[tuple[str, float]]  # the words of a search and how much each weighs
Scored = tuple[float, SearchDocument]  # a document and its score
Matches = Mapping[str, Mapping[str, float]]  # per search word: the words it matches, how well


def still_askable(free: set[int], asked: set[int], limit: int) -> list[int]:
    """The mentors with a free place a mentee may still ask (never one they asked before, who
    may have just said no), oldest first: offered after a no when no one else fits their
    words, so they are never left without a name (README step 4)."""
    return sorted(free - asked)[: max(limit, 0)]


def document(mentor: MentorProfile) -> SearchDocument:
    """The mentor's searchable words, folded and split once, so a search never re-reads them."""
    fields = [
        ("profession", mentor.profession),
        ("industry", mentor.industry),
        ("major", mentor.major),
        *(("interests", interest) for interest in mentor.interests),
        ("bio", mentor.bio),
    ]
    values = tuple((name, tuple(sorted(_tokens(text)))) for name, text in fields if text)
    return SearchDocument(mentor.mentor_id, mentor.name, values)


def document_terms(doc: SearchDocument) -> dict[str, float]:
    """Each word of the document with the best weight of a field holding it (a bio's is 1):
    what bounds a mentor's score for a search; only words weighing more than 1 qualify one."""
    terms: dict[str, float] = {}
    for name, tokens in doc.values:
        for token in tokens:
            terms[token] = max(terms.get(token, 0.0), FIELD_WEIGHTS[name])
    return terms


def rank_documents(query: str, docs: list[SearchDocument], limit: int) -> list[SearchDocument]:
    """The best ``limit`` documents for the query, best first, as ``rank`` orders mentors."""
    weighted = _weighted_keywords(query)
    if not weighted:
        return []
    return top(scored_documents(weighted, docs), limit)


def query_words(query: str) -> Weighted:
    """The words of a search with their weights (empty when nothing meaningful was asked)."""
    return _weighted_keywords(query)


def scored_documents(
    weighted: Weighted, docs: list[SearchDocument], matches: Matches | None = None
) -> list[Scored]:
    """Each matching document with its score, in no particular order (``matches`` as for
    ``score_document``)."""
    scored = [(score_document(weighted, d, matches), d) for d in docs]
    return [(s, d) for s, d in scored if s > 0]


def order_key(hit: Scored) -> tuple[float, str, int]:
    """Best score first, then name, then id: the one order every search shows. Scores are
    compared to 9 decimals, so equal sums reached in different orders tie and go by name."""
    return (-round(hit[0], 9), hit[1].name, hit[1].mentor_id)


def top(hits: list[Scored], limit: int) -> list[SearchDocument]:
    """The first ``limit`` hits in the order every search shows."""
    return [d for _, d in sorted(hits, key=order_key)[:limit]]


def score(words: list[str], mentor: MentorProfile) -> float:
    """How well a mentor's profile matches the words, all weighing alike (0 is no match)."""
    return score_document([(w, WEAK if w in WEAK_WORDS else 1.0) for w in words], document(mentor))


def score_document(
    weighted: Weighted, doc: SearchDocument, matches: Matches | None = None
) -> float:
    """How well a stored document matches the weighted words (0 is no match). ``matches``, when
    given, holds for each word every word of the document it matches, with how well (the
    same score, found faster than by trying every word of every field)."""
    if not weighted:
        return 0.0
    values = [(FIELD_WEIGHTS[name], tokens) for name, tokens in doc.values]
    bio_at = len(values) - 1 if doc.values and doc.values[-1][0] == "bio" else None
    credited: set[tuple[int, str]] = set()  # a mentor's word counts once, however many find it
    asked = max(weight for _, weight in weighted)  # the weight of what the mentee asks for
    total, qualified = 0.0, False
    found: list[list[float]] = []  # how well each search word matches each field value
    for word, weight in weighted:
        per_value: list[float] = []
        best, best_at = 0.0, None
        for i, (field_weight, tokens) in enumerate(values):
            taken = {t for j, t in credited if j == i}
            if matches is None:
                quality, token = _match(word, tokens, taken)
            else:
                quality, token = _match_known(tokens, taken, matches[word])
            per_value.append(field_weight * quality if i != bio_at else 0.0)
            if field_weight * quality > best:
                best, best_at = field_weight * quality, (i, token)
        if best_at is not None:
            credited.add(best_at)
            qualified = qualified or (best_at[0] != bio_at and weight >= asked)
            total += weight * best
        found.append([weight * s for s in per_value])
    if not qualified:
        return 0.0  # only a field matching what is asked qualifies: never a bio, weak or own word
    for first, second in pairwise(found):
        side_by_side = [min(a, b) for a, b in zip(first, second, strict=True) if a and b]
        if side_by_side:
            total += PHRASE_BONUS * max(side_by_side)
    return total


def term_quality(word: str, term: str) -> float:
    """How well a search word matches one stored word (0 when it does not)."""
    return _quality(word, term)


def _weighted_keywords(text: str) -> list[tuple[str, float]]:
    """The meaningful words with how much each weighs: what the mentee asks for weighs most."""
    seen: dict[str, float] = {}
    for word, about_self in _words_with_self(_fold(text)):
        if len(word) < 2 or word.isdigit() or _is_stopword(word):
            continue
        weight = (WEAK if word in WEAK_WORDS else 1.0) * (SELF if about_self else 1.0)
        seen[word] = max(seen.get(word, 0.0), weight)
    return list(seen.items())


# "I'm a nursing student", "soy estudiante de", "je suis", "I've been an accountant",
# "I work in HR": what follows, up to the end of the clause, is about the mentee.
_SELF_START = re.compile(
    r"\b(?:i\W?m|i am|i\W?ve been|i have been|i was|i work(?:ed)? (?:in|as|at)"
    r"|i currently work (?:in|as|at)|i study|soy|je suis)"
    r"(?: (?:currently|now|still|actually|just))?(?: (?:a|an|estudiante|etudiante?))?\b"
)
_SELF_ROLE = re.compile(r"^(?:student|students|major|majors|estudiante|etudiante?)$")
_CLAUSE = re.compile(r"[.,;:!?()\n]+| (?:and|but|y|pero|et|mais|so) ")
_SELF_END = frozenset(
    """looking interested hoping trying want wanting wants who that thinking considering
    curious passionate would like need searching busco quiero cherche veux interesse
    interessee""".split()
)


def _words_with_self(folded: str) -> list[tuple[str, bool]]:
    """Each word of the text, with whether the mentee is describing themselves there."""
    result: list[tuple[str, bool]] = []
    for clause in _CLAUSE.split(folded):
        start = _SELF_START.search(clause)
        words = _WORD.findall(clause)
        about_self = [False] * len(words)
        if start and (
            start.group(0).endswith((" a", " an")) or "work" in start.group(0) or _role(words)
        ):
            begin = len(_WORD.findall(clause[: start.end()]))
            for i in range(begin, len(words)):
                if words[i] in _SELF_END:
                    break
                about_self[i] = True
        else:  # "Civil engineering student here", "Econ major here"
            role = _role(words)
            if role is not None:
                for i in range(role):
                    about_self[i] = True
        result.extend(zip(words, about_self, strict=True))
    return result


def _role(words: list[str]) -> int | None:
    """Where "student"/"major" names what the mentee is, if it does."""
    for i, word in enumerate(words):
        if _SELF_ROLE.match(word):
            return i
    return None


def _is_stopword(word: str) -> bool:
    if word in STOPWORDS:
        return True
    # a misspelt stop word ("intrested") is a stop word too
    return len(word) >= 7 and any(
        len(s) >= 7 and _near(word, s) for s in _LONG_STOPWORDS if abs(len(s) - len(word)) <= 1
    )


_LONG_STOPWORDS = tuple(s for s in STOPWORDS if len(s) >= 7)


def _match(word: str, tokens: tuple[str, ...], credited: set[str]) -> tuple[float, str]:
    """How well a search word matches a field's words (1, a little less, or 0), and which."""
    best, which = 0.0, ""
    for token in tokens:
        if token in credited:
            continue
        quality = _quality(word, token)
        if quality > best:
            best, which = quality, token
            if best == 1.0:
                break
    return best, which


def _match_known(
    tokens: tuple[str, ...], credited: set[str], known: Mapping[str, float]
) -> tuple[float, str]:
    """``_match`` when the word's matching tokens and their qualities are known already."""
    found = known.keys() & tokens
    if not found:
        return 0.0, ""
    best, which = 0.0, ""
    for token in sorted(found) if len(found) > 1 else found:  # first best in field order
        if token in credited:
            continue
        quality = known[token]
        if quality > best:
            best, which = quality, token
            if best == 1.0:
                break
    return best, which


@lru_cache(maxsize=65536)
def _quality(word: str, token: str) -> float:
    if word == token or _same_word(word, token):
        return 1.0
    if len(word) >= 6 and len(token) >= 6 and _near(word, token):
        return MISSPELT
    related = _RELATED.get(word) or _RELATED.get(_stem(word))
    if related and (token in related or _stem(token) in related or _ends_in(token, related)):
        return SYNONYM
    return 0.0


def _same_word(word: str, token: str) -> bool:
    """Another form of the same word (nurse/nursing) or a compound (health/healthcare)."""
    stem = _stem(word)
    if len(stem) >= 4 and _stem(token) == stem:
        return True
    if len(word) < 5:
        return False
    if token.startswith(word) and len(token) - len(word) >= 4:  # health → healthcare
        return True
    if word.startswith(token) and len(token) >= 5 and len(word) - len(token) >= 4:
        return True
    return _ends_in(token, frozenset((word,)))  # security → cybersecurity


def _ends_in(token: str, words: frozenset[str]) -> bool:
    """A compound ending in one of the words (biostatistics ends in statistics)."""
    return any(len(w) >= 5 and len(token) - len(w) >= 3 and token.endswith(w) for w in words)


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """The word without its endings: nursing → nurs, economist → econom, teacher → teach."""
    for _ in range(3):
        for suffix in _SUFFIXES:
            keep = 5 if suffix in ("er", "ers") else 4
            if word.endswith(suffix) and len(word) - len(suffix) >= keep:
                word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        else:
            break
    return word


def _near(a: str, b: str) -> bool:
    """One letter apart: added, dropped, changed or two swapped (buisness, theraphy)."""
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and (a[diff[1]] == b[diff[0]])
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _related() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in _SAME_FIELD:
        words = group.split()
        forms = set(words) | {_stem(w) for w in words}
        for w in words:
            for key in (w, _stem(w)):
                table.setdefault(key, set()).update(forms - {w, _stem(w)})
    return {k: frozenset(v) for k, v in table.items()}


_RELATED = _related()


@lru_cache(maxsize=4096)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(_fold(text)))


def _fold(text: str) -> str:
    """Lower case, accents removed, so "Médecine" finds "medecine"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A folded word without its endings, as search compares words (other rules use it too)."""
    return _stem(word)
