"""RQ jobs: thin, take ids, safe to run twice. The logic lives in the service modules."""

from __future__ import annotations

from mentormail.app import bootstrap
from mentormail.service import inbound, sending, sweep


def process_inbound(inbound_id: int) -> str:
    """Process one stored inbound message."""
    return inbound.process(bootstrap.current(), inbound_id)


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row."""
    return sending.send(bootstrap.current(), outbound_id)


def run_sweep() -> str:
    """Do whatever the database says is due."""
    return repr(sweep.sweep(bootstrap.current()))
