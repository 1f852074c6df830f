"""The public answer page /e/<lank>/ and `enkatsvar_lamna`: anonymous answers counted per
option, nothing that identifies anyone stored, CSRF, the honeypot, the rate limit, closed and
expired rounds, the one-answer cookie, the page's size and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from enkater import svar_vyer
from finsam.loggning import JsonFormatter, RequestIdFilter
from registrering.models import (
    AuditEntry,
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)
from registrering.services import enkatsvar_lamna
from registrering.services.enkat_svar import AUDIT_KOMMENTAR

LANK = "Zq7pX2mK9vLw4RtY8bNc"
IP = "203.0.113.77"
AGENT = "Sparbar-Webblasare/9.9 (unik-agent-for-testet)"
KUR = Respondentgrupp.KURSDELTAGARE


def _fraga(enkat: Enkat, text: str, ordning: int, **kwargs: Any) -> Enkatfraga:
    fraga = Enkatfraga.objects.create(
        forbund=enkat.forbund,
        enkat=enkat,
        respondentgrupp=kwargs.pop("respondentgrupp", KUR),
        text=text,
        ordning=ordning,
        **kwargs,
    )
    for i, svar in enumerate(("Ja", "Delvis", "Nej")):
        Svarsalternativ.objects.create(fraga=fraga, text=svar, ordning=i, positivt=svar == "Ja")
    return fraga


@pytest.fixture(autouse=True)
def _tom_cache() -> Iterator[None]:
    """The rate limit's counters are per round id, and ids come again after a rollback."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def idag() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def enkat(forbund: Any) -> Enkat:
    enkat = Enkat.objects.create(
        forbund=forbund, namn="Utvärdering av utbildning", slag="utbildning"
    )
    _fraga(enkat, "Motsvarade utbildningen dina förväntningar?", 1, malfraga=True)
    _fraga(enkat, "Fick du ny kunskap?", 2)
    _fraga(enkat, "En gammal version av frågan", 3, aktiv=False)
    _fraga(enkat, "En fråga till personalen", 4, respondentgrupp=Respondentgrupp.PERSONAL)
    return enkat


@pytest.fixture
def tillfalle(forbund: Any, enkat: Enkat, idag: dt.date) -> Enkattillfalle:
    return Enkattillfalle.objects.create(
        forbund=forbund,
        namn="Föreläsning om samverkan",
        datum=idag - dt.timedelta(days=1),
        slutdatum=idag + dt.timedelta(days=6),
        enkat=enkat,
        respondentgrupp=KUR,
        kalla=Enkattillfalle.Kalla.LANK,
        lank=LANK,
    )


def _fragor(enkat: Enkat) -> list[Enkatfraga]:
    return list(enkat.fragor.filter(aktiv=True, respondentgrupp=KUR).order_by("ordning"))


def _alt(fraga: Enkatfraga, text: str) -> Svarsalternativ:
    return fraga.alternativ.get(text=text)


def _data(enkat: Enkat, *val: str) -> dict[str, str]:
    """The form as a person fills it in: option `val[i]` on question i (None skips it)."""
    return {
        f"fraga_{f.pk}": str(_alt(f, v).pk)
        for f, v in zip(_fragor(enkat), val, strict=False)
        if v is not None
    }


def _antal(tillfalle: Enkattillfalle) -> dict[tuple[str, str], int]:
    """The round's counts above 0 (every option of a link round has a row, most with 0)."""
    return {
        (s.alternativ.fraga.text, s.alternativ.text): s.antal
        for s in Enkatsvar.objects.filter(tillfalle=tillfalle, antal__gt=0).select_related(
            "alternativ__fraga"
        )
    }


URL = f"/e/{LANK}/"
TACK = f"/e/{LANK}/tack/"
FORVANTNINGAR = "Motsvarade utbildningen dina förväntningar?"
KUNSKAP = "Fick du ny kunskap?"


# --- Answering -----------------------------------------------------------------------------------


def test_formularet_utan_inloggning(client: Client, tillfalle: Enkattillfalle) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tack för att du svarar. Det tar ett par minuter. Du är anonym." in html
    assert "<h1>Föreläsning om samverkan</h1>" in html
    # The round's group's active questions, one fieldset each, in order; not the old version,
    # not the staff's question.
    assert html.count("<fieldset") == 2
    assert html.index(FORVANTNINGAR) < html.index(KUNSKAP)
    assert "gammal version" not in html and "personalen" not in html
    assert html.count('type="radio"') == 6
    assert 'name="csrfmiddlewaretoken"' in html
    # The honeypot: hidden from sight, from screen readers and from the tab order.
    assert '<div class="honung" aria-hidden="true">' in html
    assert 'name="webbplats" value="" tabindex="-1" autocomplete="off"' in html
    assert set(response.cookies) == {"csrftoken"}
    assert "Content-Security-Policy" in response.headers
    assert "no-store" in response["Cache-Control"]


def test_svaren_raknas(client: Client, tillfalle: Enkattillfalle, enkat: Enkat) -> None:
    response = client.post(URL, _data(enkat, "Ja", "Delvis"))
    assert (response.status_code, response["Location"]) == (303, TACK)
    assert "Tack för ditt svar!" in client.get(TACK).content.decode()
    Client().post(URL, _data(enkat, "Ja", None))  # a second respondent skips a question
    Client().post(URL, _data(enkat, "Nej", "Delvis"))
    assert _antal(tillfalle) == {
        (FORVANTNINGAR, "Ja"): 2,
        (FORVANTNINGAR, "Nej"): 1,
        (KUNSKAP, "Delvis"): 2,
    }
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 3


def _alla_rader() -> str:
    """Every row of every table of the project, as text."""
    q = connection.ops.quote_name
    delar = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.managed:
                continue
            cursor.execute(f"SELECT * FROM {q(model._meta.db_table)}")
            delar += [repr(rad) for rad in cursor.fetchall()]
    return "\n".join(delar)


def test_inget_som_identifierar_nagon_sparas(
    tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    fore = AuditEntry.objects.count()
    klient = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    assert klient.post(URL, _data(enkat, "Ja", "Nej")).status_code == 303

    # No table holds the address or the user agent: not the answers, not the audit log, not
    # django-axes' attempts, not the sessions.
    allt = _alla_rader()
    assert IP not in allt and AGENT not in allt and "Sparbar" not in allt
    assert Session.objects.count() == 0
    # The answers are counts per option and round, nothing more.
    assert {f.name for f in Enkatsvar._meta.concrete_fields} == {
        "id",
        "tillfalle",
        "alternativ",
        "antal",
    }
    assert {
        f.name
        for f in Enkattillfalle._meta.concrete_fields
        if f.get_internal_type() in {"DateTimeField", "GenericIPAddressField", "TextField"}
    } == set()
    # One audit row, with nobody, nothing chosen and the date only.
    assert AuditEntry.objects.count() == fore + 1
    rad = AuditEntry.objects.latest("id")
    assert rad.user is None and rad.changes == {} and rad.kommentar == AUDIT_KOMMENTAR
    assert rad.object_id == str(tillfalle.pk) and rad.forbund_id == tillfalle.forbund_id
    lokal = timezone.localtime(rad.tid)
    assert (lokal.date(), lokal.time()) == (idag, dt.time(0, 0))


def test_revisionsloggen_far_en_rad_per_formular_och_andras_aldrig(
    tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Ja", "Ja"), idag=idag)
    forsta = list(AuditEntry.objects.values())
    enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Nej", None), idag=idag)
    rader = list(AuditEntry.objects.order_by("id").values())
    assert rader[: len(forsta)] == sorted(forsta, key=lambda r: r["id"])  # unchanged
    assert len(rader) == len(forsta) + 1


def _svar(enkat: Enkat, *val: str | None) -> dict[int, int]:
    return {int(k.removeprefix("fraga_")): int(v) for k, v in _data(enkat, *val).items()}


def test_csrf_kravs(tillfalle: Enkattillfalle, enkat: Enkat) -> None:
    klient = Client(enforce_csrf_checks=True)
    assert klient.post(URL, _data(enkat, "Ja", "Ja")).status_code == 403
    assert _antal(tillfalle) == {}

    klient.get(URL)
    token = klient.cookies["csrftoken"].value
    data = {**_data(enkat, "Ja", "Ja"), "csrfmiddlewaretoken": token}
    assert klient.post(URL, data).status_code == 303
    assert _antal(tillfalle) == {(FORVANTNINGAR, "Ja"): 1, (KUNSKAP, "Ja"): 1}


def test_honungsfalt_tackas_men_raknas_inte(
    client: Client, tillfalle: Enkattillfalle, enkat: Enkat
) -> None:
    fore = AuditEntry.objects.count()
    data = {**_data(enkat, "Ja", "Ja"), "webbplats": "https://reklam.example"}
    response = client.post(URL, data)
    assert (response.status_code, response["Location"]) == (303, TACK)
    assert _antal(tillfalle) == {}
    assert AuditEntry.objects.count() == fore
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 0


def test_for_manga_svar_per_minut(
    tillfalle: Enkattillfalle, enkat: Enkat, monkeypatch: pytest.MonkeyPatch
) -> None:
    minut = [1_000_000]
    monkeypatch.setattr(svar_vyer, "_minut", lambda: minut[0])
    with override_settings(FINSAM_ENKAT_SVAR_PER_MINUT=2):
        assert Client().post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
        assert Client().post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
        response = Client().post(URL, _data(enkat, "Nej", "Ja"))
        assert response.status_code == 429
        html = response.content.decode()
        assert "Många svarar just nu. Vänta en minut" in html
        # The choices are kept: the person only presses the button again.
        nej = _alt(_fragor(enkat)[0], "Nej")
        assert f'value="{nej.pk}" checked' in html
        assert _antal(tillfalle) == {(FORVANTNINGAR, "Ja"): 2, (KUNSKAP, "Ja"): 2}
        # The limit is per round and minute: the next minute takes answers again.
        minut[0] += 1
        assert Client().post(URL, _data(enkat, "Nej", "Ja")).status_code == 303
    assert _antal(tillfalle)[(FORVANTNINGAR, "Nej")] == 1


@pytest.mark.parametrize(
    ("andring", "meddelande"),
    [
        ({"stangd": True}, "Föreläsning om samverkan är stängd och tar inte emot fler svar."),
        ({"slutdatum": -1}, "Sista dagen att svara på Föreläsning om samverkan var"),
        ({"datum": 2, "slutdatum": 5}, "Föreläsning om samverkan tar emot svar från och med"),
        ({"kalla": Enkattillfalle.Kalla.PAPPER}, "tar inte emot svar via länken"),
    ],
    ids=["stangd", "efter-sista-dagen", "fore-forsta-dagen", "pappersenkat"],
)
def test_stangd_enkat_tar_inte_emot_svar(
    client: Client,
    tillfalle: Enkattillfalle,
    enkat: Enkat,
    idag: dt.date,
    andring: dict[str, Any],
    meddelande: str,
) -> None:
    for falt, varde in andring.items():
        if falt in {"datum", "slutdatum"}:
            varde = idag + dt.timedelta(days=varde)
        setattr(tillfalle, falt, varde)
    tillfalle.save()
    for response in (client.get(URL), client.post(URL, _data(enkat, "Ja", "Ja"))):
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Enkäten är stängd</h1>" in html and meddelande in html
        assert "<form" not in html
    assert _antal(tillfalle) == {}
    with pytest.raises(ValidationError):
        enkatsvar_lamna(tillfalle=tillfalle, svar=_svar(enkat, "Ja", "Ja"), idag=idag)
    assert _antal(tillfalle) == {}


def test_sista_dagen_tar_emot_svar(
    client: Client, tillfalle: Enkattillfalle, enkat: Enkat, idag: dt.date
) -> None:
    tillfalle.datum = tillfalle.slutdatum = idag
    tillfalle.save()
    assert client.post(URL, _data(enkat, "Ja", "Ja")).status_code == 303


def test_okand_lank_ger_404_pa_svenska(client: Client, tillfalle: Enkattillfalle) -> None:
    for adress in ("/e/finns-inte/", "/e/finns-inte/tack/"):
        response = client.get(adress)
        assert response.status_code == 404
        assert "<h1>Enkäten finns inte</h1>" in response.content.decode()
        assert not response.cookies


@pytest.mark.parametrize(
    ("data", "fel"),
    [
        ({}, "Svara på minst en fråga innan du skickar."),
        ({"fraga_{f0}": "abc"}, "Välj ett av svaren."),
        ({"fraga_{f0}": "{f1_ja}"}, "Svaret hör inte till någon fråga i enkäten."),
        ({"fraga_{gammal}": "{gammal_ja}"}, "Svaret hör inte till någon fråga i enkäten."),
        ({"fraga_{personal}": "{personal_ja}"}, "ställs till personal i insatser"),
        ({"fraga_{annan}": "{annan_ja}"}, "som inte finns i enkäten"),
    ],
    ids=["tomt", "inte-ett-id", "annan-frågas-svar", "inaktiv", "annan-grupp", "annan-enkät"],
)
def test_ogiltiga_svar_raknas_inte(
    client: Client,
    tillfalle: Enkattillfalle,
    enkat: Enkat,
    data: dict[str, str],
    fel: str,
) -> None:
    annan = _fraga(
        Enkat.objects.create(forbund=enkat.forbund, namn="Annan enkät"), "Annan fråga", 1
    )
    fragor = _fragor(enkat)
    gammal = enkat.fragor.get(aktiv=False)
    personal = enkat.fragor.get(respondentgrupp=Respondentgrupp.PERSONAL)
    varden = {
        "f0": fragor[0].pk,
        "f1_ja": _alt(fragor[1], "Ja").pk,
        "gammal": gammal.pk,
        "gammal_ja": _alt(gammal, "Ja").pk,
        "personal": personal.pk,
        "personal_ja": _alt(personal, "Ja").pk,
        "annan": annan.pk,
        "annan_ja": _alt(annan, "Ja").pk,
    }
    post = {k.format(**varden): v.format(**varden) for k, v in data.items()}
    post[f"fraga_{fragor[1].pk}"] = str(_alt(fragor[1], "Ja").pk)  # a valid answer beside it
    if not data:
        post = {}
    response = client.post(URL, post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Något behöver rättas" in html and fel in html
    assert _antal(tillfalle) == {}
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 0


# --- The one-answer cookie -----------------------------------------------------------------------


def test_kakan_sager_att_webblasaren_redan_svarat(
    client: Client, tillfalle: Enkattillfalle, enkat: Enkat
) -> None:
    response = client.post(URL, _data(enkat, "Ja", "Ja"))
    kaka = response.cookies[svar_vyer.SVARAT_KAKA]
    assert kaka["path"] == URL
    assert kaka["httponly"] is True
    assert kaka["samesite"] == "Lax"
    slut = timezone.make_aware(
        dt.datetime.combine(tillfalle.slutdatum + dt.timedelta(days=1), dt.time.min)
    )
    assert abs(int(kaka["max-age"]) - (slut - timezone.now()).total_seconds()) < 60
    assert kaka.value != "1"  # signed
    assert set(response.cookies) == {svar_vyer.SVARAT_KAKA}  # no session

    html = client.get(URL).content.decode()
    assert "<h1>Du har redan svarat</h1>" in html and "<form" not in html
    client.post(URL, _data(enkat, "Nej", "Nej"))
    assert _antal(tillfalle) == {(FORVANTNINGAR, "Ja"): 1, (KUNSKAP, "Ja"): 1}


def test_en_falsk_eller_annan_lanks_kaka_galler_inte(
    tillfalle: Enkattillfalle, enkat: Enkat
) -> None:
    annan = Enkattillfalle.objects.create(
        forbund=tillfalle.forbund,
        namn="Annan föreläsning",
        datum=tillfalle.datum,
        enkat=enkat,
        respondentgrupp=KUR,
        kalla=Enkattillfalle.Kalla.LANK,
        lank="AnnanLank123",
    )
    klient = Client()
    klient.post("/e/AnnanLank123/", _data(enkat, "Ja", "Ja"))
    annan_kaka = klient.cookies[svar_vyer.SVARAT_KAKA].value
    for varde in ("1", annan_kaka):
        klient = Client()
        klient.cookies[svar_vyer.SVARAT_KAKA] = varde
        assert "<form" in klient.get(URL).content.decode()
    assert annan.svar.filter(antal__gt=0).count() == 2


def test_kakans_livstid_utan_sista_dag(tillfalle: Enkattillfalle) -> None:
    tillfalle.slutdatum = None
    assert svar_vyer.kakans_livstid(tillfalle, timezone.now()) == 365 * 24 * 60 * 60


# --- No session, no IP in the logs ---------------------------------------------------------------


class _Falla:
    """A session that fails the test if anything reads or writes it."""

    def __getattr__(self, namn: str) -> Any:
        raise AssertionError(f"request.session.{namn} användes")

    def __getitem__(self, nyckel: str) -> Any:
        raise AssertionError("request.session användes")

    def __contains__(self, nyckel: str) -> bool:
        raise AssertionError("request.session användes")


def test_vyerna_ror_inte_sessionen(tillfalle: Enkattillfalle, enkat: Enkat) -> None:
    fabrik = RequestFactory()
    for request, vy, args in (
        (fabrik.get(URL), svar_vyer.svara, (LANK,)),
        (fabrik.post(URL, _data(enkat, "Ja", "Ja")), svar_vyer.svara, (LANK,)),
        (fabrik.get(TACK), svar_vyer.tack, (LANK,)),
        (fabrik.get("/e/x/"), svar_vyer.svara, ("x",)),
    ):
        request.session = _Falla()  # type: ignore[attr-defined]
        request.user = _Falla()  # type: ignore[attr-defined]
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        assert vy(request, *args).status_code in {200, 303, 404}
    assert _antal(tillfalle) == {(FORVANTNINGAR, "Ja"): 1, (KUNSKAP, "Ja"): 1}


@pytest.fixture
def jsonlogg() -> Iterator[io.StringIO]:
    """What the production log (JSON) would say, for every logger."""
    strom = io.StringIO()
    hanterare = logging.StreamHandler(strom)
    hanterare.setFormatter(JsonFormatter())
    hanterare.addFilter(RequestIdFilter())
    rot = logging.getLogger()
    rot.addHandler(hanterare)
    niva, rot.level = rot.level, logging.DEBUG
    yield strom
    rot.removeHandler(hanterare)
    rot.level = niva


def test_loggarna_namner_varken_adress_eller_webblasare(
    tillfalle: Enkattillfalle, enkat: Enkat, jsonlogg: io.StringIO
) -> None:
    klient = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    with override_settings(FINSAM_ENKAT_SVAR_PER_MINUT=1):
        assert klient.get("/e/finns-inte/").status_code == 404
        assert klient.post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
        assert Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT).post(URL, {}).status_code == 429
        assert Client(enforce_csrf_checks=True, REMOTE_ADDR=IP).post(URL, {}).status_code == 403
    logg = jsonlogg.getvalue()
    assert "/e/finns-inte/" in logg and "Too Many Requests" in logg and "Forbidden" in logg
    assert IP not in logg and AGENT not in logg


# --- Size and queries ----------------------------------------------------------------------------


def test_sidan_ar_under_50_kb(client: Client, tillfalle: Enkattillfalle) -> None:
    """The HTML and every file it links (stylesheets, the icon): no fonts, no images, no
    script."""
    html = client.get(URL).content.decode()
    import re

    lankar = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert "/static/css/enkatsvar.css" in lankar and "<script" not in html
    storlek = len(html.encode())
    for adress in lankar:
        fil = finders.find(adress.removeprefix("/static/"))
        assert fil, adress
        with open(fil, "rb") as f:
            storlek += len(f.read())
    assert storlek < 50 * 1024, storlek


def test_antalet_fragor_och_svar_andrar_inte_antalet_fragor_till_databasen(
    tillfalle: Enkattillfalle,
    enkat: Enkat,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    def matt(metod: str) -> int:
        klient = Client()
        klient.get(URL)  # the CSRF cookie; the ContentType cache
        data = {f"fraga_{f.pk}": str(f.alternativ.first().pk) for f in _fragor(enkat)}  # type: ignore[union-attr]
        with django_assert_max_num_queries(50) as fangade:
            if metod == "GET":
                klient.get(URL)
            else:
                klient.post(URL, data)
        return len(fangade.captured_queries)

    fore = {m: matt(m) for m in ("GET", "POST")}
    for i in range(6):
        _fraga(enkat, f"Extra fråga {i}", 10 + i)
    for _ in range(5):
        Client().post(URL, _data(enkat, "Ja", "Ja"))
    efter = {m: matt(m) for m in ("GET", "POST")}
    assert efter == fore
    assert fore["GET"] <= 3  # the round, the questions, their options


# --- Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is shared between threads through one cache, "
    "which refuses concurrent writers; bench/enkat_parallellt.py runs the same against a "
    "file database",
)
def test_samtidiga_svar_forloras_inte(forbund: Any, idag: dt.date) -> None:
    enkat = Enkat.objects.create(forbund=forbund, namn="Samtidig", slag="utbildning")
    fraga = _fraga(enkat, FORVANTNINGAR, 1)
    tillfalle = Enkattillfalle.objects.create(
        forbund=forbund,
        namn="Samtidigt",
        datum=idag,
        enkat=enkat,
        respondentgrupp=KUR,
        kalla=Enkattillfalle.Kalla.LANK,
        lank="samtidig",
    )
    ja = _alt(fraga, "Ja").pk
    fel: list[BaseException] = []

    def svara() -> None:
        try:
            for _ in range(10):
                enkatsvar_lamna(tillfalle=tillfalle, svar={fraga.pk: ja}, idag=idag)
        except BaseException as exc:
            fel.append(exc)
        finally:
            connections.close_all()

    trador = [threading.Thread(target=svara) for _ in range(8)]
    for t in trador:
        t.start()
    for t in trador:
        t.join()
    assert fel == []
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 80
    assert Enkatsvar.objects.get(tillfalle=tillfalle, alternativ_id=ja).antal == 80


def test_en_sparrad_adress_kan_anda_svara(
    tillfalle: Enkattillfalle, enkat: Enkat, verksamhetsutvecklare: Any
) -> None:
    """django-axes guards the login only: an address locked out after wrong passwords (a
    shared office NAT, say) still answers, and answering writes nothing to axes."""
    from axes.models import AccessAttempt, AccessFailureLog

    klient = Client(REMOTE_ADDR=IP)
    for _ in range(6):
        klient.post("/logga-in/", {"username": "vu", "password": "fel"})
    assert AccessAttempt.objects.filter(ip_address=IP).exists()
    forsok = (AccessAttempt.objects.count(), AccessFailureLog.objects.count())
    assert klient.post(URL, _data(enkat, "Ja", "Ja")).status_code == 303
    assert _antal(tillfalle) == {(FORVANTNINGAR, "Ja"): 1, (KUNSKAP, "Ja"): 1}
    assert (AccessAttempt.objects.count(), AccessFailureLog.objects.count()) == forsok
