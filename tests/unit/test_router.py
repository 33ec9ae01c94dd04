"""Router behaviour against a fake upstream on a loopback port: retries, retry-after,
fallback, cooldown, balancing and streams that break mid-way."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from tandem.api.model_routes import sse_frames
from tandem.backends.base import BackendContext
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.errors import UpstreamClientError, UpstreamError, UpstreamTimeoutError
from tandem.gateway.service import CallContext, ModelService
from tandem.governance.controls import Controls
from tandem.governance.principal import open_principal
from tandem.governance.usage_report import summarize
from tandem.http.responses import SSE_DONE
from tandem.metrics import Metrics
from tandem.routing.deployments import DeploymentTable
from tandem.routing.router import Router, StreamBrokenError
from tandem.safety.layer import SafetyLayer
from tandem.wire import ChatCompletionRequest
from tests.fakes import FakeUpstream, chunk, drop, ok, slow, sse, status

REQUEST = ChatCompletionRequest.model_validate(
    {"model": "d", "messages": [{"role": "user", "content": "hi"}]}
)
STREAM_REQUEST = REQUEST.model_copy(update={"stream": True})


class Clock:
    """A manual clock and a sleep that advances it, so nothing really waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Rig:
    """Deployments on fake upstreams, and a router over them."""

    def __init__(self, tmp_path: Path) -> None:
        self.upstreams: dict[str, FakeUpstream] = {}
        self.registry = BackendRegistry.from_entry_points()
        self.table = DeploymentTable(self.registry, BackendContext(data_dir=tmp_path))
        self.clock = Clock()
        self.router = Router(
            self.table, rng=random.Random(7), sleep=self.clock.sleep, clock=self.clock
        )

    async def add(self, name: str, upstreams: list[str], **config: object) -> None:
        targets = []
        for upstream in upstreams:
            if upstream not in self.upstreams:
                self.upstreams[upstream] = FakeUpstream()
                await self.upstreams[upstream].start()
            targets.append(
                {
                    "backend": "openai",
                    "weight": config.pop(f"weight_{upstream}", 1.0),
                    "options": {
                        "base_url": self.upstreams[upstream].url,
                        "timeout_s": config.pop("upstream_timeout_s", 5.0),
                    },
                }
            )
        deployment_config = DeploymentConfig.model_validate(
            {"name": name, "targets": targets, **config}
        )
        await self.table.add(self.table.build(deployment_config), start=False)

    async def chat(self, name: str = "d") -> str:
        async def run(backend, model):  # type: ignore[no-untyped-def]
            return await backend.chat(REQUEST, model)

        routed = await self.router.call(name, run)
        return str(routed.value["choices"][0]["message"]["content"])


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    rig = Rig(tmp_path)
    yield rig
    await rig.table.close()
    for upstream in rig.upstreams.values():
        await upstream.stop()


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    fake = FakeUpstream()
    await fake.start()
    yield fake
    await fake.stop()


async def test_retries_a_5xx_then_succeeds(rig: Rig) -> None:
    await rig.add("d", ["a"], max_retries=2)
    rig.upstreams["a"].push(status(500), status(502), ok("fine"))
    assert await rig.chat() == "fine"
    assert len(rig.upstreams["a"].requests) == 3
    assert len(rig.clock.sleeps) == 2
    assert rig.clock.sleeps[1] > rig.clock.sleeps[0] * 0.9  # backoff grows


async def test_honours_retry_after(rig: Rig) -> None:
    await rig.add("d", ["a"])
    rig.upstreams["a"].push(status(429, {"retry-after": "3"}), ok("later"))
    assert await rig.chat() == "later"
    assert rig.clock.sleeps == [3.0]


async def test_honours_retry_after_ms(rig: Rig) -> None:
    await rig.add("d", ["a"])
    rig.upstreams["a"].push(status(429, {"retry-after-ms": "250"}), ok("later"))
    assert await rig.chat() == "later"
    assert rig.clock.sleeps == [0.25]


async def test_retries_connection_errors(rig: Rig) -> None:
    await rig.add("d", ["a"])
    rig.upstreams["a"].push(drop(), ok("up again"))
    assert await rig.chat() == "up again"


async def test_client_errors_are_not_retried_and_pass_through(rig: Rig) -> None:
    await rig.add("d", ["a"], fallbacks=[])
    rig.upstreams["a"].push(status(400, message="bad temperature"))
    with pytest.raises(UpstreamClientError) as caught:
        await rig.chat()
    assert caught.value.status_code == 400
    assert caught.value.message == "bad temperature"
    assert len(rig.upstreams["a"].requests) == 1


async def test_falls_back_when_retries_are_exhausted(rig: Rig) -> None:
    await rig.add("backup", ["b"])
    await rig.add("d", ["a"], max_retries=1, fallbacks=["backup"])
    rig.upstreams["a"].push(status(503), status(503))
    rig.upstreams["b"].push(ok("from backup"))
    assert await rig.chat() == "from backup"
    assert len(rig.upstreams["a"].requests) == 2


async def test_last_error_surfaces_when_everything_fails(rig: Rig) -> None:
    await rig.add("backup", ["b"], max_retries=0)
    await rig.add("d", ["a"], max_retries=0, fallbacks=["backup"])
    rig.upstreams["a"].push(status(500))
    rig.upstreams["b"].push(status(503, message="backup down"))
    with pytest.raises(UpstreamError) as caught:
        await rig.chat()
    assert caught.value.message == "backup down"


async def test_cooldown_skips_a_failing_backend_then_probes_it(rig: Rig) -> None:
    # a is nearly always picked first while it is available; each failure retries on b.
    await rig.add("d", ["a", "b"], max_retries=1, cooldown_after=2, cooldown_s=30, weight_a=1000.0)
    rig.upstreams["a"].push(status(500), status(500))
    rig.upstreams["b"].push(ok("b1"), ok("b2"), ok("b3"), ok("b4"))
    answers = [await rig.chat() for _ in range(4)]
    assert all(a.startswith("b") for a in answers)
    assert len(rig.upstreams["a"].requests) == 2  # cooled down after two failures
    deployment = rig.table.get("d")
    a_target = deployment.targets[0]
    assert not a_target.health.available(rig.clock.now)
    rig.clock.now += 31
    assert a_target.health.available(rig.clock.now)


async def test_all_backends_cooling_down_is_a_503_with_retry_after(rig: Rig) -> None:
    await rig.add("d", ["a"], max_retries=0, cooldown_after=1, cooldown_s=20)
    rig.upstreams["a"].push(status(500))
    with pytest.raises(UpstreamError):
        await rig.chat()
    with pytest.raises(UpstreamError) as caught:
        await rig.chat()
    assert caught.value.headers["retry-after"] == "20"
    assert len(rig.upstreams["a"].requests) == 1


async def test_weighted_balancing(rig: Rig) -> None:
    await rig.add("d", ["a", "b"], weight_a=3.0, weight_b=1.0)
    for upstream in ("a", "b"):
        rig.upstreams[upstream].push(*[ok(upstream)] * 400)
    answers = [await rig.chat() for _ in range(400)]
    share_a = answers.count("a") / len(answers)
    assert 0.65 < share_a < 0.85


async def test_timeout_is_retried_then_reported(rig: Rig) -> None:
    await rig.add("d", ["a"], max_retries=1, upstream_timeout_s=0.2)
    rig.upstreams["a"].push(slow(2), slow(2))
    with pytest.raises(UpstreamTimeoutError):
        await rig.chat()
    assert len(rig.upstreams["a"].requests) == 2


async def test_stream_failure_before_first_chunk_is_retried(rig: Rig) -> None:
    await rig.add("d", ["a"])
    events = [chunk("m", "Hello"), chunk("m", " world"), chunk("m", None, "stop")]
    rig.upstreams["a"].push(status(502), sse(events))
    stream = await rig.router.stream("d", lambda b, m: b.chat_stream(STREAM_REQUEST, m))
    texts = [c["choices"][0]["delta"].get("content", "") async for c in stream.chunks()]
    assert "".join(texts) == "Hello world"


async def test_stream_that_breaks_midway_ends_with_an_error_not_a_restart(
    rig: Rig, tmp_path: Path
) -> None:
    await rig.add("d", ["a"], max_retries=3)
    events = [chunk("m", "Hello"), chunk("m", " wor"), chunk("m", "ld"), chunk("m", None, "stop")]
    rig.upstreams["a"].push(sse(events, break_after=2), sse(events))
    controls = Controls(Settings(data_dir=tmp_path / "data", builtin_deployments=False))
    await controls.start()
    safety = SafetyLayer(controls.db, controls.audit, retention_days=30)
    service = ModelService(rig.router, Metrics(), controls, safety)
    stream = await service.stream(CallContext(open_principal(), "req-1"), STREAM_REQUEST, "d")
    frames = [f async for f in sse_frames(service, stream, lambda e: e.openai_body())]
    await controls.stop()
    payloads = [orjson.loads(f[6:]) for f in frames if f != SSE_DONE]
    assert frames[-1] == SSE_DONE  # after the error event: the stream is over, not cut
    text = "".join(
        p["choices"][0]["delta"].get("content", "") for p in payloads if p.get("choices")
    )
    assert text == "Hello wor"  # never restarted, so never duplicated
    assert payloads[-1]["error"]["code"] == "stream_interrupted"
    assert len(rig.upstreams["a"].requests) == 1
    rows = summarize(controls.db, tenant=None, group_by=["status"])
    assert [(r["status"], r["requests"]) for r in rows] == [("interrupted", 1)]


async def test_stream_without_done_is_a_break(rig: Rig) -> None:
    await rig.add("d", ["a"])
    rig.upstreams["a"].push(sse([chunk("m", "partial")], done=False))
    stream = await rig.router.stream("d", lambda b, m: b.chat_stream(STREAM_REQUEST, m))
    seen: list[object] = []

    async def drain() -> None:
        async for c in stream.chunks():
            seen.append(c)

    with pytest.raises(StreamBrokenError):
        await drain()
    assert len(seen) == 1


async def test_upstream_receives_the_request_with_its_model_name(
    upstream: FakeUpstream, tmp_path: Path
) -> None:
    upstream.push(ok("x"))
    registry = BackendRegistry.from_entry_points()
    backend = registry.create(
        "openai",
        {"base_url": upstream.url, "model": "real-model", "api_key": "sk-test"},
        BackendContext(data_dir=tmp_path),
    )
    await backend.chat(REQUEST, "d")
    sent = upstream.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == "Bearer sk-test"
    assert orjson.loads(sent.body) == {
        "model": "real-model",
        "messages": [{"role": "user", "content": "hi"}],
    }
    await backend.close()


async def test_azure_backend_uses_deployment_path_and_api_key(
    upstream: FakeUpstream, tmp_path: Path
) -> None:
    upstream.push(ok("x"))
    registry = BackendRegistry.from_entry_points()
    backend = registry.create(
        "azure",
        {"base_url": upstream.url.removesuffix("/v1"), "deployment": "gpt", "api_key": "k"},
        BackendContext(data_dir=tmp_path),
    )
    await backend.chat(REQUEST, "d")
    sent = upstream.requests[0]
    assert sent.path == "/openai/deployments/gpt/chat/completions"
    assert sent.query["api-version"] == "2024-10-21"
    assert sent.headers["api-key"] == "k"
    await backend.close()
