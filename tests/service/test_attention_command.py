"""`mentormail attention`: what needs a person, as a table or as JSON Lines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mentormail.app.cli import cli
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.service

QUESTION = "Happy to, though what does “monthly” mean\x1b[2J here?\nThanks, Ana"


def run(*args: str) -> str:
    """`mentormail attention ARGS`, its output."""
    done = CliRunner().invoke(cli, ["attention", *args], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_attention_json_prints_one_object_a_line_with_what_the_table_shows(
    program: Program,
) -> None:
    program.deliver(reply_to(ask(program, SAM), ANA, QUESTION))
    (item,) = attention(program)

    (line,) = run("--json").splitlines()

    assert json.loads(line) == {
        "id": item.id,
        "created_at": item.created_at.isoformat(),
        "reason": item.reason,
        "detail": item.detail,
    }
    asked = QUESTION.split("\n")[0]  # the closing "Thanks, Ana" is no part of the reply
    assert item.detail == asked and line.isascii()  # the escape cannot reach the terminal
    table = run()
    assert table.startswith(f"#{item.id} {item.created_at:%Y-%m-%d %H:%M} {item.reason}\n")
    assert "\x1b" not in table


def test_resolving_with_json_says_so_as_json_and_the_list_is_then_empty(program: Program) -> None:
    program.deliver(reply_to(ask(program, SAM), ANA, QUESTION))
    (item,) = attention(program)

    assert json.loads(run("--resolve", str(item.id), "--json")) == {"id": item.id, "resolved": True}
    assert run("--json") == ""
