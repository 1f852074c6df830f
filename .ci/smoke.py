"""The smoke test over HTTP, against a running gunicorn with a Celery worker and beat (.ci/smoke).

1. /healthz and /readyz (database, cache, broker) answer 200;
2. the verksamhetsutvecklare logs in with the login form;
3. the year's bilaga PDF is fetched (the waiting page until the worker has built it);
4. a month that is sent in is approved with the month page's form (the worker warms the bilaga:
   .ci/smoke checks its log);
5. a comment is saved for the bilaga, and the PDF is fetched again until it differs.

Usage: smoke.py BASE_URL YEAR INSATS_ID MONTH. Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VANTA = 120  # seconds a build may take before the smoke test gives up


class LokalPolicy(http.cookiejar.DefaultCookiePolicy):
    """The app marks its cookies Secure (production settings); the smoke test talks plain HTTP
    to 127.0.0.1, so it sends them anyway."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True

    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


class Klient:
    def __init__(self, bas: str) -> None:
        self.bas = bas.rstrip("/")
        self.burk = http.cookiejar.CookieJar(policy=LokalPolicy())
        self.oppnare = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.burk))

    def hamta(self, sokvag: str, data: dict[str, str] | None = None) -> tuple[int, str, bytes, str]:
        """(status, content type, body, final URL) of a GET, or a POST when `data` is given."""
        kodat = urllib.parse.urlencode(data).encode() if data is not None else None
        fraga = urllib.request.Request(self.bas + sokvag, data=kodat)
        if data is not None:
            fraga.add_header("Referer", self.bas + sokvag)
        try:
            with self.oppnare.open(fraga, timeout=60) as svar:
                return svar.status, svar.headers.get("Content-Type", ""), svar.read(), svar.url
        except urllib.error.HTTPError as fel:
            return fel.code, fel.headers.get("Content-Type", ""), fel.read(), fel.url

    def csrf(self, sokvag: str) -> str:
        _, _, kropp, _ = self.hamta(sokvag)
        traff = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', kropp)
        if not traff:
            fail(f"ingen CSRF-token i formuläret på {sokvag}")
        return traff.group(1).decode()


def fail(meddelande: str) -> None:
    print(f"RÖKTEST FEL: {meddelande}", file=sys.stderr)
    sys.exit(1)


def ok(meddelande: str) -> None:
    print(f"  ok  {meddelande}")


def pdf(klient: Klient, ar: str, forra: str | None = None) -> str:
    """The SHA-256 of the year's PDF once it is built (and differs from `forra`, if given)."""
    slut = time.monotonic() + VANTA
    while time.monotonic() < slut:
        status, typ, kropp, _ = klient.hamta(f"/rapporter/{ar}/pdf/")
        if status == 200 and typ.startswith("application/pdf") and kropp.startswith(b"%PDF"):
            summa = hashlib.sha256(kropp).hexdigest()
            if summa != forra:
                return summa
        elif status not in (200,):
            fail(f"/rapporter/{ar}/pdf/ svarade {status}: {kropp[:300]!r}")
        time.sleep(1)
    fail(f"ingen {'ny ' if forra else ''}PDF inom {VANTA} s (arbetaren bygger inte?)")
    raise AssertionError  # not reached


def main(bas: str, ar: str, insats: str, manad: str) -> None:
    klient = Klient(bas)
    for sokvag in ("/healthz", "/readyz"):
        status, _, kropp, _ = klient.hamta(sokvag)
        if status != 200:
            fail(f"{sokvag} svarade {status}: {kropp[:300]!r}")
        ok(f"{sokvag} 200 {kropp.decode()[:120]}")

    token = klient.csrf("/logga-in/")
    status, _, kropp, url = klient.hamta(
        "/logga-in/",
        {
            "csrfmiddlewaretoken": token,
            "username": "verksamhetsutvecklare",
            "password": "finsam-demo",
        },
    )
    if status != 200 or url.rstrip("/").endswith("logga-in"):
        fail(f"inloggningen gick inte igenom ({status}, {url})")
    ok("inloggad som verksamhetsutvecklare")

    fore = pdf(klient, ar)
    ok(f"bilagan {ar} byggd av arbetaren: {fore[:12]}")

    manadssida = f"/registrering/insats/{insats}/{ar}/{manad}/"
    token = klient.csrf(manadssida)
    status, _, kropp, _ = klient.hamta(f"{manadssida}godkann/", {"csrfmiddlewaretoken": token})
    if status != 200 or "är godkänd och låst".encode() not in kropp:
        fail(f"godkännandet gick inte igenom ({status}): {kropp[:300]!r}")
    ok(f"månad {manad}/{ar} för insats {insats} godkänd")

    # A comment is printed in the bilaga: the worker builds it again, and the PDF changes.
    sida = f"/rapporter/{ar}/kommentar/volym/"
    token = klient.csrf(sida)
    text = f"Röktest {time.strftime('%H:%M:%S')}: kommentaren syns i bilagan."
    status, _, kropp, _ = klient.hamta(sida, {"csrfmiddlewaretoken": token, "text": text})
    if status != 200:
        fail(f"kommentaren sparades inte ({status}): {kropp[:300]!r}")
    ok("kommentar till avsnitt 4 sparad")
    efter = pdf(klient, ar, forra=fore)
    ok(f"bilagan byggd på nytt med kommentaren: {efter[:12]} ≠ {fore[:12]}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        fail("användning: smoke.py BAS_URL ÅR INSATS MÅNAD")
    main(*sys.argv[1:])
