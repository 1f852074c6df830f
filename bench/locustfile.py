"""The users of the load test (`bench/last.py`, issue 15 point 5): not a script of its own.

Each user takes the next account of the plan that `last.py` wrote (`BENCH_LAST_PLAN`, JSON:
username, password, role, the month page it opens and whether it saves there), logs in with the
login form and then, with a pause of 0.5–2.5 s between pages, opens the månadsöversikt, the
month form (and saves it unchanged when the plan gives the role a month of its own that it may
edit: a save that is not answered with the redirect to the month is an error), the report page,
the goal page and the bilaga PDF of the plan's year. A PDF request answered with the waiting
page counts as answered. When the run ends, the number of waiting pages is written to
`BENCH_LAST_RAKNARE` and every request (name, start, ms, error) to `BENCH_LAST_MATNINGAR`, from
which last.py tells the load from the burst. Run by hand:

    BENCH_LAST_PLAN=plan.json .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 \
        -t 60s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import re
import time
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from typing import Any

from locust import FastHttpUser, between, events, task

with open(os.environ["BENCH_LAST_PLAN"], encoding="utf-8") as _fil:
    PLAN: dict[str, Any] = json.load(_fil)
KONTON: list[dict[str, Any]] = PLAN["konton"]
AR: int = PLAN["ar"]
_nasta = itertools.count()
RAKNARE: Counter[str] = Counter()
MATNINGAR: list[dict[str, Any]] = []

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Formular(HTMLParser):
    """The fields of the form that holds `version` (the month form), as a browser posts them
    when its save button is pressed: text, hidden and number inputs, checked boxes, textareas
    and the selected options; no other button."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.formular: list[list[tuple[str, str]]] = []
        self._falt: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._vald: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._falt = []
            self.formular.append(self._falt)
        elif tag == "option":
            if self._select is not None and ("selected" in a or self._vald is None):
                self._vald = a.get("value", "")
        elif self._falt is None or "name" not in a:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "textarea":
            self._textarea = a["name"]
            self._falt.append((a["name"], ""))
        elif tag == "select":
            self._select, self._vald = a["name"], None

    def _input(self, a: dict[str, str]) -> None:
        assert self._falt is not None
        typ = a.get("type", "text")
        if typ in {"submit", "button", "image", "reset", "file"}:
            return
        if typ in {"checkbox", "radio"} and "checked" not in a:
            return
        self._falt.append((a["name"], a.get("value", "on" if typ == "checkbox" else "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._falt:
            namn, text = self._falt[-1]
            self._falt[-1] = (namn, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._falt is not None:
            self._falt.append((self._select, self._vald or ""))
            self._select = None
        elif tag == "form":
            self._falt = None

    def manadsformular(self) -> list[tuple[str, str]] | None:
        return next((f for f in self.formular if any(n == "version" for n, _ in f)), None)


class LokalPolicy(http.cookiejar.DefaultCookiePolicy):
    """The app marks its cookies Secure (DEBUG off); the load test talks plain HTTP to
    127.0.0.1, so it sends them anyway."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


def kaka(namn: str, varde: str) -> http.cookiejar.Cookie:
    """The session cookie of an account that last.py logged in, for the app's host."""
    return http.cookiejar.Cookie(
        0, namn, varde, None, False, "127.0.0.1", False, False, "/", True, True, None, True,
        None, None, {},
    )  # fmt: skip


class Anvandare(FastHttpUser):
    wait_time = between(0.5, 2.5)

    def on_start(self) -> None:
        self.konto = KONTON[next(_nasta) % len(KONTON)]
        self.client.cookiejar.set_policy(LokalPolicy())
        if self.konto.get("session"):
            self.client.cookiejar.set_cookie(kaka(PLAN["sessionskaka"], self.konto["session"]))
        else:
            self.logga_in()
        RAKNARE["inloggningar"] += 1
        klara = os.environ.get("BENCH_LAST_INLOGGADE")
        if klara and RAKNARE["inloggningar"] == self.environment.parsed_options.num_users:
            with open(klara, "w", encoding="utf-8") as fil:
                fil.write(str(time.time()))

    def logga_in(self) -> None:
        with self.client.get("/logga-in/", name="inloggning GET", catch_response=True) as svar:
            traff = CSRF.search(svar.text or "")
            if not traff:
                svar.failure("ingen CSRF-token på inloggningssidan")
                return
        data = {
            "csrfmiddlewaretoken": traff.group(1),
            "username": self.konto["username"],
            "password": self.konto["password"],
        }
        with self.client.post(
            "/logga-in/", data=data, name="inloggning POST", catch_response=True
        ) as svar:
            if svar.status_code != 200 or "/logga-in/" in (svar.url or ""):
                svar.failure(f"inloggningen misslyckades: {svar.status_code} {svar.url}")

    def far(self, sida: str) -> bool:
        """Whether the account's role may open the page (last.py asked the app)."""
        return sida in self.konto["sidor"]

    def sida(self, adress: str, namn: str) -> str:
        """GET a page; anything but 200 on the page itself (a redirect to the login) fails."""
        with self.client.get(adress, name=namn, catch_response=True) as svar:
            if svar.status_code != 200 or "/logga-in/" in (svar.url or ""):
                svar.failure(f"svarade {svar.status_code} {svar.url}")
            return svar.text or ""

    @task(4)
    def manadsoversikt(self) -> None:
        if self.far("månadsöversikt"):
            self.sida(f"/registrering/{AR}/", "månadsöversikt")

    @task(2)
    def manadsformular(self) -> None:
        if self.far("månadsformulär"):
            self.sida(self.konto["manad"], "månadsformulär GET")

    @task(1)
    def spara_manad(self) -> None:
        if not self.konto["spara"]:
            return
        adress = self.konto["manad"]
        tolk = Formular()
        tolk.feed(self.sida(adress, "månadsformulär GET"))
        falt = tolk.manadsformular()
        with self.client.post(
            adress,
            data=urllib.parse.urlencode(falt or []),
            name="månadsformulär POST",
            allow_redirects=False,
            catch_response=True,
            headers={
                "Referer": self.host + adress,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ) as sparat:
            if falt is None:
                sparat.failure("inget månadsformulär på sidan")
            elif sparat.status_code != 302:
                sparat.failure(f"sparandet svarade {sparat.status_code}")

    @task(2)
    def rapport(self) -> None:
        if self.far("rapport"):
            self.sida(f"/rapporter/{AR}/", "rapport")

    @task(2)
    def mal(self) -> None:
        if self.far("mål"):
            self.sida(f"/mal/{AR}/", "mål")

    @task(1)
    def pdf(self) -> None:
        if not self.far("pdf"):
            return
        with self.client.get(f"/rapporter/{AR}/pdf/", name="pdf", catch_response=True) as svar:
            typ = svar.headers.get("Content-Type", "") if svar.headers else ""
            if svar.status_code != 200 or "/logga-in/" in (svar.url or ""):
                svar.failure(f"PDF:en svarade {svar.status_code} {svar.url}")
            elif typ.startswith("application/pdf"):
                RAKNARE["pdf"] += 1
            else:
                RAKNARE["väntesida"] += 1


@events.request.add_listener
def _mat(
    name: str,
    response_time: float,
    exception: BaseException | None,
    start_time: float | None = None,
    **_: Any,
) -> None:
    """Every request with its start (Unix time): last.py tells the load from the burst."""
    MATNINGAR.append(
        {
            "namn": name,
            "start": start_time or time.time(),
            "ms": response_time,
            "fel": str(exception)[:200] if exception else "",
        }
    )


@events.user_error.add_listener
def _fel_i_anvandaren(user_instance: Any, exception: BaseException, **_: Any) -> None:
    """A task that raised counts as an error of its own (the request it was making has none)."""
    MATNINGAR.append(
        {
            "namn": "fel i användarkoden",
            "start": time.time(),
            "ms": 0.0,
            "fel": f"{type(exception).__name__}: {exception}"[:200],
        }
    )


@events.test_stop.add_listener
def _skriv(**_: Any) -> None:
    for variabel, innehall in (
        ("BENCH_LAST_RAKNARE", dict(RAKNARE)),
        ("BENCH_LAST_MATNINGAR", MATNINGAR),
    ):
        if ut := os.environ.get(variabel):
            with open(ut, "w", encoding="utf-8") as fil:
                json.dump(innehall, fil)
