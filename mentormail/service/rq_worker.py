"""The RQ worker mentormail runs: RQ's SimpleWorker, whose command listener stops promptly."""

from __future__ import annotations

from typing import Any

from rq.worker import SimpleWorker

from mentormail.service import settling

LISTEN_WAKE = 1.0  # seconds: how long the listener for RQ's commands waits before looking again


class PromptWorker(SimpleWorker):
    """Jobs run in the worker's own process (SimpleWorker); RQ's commands (shutdown, stop a
    job) are heard by a listener thread that wakes every LISTEN_WAKE seconds; after the first
    job of each kind the process settles (``settling``)."""

    def execute_job(self, job: Any, queue: Any) -> None:
        """Run the job here, then settle once the first job of its kind is done."""
        super().execute_job(job, queue)
        settling.settle_after(str(job.func_name))

    def subscribe(self) -> None:
        """Listen for RQ's commands on this worker's channel, waking every LISTEN_WAKE s.

        RQ 3 listens with a 60 s wait and on exit unsubscribes, then stops the listener;
        since redis-py 8.2 stopping waits for the thread, which sits out that whole wait
        when the unsubscribe's reply arrived before it looked again: a worker, burst or
        stopped, took up to a minute to exit."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # RQ types it None
            sleep_time=LISTEN_WAKE, daemon=True, exception_handler=self._pubsub_exception_handler
        )
