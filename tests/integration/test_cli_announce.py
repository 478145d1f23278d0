"""`mentormail announce` as a coordinator runs it: a preview that sends nothing, then
--send writing one email per mentee, quiet and in JSON when piped."""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import EXAMPLES
from tests.integration.test_cli import env, mentormail  # noqa: F401  (the fixture)

ORIENTATION = """## Orientation evening

Join us on **Thursday 12 March** at 18:00 in the [Alumni Hall](https://alumni.example.edu/hall).

- bring a question you want answered
"""


def loaded(env: dict[str, str], tmp_path: Path) -> Path:  # noqa: F811
    """The example program and its people; the announcement's Markdown file."""
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    words = tmp_path / "orientation.md"
    words.write_text(ORIENTATION, encoding="utf-8")
    return words


def test_announce_previews_who_and_what_and_sends_only_with_send(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    words = loaded(env, tmp_path)
    command = ["announce", "--program", "alumni-2026", "--to", "mentees",
               "--subject", "Orientation evening", str(words)]  # fmt: skip
    preview = mentormail(env, *command)
    assert preview.returncode == 0, preview.stderr
    out = preview.stdout
    assert out.startswith("To 2 mentees of Alumni Mentor Program")
    assert "Jo Kim <jo.kim@student.example.edu>" in out
    assert "Sam Rivera <sam.rivera@student.example.edu>" in out
    assert "Subject: Orientation evening" in out
    assert "Hi Jo," in out  # the first recipient, by name order
    assert "Orientation evening\n-------------------" in out
    hall = "Thursday 12 March at 18:00 in the Alumni Hall (https://alumni.example.edu/hall)"
    assert hall in " ".join(out.split())  # the paragraph is wrapped; its link stays whole
    assert "Nothing was sent" in out
    assert mentormail(env, "outbox", "--json").stdout == ""
    everyone = mentormail(env, *command[:4], "all", *command[5:])
    assert everyone.stdout.startswith("To 6 mentors and mentees of Alumni Mentor Program 2026-27:")

    sent = mentormail(env, *command, "--send", "--json")
    assert sent.returncode == 0, sent.stderr
    summary = json.loads(sent.stdout)  # one JSON line, no progress bar when piped
    assert summary["written"] == 2 and summary["sendgrid_requests"] == 1
    assert summary["left_out"] == {} and summary["already_sent"] == 0
    rows = [json.loads(line) for line in mentormail(env, "outbox", "--json").stdout.splitlines()]
    assert sorted(r["to"] for r in rows) == [
        "jo.kim@student.example.edu", "sam.rivera@student.example.edu",
    ]  # fmt: skip
    assert {r["template"] for r in rows} == {"announcement"}
    again = json.loads(mentormail(env, *command, "--send", "--json").stdout)
    assert again["written"] == 0 and again["already_sent"] == 2
