"""The upload progress script (static/js/upload-progress.mjs) in a real browser, under the portal's CSP.

Debian's chromium through pytest-playwright against the live server. The upload is slowed down through
the DevTools protocol so that the progress bar is seen before the import's summary opens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from partnerships.models import Partnership
from priorities.models import CrimeCount, CrimeImport
from tests.conftest import Personas
from tests.factories import LocalAuthorityAreaFactory
from tests.priorities.factories_assessments import MET_STREET_FILE, street_file, street_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-2026"  # tests.factories.UserFactory's


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Debian's chromium: playwright cannot download its own browsers on these machines."""
    return {
        "executable_path": "/usr/bin/chromium",
        "headless": not pytestconfig.getoption("--headed"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def _plain_http() -> Iterator[None]:
    # The live server builds its middleware when it starts, before the per-test settings apply.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http: None, live_server: Any) -> Any:
    return live_server


@pytest.fixture
def barnet(personas: Personas) -> Partnership:
    """The personas' CSP, covering the district of the Met file's 680 Barnet rows."""
    personas.csp.local_authority_areas.add(LocalAuthorityAreaFactory(name="Barnet"))
    return personas.csp


@pytest.fixture
def manager_page(page: Page, live_server: Any, personas: Personas) -> Page:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/accounts/sign-in/")
    page.locator("#id_username").fill(personas.manager.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("Sign in")).click()
    page.wait_for_url(live_server.url + "/")
    yield page
    assert problems == [], f"the browser reported: {problems}"


def test_a_large_upload_shows_its_progress_then_opens_the_summary(manager_page: Page, live_server: Any, barnet):
    page = manager_page
    page.goto(f"{live_server.url}/partnerships/{barnet.slug}/crime-data/import/")
    expect(page.locator("form[data-module='app-upload-progress']")).to_have_attribute(
        "data-app-upload-progress-init", ""
    )
    expect(page.locator(".app-upload-progress")).to_be_hidden()
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    # About 3 seconds for the 3 MB file.
    devtools.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 10, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )
    page.locator("input[type=file]").set_input_files(MET_STREET_FILE)

    page.locator("#submit-id-submit").click()

    expect(page.locator(".app-upload-progress")).to_be_visible()
    expect(page.locator("#submit-id-submit")).to_be_disabled()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Uploading: [1-9]\d?% sent"))
    assert page.locator("#upload-progress").evaluate("bar => bar.value") > 0
    page.wait_for_url(re.compile(r".*/crime-data/imports/\d+/$"), timeout=30_000)
    expect(page.get_by_role("heading", name="Crime data imported")).to_be_visible()
    assert CrimeImport.objects.get().rows_read == 12_945
    assert CrimeCount.objects.filter(partnership=barnet).count() > 0


def test_a_refused_file_is_sent_again_normally_and_the_error_summary_names_the_row(
    manager_page: Page, live_server: Any, barnet, tmp_path
):
    page = manager_page
    bad = tmp_path / "2025-03-metropolitan-street.csv"
    bad.write_bytes(street_file(street_row(lsoa_name="Barnet 001A"), street_row(crime_type="Jaywalking")))
    page.goto(f"{live_server.url}/partnerships/{barnet.slug}/crime-data/import/")
    page.locator("input[type=file]").set_input_files(bad)

    page.locator("#submit-id-submit").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(
        "2025-03-metropolitan-street.csv, row 3, column Crime type: unknown crime type 'Jaywalking'"
    )
    expect(page).to_have_title(re.compile("^Error: Import police.uk crime data"))
    assert not CrimeImport.objects.exists()
