"""``mentormail parse`` in the contexts the workflows read replies in themselves (the fit
question, the agreement, the conclusion, a proposal): the reader reads such mail as general
mail, as the service does, and the line adds what the workflow reads in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from mentormail.inbound.fit_answers import fit_answer
from mentormail.inbound.types import Intent, Understanding
from mentormail.service import proposals
from mentormail.workflows import agreement, termend
from mentormail.workflows.goals import read_goals

WORKFLOW_CONTEXTS = ("fit", "agreement", "conclusion", "proposal")


def workflow_reading(
    context: str, reply: str, today: date, general: Understanding
) -> dict[str, Any]:
    """What the workflow of ``context`` reads in a reply's new text (``general``: its reading
    as general mail), as parse prints it."""
    if context == "proposal":
        return _proposal_reading(reply, general)
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


def _proposal_reading(reply: str, general: Understanding) -> dict[str, Any]:
    """A proposal's answer as the service reads it: yes, no, or null (asked about; a
    question goes to a person), and whether "available" is said beside it (a paused mentor
    is available again)."""
    answer = proposals.read_answer(reply)
    decided = answer.clear and answer.intent in (Intent.ACCEPT, Intent.DECLINE)
    return {
        "proposal": ("yes" if answer.intent is Intent.ACCEPT else "no") if decided else None,
        "proposal_confidence": round(answer.confidence, 2),
        "proposal_why": list(answer.why),
        "proposal_question": answer.question or "?" in reply,
        "available_too": general.clear and general.intent is Intent.AVAILABLE,
    }
