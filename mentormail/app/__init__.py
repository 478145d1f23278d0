"""The entry points above the shell: the CLI, the Flask app, RQ jobs, ``run``, and the one
composition root (``bootstrap``) that wires real adapters. Nothing in ``service/`` imports this."""
