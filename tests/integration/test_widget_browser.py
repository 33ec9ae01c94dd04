"""The chat widget end to end in headless Chromium (Debian's package): a page served from
localhost embeds the script, a customer asks, reads a cited answer, rates it, asks for a
person and sees the agent's reply arrive; a page on another origin is refused."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.integration.conftest import free_port

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOCS = {
    "shipping.md": "# Shipping\n\nOvernight shipping costs $29.95 and arrives the next day.",
    "returns.md": "# Returns\n\nYou can return unused items within 60 days for a full refund.",
}
PAGE = '<html><body><h1>Shop</h1><script src="{src}" data-key="{key}" async></script></body></html>'


class Site:
    """A web page on its own localhost port (so on its own origin)."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        port = free_port()
        self.origin = f"http://127.0.0.1:{port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def api(tandem_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=tandem_url, timeout=60) as client:
        yield client


def knowledge_base(api: httpx.Client) -> str:
    kb = str(api.post("/v1/knowledge-bases", json={"name": "Shop"}).json()["id"])
    files = [("files", (n, t.encode(), "text/markdown")) for n, t in DOCS.items()]
    api.post(f"/v1/knowledge-bases/{kb}/documents", files=files).raise_for_status()
    return kb


def embed(site: Site, tandem_url: str, key: str) -> None:
    site.html = PAGE.format(src=f"{tandem_url}/widget.js", key=key)


def ask(page: Page, text: str) -> None:
    page.locator("#tandem-widget input").fill(text)
    page.locator("#tandem-widget form button").click()


def test_widget_answers_rates_and_hands_off(
    tandem_url: str, api: httpx.Client, browser: Browser
) -> None:
    kb = knowledge_base(api)
    site = Site()
    key = api.post(
        "/v1/support/widget-keys", json={"knowledge_base": kb, "allowed_origins": [site.origin]}
    ).json()["key"]
    embed(site, tandem_url, key)
    page = browser.new_page()
    page.goto(site.origin)
    page.locator("#tandem-widget .bubble").click()
    expect(page.locator("#tandem-widget .panel")).to_be_visible()

    ask(page, "how much is overnight shipping?")
    answer = page.locator("#tandem-widget .msg.assistant").last
    expect(answer).to_contain_text("$29.95", timeout=60_000)
    expect(answer.locator(".sources")).to_contain_text("[1] Shipping")
    answer.locator("button[data-rating=up]").click()
    expect(answer.locator(".rate")).to_have_text("Thanks for the feedback.")

    ask(page, "I want to talk to a real person")
    handoff = page.locator("#tandem-widget .msg.assistant").last
    expect(handoff).to_contain_text("a person will reply", timeout=60_000)
    ticket = api.get(f"/v1/support/tickets?knowledge_base={kb}&status=open").json()["data"][0]
    api.post(
        f"/v1/support/tickets/{ticket['id']}/reply", json={"text": "Hi, this is Sam from the shop."}
    ).raise_for_status()
    expect(page.locator("#tandem-widget .msg.agent")).to_have_text(
        "Hi, this is Sam from the shop.", timeout=20_000
    )
    feedback = api.get(f"/v1/support/analytics?knowledge_base={kb}").json()["feedback"]
    assert feedback == {"up": 1, "down": 0}
    page.close()
    site.server.shutdown()


def test_widget_on_another_origin_is_refused(
    tandem_url: str, api: httpx.Client, browser: Browser
) -> None:
    kb = knowledge_base(api)
    allowed, other = Site(), Site()
    key = api.post(
        "/v1/support/widget-keys",
        json={"knowledge_base": kb, "allowed_origins": [allowed.origin]},
    ).json()["key"]
    embed(other, tandem_url, key)  # the key copied onto a page it was not made for
    page = browser.new_page()
    page.goto(other.origin)
    page.locator("#tandem-widget .bubble").click()
    ask(page, "how much is overnight shipping?")
    expect(page.locator("#tandem-widget .msg.error")).to_contain_text(
        "may not use this widget key", timeout=30_000
    )
    expect(page.locator("#tandem-widget .msg.assistant")).to_have_count(0)
    page.close()
    for site in (allowed, other):
        site.server.shutdown()
