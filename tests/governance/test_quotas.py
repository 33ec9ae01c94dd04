"""RPM/TPM admission: the in-process limiter and the Redis one (a real Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from tandem.errors import RateLimitError
from tandem.governance.quotas import InProcessLimiter, Limit, Limiter, RedisLimiter
from tests.databases import REDIS_URL


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[Limiter]:
    if request.param == "memory":
        yield InProcessLimiter()
    else:
        redis_limiter = RedisLimiter(REDIS_URL, prefix=f"test:{uuid.uuid4().hex}:")
        yield redis_limiter
        await redis_limiter.close()


async def test_rpm_admits_exactly_the_limit(limiter: Limiter) -> None:
    limits = [Limit("key:a", rpm=3)]
    admissions = [await limiter.admit(limits, 1, f"r{i}") for i in range(3)]
    assert [a.remaining_requests for a in admissions] == [2, 1, 0]
    with pytest.raises(RateLimitError) as caught:
        await limiter.admit(limits, 1, "r4")
    assert int(caught.value.headers["retry-after"]) >= 1
    assert caught.value.headers["x-ratelimit-remaining-requests"] == "0"


async def test_tpm_counts_the_estimate_and_reconciles(limiter: Limiter) -> None:
    limits = [Limit("key:b", tpm=100)]
    first = await limiter.admit(limits, 80, "t1")
    assert first.remaining_tokens == 20
    with pytest.raises(RateLimitError):
        await limiter.admit(limits, 30, "t2")
    await limiter.reconcile(first, 10)  # the real usage was much lower
    second = await limiter.admit(limits, 30, "t3")
    assert second.remaining_tokens == 60


async def test_admission_is_all_or_nothing_across_limits(limiter: Limiter) -> None:
    key, deployment = Limit("key:c", rpm=10), Limit("deployment:d", rpm=1)
    await limiter.admit([key, deployment], 1, "x1")
    with pytest.raises(RateLimitError):
        await limiter.admit([key, deployment], 1, "x2")
    # The refused request must not have used the key's quota.
    admitted = await limiter.admit([key], 1, "x3")
    assert admitted.remaining_requests == 8


async def test_headers_show_the_tightest_limit(limiter: Limiter) -> None:
    admission = await limiter.admit(
        [Limit("key:e", rpm=50, tpm=1000), Limit("deployment:e", rpm=20)], 10, "h1"
    )
    assert admission.headers() == {
        "x-ratelimit-limit-requests": "20",
        "x-ratelimit-remaining-requests": "19",
        "x-ratelimit-limit-tokens": "1000",
        "x-ratelimit-remaining-tokens": "990",
    }


async def test_unlimited_counters_give_no_headers(limiter: Limiter) -> None:
    admission = await limiter.admit([Limit("key:none")], 5, "u1")
    assert admission.headers() == {}


async def test_concurrent_admissions_never_exceed_the_limit(limiter: Limiter) -> None:
    limits = [Limit("key:f", rpm=30)]

    async def attempt(i: int) -> bool:
        try:
            await limiter.admit(limits, 1, f"c{i}")
        except RateLimitError:
            return False
        return True

    results = await asyncio.gather(*(attempt(i) for i in range(100)))
    assert sum(results) == 30


async def test_window_slides() -> None:
    clock = Clock()
    limiter = InProcessLimiter(clock=clock)
    limits = [Limit("key:g", rpm=2)]
    await limiter.admit(limits, 1, "w1")
    clock.now += 30
    await limiter.admit(limits, 1, "w2")
    with pytest.raises(RateLimitError) as caught:
        await limiter.admit(limits, 1, "w3")
    assert caught.value.headers["retry-after"] == "30"
    clock.now += 30.5  # the first request has left the window
    await limiter.admit(limits, 1, "w4")


async def test_a_refusal_reports_only_the_limit_that_refused(limiter: Limiter) -> None:
    # Requests are the limit: nothing is said about tokens (a client would back off for
    # the wrong reason if told none are left), and the other way round.
    by_requests = [Limit("key:rq", rpm=1, tpm=10_000)]
    await limiter.admit(by_requests, 10, "rq1")
    with pytest.raises(RateLimitError) as requests_refusal:
        await limiter.admit(by_requests, 10, "rq2")
    headers = requests_refusal.value.headers
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert headers["x-ratelimit-limit-tokens"] == "10000"
    assert "x-ratelimit-remaining-tokens" not in headers
    assert "requests-per-minute" in requests_refusal.value.message

    by_tokens = [Limit("key:tk", rpm=100, tpm=50)]
    await limiter.admit(by_tokens, 40, "tk1")
    with pytest.raises(RateLimitError) as tokens_refusal:
        await limiter.admit(by_tokens, 40, "tk2")
    headers = tokens_refusal.value.headers
    assert headers["x-ratelimit-remaining-tokens"] == "0"
    assert headers["x-ratelimit-limit-requests"] == "100"
    assert "x-ratelimit-remaining-requests" not in headers
    assert "tokens-per-minute" in tokens_refusal.value.message
