"""Errors of the workflows.

WorkflowError
├── InvalidTransition   an event that the current state does not accept
└── UnknownValue        an action, effect, context or reason no table names
"""


class WorkflowError(Exception):
    """Base of every workflow error."""


class InvalidTransition(WorkflowError):
    """The state machine has no transition for this (state, event) pair."""

    http_status = 409

    def __init__(self, machine: str, state: str, event: str) -> None:
        super().__init__(f"{machine}: no transition from {state!r} on {event}")
        self.machine = machine
        self.state = state
        self.event = event


class UnknownValue(WorkflowError):
    """A name that no table knows: never a default, always an error."""

    http_status = 500

    def __init__(self, kind: str, value: str) -> None:
        super().__init__(f"unknown {kind}: {value!r}")
        self.kind = kind
        self.value = value
