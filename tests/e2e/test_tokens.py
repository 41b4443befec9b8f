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
    # The "Create token" button sat 14px below the name box beside it.
    field = page.locator("form.row input[name=name]").bounding_box()
    create = page.locator("form.row button[type=submit]").bounding_box()
    assert abs((field["y"] + field["height"]) - (create["y"] + create["height"])) <= 2, (
        field,
        create,
    )


def test_the_new_interview_forms_side_by_side_boxes_line_up(page, live_server, shots):
    """The number of questions and the language sat 3px apart: one-line controls share a height."""
    pages.register(page, live_server, pages.unique_email("rows"))
    page.goto(live_server("/sessions/new"))
    boxes = [
        page.locator(selector).bounding_box()
        for selector in ("input[name=question_count]", "select[name=language]",
                         "input[name=job_title]", "input[name=company_name]")
    ]  # fmt: skip
    for left, right in (boxes[:2], boxes[2:]):
        assert abs(left["y"] - right["y"]) <= 1 and abs(left["height"] - right["height"]) <= 1, (
            left,
            right,
        )
    shots(page, "new interview rows")
