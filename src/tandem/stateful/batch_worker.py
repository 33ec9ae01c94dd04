"""The per-replica batch worker: claims lines, runs a few at a time behind interactive
traffic, renews its leases, and closes batches whose lines are all done."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from tandem.errors import AuthenticationError, TandemError
from tandem.governance.keys import KeyStore
from tandem.governance.principal import Principal
from tandem.stateful.batch_queue import BatchQueue, Claimed
from tandem.stateful.batch_runner import LineRunner, Outcome, principal_of

log = logging.getLogger(__name__)

POLL_S = 0.5
MAX_ATTEMPTS = 8
KEY_CHECK_S = 10.0


class BatchWorker:
    """Runs batch lines from the queue until stopped."""

    def __init__(
        self, queue: BatchQueue, runner: LineRunner, keys: KeyStore, concurrency: int
    ) -> None:
        self.queue = queue
        self.runner = runner
        self.keys = keys
        self.concurrency = concurrency
        self._running: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._principals: dict[str, tuple[float, Principal, bool]] = {}

    def wake(self) -> None:
        """Look for work now (a batch was created or cancelled)."""
        self._wake.set()

    async def start(self, recover_prefix: str) -> None:
        """Take back lines our previous process left running, then start polling."""
        recovered = await asyncio.to_thread(self.queue.recover, recover_prefix)
        if recovered:
            log.info("batch lines taken back after a restart", extra={"lines": recovered})
        self._loop_task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop claiming; lines running here are cancelled (their leases lapse, and the
        next start, or another replica, runs them again)."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def _loop(self) -> None:
        renewed = time.monotonic()
        while True:
            try:
                claimed = await self._claim()
                if time.monotonic() - renewed > self.queue.lease_s / 3:
                    await asyncio.to_thread(self.queue.renew, list(self._running))
                    renewed = time.monotonic()
                if not claimed:
                    await self._finalize()
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), POLL_S)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("batch worker step failed")
                await asyncio.sleep(POLL_S * 4)

    async def _claim(self) -> int:
        free = self.concurrency - len(self._running)
        if free <= 0:
            await asyncio.sleep(POLL_S / 5)
            return 1
        lines = await asyncio.to_thread(self.queue.claim, free)
        for line in lines:
            task = asyncio.create_task(self._run(line))
            self._running[line.id] = task
            task.add_done_callback(self._done(line.id))
        return len(lines)

    def _done(self, line_id: int) -> Callable[[asyncio.Task[None]], None]:
        def forget(_: asyncio.Task[None]) -> None:
            self._running.pop(line_id, None)

        return forget

    async def _finalize(self) -> None:
        await asyncio.to_thread(self.queue.expire)
        for batch_id in await asyncio.to_thread(self.queue.ready_to_finalize):
            if await asyncio.to_thread(self.queue.finalize, batch_id):
                log.info("batch finalized", extra={"batch_id": batch_id})

    async def _run(self, line: Claimed) -> None:
        request_id = f"{line.batch_id}:{line.line}:{line.attempts}"
        try:
            principal = await self._principal(line.batch_id)
            url, body = line.body["url"], line.body["body"]
            outcome = await self.runner.run(principal, url, body, request_id)
        except AuthenticationError as exc:
            outcome = Outcome(exc.status_code, exc.openai_body())
        except Exception:
            # A failing line must not come back forever: it fails alone, as a 500.
            log.exception("batch line failed", extra={"batch_id": line.batch_id})
            outcome = Outcome(500, TandemError("the request failed").openai_body())
        if outcome.retry_after is not None and line.attempts < MAX_ATTEMPTS:
            await asyncio.to_thread(self.queue.retry_later, line.id, outcome.retry_after)
            self.wake()
            return
        result = {
            "response": {
                "status_code": outcome.status_code,
                "request_id": request_id,
                "body": outcome.body,
            },
            "error": None,
        }
        status = "ok" if outcome.status_code == 200 else "error"
        if not await asyncio.to_thread(self.queue.settle, line.id, status, result):
            log.warning("batch line lease lost; its result is dropped", extra={"line": line.id})

    async def _principal(self, batch_id: str) -> Principal:
        """The principal the batch runs as; a key revoked since is refused."""
        cached = self._principals.get(batch_id)
        if cached is None or time.monotonic() - cached[0] > KEY_CHECK_S:
            batch = await asyncio.to_thread(self.queue.batch, batch_id)
            if batch is None:
                raise AuthenticationError("the batch is gone")
            principal = principal_of(batch.principal)
            valid = principal.key_id is None or await asyncio.to_thread(
                self._key_valid, principal.key_id
            )
            cached = (time.monotonic(), principal, valid)
            self._principals[batch_id] = cached
        if not cached[2]:
            raise AuthenticationError("the key that created this batch is no longer valid")
        return cached[1]

    def _key_valid(self, key_id: str) -> bool:
        try:
            row = self.keys.get(key_id, None)
        except Exception:
            return False
        return row.revoked_at is None
