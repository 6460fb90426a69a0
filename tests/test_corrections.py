"""Analysts' corrections through the CLI and the admin page, on archives built by the real importer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests.conftest import ROOT, SAMPLES, article_id_by_origin, connect_to

runner = CliRunner()
TOKEN = "s3cret-token-of-24-chars"


def run(settings, *args: str):
    db = settings.database_url.removeprefix("sqlite:///")
    return runner.invoke(cli, [*args, "--db", db])


def named(settings, article_id: int) -> set[str]:
    """Entities the article names itself (not countries known only from a city: located)."""
    c = connect_to(settings)
    try:
        return {e for (e,) in c.execute(
            "SELECT entity_id FROM article_entity WHERE article_id=? AND NOT located_only", (article_id,))}
    finally:
        c.close()


def tags(settings, article_id: int) -> dict[str, tuple[bool, int]]:
    c = connect_to(settings)
    try:
        return {e: (bool(a), n) for e, a, n in c.execute(
            "SELECT entity_id, about, mention_count FROM article_entity WHERE article_id=?", (article_id,))}
    finally:
        c.close()


def reimport(settings):
    return import_paths(open_store(settings), [str(SAMPLES)], workers=1)


@pytest.fixture
def samples(fresh_db):
    """(settings, {sample number: article id}) of a new archive of app/samples/."""
    report = reimport(fresh_db)
    return fresh_db, {f"{n:02}": article_id_by_origin(report, f"{n:02}-") for n in range(1, 9)}


def api_ids(settings, **params) -> set[int]:
    with TestClient(create_app(settings)) as client:
        return {hit["id"] for hit in client.get("/api/search", params=params).json()["results"]}


# -- the CLI --------------------------------------------------------------------------------------
def test_merge_moves_articles_to_the_target_in_search(samples):
    settings, ids = samples
    assert {ids["01"], ids["07"]} <= api_ids(settings, agency="dgst")
    result = run(settings, "entities", "merge", "dgst", "dgsn")
    assert result.exit_code == 0, result.output
    assert "dgst" in result.output and "dgsn" in result.output
    assert {ids["01"], ids["07"], ids["03"]} <= api_ids(settings, agency="dgsn")
    assert api_ids(settings, agency="dgst") == api_ids(settings, agency="dgsn")  # old links follow the merge
    assert "dgst" not in tags(settings, ids["01"]) and "dgsn" in tags(settings, ids["01"])
    with TestClient(create_app(settings)) as client:  # the merged-away page leads to the target's
        moved = client.get("/agencies/dgst?page=1", follow_redirects=False)
        assert moved.status_code == 307 and moved.headers["location"].endswith("/agencies/dgsn?page=1")
        assert client.get("/agencies/dgst").url.path == "/agencies/dgsn"
        saved = client.get("/search?q=police&agency=dgst&agency=bcij", follow_redirects=False)  # a link from before
        assert saved.status_code == 307
        assert saved.headers["location"] == "/search?q=police&agency=dgsn&agency=bcij"
        api = client.get("/api/search", params={"agency": "dgst"})
        assert api.status_code == 200 and {ids["01"], ids["07"]} <= {hit["id"] for hit in api.json()["results"]}
    assert run(settings, "entities", "undo", "merge-dgst").exit_code == 0
    with TestClient(create_app(settings)) as client:  # undone: the page is its own again
        assert client.get("/agencies/dgst", follow_redirects=False).status_code == 200


def test_hide_tag_survives_reimport_and_retag(samples):
    settings, ids = samples
    assert "it" in tags(settings, ids["02"])
    assert run(settings, "entities", "hide-tag", str(ids["02"]), "it").exit_code == 0
    assert "it" not in tags(settings, ids["02"])
    reimport(settings)
    retag = run(settings, "retag")
    assert retag.exit_code == 0, retag.output
    assert "re-tagged 8 articles" in retag.output
    assert "it" not in tags(settings, ids["02"])
    assert "europol" in tags(settings, ids["02"])  # the other tags are re-extracted as before


def test_add_tag_about_survives_retag_and_shows_in_search(samples):
    settings, ids = samples
    assert "europol" not in tags(settings, ids["04"])
    result = run(settings, "entities", "add-tag", str(ids["04"]), "Europol", "--about")
    assert result.exit_code == 0, result.output
    assert tags(settings, ids["04"])["europol"] == (True, 0)
    assert run(settings, "retag").exit_code == 0
    assert tags(settings, ids["04"])["europol"] == (True, 0)
    assert ids["04"] in api_ids(settings, agency="europol", about="1")


def test_alias_tags_stored_articles_and_later_imports(samples, tmp_path):
    settings, ids = samples
    # Agadir is a Moroccan city: Morocco is a located tag of the article, not a named one.
    assert "ma" in tags(settings, ids["07"]) and "ma" not in named(settings, ids["07"])
    result = run(settings, "entities", "add-alias", "Morocco", "Agadir")
    assert result.exit_code == 0, result.output
    assert "alias 'Agadir' added to ma" in result.output
    assert "ma" in named(settings, ids["07"])
    assert run(settings, "retag").exit_code == 0
    assert "ma" in named(settings, ids["07"])
    # A new archive with the alias before any article: the import itself uses it.
    other = type(settings)(database_url=f"sqlite:///{tmp_path / 'other.db'}")
    assert run(other, "entities", "add-alias", "ma", "Agadir").exit_code == 0
    assert run(other, "entities", "merge", "dgst", "dgsn").exit_code == 0
    report = reimport(other)
    seventh = article_id_by_origin(report, "07-")
    assert {"ma", "dgsn"} <= set(tags(other, seventh))
    assert "dgst" not in tags(other, seventh)


def test_corrections_list_show_and_undo(samples):
    settings, ids = samples
    run(settings, "entities", "merge", "dgst", "dgsn")
    run(settings, "entities", "hide-tag", str(ids["02"]), "it")
    listed = run(settings, "entities", "corrections")
    assert "merge-dgst" in listed.output and f"hide-{ids['02']}-it" in listed.output
    shown = run(settings, "entities", "show", "dgsn")
    assert "merge: dgst into dgsn" in shown.output and "articles: 3" in shown.output
    assert "dgst" in run(settings, "entities", "list", "--type", "agency", "--query", "territorial").output
    assert run(settings, "entities", "undo", "merge-dgst").exit_code == 0
    assert run(settings, "entities", "undo", f"hide-{ids['02']}-it").exit_code == 0
    assert "dgst" in tags(settings, ids["01"]) and "it" in tags(settings, ids["02"])
    assert "dgsn" in tags(settings, ids["03"]) and "dgsn" not in tags(settings, ids["07"])
    assert run(settings, "entities", "corrections").output.strip() == "no corrections"


@pytest.mark.parametrize("args, message", [
    (("merge", "nosuchagency", "dgsn"), "unknown entity 'nosuchagency'"),
    (("merge", "bcij", "BCIJ"), "cannot merge bcij into itself"),
    (("merge", "ma", "bcij"), "cannot merge the country ma into the agency bcij"),
    (("hide-tag", "999", "ma"), "there is no article #999"),
    (("hide-tag", "abc", "ma"), "'abc' is not an article number"),
    (("add-tag", "1", "nosuchagency"), "unknown entity 'nosuchagency'"),
    (("add-alias", "bcij", "  "), "the alias is empty"),
    (("add-alias", "ma-interior-ministry", "ministère de l'Intérieur"), "would not tag ma-interior-ministry"),
    (("undo", "merge-nothing"), "there is no correction 'merge-nothing'"),
    (("undo", "whatever"), "'whatever' is not a correction"),
])
def test_bad_input_is_one_clear_line(samples, args, message):
    settings, _ = samples
    result = run(settings, "entities", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_merge_loops_and_repeats_are_refused(samples):
    settings, ids = samples
    assert run(settings, "entities", "merge", "dgst", "dgsn").exit_code == 0
    again = run(settings, "entities", "merge", "dgst", "bcij")
    assert again.exit_code == 1 and "already merged into dgsn" in again.output
    loop = run(settings, "entities", "merge", "dgsn", "dgst")
    assert loop.exit_code == 1 and "loop" in loop.output
    hidden = run(settings, "entities", "hide-tag", str(ids["04"]), "fbi")
    assert hidden.exit_code == 1 and f"article #{ids['04']} has no tag fbi" in hidden.output


# -- the admin page -------------------------------------------------------------------------------
@pytest.fixture
def admin(samples):
    settings, ids = samples
    settings = settings.model_copy(update={"admin_token": TOKEN})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, settings, ids


def test_admin_page_is_off_without_a_token_setting(samples):
    settings, _ = samples
    with TestClient(create_app(settings)) as client:
        r = client.get("/admin", params={"token": "anything"})
    assert r.status_code == 404 and "NEWSARCHIVE_ADMIN_TOKEN" in r.text


def sign_in(client) -> str:
    """Open an admin session with the token; the CSRF value its forms carry."""
    assert client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False).status_code == 303
    page = client.get("/admin")
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)[1]


def test_admin_refuses_a_wrong_token(admin):
    client, _, ids = admin
    assert client.get("/admin", params={"token": "wrong"}).status_code == 403
    r = client.post("/admin/hide", data={"csrf": "wrong", "article_id": str(ids["02"]), "entity": "it"})
    assert r.status_code == 403 and "open admin session" in r.text
    assert client.get("/admin").status_code == 401  # no session: the login form


def test_admin_posts_need_the_form_value_not_just_the_cookie(admin):
    client, settings, ids = admin
    sign_in(client)
    for csrf in ("", TOKEN):  # neither nothing nor the raw token will do
        r = client.post("/admin/hide", data={"csrf": csrf, "article_id": str(ids["02"]), "entity": "it"})
        assert r.status_code == 403
    assert "it" in tags(settings, ids["02"])


def test_admin_actions_apply_at_once(admin):
    client, settings, ids = admin
    csrf = sign_in(client)
    post = lambda path, **data: client.post(f"/admin/{path}", data={"csrf": csrf, **data})  # noqa: E731
    assert post("merge", from_id="dgst", into_id="dgsn").status_code == 200
    assert post("hide", article_id=str(ids["02"]), entity="it").status_code == 200
    assert post("add", article_id=str(ids["04"]), entity="europol", about="true").status_code == 200
    r = post("alias", entity="ma", alias="Agadir")
    assert r.status_code == 200 and "added to ma" in r.text and "ma" in tags(settings, ids["07"])
    assert {ids["01"], ids["07"]} <= {h["id"] for h in client.get("/api/search", params={"agency": "dgsn"}).json()["results"]}
    assert "it" not in tags(settings, ids["02"]) and tags(settings, ids["04"])["europol"] == (True, 0)
    page = client.get("/admin").text
    assert "merge-dgst" in page and f"hide-{ids['02']}-it" in page
    assert post("undo", ref=f"hide-{ids['02']}-it").status_code == 200
    assert "it" in tags(settings, ids["02"])


def test_admin_shows_errors_and_escapes_them(admin):
    client, _, ids = admin
    csrf = sign_in(client)
    r = client.post("/admin/add", data={"csrf": csrf, "article_id": str(ids["01"]), "entity": "<script>x</script>"})
    assert r.status_code == 400 and "unknown entity" in r.text
    assert "<script>x</script>" not in r.text and "&lt;script&gt;" in r.text
    r = client.post("/admin/hide", data={"csrf": csrf, "article_id": "999", "entity": "ma"})
    assert r.status_code == 400 and "there is no article #999" in r.text
    assert client.post("/admin/merge", data={"csrf": csrf}).status_code == 400  # missing fields: the error page


def test_readme_lists_the_correction_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("entities list", "entities show", "entities add-alias", "entities merge", "entities hide-tag",
                    "entities add-tag", "entities corrections", "entities undo", "newsarchive retag"):
        assert command in readme, command
    assert Path(ROOT / "templates" / "admin.html").is_file()
