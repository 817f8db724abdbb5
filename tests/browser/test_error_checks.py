"""The proof that the browser checks catch a page error although the app hides it.

server.py's `on_script_error` replaces Streamlit's exception box with a warning, so counting
`stException` alone passes when a page raises. Here a server started with the test-only
setting WARROOM_TEST_PAGE_ERROR makes Kinerja (public) and Katalog (after sign-in) raise on
purpose, and every check the suite relies on must fail on them: the page check (the app's own
warning on screen) and the server-log check that runs after every browser test.
"""
from __future__ import annotations

import shutil

import pytest

from devtools.devserver import AppServer
from tests.browser.pw import add_test_users, assert_no_page_error, assert_no_page_error_logged, sign_in, wait_for_app
from warroom.ui.page import TEST_PAGE_ERROR_ENV


@pytest.fixture(scope="module")
def raising_app(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("raising")
    path = folder / "warroom.duckdb"
    shutil.copy(demo_db, path)
    add_test_users(path)
    server = AppServer(path, folder / "server.log", env={TEST_PAGE_ERROR_ENV: "kinerja,katalog"})
    yield server
    server.stop()


@pytest.mark.page_error_expected
def test_a_public_page_that_raises_fails_the_page_and_log_checks(raising_app, page):
    before = raising_app.log_size()
    page.goto(f"{raising_app.url}/kinerja")
    wait_for_app(page)
    # Streamlit's own box is gone: the check that counted only it would pass.
    assert page.locator("[data-testid=stException]").count() == 0
    with pytest.raises(AssertionError, match="error warning is shown"):
        assert_no_page_error(page)
    with pytest.raises(AssertionError, match="page errors in the server log"):
        assert_no_page_error_logged({raising_app: before})


@pytest.mark.page_error_expected
def test_a_restricted_page_that_raises_after_sign_in_fails_the_checks(raising_app, page):
    sign_in(page, raising_app, "pimpinan", path="katalog")
    assert page.get_by_text("memerlukan akses masuk").count() == 0     # signed in: the page ran
    with pytest.raises(AssertionError, match="error warning is shown"):
        assert_no_page_error(page)


def test_the_same_pages_pass_the_checks_without_the_setting(app, page):
    """The control: on the ordinary server the same checks pass, so they fail above because
    of the raised error and for no other reason."""
    page.goto(f"{app.url}/kinerja")
    wait_for_app(page)
    assert_no_page_error(page, app)
