"""Browser tests: Debian's chromium through pytest-playwright, against `live_server` with the demo data.

Every page a test looks at is checked the same way (`Portal.check`): axe-core finds no violation of the
WCAG 2.2 AA rules, GOV.UK Frontend initialised every component, and the browser reported no
Content-Security-Policy refusal, no script error and no asset that failed to load. That last part is
what proves the pages work under the portal's CSP (no inline scripts or styles).

Loading the registry and the demo takes about two seconds, and `transaction=True` empties the database
after each test, so each test walks many pages as one person rather than opening one page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

ROOT = Path(__file__).parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUILT_ASSETS = [ROOT / "static" / "dist" / "app.css", ROOT / "static" / "dist" / "govuk" / "govuk-frontend.min.js"]
NARROW = {"width": 320, "height": 640}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

SOUTHEND = "/partnerships/southend-on-sea/"
MEMBERS = SOUTHEND + "members/"

# The demo logins (partnerships/demo.py), by the role each one shows.
DEMO_LOGINS = {
    "admin": "admin@demo.example",
    "manager": "manager@demo.example",
    "chair": "chair@demo.example",
    "police_officer": "police.officer@demo.example",
    "council_officer": "council.officer@demo.example",
    "scrutiny": "scrutiny@demo.example",
    "county": "county@demo.example",
    "reviewer": "reviewer@demo.example",
}
DEMO_NAMES = {"manager": "Priya Shah"}


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Debian's chromium: playwright cannot download its own browsers on these machines."""
    return {
        "executable_path": "/usr/bin/chromium",
        "headless": not pytestconfig.getoption("--headed"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def _plain_http() -> Iterator[None]:
    # The live server builds its middleware once, when it starts, before tests/conftest.py's per-test
    # settings apply: without this it would redirect every request to https.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http: None, live_server: Any) -> Any:
    """pytest-django's live server, started with the plain-HTTP settings."""
    return live_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    missing = [str(path.relative_to(ROOT)) for path in [AXE_PATH, *BUILT_ASSETS] if not path.exists()]
    if missing:
        pytest.fail(f"Missing {', '.join(missing)}: run `npm ci && npm run build` (or `make frontend`) first")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The ONS registry and the Safer Essex demo (its people sign in with settings.DEMO_PASSWORD)."""
    call_command("load_registry", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


@dataclass
class Portal:
    """A browser tab on the live server that records what the browser complains about."""

    page: Page
    base_url: str
    axe_source: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:
            self.problems.append(f"CSP violation on {message.location.get('url')}: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            # A failed load is reported (with its URL) by _on_response; error pages fail on purpose.
            self.problems.append(f"console error on {message.location.get('url')}: {text}")

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.request.resource_type} {response.url}: HTTP {response.status}")

    def _on_request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # a load cut short by the next navigation (the favicon, typically)
        self.problems.append(f"{request.resource_type} {request.url} failed: {request.failure}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"

    def expect_path(self, path: str) -> None:
        expect(self.page).to_have_url(re.compile(re.escape(self.url(path)) + r"(\?.*)?$"))

    def check(self) -> None:
        """The page passes axe's WCAG 2.2 AA rules, GOV.UK Frontend runs, and the browser had no complaint."""
        page = self.page
        page.wait_for_load_state("load")
        where = page.url
        self.assert_no_problems()  # first: a refused script explains anything that did not start
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), (
            f"{where}: GOV.UK Frontend is not supported (js/supported.js did not run)"
        )
        # initAll() marks each component it started with data-<module>-init.
        uninitialised = page.evaluate(
            """() => [...document.querySelectorAll('[data-module]')]
                .filter(el => !el.hasAttribute(`data-${el.dataset.module}-init`))
                .map(el => el.dataset.module)"""
        )
        assert uninitialised == [], f"{where}: GOV.UK Frontend did not initialise {uninitialised}"
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) allows it.
            page.evaluate(self.axe_source)
        self._axe(f"{where} at {page.viewport_size}")
        self._reflow(where)
        self.assert_no_problems()

    def _axe(self, where: str) -> None:
        results = self.page.evaluate(
            """async (tags) => await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
            })""",
            WCAG_22_AA,
        )
        violations = results["violations"]
        assert violations == [], f"{where}: axe found violations:\n" + "\n".join(
            _describe(violation) for violation in violations
        )

    def _reflow(self, where: str) -> None:
        """At 320 CSS px (1280 px zoomed to 400%) nothing but a wide table scrolls sideways (WCAG 1.4.10),
        and the page still passes axe (a table container that scrolls must be focusable, for one)."""
        page = self.page
        wide = page.viewport_size
        page.set_viewport_size(NARROW)
        try:
            page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
            scroll_width, client_width = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll_width <= client_width, (
                f"{where}: at {NARROW['width']} px the page is {scroll_width} px wide and scrolls sideways"
            )
            self._axe(f"{where} at {NARROW}")
        finally:
            if wide is not None:
                page.set_viewport_size(wide)

    def assert_no_problems(self) -> None:
        problems, self.problems = self.problems, []
        assert problems == [], f"{self.page.url}: the browser reported:\n  " + "\n  ".join(problems)

    def sign_in(self, email: str) -> None:
        """Sign in through the real form with the demo password (django-axes counts failures)."""
        self.open("/accounts/sign-in/")
        self.page.locator("#id_username").fill(email)
        self.page.locator("#id_password").fill(settings.DEMO_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.expect_path("/")

    def sign_out(self) -> None:
        navigation = self.page.locator(".govuk-service-navigation")
        navigation.get_by_role("button", name="Sign out").click()
        self.expect_path("/accounts/sign-in/")

    def submit(self, label: str) -> None:
        """Press the form's primary button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("button", name=label).click()

    def follow(self, link: str) -> None:
        """Follow the link with this accessible name and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link, exact=True).click()

    def error_summary(self) -> list[str]:
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to it
        return [text.strip() for text in summary.locator(".govuk-error-summary__list li").all_inner_texts()]


def _describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"


@pytest.fixture
def portal(page: Page, live_server: Any, axe_source: str) -> Iterator[Portal]:
    """A tab on the live server; at the end, the browser must have reported nothing since the last check."""
    tab = Portal(page=page, base_url=live_server.url, axe_source=axe_source)
    yield tab
    tab.assert_no_problems()
