"""Reading inbound mail the way a person would: pure functions, no I/O.

Steps, in the order the service runs them: ``mime.parse_bytes`` (bytes to a
``ParsedMail``), ``classify.classify`` (human / auto-reply / bounce / bulk),
``extract.extract_reply`` (the new text only), ``intent.understand`` (what the
person means in the context of the message they answer). ``reading.read_message``
runs them all for the ``mentormail parse`` command and the benchmark.
"""
