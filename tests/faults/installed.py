"""The installed ``mentormail`` command, run as an operator runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MENTORMAIL = str(Path(sys.executable).with_name("mentormail"))


def mentormail(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI; a hang fails by timeout."""
    return subprocess.run([MENTORMAIL, *args], env=env, capture_output=True, text=True, timeout=120)
