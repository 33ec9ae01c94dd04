"""RPM/TPM admission over a sliding 60-second window, in-process or exact across replicas.

Azure's semantics: a request is admitted against its prompt tokens plus its max_tokens
estimate, and the estimate is replaced by the real usage once the answer is known. With
Redis, admission is one atomic script over every limit, timed by Redis's own clock.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tandem.errors import RateLimitError

WINDOW_S = 60.0


@dataclass(frozen=True)
class Limit:
    """Limits on one counter (a key, or a deployment); None means unlimited."""

    name: str
    rpm: int | None = None
    tpm: int | None = None


@dataclass
class Admission:
    """An admitted request: what it counted against and what is left."""

    entry_id: str
    limits: list[Limit]
    tokens: int
    remaining_requests: int | None = None
    remaining_tokens: int | None = None

    def headers(self) -> dict[str, str]:
        """Azure-style x-ratelimit-* headers (only for limits that exist)."""
        return _headers(self.limits, self.remaining_requests, self.remaining_tokens)


def _headers(
    limits: list[Limit], left_requests: int | None, left_tokens: int | None
) -> dict[str, str]:
    out: dict[str, str] = {}
    rpms = [limit.rpm for limit in limits if limit.rpm is not None]
    tpms = [limit.tpm for limit in limits if limit.tpm is not None]
    # A remaining count is sent only when it is known: a refusal for requests says nothing
    # about tokens (reporting 0 there would send clients to the wrong back-off).
    if rpms:
        out["x-ratelimit-limit-requests"] = str(min(rpms))
        if left_requests is not None:
            out["x-ratelimit-remaining-requests"] = str(max(0, left_requests))
    if tpms:
        out["x-ratelimit-limit-tokens"] = str(min(tpms))
        if left_tokens is not None:
            out["x-ratelimit-remaining-tokens"] = str(max(0, left_tokens))
    return out


def rate_limited(
    limit: Limit, retry_after: float, which: str, limits: list[Limit]
) -> RateLimitError:
    """The 429 for a refused admission."""
    seconds = max(1, math.ceil(retry_after))
    headers = {"retry-after": str(seconds), "retry-after-ms": str(int(retry_after * 1000))}
    headers.update(
        _headers(limits, 0 if which == "requests" else None, 0 if which == "tokens" else None)
    )
    return RateLimitError(
        f"Requests to this {limit.name.split(':', 1)[0]} have exceeded the {which}-per-minute "
        f"limit. Please retry after {seconds} seconds.",
        headers=headers,
    )


class Limiter(ABC):
    """Admits requests against several limits at once."""

    @abstractmethod
    async def admit(self, limits: list[Limit], tokens: int, entry_id: str) -> Admission:
        """Count the request everywhere or nowhere; raise RateLimitError when refused."""

    @abstractmethod
    async def reconcile(self, admission: Admission, actual_tokens: int) -> None:
        """Replace the admitted token estimate with the real usage."""

    async def close(self) -> None:
        """Release connections."""


@dataclass
class _Window:
    entries: deque[tuple[float, str]] = field(default_factory=deque)
    tokens: dict[str, int] = field(default_factory=dict)
    used: int = 0

    def expire(self, now: float) -> None:
        while self.entries and self.entries[0][0] <= now - WINDOW_S:
            _, entry_id = self.entries.popleft()
            self.used -= self.tokens.pop(entry_id, 0)


class InProcessLimiter(Limiter):
    """Exact within one process (the event loop serialises admissions)."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._windows: dict[str, _Window] = {}
        self._clock = clock

    async def admit(self, limits: list[Limit], tokens: int, entry_id: str) -> Admission:
        now = self._clock()
        active = [limit for limit in limits if limit.rpm is not None or limit.tpm is not None]
        windows = [self._windows.setdefault(limit.name, _Window()) for limit in active]
        for limit, window in zip(active, windows, strict=True):
            window.expire(now)
            oldest = window.entries[0][0] if window.entries else now
            retry = oldest + WINDOW_S - now
            if limit.rpm is not None and len(window.entries) + 1 > limit.rpm:
                raise rate_limited(limit, retry, "requests", active)
            if limit.tpm is not None and window.used + tokens > limit.tpm:
                raise rate_limited(limit, retry, "tokens", active)
        left_requests: list[int] = []
        left_tokens: list[int] = []
        for limit, window in zip(active, windows, strict=True):
            window.entries.append((now, entry_id))
            window.tokens[entry_id] = tokens
            window.used += tokens
            if limit.rpm is not None:
                left_requests.append(limit.rpm - len(window.entries))
            if limit.tpm is not None:
                left_tokens.append(limit.tpm - window.used)
        return Admission(
            entry_id,
            active,
            tokens,
            min(left_requests) if left_requests else None,
            min(left_tokens) if left_tokens else None,
        )

    async def reconcile(self, admission: Admission, actual_tokens: int) -> None:
        for limit in admission.limits:
            window = self._windows.get(limit.name)
            if window is not None and admission.entry_id in window.tokens:
                window.used += actual_tokens - window.tokens[admission.entry_id]
                window.tokens[admission.entry_id] = actual_tokens


_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local member = ARGV[2] .. ':' .. ARGV[3]
local tokens = tonumber(ARGV[3])
local n = #KEYS / 2
local counts = {}
for i = 1, n do
  local z, s = KEYS[2 * i - 1], KEYS[2 * i]
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now - window)
  if #expired > 0 then
    local gone = 0
    for _, m in ipairs(expired) do gone = gone + tonumber(string.match(m, ':(%-?%d+)$')) end
    redis.call('DECRBY', s, gone)
    redis.call('ZREMRANGEBYSCORE', z, '-inf', now - window)
  end
  local count = redis.call('ZCARD', z)
  local used = tonumber(redis.call('GET', s) or '0')
  local rpm, tpm = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  local refused = 0
  if rpm >= 0 and count + 1 > rpm then refused = 1 end
  if refused == 0 and tpm >= 0 and used + tokens > tpm then refused = 2 end
  if refused > 0 then
    local oldest = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
    local retry = window
    if #oldest > 0 then retry = tonumber(oldest[2]) + window - now end
    return {0, i, refused, retry}
  end
  counts[i] = {count, used}
end
local out = {1}
for i = 1, n do
  local z, s = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('ZADD', z, now, member)
  redis.call('INCRBY', s, tokens)
  redis.call('PEXPIRE', z, window * 2)
  redis.call('PEXPIRE', s, window * 2)
  table.insert(out, counts[i][1] + 1)
  table.insert(out, counts[i][2] + tokens)
end
return out
"""

_RECONCILE = """
local old = ARGV[1] .. ':' .. ARGV[2]
local new = ARGV[1] .. ':' .. ARGV[3]
local delta = tonumber(ARGV[3]) - tonumber(ARGV[2])
for i = 1, #KEYS / 2 do
  local z, s = KEYS[2 * i - 1], KEYS[2 * i]
  local score = redis.call('ZSCORE', z, old)
  if score then
    redis.call('ZREM', z, old)
    redis.call('ZADD', z, score, new)
    redis.call('INCRBY', s, delta)
  end
end
return 1
"""


class RedisLimiter(Limiter):
    """Exact across every replica and worker sharing one Redis."""

    def __init__(self, url: str, prefix: str = "tandem:q:") -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._prefix = prefix
        self._admit = self._redis.register_script(_ADMIT)
        self._reconcile = self._redis.register_script(_RECONCILE)

    def _keys(self, limits: list[Limit]) -> list[str]:
        keys: list[str] = []
        for limit in limits:
            base = f"{self._prefix}{{{limit.name}}}"
            keys += [f"{base}:w", f"{base}:t"]
        return keys

    async def admit(self, limits: list[Limit], tokens: int, entry_id: str) -> Admission:
        active = [limit for limit in limits if limit.rpm is not None or limit.tpm is not None]
        if not active:
            return Admission(entry_id, [], tokens)
        args: list[Any] = [int(WINDOW_S * 1000), entry_id, tokens]
        for limit in active:
            args += [-1 if limit.rpm is None else limit.rpm, -1 if limit.tpm is None else limit.tpm]
        result = await self._admit(keys=self._keys(active), args=args)
        if int(result[0]) == 0:
            limit = active[int(result[1]) - 1]
            which = "requests" if int(result[2]) == 1 else "tokens"
            raise rate_limited(limit, float(result[3]) / 1000, which, active)
        left_requests = [
            limit.rpm - int(result[1 + 2 * i])
            for i, limit in enumerate(active)
            if limit.rpm is not None
        ]
        left_tokens = [
            limit.tpm - int(result[2 + 2 * i])
            for i, limit in enumerate(active)
            if limit.tpm is not None
        ]
        return Admission(
            entry_id,
            active,
            tokens,
            min(left_requests) if left_requests else None,
            min(left_tokens) if left_tokens else None,
        )

    async def reconcile(self, admission: Admission, actual_tokens: int) -> None:
        if not admission.limits or actual_tokens == admission.tokens:
            return
        await self._reconcile(
            keys=self._keys(admission.limits),
            args=[admission.entry_id, admission.tokens, actual_tokens],
        )

    async def close(self) -> None:
        await self._redis.aclose()
