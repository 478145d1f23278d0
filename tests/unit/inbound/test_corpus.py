"""The labelled reply corpus: every case, scored per folder under that folder's conventions."""

from __future__ import annotations

import email
import os
import re
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from mentormail.inbound.extract import Style, extract_reply

_DEFAULT_CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
CORPUS = Path(os.environ.get("MENTORMAIL_CORPUS", _DEFAULT_CORPUS))
KNOWN_MISSES_FILE = Path(__file__).with_name("corpus_known_misses.txt")
MIN_OVERALL = 0.95
MIN_PER_FOLDER = 0.90
LABEL_SUFFIX = ".expected.txt"

# Each folder follows its source project's idea of "the reply" (see the corpus README).
STYLE_BY_FOLDER: dict[str, Style] = {
    "email_reply_trimmer": "discourse",
    "email_reply_parser": "github",
    "email_reply_parser_zapier": "github",  # a port of github's parser, same conventions
    "talon": "talon",
    "mail_parser_reply": "mail_parser_reply",
}
# talon's signature tests call its signature extractor with the sender's name, not
# extract_from_plain: they expect the signature gone, which is what our default does.
DEFAULT_STYLE_SUBFOLDERS = ("talon/signature_stripped",)


@dataclass(frozen=True)
class Case:
    """One labelled corpus case."""

    name: str  # folder/.../stem, as in the known-misses file
    fixture: Path
    label: Path
    format: str
    compare: str

    @property
    def folder(self) -> str:
        """The corpus folder (the source project)."""
        return self.name.split("/", 1)[0]


def _manifest() -> dict[str, dict[str, str]]:
    """Manifest rows keyed by the label path."""
    lines = (CORPUS / "manifest.tsv").read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:] if line]
    return {row["expected"]: row for row in rows}


def _is_fixture_name(name: str, stem: str) -> bool:
    """True for <stem> or <stem>.<ext>."""
    return name == stem or (name.startswith(stem + ".") and "." not in name[len(stem) + 1 :])


def _fixture_for(label: Path) -> Path:
    """The fixture beside a label: named <stem> or <stem>.<ext>."""
    stem = label.name[: -len(LABEL_SUFFIX)]
    matches = [p for p in label.parent.iterdir() if p != label and _is_fixture_name(p.name, stem)]
    assert len(matches) == 1, f"{label}: fixtures {matches}"
    return matches[0]


def _cases() -> list[Case]:
    """Every case in the corpus, found through its label."""
    if not CORPUS.is_dir():
        return []
    manifest = _manifest()
    cases = []
    for label in sorted(CORPUS.rglob("*" + LABEL_SUFFIX)):
        rel = str(label.relative_to(CORPUS))
        row = manifest[rel]
        name = rel[: -len(LABEL_SUFFIX)]
        cases.append(Case(name, _fixture_for(label), label, row["format"], row["compare"]))
    return cases


def _known_misses() -> dict[str, str]:
    """Known misses: case name to reason."""
    misses = {}
    for line in KNOWN_MISSES_FILE.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("  ")
            misses[name.strip()] = reason.strip()
    return misses


def _first_text_plain(raw: bytes) -> str:
    """The first text/plain part of a message, transfer- and charset-decoded."""
    message = email.message_from_bytes(raw, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/plain" and isinstance(part, EmailMessage):
            return str(part.get_content())
    return ""


def _extract(case: Case) -> str:
    """Run the extractor on a case, the way its folder's conventions say."""
    raw = case.fixture.read_bytes()
    style: Style = STYLE_BY_FOLDER[case.folder]
    sender = None
    if case.name.startswith(DEFAULT_STYLE_SUBFOLDERS):
        style = "default"
        sender_file = case.fixture.with_name(case.fixture.name.removesuffix("_body") + "_sender")
        sender = sender_file.read_text("utf-8").strip() if sender_file.exists() else None
    if case.format == "eml":
        return extract_reply(_first_text_plain(raw), style=style, sender=sender)
    if case.format == "html":
        return extract_reply("", html=raw.decode("utf-8", "replace"), style=style)
    return extract_reply(raw.decode("utf-8"), style=style, sender=sender)


def normalise(text: str) -> str:
    """The corpus README's normalisation: LF, no trailing blanks, one blank line at most."""
    lines = [line.rstrip() for line in re.sub(r"\r\n?", "\n", text).split("\n")]
    collapsed: list[str] = []
    for line in lines:
        if not (line == "" and collapsed and collapsed[-1] == ""):
            collapsed.append(line)
    return "\n".join(collapsed).strip("\n")


def matches(case: Case, got: str) -> bool:
    """True when the extractor's output equals the label under the case's comparison rule."""
    want, have = normalise(case.label.read_text("utf-8")), normalise(got)
    if case.compare == "no-whitespace":
        want, have = re.sub(r"\s", "", want), re.sub(r"\s", "", have)
    return want == have


CASES = _cases()
pytestmark = pytest.mark.unit


def test_the_corpus_is_there() -> None:
    """A missing corpus fails loudly: a silently skipped score would prove nothing."""
    assert len(CASES) == 121, f"expected 121 labelled cases at {CORPUS} (set MENTORMAIL_CORPUS)"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Case) -> None:
    """A case passes, unless it is a known miss (which must still be failing)."""
    ok = matches(case, _extract(case))
    reason = _known_misses().get(case.name)
    if reason is not None:
        if ok:
            pytest.fail(f"{case.name} now passes: remove it from {KNOWN_MISSES_FILE.name}")
        pytest.xfail(reason)
    want = normalise(case.label.read_text("utf-8"))
    assert ok, f"{case.name}: got\n{normalise(_extract(case))}\n--- want\n{want}"


def test_corpus_score_per_folder_and_overall(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the score per folder and overall, and holds it to the targets."""
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for case in CASES:
        total[case.folder] += 1
        passed[case.folder] += matches(case, _extract(case))
    with capsys.disabled():
        print("\nreply-extraction corpus score")
        for folder in sorted(total):
            share = passed[folder] / total[folder]
            print(f"  {folder:<28} {passed[folder]:>3}/{total[folder]:<3} {share:6.1%}")
        n_passed, n_total = sum(passed.values()), sum(total.values())
        overall = n_passed / n_total
        print(f"  {'overall':<28} {n_passed:>3}/{n_total:<3} {overall:6.1%}")
    assert overall >= MIN_OVERALL
    for folder in total:
        assert passed[folder] / total[folder] >= MIN_PER_FOLDER, folder


def test_known_misses_name_real_cases() -> None:
    """Every known miss names a case that exists, with a reason."""
    names = {case.name for case in CASES}
    for name, reason in _known_misses().items():
        assert name in names, name
        assert reason, name
