"""The program's rules, as pure state machines: ``decide(state, event, now, policy)``.

Nothing here does I/O, reads the clock or imports Flask, SQLAlchemy, Redis, RQ
or Jinja2. The service loads state, calls a workflow, and persists the new
state and its effects in one transaction.
"""
