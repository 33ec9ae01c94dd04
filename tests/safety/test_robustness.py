"""Regressions of the probe "Security and robustness": screening that stalled the event loop
for every request, and a tenant's blocklist regex that backtracked for seconds."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tandem.safety import blocklists
from tandem.safety.classifier import Analysis, Classifier
from tandem.safety.offload import INLINE_CHARS
from tests.conftest import fake_of
from tests.fakes import Script

V = {"api-version": "2024-10-21"}
PARAGRAPH = (
    "The quarterly report was reviewed by the team on Tuesday. The old pipeline should be "
    "retired, and the new one needs a launch plan before the end of the month. "
)
# Long enough that screening it on the loop would be a visible stall (~0.2 s here).
BIG = (PARAGRAPH * (100_000 // len(PARAGRAPH) + 1))[:100_000]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shared settings with a body limit that lets the big inputs in."""
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        deployments=[DeploymentConfig.model_validate({"name": "fake", "backend": "fake"})],
        max_body_bytes=1024 * 1024,
    )


class HeldScreening:
    """Wraps the classifier so that screening a big text waits until /healthz has answered.

    On the event loop that wait can only time out (the loop cannot serve /healthz while it
    screens), so `overlapped` tells whether the loop stayed free, with no timing guesswork.
    """

    def __init__(self, classifier: Classifier) -> None:
        self.original = classifier.analyze
        self.loop = asyncio.get_running_loop()
        self.started = asyncio.Event()
        self.healthz_answered = threading.Event()
        self.overlapped: bool | None = None
        self.threads: set[int] = set()

    def analyze(self, text: str, *args: Any, **kwargs: Any) -> Analysis:
        if len(text) > INLINE_CHARS:
            self.threads.add(threading.get_ident())
            self.loop.call_soon_threadsafe(self.started.set)
            if self.overlapped is None:
                self.overlapped = self.healthz_answered.wait(timeout=5)
        return self.original(text, *args, **kwargs)


@pytest.fixture
async def held(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> HeldScreening:
    """The platform's classifier, wrapped."""
    classifier = platform.safety.screener.classifier
    wrapper = HeldScreening(classifier)
    monkeypatch.setattr(classifier, "analyze", wrapper.analyze)
    return wrapper


async def _healthz_during(
    client: httpx.AsyncClient, held: HeldScreening, big_request: Callable[[], Any]
) -> httpx.Response:
    """Send the big request and, concurrently, /healthz; return the big one's response."""

    async def healthz() -> None:
        await held.started.wait()  # screening has begun (and, on the loop, already ended)
        response = await client.get("/healthz")
        assert response.status_code == 200
        held.healthz_answered.set()

    ticker = asyncio.create_task(healthz())
    try:
        response: httpx.Response = await big_request()
    finally:
        held.healthz_answered.set()  # never leave a worker waiting
        await asyncio.wait_for(ticker, timeout=10)
    return response


async def test_large_moderation_input_does_not_stall_event_loop(
    client: httpx.AsyncClient, held: HeldScreening
) -> None:
    response = await _healthz_during(
        client, held, lambda: client.post("/v1/moderations", json={"input": BIG})
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["flagged"] is False
    assert held.overlapped is True  # /healthz was served while the input was screened
    assert threading.get_ident() not in held.threads


async def test_large_chat_prompt_does_not_stall_event_loop(
    client: httpx.AsyncClient, held: HeldScreening, platform: Platform
) -> None:
    body = {"model": "fake", "messages": [{"role": "user", "content": BIG}]}
    response = await _healthz_during(
        client, held, lambda: client.post("/v1/chat/completions", json=body)
    )
    assert response.status_code == 200, response.text
    assert held.overlapped is True
    assert fake_of(platform).history[-1][1].messages[-1].content == BIG


async def test_screening_off_the_loop_still_blocks_a_streamed_completion(
    client: httpx.AsyncClient, held: HeldScreening, platform: Platform
) -> None:
    put = await client.put("/admin/safety/policies/fake", json={"stream_window_chars": 1000})
    assert put.status_code == 200
    harmful = "Give me step by step instructions to build a pipe bomb."
    fake_of(platform).enqueue(Script(text=PARAGRAPH * 8 + harmful + " " + PARAGRAPH * 8))
    held.healthz_answered.set()  # only the thread matters here
    response = await client.post(
        "/v1/chat/completions",
        json={"model": "fake", "messages": [{"role": "user", "content": "hi"}], "stream": True},
    )
    events = [orjson.loads(e[6:]) for e in response.content.split(b"\n\n") if e[:7] == b"data: {"]
    sent = "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"])
    assert "pipe bomb" not in sent
    assert sent.startswith(PARAGRAPH.strip())
    last = [e for e in events if e["choices"]][-1]["choices"][0]
    assert last["finish_reason"] == "content_filter"
    assert held.threads  # the windows were big enough to leave the loop
    assert threading.get_ident() not in held.threads


async def test_oversized_text_analyze_is_400(client: httpx.AsyncClient) -> None:
    at_limit = await client.post(
        "/contentsafety/text:analyze", params=V, json={"text": "a" * 10_000}
    )
    assert at_limit.status_code == 200
    over = await client.post("/contentsafety/text:analyze", params=V, json={"text": "a" * 10_001})
    assert over.status_code == 400
    error = over.json()["error"]
    assert error["code"] == "InvalidRequestBody"
    assert error["param"] == "text"
    assert "10000" in error["message"]


async def test_oversized_shield_and_moderation_inputs_are_400(client: httpx.AsyncClient) -> None:
    shield = await client.post(
        "/contentsafety/text:shieldPrompt",
        params=V,
        json={"userPrompt": "hi", "documents": ["d" * 6_000, "d" * 6_000]},
    )
    assert shield.status_code == 400
    assert shield.json()["error"]["code"] == "InvalidRequestBody"
    assert shield.json()["error"]["param"] == "documents"
    moderation = await client.post("/v1/moderations", json={"input": [BIG, "one more"]})
    assert moderation.status_code == 400
    error = moderation.json()["error"]
    assert (error["param"], error["code"]) == ("input", "string_above_max_length")
    assert "100000" in error["message"]


async def test_prompt_over_the_policy_cap_is_refused_not_passed_unscreened(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    put = await client.put("/admin/safety/policies/fake", json={"max_prompt_chars": 1_000})
    assert put.status_code == 200
    messages = [{"role": "system", "content": "s" * 600}, {"role": "user", "content": "u" * 600}]
    response = await client.post(
        "/v1/chat/completions", json={"model": "fake", "messages": messages}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["param"], error["code"]) == ("messages", "string_above_max_length")
    assert "1000" in error["message"]
    assert "max_prompt_chars" in error["message"]
    completion = await client.post("/v1/completions", json={"model": "fake", "prompt": "p" * 1_001})
    assert completion.status_code == 400
    assert completion.json()["error"]["param"] == "prompt"
    assert fake_of(platform).history == []  # the model never saw either


# Run in a child process: a backtracking regex holds the GIL, so a hang in this process
# could not even be timed out; the child is killed instead and the test fails.
_MATCH_IN_CHILD = """
import sys
from tandem.safety.blocklists import BlocklistStore
from tandem.store.engine import Database
store = BlocklistStore(Database(sys.argv[1]))
for text in ("a" * 40 + "!", "b" * 10_000 + "aaa"):
    print(len(store.match("default", ["evil"], text)))
"""


def _match_in_child(url: str) -> list[int]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MATCH_IN_CHILD, url],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("matching '(a+)+$' ran for over 60 s: catastrophic backtracking")
    return [int(line) for line in done.stdout.split()]


async def _new_list(client: httpx.AsyncClient, name: str) -> None:
    made = await client.patch(f"/contentsafety/text/blocklists/{name}", params=V, json={})
    assert made.status_code == 200


async def _add(client: httpx.AsyncClient, name: str, *items: dict[str, Any]) -> httpx.Response:
    return await client.post(
        f"/contentsafety/text/blocklists/{name}:addOrUpdateBlocklistItems",
        params=V,
        json={"blocklistItems": list(items)},
    )


async def test_catastrophic_regex_blocklist_item_is_refused_or_linear(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    await _new_list(client, "evil")
    added = await _add(client, "evil", {"text": "(a+)+$", "isRegex": True})
    assert added.status_code == 200, added.text
    url = platform.safety.blocklists.db.url
    assert await asyncio.to_thread(_match_in_child, url) == [0, 1]
    for pattern in (r"(a)\1", r"(?<!x)secret", r"secret(?=s)"):
        refused = await _add(client, "evil", {"text": "ok"}, {"text": pattern, "isRegex": True})
        assert refused.status_code == 400, pattern
        error = refused.json()["error"]
        assert error["param"] == "blocklistItems[1].text"
        assert pattern in error["message"]
        assert "RE2" in error["message"]
    items = (
        await client.get("/contentsafety/text/blocklists/evil/blocklistItems", params=V)
    ).json()
    assert [i["text"] for i in items["value"]] == ["(a+)+$"]  # nothing of a refused batch kept


async def test_regex_items_still_match_case_insensitively(client: httpx.AsyncClient) -> None:
    await _new_list(client, "rivals")
    added = await _add(client, "rivals", {"text": r"acme\s*corp", "isRegex": True})
    assert added.status_code == 200
    analysis = await client.post(
        "/contentsafety/text:analyze",
        params=V,
        json={"text": "Is ACME  Corp better?", "blocklistNames": ["rivals"]},
    )
    assert [m["blocklistItemText"] for m in analysis.json()["blocklistsMatch"]] == [r"acme\s*corp"]


@pytest.mark.parametrize(
    ("term", "text", "hit"),
    [
        ("contoso", "Compare us with CONTOSO, please", True),
        ("contoso", "Contosoville is a town", False),
        ("acme corp", "we beat Acme Corp.", True),
        ("acme corp", "we beat acme corporation", False),
        ("istanbul", "İSTANBUL trip", True),
        ("straße", "STRASSE", False),
        ("+1 800", "call +1 800 now", True),
        ("c++", "we write C++ daily", True),
    ],
)
async def test_plain_terms_keep_whole_word_case_insensitive_matching(
    client: httpx.AsyncClient, platform: Platform, term: str, text: str, hit: bool
) -> None:
    await _new_list(client, "terms")
    assert (await _add(client, "terms", {"text": term})).status_code == 200
    found = platform.safety.blocklists.match("default", ["terms"], text)
    assert bool(found) is hit


async def test_blocklist_item_count_is_capped_per_list(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocklists, "MAX_LIST_ITEMS", 4)
    monkeypatch.setattr(blocklists, "MAX_LIST_REGEXES", 1)
    await _new_list(client, "small")
    assert (await _add(client, "small", {"text": "a"}, {"text": "b"})).status_code == 200
    regexes = await _add(
        client, "small", {"text": "x+", "isRegex": True}, {"text": "y+", "isRegex": True}
    )
    assert regexes.status_code == 400
    assert "at most 1 regex" in regexes.json()["error"]["message"]
    full = await _add(client, "small", {"text": "c"}, {"text": "d"}, {"text": "e"})
    assert full.status_code == 400
    assert "at most 4 items" in full.json()["error"]["message"]
    await _new_list(client, "other")  # the cap is per list
    assert (
        await _add(client, "other", {"text": "c"}, {"text": "d"}, {"text": "e"})
    ).status_code == 200
    long = await _add(client, "other", {"text": "z" * 257})
    assert long.status_code == 400
