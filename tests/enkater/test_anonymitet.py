"""What an anonymous answer leaves behind, beyond the counts (tests/enkater/test_svar.py has
the page itself): gunicorn's access log, a logged-in respondent's session and the CSRF cookie,
the count rows made before any answer, the audit row's first write, the order of the locks and
a round closed between the checks and the count, and the rate limit against the honeypot."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from gunicorn.config import Config

from enkater import svar_vyer
from finsam import sessionsfornyelse
from finsam.gunicorn_logg import Atkomstlogg
from registrering import tvasteg
from registrering.models import (
    AuditEntry,
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)
from registrering.services import enkatfraga_spara, enkatsvar_lamna, enkattillfalle_skapa

ROT = Path(__file__).resolve().parents[2]
KUR = Respondentgrupp.KURSDELTAGARE
LANK = "AnonymLank0123456789"
URL = f"/e/{LANK}/"
JA_NEJ = (("Ja", True), ("Nej", False))


@pytest.fixture(autouse=True)
def _tom_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def idag() -> dt.date:
    return timezone.localdate()


def _fraga(enkat: Enkat, text: str, ordning: int, grupp: str = KUR) -> Enkatfraga:
    fraga = Enkatfraga.objects.create(
        forbund=enkat.forbund, enkat=enkat, respondentgrupp=grupp, text=text, ordning=ordning
    )
    for i, (svar, positivt) in enumerate((*JA_NEJ, ("Vet inte", False))):
        Svarsalternativ.objects.create(fraga=fraga, text=svar, ordning=i, positivt=positivt)
    return fraga


@pytest.fixture
def enkat(forbund: Any) -> Enkat:
    enkat = Enkat.objects.create(forbund=forbund, namn="Utvärdering", slag="utbildning")
    _fraga(enkat, "Motsvarade utbildningen dina förväntningar?", 1)
    _fraga(enkat, "Fick du ny kunskap?", 2)
    _fraga(enkat, "Till personalen", 3, grupp=Respondentgrupp.PERSONAL)
    return enkat


@pytest.fixture
def tillfalle(forbund: Any, enkat: Enkat, idag: dt.date) -> Enkattillfalle:
    """A round made directly in the database, as before the count rows: it has none."""
    return Enkattillfalle.objects.create(
        forbund=forbund,
        namn="Föreläsning",
        datum=idag,
        slutdatum=idag + dt.timedelta(days=5),
        enkat=enkat,
        respondentgrupp=KUR,
        kalla=Enkattillfalle.Kalla.LANK,
        lank=LANK,
    )


def _kursfragor(enkat: Enkat) -> list[Enkatfraga]:
    return list(enkat.fragor.filter(respondentgrupp=KUR).order_by("ordning"))


def _svar(enkat: Enkat, *val: str) -> dict[int, int]:
    return {
        f.pk: f.alternativ.get(text=v).pk for f, v in zip(_kursfragor(enkat), val, strict=False)
    }


def _data(enkat: Enkat, *val: str) -> dict[str, str]:
    return {f"fraga_{k}": str(v) for k, v in _svar(enkat, *val).items()}


def _kursalternativ(enkat: Enkat) -> set[int]:
    return set(
        Svarsalternativ.objects.filter(fraga__in=_kursfragor(enkat)).values_list("pk", flat=True)
    )


def _rader(tillfalle: Enkattillfalle) -> dict[int, int]:
    return dict(Enkatsvar.objects.filter(tillfalle=tillfalle).values_list("alternativ", "antal"))


def _sql(fangat: CaptureQueriesContext) -> list[str]:
    return [q["sql"].upper() for q in fangat.captured_queries]


# --- 1. gunicorn's access log ------------------------------------------------------------------


def _atkomstrad(path: str) -> str:
    """What `Atkomstlogg` writes for a request to `path` from a recognisable client."""
    cfg = Config()
    cfg.set("accesslog", "-")
    loggare = Atkomstlogg(cfg)
    strom = io.StringIO()
    for hanterare in loggare.access_log.handlers:
        hanterare.setStream(strom)  # type: ignore[attr-defined]
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "POST",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Unik-agent/1.0",
        "HTTP_REFERER": "https://qr.example/",
        "RAW_URI": path,
    }
    req = SimpleNamespace(path=path, method="POST", query="", version=(1, 1), headers=[], uri=path)
    resp = SimpleNamespace(
        status="303 See Other", response_length=0, sent=0, headers=[], status_code=303
    )
    loggare.access(resp, req, environ, dt.timedelta(milliseconds=12))
    return strom.getvalue()


def test_atkomstloggen_utelamnar_enkatsidorna() -> None:
    vanlig = _atkomstrad("/insatser/")
    assert "/insatser/" in vanlig and "203.0.113.9" in vanlig and "Unik-agent" in vanlig
    for path in (URL, f"{URL}tack/", "/e/finns-inte/"):
        assert _atkomstrad(path) == ""


def test_avbilden_och_roktestet_anvander_loggklassen() -> None:
    klass = "finsam.gunicorn_logg.Atkomstlogg"
    assert f'"--logger-class", "{klass}"' in (ROT / "Dockerfile").read_text()
    assert f"--logger-class {klass}" in (ROT / ".ci" / "smoke").read_text()
    readme = (ROT / "README.md").read_text()
    assert f"--logger-class {klass}" in readme and "access_log off" in readme


# --- 6. a logged-in respondent's session -------------------------------------------------------


def test_inloggad_svarandes_session_rors_inte(
    styrelse: Any, tillfalle: Enkattillfalle, enkat: Enkat
) -> None:
    klient = Client()
    klient.force_login(styrelse)
    nyckel = klient.cookies[settings.SESSION_COOKIE_NAME].value
    # Its renewal is due, as after five idle minutes (finsam.sessionsfornyelse): any page but
    # these would save it.
    session = klient.session
    session[sessionsfornyelse.NYCKEL] = sessionsfornyelse.minut() - 60
    session.save()
    klient.cookies["messages"] = "ett-meddelande"
    Session.objects.filter(pk=nyckel).update(expire_date=timezone.now() + dt.timedelta(hours=1))
    utgang = Session.objects.get(pk=nyckel).expire_date

    svar = [klient.get(URL), klient.post(URL, _data(enkat, "Ja", "Nej"))]
    for response, status in zip(svar, (200, 303), strict=True):
        assert response.status_code == status
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert "messages" not in response.cookies
    assert Session.objects.get(pk=nyckel).expire_date == utgang
    assert Session.objects.count() == 1
    # Still logged in, and elsewhere the session is renewed as usual.
    assert klient.cookies[settings.SESSION_COOKIE_NAME].value == nyckel
    assert klient.get("/enkater/resultat/").status_code == 200
    assert Session.objects.get(pk=nyckel).expire_date > utgang


def test_halvfardig_tvastegsinloggning_skickas_inte_vidare(
    verksamhetsutvecklare: Any, tillfalle: Enkattillfalle, enkat: Enkat
) -> None:
    klient = Client()
    klient.force_login(verksamhetsutvecklare)
    session = klient.session
    session[tvasteg.STEG_SESSION] = tvasteg.VERIFIERA
    session.save()
    annars = klient.get("/registrering/")  # elsewhere: to the code
    assert annars.status_code == 302 and "/konton/tvasteg/verifiera/" in annars["Location"]
    assert klient.get(URL).status_code == 200
    assert klient.post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
    assert tvasteg.TvastegMiddleware._fri(URL)
    assert sum(_rader(tillfalle).values()) == 2


# --- 9. the CSRF cookie and the rate limit ----------------------------------------------------


def test_csrf_kakan_pa_enkatsidan_lever_bara_webblasarsessionen(
    tillfalle: Enkattillfalle,
) -> None:
    kaka = Client().get(URL).cookies[settings.CSRF_COOKIE_NAME]
    assert kaka.value and kaka["max-age"] == "" and kaka["expires"] == ""
    assert "max-age" not in kaka.OutputString().lower()
    # Elsewhere the cookie keeps Django's lifetime.
    inloggning = Client().get("/logga-in/").cookies[settings.CSRF_COOKIE_NAME]
    assert int(inloggning["max-age"]) == settings.CSRF_COOKIE_AGE


def test_honungsfaltet_forbrukar_inte_gransen(
    tillfalle: Enkattillfalle, enkat: Enkat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svar_vyer, "_minut", lambda: 42)
    with override_settings(FINSAM_ENKAT_SVAR_PER_MINUT=1):
        bot = {**_data(enkat, "Nej", "Nej"), svar_vyer.HONUNGSFALT: "https://reklam.example"}
        for _ in range(5):
            assert Client().post(URL, bot).status_code == 303
        assert Client().post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
        assert Client().post(URL, _data(enkat, "Ja", "Ja")).status_code == 429
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 1


# --- 5. count rows made before any answer -----------------------------------------------------


def test_nytt_tillfalle_far_nollrader_for_alla_alternativ(
    verksamhetsutvecklare: Any, forbund: Any, enkat: Enkat, idag: dt.date
) -> None:
    def skapa(kalla: str) -> Enkattillfalle:
        return enkattillfalle_skapa(
            user=verksamhetsutvecklare,
            forbund=forbund,
            enkat=enkat,
            respondentgrupp=KUR,
            insats=None,
            namn=f"Tillfälle {kalla}",
            datum=idag,
            slutdatum=None,
            kalla=kalla,
        )

    lank = skapa(Enkattillfalle.Kalla.LANK)
    assert _rader(lank) == dict.fromkeys(_kursalternativ(enkat), 0)  # not the staff's question
    assert _rader(skapa(Enkattillfalle.Kalla.PAPPER)) == {}

    # A new question, and a new version of an answered one, get their rows in the round.
    ny = enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=None,
        enkat=enkat,
        text="Vill du gå fler utbildningar?",
        respondentgrupp=KUR,
        indikator=None,
        alternativ=JA_NEJ,
    )
    assert set(ny.alternativ.values_list("pk", flat=True)) <= set(_rader(lank))
    forsta = _kursfragor(enkat)[0]
    enkatsvar_lamna(tillfalle=lank, svar={forsta.pk: forsta.alternativ.first().pk}, idag=idag)  # type: ignore[union-attr]
    version = enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=forsta,
        enkat=enkat,
        text="Motsvarade dagen dina förväntningar?",
        respondentgrupp=KUR,
        indikator=None,
        alternativ=JA_NEJ,
    )
    assert version.pk != forsta.pk
    assert set(version.alternativ.values_list("pk", flat=True)) <= set(_rader(lank))
    # Rows with 0 are not answers: a question nobody answered is still changed in place.
    andrad = enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=ny,
        enkat=enkat,
        text="Vill du gå fler av våra utbildningar?",
        respondentgrupp=KUR,
        indikator=None,
        alternativ=(*JA_NEJ, ("Kanske", False)),
    )
    assert andrad.pk == ny.pk
    assert set(andrad.alternativ.values_list("pk", flat=True)) <= set(_rader(lank))


def test_ett_svar_skapar_inga_rader(
    verksamhetsutvecklare: Any, forbund: Any, enkat: Enkat, idag: dt.date
) -> None:
    lank = enkattillfalle_skapa(
        user=verksamhetsutvecklare,
        forbund=forbund,
        enkat=enkat,
        respondentgrupp=KUR,
        insats=None,
        namn="Länk",
        datum=idag,
        slutdatum=None,
        kalla=Enkattillfalle.Kalla.LANK,
    )
    ids = sorted(Enkatsvar.objects.filter(tillfalle=lank).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as fangat:
        enkatsvar_lamna(tillfalle=lank, svar=_svar(enkat, "Nej", "Ja"), idag=idag)
    assert not [q for q in _sql(fangat) if q.startswith("INSERT") and "ENKATSVAR" in q]
    assert sorted(Enkatsvar.objects.filter(tillfalle=lank).values_list("pk", flat=True)) == ids


def test_aldre_tillfalle_far_alla_rader_vid_forsta_svaret(
    tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    assert _rader(tillfalle) == {}
    enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Nej"), idag=idag)
    rader = _rader(tillfalle)
    assert set(rader) == _kursalternativ(enkat)  # all options of the asked questions
    assert sum(rader.values()) == 1
    # Made in one go in the options' order: the ids do not tell which was chosen.
    ordnade = Enkatsvar.objects.filter(tillfalle=tillfalle).order_by("pk")
    assert list(ordnade.values_list("alternativ", flat=True)) == sorted(rader)


# --- 7. the audit row's first write -------------------------------------------------------------


def test_revisionsraden_skrivs_med_bara_datumet(
    tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    with CaptureQueriesContext(connection) as fangat:
        enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Ja", "Ja"), idag=idag)
    tabell = AuditEntry._meta.db_table.upper()
    skrivningar = [q for q in _sql(fangat) if tabell in q and not q.startswith("SELECT")]
    assert len(skrivningar) == 1 and skrivningar[0].startswith("INSERT")
    lokal = timezone.localtime(AuditEntry.objects.latest("id").tid)
    assert (lokal.date(), lokal.time()) == (idag, dt.time(0, 0))


def test_andra_rader_far_tiden_nar_de_skrivs(forbund: Any) -> None:
    from registrering.audit import audit_log

    fore = timezone.now()
    rad = audit_log(user=None, instance=forbund, action=AuditEntry.Action.ANDRAD)
    rad.refresh_from_db()
    assert fore <= rad.tid <= timezone.now()


# --- 8. lock order and a round closed after the checks ------------------------------------------


def test_tillfallet_lases_fore_antalen(
    tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Ja", "Ja"), idag=idag)
    with CaptureQueriesContext(connection) as fangat:
        enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Nej", "Ja"), idag=idag)
    skrivningar = [q for q in _sql(fangat) if q.startswith(("UPDATE", "INSERT"))]
    assert Enkattillfalle._meta.db_table.upper() in skrivningar[0]
    assert skrivningar[0].startswith("UPDATE")
    assert Enkatsvar._meta.db_table.upper() in skrivningar[1]


@pytest.mark.parametrize(
    ("andring", "meddelande"),
    [
        ({"stangd": True}, "är stängd och tar inte emot fler svar"),
        ({"slutdatum": -1}, "Sista dagen att svara på Föreläsning var"),
    ],
    ids=["stangd", "efter-sista-dagen"],
)
def test_tillfalle_stangt_efter_kontrollen_raknas_inte(
    tillfalle: Enkattillfalle,
    enkat: Enkat,
    idag: dt.date,
    andring: dict[str, Any],
    meddelande: str,
) -> None:
    """The page read the round open; the kansli closed it before the answer was counted."""
    if "slutdatum" in andring:
        andring = {"datum": idag - dt.timedelta(days=3), "slutdatum": idag - dt.timedelta(days=1)}
    Enkattillfalle.objects.filter(pk=tillfalle.pk).update(**andring)
    fore = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as fel:
        enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Ja", "Ja"), idag=idag)
    assert meddelande in str(fel.value)
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 0
    assert not Enkatsvar.objects.filter(tillfalle=tillfalle, antal__gt=0).exists()
    assert AuditEntry.objects.count() == fore


# --- The page's own values post back -----------------------------------------------------------


def test_sidans_varden_gar_att_skicka_med_stora_id(
    forbund: Any, enkat: Enkat, idag: dt.date
) -> None:
    """Ids from 1 000 up are written without the thousands separator ("1 811" is no id)."""
    fraga = Enkatfraga.objects.create(
        pk=12_345, forbund=forbund, enkat=enkat, respondentgrupp=KUR, text="Stor", ordning=9
    )
    for i, (text, positivt) in enumerate(JA_NEJ):
        Svarsalternativ.objects.create(
            pk=23_456 + i, fraga=fraga, text=text, ordning=i, positivt=positivt
        )
    stort = Enkattillfalle.objects.create(
        pk=34_567,
        forbund=forbund,
        namn="Stort",
        datum=idag,
        enkat=enkat,
        respondentgrupp=KUR,
        kalla=Enkattillfalle.Kalla.LANK,
        lank="StortId",
    )
    klient = Client()
    html = klient.get("/e/StortId/").content.decode()
    assert 'name="fraga_12345" value="23456"' in html and 'id="fraga-12345"' in html
    falt = re.findall(r'name="(fraga_[^"]+)" value="([^"]+)"', html)
    data = dict(reversed(falt))  # the first option of every question
    assert klient.post("/e/StortId/", data).status_code == 303
    assert Enkatsvar.objects.get(tillfalle=stort, alternativ_id=23_456).antal == 1
