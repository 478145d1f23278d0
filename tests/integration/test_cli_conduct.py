"""The year's coordinator command as people run it: the installed `mentormail` script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.integration.test_cli import env
from tests.integration.test_cli_without_setup import ANA, SAM, loaded, outbox, reply

__all__ = ["env"]
SCRIPT = Path(sys.executable).parent / "mentormail"


def mentormail(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command (its conduct command is added on import)."""
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_end_participation_ends_the_match_tells_the_partner_and_keeps_the_record(
    env: dict[str, str], tmp_path: Path
) -> None:
    loaded(env)
    mentormail(env, "ingest", str(Path(__file__).parents[2] / "examples" / "mentee-asks.eml"))
    mentormail(env, "ingest", str(reply(outbox(env)[-1], SAM, "1", tmp_path)))
    to_ana = [row for row in outbox(env) if row["to"] == ANA]
    mentormail(env, "ingest", str(reply(to_ana[-1], ANA, "Yes, happy to!", tmp_path)))

    done = mentormail(
        env, "end-participation", ANA, "--reason", "Conduct report 7", "--by", "dana", "--json"
    )

    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["reason"], record["by"], record["matches_ended"]) == (
        "Conduct report 7",
        "dana",
        1,
    )
    (match,) = [
        json.loads(line) for line in mentormail(env, "matches", "--json").stdout.splitlines()
    ]
    assert match["state"] == "ended" and match["ending"]["reason"] == "conduct"
    told = [row for row in outbox(env) if row["to"] == SAM][-1]
    assert told["template"] == "partner_left" and "Conduct" not in told["text"]
    again = mentormail(env, "end-participation", ANA, "--reason", "again")
    assert again.returncode == 2
    assert "is no longer taking part (removed); nothing done" in again.stderr
