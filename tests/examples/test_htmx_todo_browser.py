"""The HTMX todo example in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright through `executable_path`) adds, toggles and deletes a todo.

Skips, with the reason shown by `pytest -ra`, only when Playwright or Chromium is missing
(`.ci/run` installs both when it can).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, ServerProcess, start_server

EXAMPLE = ROOT / "examples" / "htmx-todo"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture
def todo_server() -> Iterator[ServerProcess]:
    server = start_server([], cwd=EXAMPLE)  # handler and public/ from the example's zigttp.json
    yield server
    server.stop()


@pytest.fixture
def page(todo_server: ServerProcess):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            page.goto(todo_server.url + "/")
            yield page
        finally:
            browser.close()


def test_add_toggle_and_delete_a_todo(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("h1")).to_have_text("Todos")
    page.fill("input[name=title]", "Write <the> docs")
    page.click("button[type=submit]")
    item = page.locator("#todos li")
    expect(item).to_have_count(1)
    expect(item.locator("span")).to_have_text("Write <the> docs")  # escaped, not markup
    expect(page.locator("input[name=title]")).to_have_value("")  # the form reset itself

    item.locator("input[type=checkbox]").click()
    expect(page.locator("#todos li")).to_have_class("done")
    expect(page.locator("#todos li input[type=checkbox]")).to_be_checked()

    page.locator("#todos li button").click()
    expect(page.locator("#todos li")).to_have_count(0)


def test_the_page_loads_htmx_from_the_static_dir(todo_server: ServerProcess) -> None:
    response = todo_server.get("/htmx.min.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert Path(EXAMPLE / "public" / "htmx.min.js").read_bytes() == response.content
