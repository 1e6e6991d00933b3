"""End to end in a real headless Chromium: an entity page, the language switch, a link, a query.

Needs the Debian packages ``chromium`` and ``chromium-driver`` and the ``playwright`` Python
package (Playwright drives the system Chromium; its own browser download is never used).
Outside CI the test is skipped when they are missing; in CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is missing: pip install playwright")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def test_browse_an_entity_switch_language_follow_a_link_and_run_a_query(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    context.set_default_timeout(20_000)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()

    page.goto(server + "/doc/organization/uclg")
    expect(page.locator("h1")).to_have_text("United Cities and Local Governments")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("section#sources li").first).to_be_visible()

    page.click("header.site a[hreflang=fr]")
    expect(page.locator("h1")).to_have_text("Cités et Gouvernements Locaux Unis")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "fr"

    page.locator('a[href="/doc/person/emilia-saiz"]').first.click()
    expect(page.locator("h1")).to_have_text("Emilia Saiz")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the choice is remembered
    assert page.url == server + "/doc/person/emilia-saiz"

    page.goto(server + "/")
    page.locator("a.example").first.click()
    expect(page.locator("table.results")).to_be_visible()
    expect(page.locator("table.results tbody tr").first).to_be_visible()

    page.goto(server + "/sparql")
    query = "SELECT ?org WHERE { ?org a <http://www.w3.org/ns/org#Organization> } LIMIT 3"
    page.fill("textarea[name=query]", query)
    page.locator("form:has(textarea[name=query]) button[type=submit]").click()
    expect(page.locator("table.results tbody tr")).to_have_count(3)

    foreign = [url for url in requested if not url.startswith(server)]
    assert not foreign, f"the pages requested other hosts: {foreign}"
    context.close()
