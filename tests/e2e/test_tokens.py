"""The API tokens page in a real browser: a new token is copied with one click."""

from __future__ import annotations

import pytest

from tests.e2e import pages

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e


def test_a_new_token_is_copied_with_the_copy_button(context, page, live_server, shots):
    """Create a token, press "Copy token": the clipboard holds the token and the button says so."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    pages.register(page, live_server, pages.unique_email("tokens"))
    page.goto(live_server("/account/tokens"))
    page.fill("input[name=name]", "laptop script")
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('Create token')")
    secret = page.inner_text("#new-token").strip()
    button = page.locator("button[data-copy]")
    expect(button).to_be_visible()
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == secret
    shots(page, "token copied")
