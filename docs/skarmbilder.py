"""Screenshots of each role's start page at 1366 and 390 px, for the README.

Standalone, like the bench scripts: a temporary SQLite database with the demo data as of
23 November 2026 (the same "today" as the browser tests, so the pictures do not change with the
calendar), the app served from a thread in this process, and Debian's Chromium through
Playwright. Each role logs in through the form and lands where its work is; that page is
photographed at a laptop's and a phone's size, as the user first sees it (not the whole page).

    .venv/bin/python docs/skarmbilder.py        (or: make skarmbilder)

writes docs/skarmbilder/<roll>-<bredd>.png.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

ROT = Path(__file__).resolve().parent.parent
UT = ROT / "docs" / "skarmbilder"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IDAG = dt.date(2026, 11, 23)
ROLLER = ("insatsansvarig", "verksamhetsutvecklare", "forbundschef", "styrelse")
# A common laptop and a common phone (iPhone 12–15), the sizes the issue was tried at.
STORLEKAR = {1366: 768, 390: 844}

sys.path.insert(0, str(ROT))
_tmp = tempfile.TemporaryDirectory(prefix="finsam-skarmbilder-")
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/skarmbilder.sqlite3"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from registrering import demodata  # noqa: E402


@contextmanager
def fryst_idag() -> Iterator[None]:
    """23 November 2026 for the views and the services, as in tests/browser/conftest.py."""
    riktig = timezone.localdate

    def localdate(value: dt.datetime | None = None, tz: Any = None) -> dt.date:
        return IDAG if value is None else riktig(value, tz)

    with (
        mock.patch("registrering.views.idag", lambda: IDAG),
        mock.patch("django.utils.timezone.localdate", localdate),
    ):
        yield


@contextmanager
def server() -> Iterator[str]:
    """The app with its static files on a free port, in a thread of this process."""
    trad = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    trad.daemon = True
    trad.start()
    trad.is_ready.wait()
    if trad.error:
        raise trad.error
    try:
        yield f"http://127.0.0.1:{trad.port}"
    finally:
        trad.terminate()


def logga_in(page: Page, roll: str) -> None:
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn", exact=True).fill(roll)
    page.get_by_label("Lösenord", exact=True).fill(demodata.DEMO_LOSENORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state("networkidle")


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    UT.mkdir(parents=True, exist_ok=True)
    with fryst_idag():
        demodata.ladda(idag=IDAG)
        with server() as adress, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for roll in ROLLER:
                for bredd, hojd in STORLEKAR.items():
                    context = browser.new_context(
                        base_url=adress,
                        locale="sv-SE",
                        viewport={"width": bredd, "height": hojd},
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    logga_in(page, roll)
                    fil = UT / f"{roll}-{bredd}.png"
                    page.screenshot(path=str(fil))
                    print(f"{fil.relative_to(ROT)}: {page.url.removeprefix(adress)}")
                    context.close()
            browser.close()


if __name__ == "__main__":
    main()
