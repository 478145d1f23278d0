"""A coordinator's reply to the digest is answered line by line: the lines that are commands
act; every other line, in plain words or naming an item there is none of (or one that is
closed), is said to be not understood and why, with the command it most looks like or the
commands there are. Greetings, thanks, the quoted digest and the signature are no commands."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from mentormail.service.models import Attention
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.test_digest import COORDINATOR, a_week_of_mentoring, the_digest, until

pytestmark = pytest.mark.service

MONDAY = datetime(2026, 10, 5, 8, 0)


def replied(program: Program, words: str) -> tuple[str, str]:
    """The coordinator replies to the digest (quoting it, signing it); the subject and text
    of the confirmation they get back."""
    digest = the_digest(program)
    program.deliver(reply_to(digest, COORDINATOR, words))  # type: ignore[arg-type]
    row = program.outbox(to=COORDINATOR, template="digest_confirmation")[-1]
    return row.subject, flat(row.text)


def test_lines_in_plain_words_and_unknown_items_are_said_not_understood_while_commands_act(
    program: Program,
) -> None:
    item = a_week_of_mentoring(program)
    until(program, MONDAY)
    subject, text = replied(
        program,
        "Hi team,\n\n"
        f"note {item}: I called Jo, all sorted\n"
        f"Item {item} is sorted, I called her on Monday\n"
        "ok #999\n"
        "Could you also keep an eye on Sam's pair?\n\n"
        "Thanks!\nMaria\n-- \nMaria Lopez, Alumni Office",
    )
    assert f"“note {item}: I called Jo, all sorted”: #{item}: note added." in text
    assert (
        f"“Item {item} is sorted, I called her on Monday”: not understood, nothing done."
        f" Did you mean “done {item}”, or “note {item} <your words>” to keep them on it?"
    ) in text
    assert (
        "“ok #999”: not understood, nothing done; there is no item #999 in Alumni Mentor"
        " Program 2026-27's list. Write one command a line; the commands are below."
    ) in text
    assert (
        "“Could you also keep an eye on Sam's pair?”: not understood, nothing done."
        " Write one command a line; the commands are below."
    ) in text
    assert (
        "The commands, one a line: - done 3 (or done 3 5 8), with the item numbers - note 3 <text>"
    ) in text
    assert "- match MENTEE-EMAIL with MENTOR-EMAIL" in text
    said = text.split("What your reply did:")[1].split("The commands")[0]
    for not_a_command in ("Hi team", "“Thanks", "Maria", "Alumni Office", "> ", "wrote:"):
        assert not_a_command not in said
    assert subject == "Done: 1 of 2 commands; 2 lines not understood"  # "ok #999" was one
    with program.services.sessions() as session:
        noted = session.get_one(Attention, item)
        assert "I called Jo, all sorted" in (noted.detail or "") and not noted.resolved


def test_ok_for_an_item_already_done_says_it_is_closed(program: Program) -> None:
    item = a_week_of_mentoring(program)
    until(program, MONDAY)
    _, text = replied(program, f"ok #{item}")
    assert f"Did you mean “done {item}”," in text  # open: the command it most looks like
    replied(program, f"done {item}")
    _, text = replied(program, f"ok #{item}\nremind {item}")
    assert f"“ok #{item}”: not understood, nothing done; #{item} is already done (closed)." in (
        text
    )
    assert f"“remind {item}”: #{item}: already done (closed); no one reminded." in text


def test_a_reply_with_no_command_is_answered_and_its_words_kept_for_the_team(
    program: Program,
) -> None:
    a_week_of_mentoring(program)
    until(program, MONDAY)
    subject, text = replied(program, "I'm away next week, can someone else cover the list?")
    assert subject == "Nothing done: 1 line not understood"
    assert (
        "“I'm away next week, can someone else cover the list?”: not understood, nothing done."
    ) in text
    with program.services.sessions() as session:
        kept = session.scalars(
            select(Attention).where(Attention.reason.like("coordinator % replied to the digest"))
        ).one()
    assert (
        f"None of it was a command, so your words are on the coordinators' list as #{kept.id},"
        " for the team."
    ) in text
    assert "I'm away next week" in (kept.detail or "")
