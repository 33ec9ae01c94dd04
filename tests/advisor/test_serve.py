"""Every kind of generated config starts a real `tandem serve --config`, with its upstream
addresses pointed at a canned OpenAI-compatible server, and answers through its primary
deployment and its fallback."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tandem.apps.advisor.assessment import assess_json
from tandem.safety.policy import SafetyPolicy
from tests.advisor.conftest import PROFILES
from tests.integration.conftest import MOCK_UPSTREAM, free_port, start_server, start_tandem

pytestmark = pytest.mark.integration
ADMIN = "advisor-test-admin"


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The canned upstream's base URL (no /v1)."""
    port = free_port()
    log = tmp_path_factory.mktemp("upstream") / "mock.log"
    server = start_server(
        [sys.executable, str(MOCK_UPSTREAM), str(port)],
        f"http://127.0.0.1:{port}",
        "/v1/chat/completions",
        log,
        {},
    )
    yield server.url
    server.stop()


def _pointed_at(config: str, upstream: str) -> str:
    """Every base_url aimed at the fake: OpenAI-style ones keep their /v1, Azure's have none."""

    def swap(match: re.Match[str]) -> str:
        suffix = "/v1" if match.group(1).endswith("/v1") else ""
        return f'base_url = "{upstream}{suffix}"'

    return re.sub(r'base_url = "([^"]+)"', swap, config)


@pytest.mark.parametrize("kind", list(PROFILES))
def test_the_generated_config_serves(
    kind: str, upstream: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = assess_json(*PROFILES[kind])
    assert result["recommendation"]["kind"] == kind
    config = tmp_path / "tandem.toml"
    config.write_text(_pointed_at(result["config"], upstream))
    data = tmp_path / "data"
    config.write_text(
        config.read_text().replace(
            'log_level = "info"',
            f'log_level = "warning"\ndata_dir = "{data}"\nadmin_key = "{ADMIN}"',
        )
    )
    server = start_tandem(config, tmp_path / "serve.log")
    try:
        ready = httpx.get(f"{server.url}/readyz", timeout=10).json()
        stored = httpx.get(
            f"{server.url}/admin/safety/policies/default",
            headers={"authorization": f"Bearer {ADMIN}"},
            timeout=10,
        )
        assert stored.status_code == 200, stored.text
        assert stored.json() == SafetyPolicy.model_validate(result["safety_policy"]).model_dump(
            mode="json"
        )  # the config's policy is the one in force
        names = [d["name"] for d in result["recommendation"]["deployments"]]
        assert set(ready["deployments"]) == set(names)
        chat = [d for d in result["recommendation"]["deployments"] if d["role"] == "chat"]
        for deployment in chat[:2]:  # the primary and its fallback
            if "llamacpp" in deployment["backends"] and kind != "embedded":
                continue  # the embedded rescue answers too, but slowly: once is enough
            response = httpx.post(
                f"{server.url}/v1/chat/completions",
                json={
                    "model": deployment["name"],
                    "max_tokens": 4,
                    "messages": [{"role": "user", "content": "Say hello."}],
                },
                headers={"authorization": f"Bearer {ADMIN}"},
                timeout=120,
            )
            assert response.status_code == 200, response.text
            assert response.json()["choices"][0]["message"]["content"]
    finally:
        server.stop()
