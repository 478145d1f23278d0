"""The coordinators' pairing commands as people run them: the installed `mentormail` script."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import env
from tests.integration.test_cli_conduct import mentormail
from tests.integration.test_cli_without_setup import ANA, SAM, loaded, outbox

__all__ = ["env"]
JO = "jo.kim@student.example.edu"
TOM = "tom.becker@alumni.example.edu"


def test_pair_direct_introduces_at_once_and_end_match_tells_both_kindly(
    env: dict[str, str], tmp_path: Path
) -> None:
    loaded(env)
    paired = mentormail(env, "pair", SAM, ANA, "--direct")
    assert paired.returncode == 0, paired.stderr
    assert (
        paired.stdout.strip() == "Sam Rivera and Ana Lima are matched and were introduced by email"
    )
    intro = [row for row in outbox(env) if row["to"] == SAM][-1]
    assert (
        intro["template"] == "intro_mentee" and intro["subject"] == "You're matched with Ana Lima!"
    )

    ended = mentormail(env, "end-match", SAM, ANA, "--reason", "Moved to the spring cohort")
    assert ended.returncode == 0, ended.stderr
    assert "has ended; both were told kindly (not the reason)" in ended.stdout
    for address in (SAM, ANA):
        told = [row for row in outbox(env) if row["to"] == address][-1]
        assert told["template"] == "match_ended_by_coordinators"
        assert "spring cohort" not in told["text"]
    again = mentormail(env, "end-match", SAM, ANA, "--reason", "again")
    assert again.returncode == 1
    assert again.stdout.strip() == "Sam Rivera and Ana Lima have no active match; nothing done"


def test_pair_asks_both_first_and_match_send_proposes_the_rest(env: dict[str, str]) -> None:
    loaded(env)
    asked = mentormail(env, "pair", JO, TOM)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith("Jo Kim and Tom Becker were each asked to say yes or no by ")
    to_jo = [row for row in outbox(env) if row["to"] == JO][-1]
    assert to_jo["template"] == "proposal_to_mentee"
    unknown = mentormail(env, "pair", "nobody@example.edu", TOM, "--program", "alumni-2026")
    assert unknown.returncode == 1
    assert "has the address nobody@example.edu; nothing done" in unknown.stdout

    sent = mentormail(env, "match", "--program", "alumni-2026", "--send")
    assert sent.returncode == 0, sent.stderr
    assert JO not in sent.stdout  # Jo already has a proposal waiting
    assert "pairs proposed; each side was asked yes or no" in sent.stdout
    approved = mentormail(env, "approve", TOM)
    assert approved.returncode == 1
    assert approved.stdout.strip() == "Tom Becker is already approved; nothing changed"
