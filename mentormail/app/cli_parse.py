"""``mentormail parse`` in the contexts the workflows read replies in themselves (the fit
question, the agreement, the conclusion): the reader reads such mail as general mail, as the
service does, and the line adds what the workflow reads in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from mentormail.inbound.fit_answers import fit_answer
from mentormail.workflows import agreement, termend
from mentormail.workflows.goals import read_goals

WORKFLOW_CONTEXTS = ("fit", "agreement", "conclusion")


def workflow_reading(context: str, reply: str, today: date) -> dict[str, Any]:
    """What the workflow of ``context`` reads in a reply's new text, as parse prints it."""
    if context == "fit":
        return {"fit": fit_answer(reply), "fit_question": "?" in reply}
    if context == "agreement":
        goals = tuple(read_goals(reply, today))
        mentor = type(agreement.read_mentor_reply(reply, goals)).__name__.lower()
        return {
            "goals": [
                {"text": g.text, "activities": g.activities, "by": g.by and g.by.isoformat()}
                for g in goals
            ],
            "mentor_reply": mentor,  # approved | changed | unclear, when the mentor wrote it
        }
    if context == "conclusion":
        said = termend.read_conclusion(reply)
        return {"achieved": said.achieved or reply.strip(), "next_steps": said.next_steps}
    raise ValueError(f"no workflow reads replies in the context {context!r}")
