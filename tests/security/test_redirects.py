"""No open redirect: `next` is followed only to a path on this site, however it is disguised."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.support.users import login

EVIL = [
    "https://evil.example/phish",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:\\\\evil.example",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
    "https://localhost@evil.example",
    "\x00//evil.example",
    "\u3002//evil.example",
]


def browser_target(location: str) -> str:
    """Where a browser would go: it drops tabs and newlines, reads '\\' as '/', resolves."""
    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return urljoin("http://localhost/auth/login", cleaned.lstrip("\x00 "))


def assert_stays_here(location: str) -> None:
    """The redirect lands on this host, over http(s)."""
    target = urlsplit(browser_target(location))
    assert target.scheme == "http" and target.hostname == "localhost", location


@pytest.mark.parametrize("target", EVIL, ids=repr)
def test_login_never_redirects_off_site(app, world, target):
    """`next` in the query string or the form: a foreign or script URL goes to the home page."""
    for how in ("query", "form"):
        client = app.test_client()
        data = {"email": world.owner.email, "password": "password123"}
        url = "/auth/login"
        if how == "query":
            url += "?next=" + quote(target, safe="")
        else:
            data["next"] = target
        response = client.post(url, data=data)
        assert response.status_code == 302
        assert_stays_here(response.headers["Location"])


@pytest.mark.parametrize("target", ["/sessions", "/session/1/report?tab=plan", "/resumes#top"])
def test_login_follows_a_local_next(app, world, target):
    """A local path is honoured, so a user lands where they were going."""
    response = app.test_client().post(
        "/auth/login?next=" + quote(target, safe=""),
        data={"email": world.owner.email, "password": "password123"},
    )
    assert response.headers["Location"] == target


def test_sign_in_prompt_keeps_only_a_local_path(app, world):
    """The redirect to sign in carries the page asked for as a local path, never a host."""
    response = app.test_client().get("/session/1/report?x=//evil.example")
    location = response.headers["Location"]
    assert location.startswith("/auth/login?next=")
    assert_stays_here(location)


def test_redirects_after_actions_stay_on_site(app, world):
    """Finishing an interview, deleting and signing out redirect to this site's own pages."""
    client = app.test_client()
    login(client, world.owner.email)
    for path in (
        f"/session/{world.finished.id}/complete",
        f"/session/{world.open.id}/delete",
        "/auth/logout",
    ):
        response = client.post(path, headers={"Referer": "https://evil.example/"})
        assert response.status_code == 302, path
        assert_stays_here(response.headers["Location"])
