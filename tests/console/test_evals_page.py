"""The Evaluations pages over HTTP on fakes: the tenant's evals, runs side by side with an SVG
chart of pass rate per criterion per run, and another tenant's eval refused."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from tandem.apps.console.charts import grouped_bars
from tandem.apps.evals.product import EvalsProduct
from tandem.governance.keys import KeySpec
from tandem.platform import Platform
from tests.console.conftest import sign_in

SCHEMA = {
    "type": "object",
    "properties": {"q": {"type": "string"}, "a": {"type": "string"}},
    "required": ["q", "a"],
}
CRITERIA = [
    {
        "type": "string_check",
        "name": "contains",
        "input": "{{sample.output_text}}",
        "reference": "{{item.a}}",
        "operation": "ilike",
    },
    {
        "type": "string_check",
        "name": "exact",
        "input": "{{sample.output_text}}",
        "reference": "{{item.a}}",
        "operation": "eq",
    },
]


async def _api(client: httpx.AsyncClient, secret: str, path: str, body: Any = None) -> Any:
    headers = {"authorization": f"Bearer {secret}"}
    if body is None:
        response = await client.get(path, headers=headers)
    else:
        response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _eval_with_two_runs(client: httpx.AsyncClient, secret: str) -> tuple[str, list[str]]:
    """An eval with two jsonl runs: one right on both criteria, one half right on one."""
    evaluation = await _api(
        client,
        secret,
        "/v1/evals",
        {
            "name": "<b>qa</b>",
            "testing_criteria": CRITERIA,
            "data_source_config": {
                "type": "custom",
                "item_schema": SCHEMA,
                "include_sample_schema": True,
            },
        },
    )
    eval_id = str(evaluation["id"])
    answers = {"model-a": ("yes", "no"), "model-b": ("YES", "maybe")}
    run_ids = []
    for name, (first, second) in answers.items():
        rows = [
            {"item": {"q": "1", "a": "yes"}, "sample": {"output_text": first}},
            {"item": {"q": "2", "a": "no"}, "sample": {"output_text": second}},
        ]
        source = {"type": "jsonl", "source": {"type": "file_content", "content": rows}}
        run = await _api(
            client, secret, f"/v1/evals/{eval_id}/runs", {"name": name, "data_source": source}
        )
        run_ids.append(str(run["id"]))
    for run_id in run_ids:
        for _ in range(200):
            run = await _api(client, secret, f"/v1/evals/{eval_id}/runs/{run_id}")
            if run["status"] in ("completed", "failed", "canceled"):
                break
            await asyncio.sleep(0.02)
        assert run["status"] == "completed", run
    return eval_id, run_ids


async def test_the_page_lists_the_tenants_evals_and_compares_runs(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    user = console_platform.controls.keys.create(KeySpec(tenant="acme", scope="user"))
    eval_id, (run_a, run_b) = await _eval_with_two_runs(web, user.secret)
    await sign_in(web, user.secret)
    home = await web.get("/console")
    assert 'href="/console/evals"' in home.text
    listing = await web.get("/console/evals")
    assert listing.status_code == 200
    assert f'href="/console/evals/{eval_id}"' in listing.text
    assert "&lt;b&gt;qa&lt;/b&gt;" in listing.text
    assert "<b>qa</b>" not in listing.text
    assert re.search(rf"<code>{eval_id}</code></td>\s*<td>[^<]+</td>\s*<td>2</td>", listing.text)

    page = await web.get(f"/console/evals/{eval_id}")
    assert page.status_code == 200
    html = page.text
    assert "model-a" in html
    assert "model-b" in html
    cells = re.findall(r'data-criterion="(\w+)" data-run="(\w+)">([^<]+)<', html)
    rates = {(c, r): v for c, r, v in cells}
    assert rates == {
        ("contains", run_a): "100.0%",
        ("contains", run_b): "50.0%",
        ("exact", run_a): "100.0%",
        ("exact", run_b): "0.0%",
    }
    assert html.count("<svg") == 1
    bars = re.findall(r'<rect class="bar"[^>]*data-group="(\w+)"[^>]*data-value="([\d.]+)"', html)
    assert sorted(bars) == sorted(
        [("contains", "1.0000"), ("contains", "0.5000"), ("exact", "1.0000"), ("exact", "0.0000")]
    )
    assert 'http-equiv="refresh"' not in html  # every run has finished
    assert "https://" not in html


async def test_another_tenant_sees_neither_the_eval_nor_its_runs(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    keys = console_platform.controls.keys
    owner = keys.create(KeySpec(tenant="acme", scope="user"))
    eval_id, _ = await _eval_with_two_runs(web, owner.secret)
    other = keys.create(KeySpec(tenant="globex", scope="admin"))
    await sign_in(web, other.secret)
    listing = await web.get("/console/evals")
    assert listing.status_code == 200
    assert eval_id not in listing.text
    assert "No evals yet." in listing.text
    page = await web.get(f"/console/evals/{eval_id}")
    assert page.status_code == 404
    assert "model-a" not in page.text
    assert (await web.get("/console/evals/eval_nope")).status_code == 404


async def test_the_pages_need_a_session(web: httpx.AsyncClient) -> None:
    for path in ("/console/evals", "/console/evals/eval_x"):
        answer = await web.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/console/signin"


async def test_a_run_in_progress_reloads_the_page(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    user = console_platform.controls.keys.create(KeySpec(tenant="acme", scope="user"))
    eval_id, (run_a, _) = await _eval_with_two_runs(web, user.secret)
    store = console_platform.product("evals", EvalsProduct).store
    await asyncio.to_thread(store.update_run, run_a, {"status": "in_progress"}, False)
    await sign_in(web, user.secret)
    html = (await web.get(f"/console/evals/{eval_id}")).text
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "in_progress" in html


def test_the_chart_escapes_labels_and_draws_a_bar_per_pair() -> None:
    svg = grouped_bars(
        ["a<b", "c"], ["r&1", "r2"], {("a<b", "r&1"): 0.25, ("c", "r2"): 1.5}, title="t<"
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "a<b" not in svg
    assert "a&lt;b" in svg
    assert "r&amp;1" in svg
    assert svg.count('<rect class="bar"') == 4
    assert 'data-value="1.0000"' in svg  # clamped to 100 %
    assert svg.count('data-value=""') == 2  # no value: a zero-height bar, marked as such
