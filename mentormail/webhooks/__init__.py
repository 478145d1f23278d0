"""Flask blueprints for provider HTTP: authenticate, store raw input, queue, answer fast."""
