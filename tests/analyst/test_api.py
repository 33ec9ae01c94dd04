"""The /v1/datasets surface: upload, profile, sandboxed query, isolation, limits."""

from __future__ import annotations

import httpx

CSV = (
    b"day,region,revenue\n"
    b'2024-01-01,North,"$1,000"\n2024-01-02,South,"$2,500"\n2024-01-03,North,$500\n'
)


async def upload(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.post(
        "/v1/datasets",
        files=[
            ("files", ("sales.csv", CSV, "text/csv")),
            ("files", ("regions.csv", b"region,manager\nNorth,Ana\nSouth,Bo\n", "text/csv")),
        ],
        data={"name": "Q1 sales"},
        headers=headers,
    )


async def test_upload_profile_and_query(client: httpx.AsyncClient) -> None:
    created = await upload(client)
    assert created.status_code == 201, created.text
    dataset = created.json()
    assert dataset["name"] == "Q1 sales"
    tables = {t["name"]: t for t in dataset["tables"]}
    assert set(tables) == {"sales", "regions"}
    revenue = next(c for c in tables["sales"]["columns"] if c["name"] == "revenue")
    assert revenue["type"] == "DOUBLE"
    assert revenue["max"] == 2500.0
    listed = (await client.get("/v1/datasets")).json()["data"]
    assert [d["id"] for d in listed] == [dataset["id"]]
    answer = await client.post(
        f"/v1/datasets/{dataset['id']}/query",
        json={
            "sql": "SELECT r.manager, sum(s.revenue) AS total FROM sales s "
            "JOIN regions r USING (region) GROUP BY 1 ORDER BY 2 DESC"
        },
    )
    assert answer.json()["rows"] == [["Bo", 2500.0], ["Ana", 1500.0]]
    refused = await client.post(
        f"/v1/datasets/{dataset['id']}/query", json={"sql": "SELECT * FROM read_csv('/etc/passwd')"}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "sql_refused"
    deleted = await client.delete(f"/v1/datasets/{dataset['id']}")
    assert deleted.json()["deleted"] is True
    assert (await client.get(f"/v1/datasets/{dataset['id']}")).status_code == 404


async def test_bad_uploads_are_clear_errors(client: httpx.AsyncClient) -> None:
    wrong = await client.post("/v1/datasets", json={"files": []})
    assert wrong.status_code == 400
    pdf = await client.post(
        "/v1/datasets", files=[("files", ("a.pdf", b"%PDF", "application/pdf"))]
    )
    assert pdf.status_code == 400
    assert "a.pdf" in pdf.json()["error"]["message"]
    empty = await client.post("/v1/datasets", files=[], data={"name": "x"})
    assert empty.status_code == 400
