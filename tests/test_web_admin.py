"""Who gets into /admin: the token rule, sessions instead of the token, CSRF values, wrong-token limits."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.web.admin_auth import MIN_TOKEN, SESSION_SECONDS, WRONG_TRIES, WRONG_WINDOW, AdminGate
from app.web.app import create_app

TOKEN = "a-long-enough-admin-token"


def client_with(settings, token):
    return TestClient(create_app(settings.model_copy(update={"admin_token": token})), raise_server_exceptions=False)


@pytest.fixture
def admin(archive):
    with client_with(archive[0], TOKEN) as client:
        yield client


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


@pytest.mark.parametrize("token,why", [(None, "set NEWSARCHIVE_ADMIN_TOKEN"), ("", "ADMIN_TOKEN is blank"),
                                       (" ", "ADMIN_TOKEN is blank"), ("\t\n", "ADMIN_TOKEN is blank"),
                                       ("x" * (MIN_TOKEN - 1), "off because the token is too short")])
def test_a_blank_or_short_token_leaves_the_admin_page_off_and_says_why(archive, token, why):
    with client_with(archive[0], token) as client:
        for r in (client.get("/admin"), client.get("/admin", params={"token": token or "x"}),
                  client.post("/admin/login", data={"token": token or "x"})):
            assert r.status_code == 404 and why in r.text


def test_the_token_in_the_address_opens_a_session_and_is_redirected_away(admin):
    r = admin.get("/admin", params={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    cookie = admin.cookies.get("newsarchive_admin")
    assert cookie and TOKEN not in cookie and len(cookie) >= 40
    page = admin.get("/admin")
    assert page.status_code == 200 and TOKEN not in page.text and "Corrections made" in page.text
    assert csrf_of(page.text) not in (TOKEN, cookie)


def test_the_cookie_is_a_random_session_id_and_a_forged_one_opens_nothing(admin, archive):
    admin.get("/admin", params={"token": TOKEN})
    first = admin.cookies.get("newsarchive_admin")
    with client_with(archive[0], TOKEN) as other:
        other.post("/admin/login", data={"token": TOKEN})
        assert other.cookies.get("newsarchive_admin") != first
    admin.cookies.clear()
    admin.cookies.set("newsarchive_admin", TOKEN)
    assert admin.get("/admin").status_code == 401


def test_forms_need_the_csrf_value_of_their_own_session(admin, archive):
    admin.post("/admin/login", data={"token": TOKEN})
    mine = csrf_of(admin.get("/admin").text)
    with client_with(archive[0], TOKEN) as other:
        other.post("/admin/login", data={"token": TOKEN})
        theirs = csrf_of(other.get("/admin").text)
    assert mine != theirs
    for value in (theirs, TOKEN, ""):
        assert admin.post("/admin/undo", data={"csrf": value, "ref": "alias-999"}).status_code == 403
    r = admin.post("/admin/undo", data={"csrf": mine, "ref": "alias-999"})
    assert r.status_code == 400 and "there is no correction" in r.text  # past the gate, into the correction


def test_wrong_tokens_are_limited_per_address_then_429(admin):
    for _ in range(WRONG_TRIES):
        assert admin.post("/admin/login", data={"token": "guess-guess-guess"}).status_code == 403
    r = admin.post("/admin/login", data={"token": TOKEN})  # even the right one waits
    assert r.status_code == 429 and int(r.headers["retry-after"]) <= WRONG_WINDOW + 1
    assert admin.get("/admin", params={"token": "guess-guess-guess"}).status_code == 429


def test_wrong_token_counts_and_sessions_expire():
    now = [1000.0]
    gate = AdminGate(TOKEN, clock=lambda: now[0])
    for _ in range(WRONG_TRIES):
        assert not gate.check_token("10.0.0.1", "nope")
    assert gate.retry_after("10.0.0.1") > 0 and gate.retry_after("10.0.0.2") == 0
    now[0] += WRONG_WINDOW + 1
    assert gate.retry_after("10.0.0.1") == 0
    sid = gate.open_session()
    assert gate.valid_session(sid) and gate.valid_csrf(sid, gate.csrf(sid))
    now[0] += SESSION_SECONDS + 1
    assert not gate.valid_session(sid) and not gate.valid_csrf(sid, gate.csrf(sid))


def test_admin_pages_are_never_cached(admin):
    for r in (admin.get("/admin"), admin.post("/admin/login", data={"token": "wrong"}),
              admin.get("/admin", params={"token": TOKEN})):
        assert r.headers["cache-control"] == "no-store"
    assert "cache-control" not in admin.get("/").headers


def test_admin_pages_have_no_inline_script_or_style(admin):
    login = admin.get("/admin").text
    admin.get("/admin", params={"token": TOKEN})
    for html in (login, admin.get("/admin").text):
        # our one script file (static/keys.js, the "/" shortcut) is allowed; inline script is not
        assert not re.search(r'<script(?! src="/static/[a-z]+\.js" defer></script>)|<style|\sstyle=|\son[a-z]+=', html, re.I)


def test_a_session_holds_in_every_server_process_and_ends_with_a_new_token():
    sid = AdminGate(TOKEN).open_session()
    other_worker = AdminGate(TOKEN)  # `serve --workers 2`: another process, no shared memory
    assert other_worker.valid_session(sid) and other_worker.valid_csrf(sid, other_worker.csrf(sid))
    assert not AdminGate(TOKEN + "-rotated").valid_session(sid)
    nonce, expiry, signature = sid.split(".")
    assert not other_worker.valid_session(f"{nonce}.{int(expiry) + 10**6}.{signature}")  # a longer life, forged
    assert not other_worker.valid_session(TOKEN) and not other_worker.valid_session("a.b.c")
