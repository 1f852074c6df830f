"""The registration pages through the test client: who may open and do what, what the pages say
(in Swedish, with errors at their fields), the workflow, the year start and query counts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    IngaendeBalans,
    Insats,
    Justering,
    Manadsrapport,
    NyaPerHuvudman,
)
from registrering.permissions import Roll
from tests import factories as f

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
LOSENORD = "lösenord-för-test"
Status = Manadsrapport.Status


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    """Today is 23/11 2026: October is over and overdue (rapportdag 10), November is not over."""
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    # The services ask the clock themselves (the views do not pass their date on), so it is
    # frozen too: the tests must not depend on the day they run.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


# --- Personas ------------------------------------------------------------------------------

EGNA = ["verksamhetsutvecklare", "forbundschef", "styrelse", "insatsansvarig"]


@pytest.fixture
def personer(request, annat_forbund):
    """Every persona by name: our four roles, every role of another förbund ("utomstaende" is
    its verksamhetsutvecklare, from conftest) and "anonym"."""
    result: dict[str, Any] = {
        namn: request.getfixturevalue(namn) for namn in [*EGNA, "utomstaende"]
    }
    annans = f.InsatsFactory(forbund=annat_forbund, namn="Annanstans insats")
    for roll, namn in (
        (Roll.FORBUNDSCHEF, "utomstaende_forbundschef"),
        (Roll.STYRELSE, "utomstaende_styrelse"),
        (Roll.INSATSANSVARIG, "utomstaende_insatsansvarig"),
    ):
        result[namn] = f.UserFactory(username=namn, forbund=annat_forbund, roll=roll)
    annans.insatsansvariga.add(result["utomstaende_insatsansvarig"])
    result["anonym"] = None
    return result


def logga_in(client: Client, user: Any) -> None:
    if user is not None:
        client.force_login(user)


# --- Reading the HTML ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = field(default="")

    @property
    def ren_text(self) -> str:
        """The text content with whitespace collapsed, as a screen reader reads it."""
        return " ".join(self.text.split())

    @property
    def klasser(self) -> list[str]:
        return self.attrs.get("class", "").split()


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.element: list[Element] = []
        self._oppna: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.element.append(element)
        if tag not in VOID:
            self._oppna.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.element.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._oppna) - 1, -1, -1):
            if self._oppna[i].tag == tag:
                del self._oppna[i:]
                return

    def handle_data(self, data: str) -> None:
        # Text inside aria-hidden is not read out: it is not part of an ancestor's text.
        for i, element in enumerate(self._oppna):
            if any(e.attrs.get("aria-hidden") == "true" for e in self._oppna[i + 1 :]):
                continue
            element.text += data


def html(response_or_text: Any) -> str:
    if isinstance(response_or_text, str):
        return response_or_text
    return response_or_text.content.decode()


def element(source: Any, tag: str, **attrs: str) -> list[Element]:
    """The elements `tag` with the given attributes (`class_` matches one class)."""
    parser = _Parser()
    parser.feed(html(source))
    klass = attrs.pop("class_", None)
    return [
        e
        for e in parser.element
        if e.tag == tag
        and all(e.attrs.get(k) == v for k, v in attrs.items())
        and (klass is None or klass in e.klasser)
    ]


def ett(source: Any, tag: str, **attrs: str) -> Element:
    hittade = element(source, tag, **attrs)
    assert len(hittade) == 1, f"{len(hittade)} <{tag} {attrs}> i sidan"
    return hittade[0]


def formular(source: Any, action: str) -> str:
    """The HTML of the form that posts to `action`."""
    match = re.search(
        rf'<form method="post" action="{re.escape(action)}".*?</form>', html(source), re.S
    )
    assert match, f"inget formulär till {action}"
    return match.group(0)


def block(source: Any, oppning: str, tag: str) -> str:
    """The HTML from `oppning` to the first closing `tag` after it (for blocks that do not
    nest their own tag)."""
    text = html(source)
    start = text.index(oppning)
    return text[start : text.index(f"</{tag}>", start)]


def knappar(source: Any) -> list[str]:
    """The submit buttons' texts, apart from the header's "Logga ut"."""
    return [
        b.ren_text for b in element(source, "button", type="submit") if b.ren_text != "Logga ut"
    ]


def manadsformular(source: Any) -> str | None:
    match = re.search(
        r'<form method="post" novalidate id="manadsform".*?</form>', html(source), re.S
    )
    return match.group(0) if match else None


def etikett(source: Any, falt_id: str) -> str:
    return ett(source, "label", **{"for": falt_id}).ren_text


def varde(source: Any, falt_id: str) -> str | None:
    return ett(source, "input", id=falt_id).attrs.get("value")


def fel_vid_falt(source: Any, falt_id: str, tag: str = "input") -> list[str]:
    """The error messages tied to a field: it is marked invalid and describedby the messages."""
    falt = ett(source, tag, id=falt_id)
    assert falt.attrs.get("aria-invalid") == "true", f"{falt_id} är inte markerat som fel"
    fel_ids = [i for i in falt.attrs.get("aria-describedby", "").split() if "-fel" in i]
    return [ett(source, "p", id=i, class_="fel").ren_text for i in fel_ids]


def lanktexter(source: Any) -> dict[str, str]:
    """Link text → href of every link on the page."""
    return {a.ren_text: a.attrs.get("href", "") for a in element(source, "a")}


def radrubriker(source: Any) -> list[str]:
    return [th.ren_text for th in element(source, "th", scope="row")]


# --- Database state ------------------------------------------------------------------------


def databas() -> dict[str, list[dict[str, Any]]]:
    """Everything a registration page can write, to compare before and after a request."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Manadsrapport,
            AvslutadePerAnledning,
            NyaPerHuvudman,
            IngaendeBalans,
            Justering,
            AuditEntry,
        )
    }


def manad_url(insats: Insats, manad: int = 10, ar: int = 2026, atgard: str = "") -> str:
    return f"/registrering/insats/{insats.pk}/{ar}/{manad}/{atgard}"


def balans_url(insats: Insats, ar: int = 2026) -> str:
    return f"/registrering/insats/{insats.pk}/{ar}/ingaende-balans/"


def flode(**andringar: str) -> dict[str, str]:
    """A month form POST: nothing new, nothing ended, saved as a draft, unless overridden."""
    return {
        "version": "",
        "nya_kvinnor": "0",
        "nya_man": "0",
        "avslutade_kvinnor": "0",
        "avslutade_man": "0",
        "kommentar": "",
        "spara": "1",
        **andringar,
    }


# --- 1. The role × view matrix --------------------------------------------------------------


@dataclass(frozen=True)
class Atgard:
    metod: str
    sokvag: str  # after /registrering/insats/<pk>/2026/
    data: dict[str, str]
    status_fore: str | None = None  # October 2026's state before the request
    status_efter: str | None = None  # and after it, when allowed


ATGARDER = {
    "manad": Atgard("GET", "10/", {}),
    "spara": Atgard("POST", "10/", flode(nya_kvinnor="2"), None, Status.UTKAST),
    "godkann": Atgard("POST", "10/godkann/", {}, Status.INSKICKAD, Status.GODKAND),
    "returnera": Atgard(
        "POST",
        "10/returnera/",
        {"retur-kommentar": "Stämmer nya män?"},
        Status.INSKICKAD,
        Status.RETURNERAD,
    ),
    "las_upp": Atgard(
        "POST",
        "10/las-upp/",
        {"upplasning-anledning": "Fel antal nya"},
        Status.GODKAND,
        Status.INSKICKAD,
    ),
    "registrerad": Atgard(
        "POST",
        "10/registrerad/",
        {"registrerad-datum": "2026-11-20"},
        Status.GODKAND,
        Status.REGISTRERAD,
    ),
    "balans": Atgard("GET", "ingaende-balans/", {}),
    "balans_spara": Atgard("POST", "ingaende-balans/", {"kvinnor": "0", "man": "0"}),
}
L = "login"  # redirected to the login page
OK = 302  # done, and back to the page
INGEN = (404,) * len(ATGARDER)
# fmt: off
MATRIS: dict[tuple[str, str], tuple[int | str, ...]] = {
    # (persona, whose insats)              manad spara godkann returnera las_upp registrerad
    #                                        balans balans_spara
    ("anonym", "insats"):                    (L,   L,    L,   L,   L,   L,   L,   L),
    ("verksamhetsutvecklare", "insats"):     (200, OK,   OK,  OK,  OK,  OK,  200, OK),
    ("forbundschef", "insats"):              (200, OK,   OK,  OK,  OK,  OK,  200, OK),
    ("styrelse", "insats"):                  (200, 403,  403, 403, 403, 403, 200, 403),
    ("insatsansvarig", "insats"):            (200, OK,   403, 403, 403, 403, 200, OK),
    ("insatsansvarig", "annan_insats"):      (403, 403,  403, 403, 403, 403, 403, 403),
    ("utomstaende", "insats"):               INGEN,
    ("utomstaende_forbundschef", "insats"):  INGEN,
    ("utomstaende_styrelse", "insats"):      INGEN,
    ("utomstaende_insatsansvarig", "insats"): INGEN,
}
# fmt: on


@pytest.mark.parametrize(
    ("persona", "vems", "atgard", "vantat"),
    [
        pytest.param(persona, vems, atgard, svar[i], id=f"{persona}-{vems}-{atgard}")
        for (persona, vems), svar in MATRIS.items()
        for i, atgard in enumerate(ATGARDER)
    ],
)
def test_rollmatris_for_insatsens_sidor(client, request, personer, persona, vems, atgard, vantat):
    insats = request.getfixturevalue(vems)
    a = ATGARDER[atgard]
    if a.status_fore:
        f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=a.status_fore)
    logga_in(client, personer[persona])
    url = f"/registrering/insats/{insats.pk}/2026/{a.sokvag}"
    fore = databas()

    response = client.get(url) if a.metod == "GET" else client.post(url, a.data)

    if vantat == L:
        assert response.status_code == 302
        assert response["Location"] == f"/logga-in/?next={url}"
    elif vantat == OK:
        assert response.status_code == 302, html(response)
        if atgard == "balans_spara":
            assert response["Location"] == balans_url(insats)
            assert IngaendeBalans.objects.filter(insats=insats, ar=2026).exists()
        else:
            assert response["Location"] == manad_url(insats)
            rapport = Manadsrapport.objects.get(insats=insats, ar=2026, manad=10)
            assert rapport.status == a.status_efter
    else:
        assert response.status_code == vantat
    if vantat != OK:
        assert databas() == fore, "en nekad begäran fick inte ändra något"
    if vantat in (403, 404):
        assert "Logga ut" in html(response)  # the error pages are Swedish pages of the site


SIDOR = ("/", "/mal/", "/registrering/", "/registrering/2026/", "/registrering/mina-insatser/")
# fmt: off
SIDMATRIS: dict[str, tuple[int | str, ...]] = {
    # persona                       /                              /mal/ översikt år  mina-insatser
    "anonym":                       (L,                            L,   L,   L,   L),
    "verksamhetsutvecklare":        ("/registrering/",             200, 200, 200, 403),
    "forbundschef":                 ("/registrering/",             200, 200, 200, 403),
    "styrelse":                     ("/mal/",                      200, 403, 403, 403),
    "insatsansvarig":               ("/registrering/mina-insatser/", 403, 200, 200, 200),
    "utomstaende":                  ("/registrering/",             200, 200, 200, 403),
    "utomstaende_forbundschef":     ("/registrering/",             200, 200, 200, 403),
    "utomstaende_styrelse":         ("/mal/",                      200, 403, 403, 403),
    "utomstaende_insatsansvarig":   ("/registrering/mina-insatser/", 403, 200, 200, 200),
}
# fmt: on


@pytest.mark.parametrize(
    ("persona", "sida", "vantat"),
    [
        pytest.param(persona, sida, svar[i], id=f"{persona}-{sida}")
        for persona, svar in SIDMATRIS.items()
        for i, sida in enumerate(SIDOR)
    ],
)
def test_rollmatris_for_start_oversikt_och_mal(
    client, personer, insats, annan_insats, persona, sida, vantat
):
    f.ManadsrapportFactory(insats=annan_insats, ar=2026, manad=9, status=Status.UTKAST)
    logga_in(client, personer[persona])

    response = client.get(sida)

    if vantat == L:
        assert response.status_code == 302
        assert response["Location"] == f"/logga-in/?next={sida}"
    elif isinstance(vantat, str):
        assert response.status_code == 302
        assert response["Location"] == vantat
    else:
        assert response.status_code == vantat
        assert "Logga ut" in html(response)
    if persona.startswith("utomstaende"):
        assert "Försteg Testby" not in html(response)
        assert "Försteg Grannby" not in html(response)
    if persona == "insatsansvarig":
        assert "Försteg Grannby" not in html(response)


def test_styrelsen_far_veta_varfor_oversikten_ar_stangd(client, styrelse):
    client.force_login(styrelse)
    response = client.get("/registrering/")
    assert response.status_code == 403
    assert "Styrelsen följer arbetet på målsidan och i rapporterna." in html(response)


def test_konto_utan_roll_far_403_pa_startsidan(client, forbund):
    client.force_login(f.UserFactory(username="utanroll", forbund=forbund))
    response = client.get("/")
    assert response.status_code == 403
    assert "Ditt konto har ingen roll" in html(response)


@pytest.mark.parametrize("atgard", ["godkann", "returnera", "las-upp", "registrerad"])
def test_arbetsflodets_adresser_tar_bara_post(client, verksamhetsutvecklare, insats, atgard):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)
    fore = databas()
    assert client.get(manad_url(insats, atgard=f"{atgard}/")).status_code == 405
    assert databas() == fore


# --- 2. Login, logout and start ------------------------------------------------------------


def test_inloggningssidan_ar_pa_svenska(client):
    response = client.get("/logga-in/")
    assert response.status_code == 200
    assert ett(response, "html").attrs["lang"] == "sv"
    assert etikett(response, "id_username") == "Användarnamn"
    assert etikett(response, "id_password") == "Lösenord"
    assert ett(response, "button", type="submit").ren_text == "Logga in"
    assert "Logga ut" not in html(response)


def test_fel_losenord_ger_svenskt_fel(client, insatsansvarig):
    response = client.post("/logga-in/", {"username": "ansvarig", "password": "fel"})
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in ett(response, "div", class_="felruta").ren_text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona", "startsida"),
    [
        ("insatsansvarig", "/registrering/mina-insatser/"),
        ("verksamhetsutvecklare", "/registrering/"),
        ("forbundschef", "/registrering/"),
        ("styrelse", "/mal/"),
    ],
)
def test_inloggning_leder_till_rollens_startsida(client, personer, persona, startsida):
    response = client.post(
        "/logga-in/", {"username": personer[persona].username, "password": LOSENORD}, follow=True
    )
    assert response.status_code == 200
    assert [url for url, _ in response.redirect_chain] == ["/", startsida]


def test_inloggning_foljer_next(client, insatsansvarig, insats):
    url = manad_url(insats)
    response = client.post(
        f"/logga-in/?next={url}", {"username": "ansvarig", "password": LOSENORD, "next": url}
    )
    assert response.status_code == 302
    assert response["Location"] == url


def test_inloggad_som_besoker_inloggningssidan_skickas_till_start(client, styrelse):
    client.force_login(styrelse)
    response = client.get("/logga-in/")
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("persona", "sida"),
    [
        ("verksamhetsutvecklare", "/registrering/"),
        ("verksamhetsutvecklare", "/registrering/2025/"),
        ("verksamhetsutvecklare", "{manad}"),
        ("verksamhetsutvecklare", "{balans}"),
        ("forbundschef", "/mal/"),
        ("styrelse", "/mal/"),
        ("styrelse", "{manad}"),
        ("styrelse", "/registrering/"),  # the 403 page
        ("insatsansvarig", "/registrering/mina-insatser/"),
        ("insatsansvarig", "{manad}"),
        ("insatsansvarig", "{balans}"),
        ("utomstaende", "{manad}"),  # the 404 page
    ],
)
def test_logga_ut_finns_pa_varje_sida_som_ett_postformular(client, personer, insats, persona, sida):
    client.force_login(personer[persona])
    response = client.get(sida.format(manad=manad_url(insats), balans=balans_url(insats)))
    form = formular(response, "/logga-ut/")
    assert ett(form, "button", type="submit").ren_text == "Logga ut"
    assert element(form, "input", type="hidden", name="csrfmiddlewaretoken")


def test_logga_ut(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    assert client.get("/logga-ut/").status_code == 405  # a link cannot log anyone out
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    assert client.get("/")["Location"] == "/logga-in/?next=/"


# --- 3. The månadsöversikt -----------------------------------------------------------------


def test_oversiktens_celler_namnger_insats_manad_och_status(client, verksamhetsutvecklare, insats):
    for manad, status in (
        (6, Status.REGISTRERAD),
        (7, Status.GODKAND),
        (8, Status.UTKAST),
        (10, Status.INSKICKAD),
    ):
        f.ManadsrapportFactory(insats=insats, ar=2026, manad=manad, status=status)
    client.force_login(verksamhetsutvecklare)

    response = client.get("/registrering/")

    assert response.status_code == 200
    lankar = lanktexter(response)
    assert lankar["Försteg Testby, maj 2026: saknas, försenad"] == manad_url(insats, 5)
    assert lankar["Försteg Testby, juni 2026: registrerad i Uppföljning Finsam"] == manad_url(
        insats, 6
    )
    assert lankar["Försteg Testby, juli 2026: godkänd"] == manad_url(insats, 7)
    assert lankar["Försteg Testby, augusti 2026: utkast, försenad"] == manad_url(insats, 8)
    assert lankar["Försteg Testby, september 2026: saknas, försenad"] == manad_url(insats, 9)
    assert lankar["Försteg Testby, oktober 2026: inskickad"] == manad_url(insats, 10)
    # November is not over: no link, but a screen reader still hears what the cell means.
    assert not any("november" in text for text in lankar)
    dolda = [s.ren_text for s in element(response, "span", class_="visuellt-dold")]
    assert "Försteg Testby, november 2026: ej aktuell" in dolda
    # Overdue stands out in words, visible to everyone, not only as a colour.
    synliga_forsenade = [
        s for s in element(response, "span", class_="forsenad") if "visuellt-dold" not in s.klasser
    ]
    assert [s.ren_text for s in synliga_forsenade] == ["försenad"] * 7  # jan–maj, aug, sep
    assert "Försenade: 7" in ett(response, "ul", class_="sammanfattning").ren_text


@pytest.mark.parametrize(
    ("rapportdag", "text"),
    [
        (10, "Försteg Testby, oktober 2026: saknas, försenad"),  # deadline 10/11 has passed
        (28, "Försteg Testby, oktober 2026: saknas"),  # deadline 28/11 has not
    ],
)
def test_forsenad_foljer_forbundets_rapportdag(
    client, forbund, verksamhetsutvecklare, insats, rapportdag, text
):
    forbund.rapportdag = rapportdag
    forbund.save()
    client.force_login(verksamhetsutvecklare)
    assert text in lanktexter(client.get("/registrering/2026/"))


def test_oversikt_for_tidigare_ar_och_ogiltigt_ar(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    response = client.get("/registrering/2025/")
    assert response.status_code == 200
    assert "Försteg Testby, december 2025: saknas, försenad" in lanktexter(response)
    assert client.get("/registrering/1999/").status_code == 404


@pytest.mark.parametrize(
    ("filter_", "vantade"),
    [
        ({}, {"Försteg Testby", "Försteg Grannby", "Nätverket västra"}),
        ({"grupp": "Försteg"}, {"Försteg Testby"}),
        ({"grupp": "ISA"}, {"Försteg Grannby"}),
        ({"inriktning": "individ"}, {"Försteg Testby", "Försteg Grannby"}),
        ({"inriktning": "struktur"}, {"Nätverket västra"}),
        ({"grupp": "Försteg", "inriktning": "struktur"}, set()),
    ],
)
def test_oversikten_filtreras_pa_grupp_och_inriktning(
    client, forbund, verksamhetsutvecklare, insats, annan_insats, filter_, vantade
):
    grupper = {
        namn: f.InsatsgruppFactory(forbund=forbund, namn=namn) for namn in ("Försteg", "ISA")
    }
    insats.grupp = grupper["Försteg"]
    insats.save()
    annan_insats.grupp = grupper["ISA"]
    annan_insats.save()
    f.VolyminsatsFactory(forbund=forbund, namn="Nätverket västra")
    client.force_login(verksamhetsutvecklare)
    params = dict(filter_)
    if "grupp" in params:
        params["grupp"] = str(grupper[params["grupp"]].pk)

    response = client.get("/registrering/", params)

    assert response.status_code == 200
    assert set(radrubriker(response)) == vantade
    if not vantade:
        assert "Inga insatser matchar." in html(response)
    # The chosen filter stays chosen.
    for namn, value in params.items():
        vald = [o for o in element(response, "option", value=value) if "selected" in o.attrs]
        assert vald, f"{namn}={value} är inte valt"


def test_insatsansvarig_ser_bara_sina_insatser_i_oversikten(
    client, insatsansvarig, insats, annan_insats
):
    f.ManadsrapportFactory(insats=annan_insats, ar=2026, manad=10, status=Status.INSKICKAD)
    client.force_login(insatsansvarig)

    response = client.get("/registrering/")

    assert response.status_code == 200
    assert radrubriker(response) == ["Försteg Testby"]
    assert "Försteg Grannby" not in html(response)
    assert "Datakvalitet" not in html(response)  # the data-quality notes are for the kansli


def test_oversikten_visar_datakvalitet_for_verksamhetsutvecklaren(
    client, verksamhetsutvecklare, insats, annan_insats
):
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=1, man=1)
    f.JusteringFactory(insats=insats, ar=2026, manad=3, kvinnor=-1, man=0, anledning="Räknat")
    client.force_login(verksamhetsutvecklare)

    response = client.get("/registrering/")

    celler = [td.ren_text for td in element(response, "td")]
    i = celler.index("Räknat")
    assert celler[i - 3 : i + 1] == ["mars 2026", "−1", "0", "Räknat"]
    assert "Försteg Testby" in radrubriker(response)
    # Only the insats without a confirmed balance is listed, with a link to confirm it.
    assert lanktexter(response)["Försteg Grannby"] == balans_url(annan_insats)
    assert "Försteg Testby" not in lanktexter(response)


def test_korrigering_vid_arets_borjan_syns_i_det_nya_arets_oversikt(
    client, verksamhetsutvecklare, insats
):
    """A year-start correction is a justering in last December: the new year shows it too."""
    f.JusteringFactory(insats=insats, ar=2025, manad=12, kvinnor=-2, man=0, anledning="1/1")
    f.JusteringFactory(insats=insats, ar=2025, manad=6, kvinnor=-1, man=0, anledning="Juni")
    client.force_login(verksamhetsutvecklare)

    response = client.get("/registrering/2026/")
    celler = [td.ren_text for td in element(response, "td")]

    # Under its own heading, not in 2026's list of justeringar.
    assert "Ingående balans 1/1 2026 rättad (1)" in html(response)
    assert "Justeringar 2026" not in html(response)
    assert "1/1" in celler
    assert "Juni" not in celler


def test_mina_insatser_listar_manader_som_vantar(client, insatsansvarig, insats, annan_insats):
    insats.startdatum = dt.date(2026, 8, 1)
    insats.save()
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=9, status=Status.RETURNERAD)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    client.force_login(insatsansvarig)

    response = client.get("/registrering/mina-insatser/")

    vantande = block(response, '<h2 id="vantar">', "ul")
    assert [li.ren_text for li in element(vantande, "li")] == [
        "Försteg Testby, augusti 2026: saknas – försenad, sista dag var 10/9 2026",
        "Försteg Testby, september 2026: returnerad – försenad, sista dag var 10/10 2026",
    ]
    assert lanktexter(vantande)["Försteg Testby, september 2026"] == manad_url(insats, 9)
    assert lanktexter(response)["Försteg Testby, ingående balans 1/1 2026"] == balans_url(insats)
    assert "Försteg Grannby" not in html(response)


# --- 4. The month form ---------------------------------------------------------------------


@pytest.fixture
def huvudman(forbund):
    return f.HuvudmanFactory(forbund=forbund, namn="Försäkringskassan", ordning=1)


@pytest.fixture
def anledning(forbund, insats):
    arbete = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    arbete.insatser.add(insats)
    return arbete


def test_manadsformularet_har_svenska_etiketter_och_knappar(
    client, insatsansvarig, insats, huvudman, anledning
):
    client.force_login(insatsansvarig)
    response = client.get(manad_url(insats))
    assert response.status_code == 200
    assert ett(response, "h1").ren_text == "Försteg Testby, oktober 2026"
    assert [
        etikett(response, f"id_{namn}")
        for namn in ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")
    ] == ["Nya kvinnor", "Nya män", "Avslutade kvinnor", "Avslutade män"]
    assert etikett(response, f"id_huvudman_{huvudman.pk}") == "Försäkringskassan"
    assert etikett(response, f"id_avslut_{anledning.pk}") == "Arbete (1:a)"
    form = manadsformular(response)
    assert ett(form, "button", name="spara").ren_text == "Spara"
    assert ett(form, "button", name="skicka_in").ren_text == "Skicka in"
    # The comment field warns against writing anything that identifies a participant.
    assert "Skriv aldrig namn, personnummer" in html(form)


@pytest.mark.parametrize(
    ("knapp", "status"), [("spara", Status.UTKAST), ("skicka_in", Status.INSKICKAD)]
)
def test_giltig_manad_sparas_eller_skickas_in(
    client, insatsansvarig, insats, huvudman, anledning, knapp, status
):
    client.force_login(insatsansvarig)
    data = flode(
        nya_kvinnor="2",
        nya_man="1",
        avslutade_kvinnor="1",
        **{f"huvudman_{huvudman.pk}": "3", f"avslut_{anledning.pk}": "1", "kommentar": "Lugn"},
    )
    del data["spara"]
    data[knapp] = "1"

    response = client.post(manad_url(insats), data)

    assert response.status_code == 302
    assert response["Location"] == manad_url(insats)
    rapport = Manadsrapport.objects.get(insats=insats, ar=2026, manad=10)
    assert rapport.status == status
    assert (rapport.nya_kvinnor, rapport.nya_man, rapport.avslutade_kvinnor) == (2, 1, 1)
    assert rapport.kommentar == "Lugn"
    assert [(r.huvudman, r.antal) for r in rapport.nya_huvudman.all()] == [(huvudman, 3)]
    assert [(r.anledning, r.antal) for r in rapport.avslut.all()] == [(anledning, 1)]
    sida = client.get(manad_url(insats))
    meddelande = ett(sida, "div", class_="meddelanden").ren_text
    if knapp == "spara":
        assert meddelande == "Försteg Testby, oktober 2026 är sparad."
    else:
        assert meddelande == "Försteg Testby, oktober 2026 är inskickad för granskning."


@pytest.mark.parametrize(
    ("data", "falt", "meddelande", "vid_faltet"),
    [
        ({"nya_kvinnor": "-1"}, "nya_kvinnor", "Nya kvinnor kan inte vara mindre än 0.", ""),
        (
            {"nya_man": "1,5"},
            "nya_man",
            "Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”).",
            "Nya män: ",
        ),
        (
            {"avslutade_man": "tre"},
            "avslutade_man",
            "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”tre”).",
            "Avslutade män: ",
        ),
        (
            {"nya_kvinnor": "٣"},
            "nya_kvinnor",
            "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”٣”).",
            "Nya kvinnor: ",
        ),
        (
            {"nya_kvinnor": "𝟓"},
            "nya_kvinnor",
            "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”𝟓”).",
            "Nya kvinnor: ",
        ),
        # A draft may leave a count empty; a month sent in may not.
        (
            {"nya_man": "", "spara": None, "skicka_in": "1"},
            "nya_man",
            "Fyll i ett antal (0 om inga).",
            "Nya män: ",
        ),
        (
            {"avslutade_kvinnor": "5"},
            "avslutade_kvinnor",
            "Fler avslutade kvinnor (5) än det fanns deltagare att avsluta "
            "(0 pågående vid månadens början + 0 nya).",
            "",
        ),
    ],
    ids=[
        "negativt",
        "decimalkomma",
        "text",
        "arabisk-siffra",
        "matematisk-siffra",
        "tomt-vid-inskick",
        "fler-avslutade",
    ],
)
def test_felaktig_manad_ger_400_med_fel_vid_faltet(
    client, insatsansvarig, insats, data, falt, meddelande, vid_faltet
):
    """The flow's fields sit in a grid: their messages are shown under the group's legend, as
    wide as the group, and name the field unless the message does; the field is described by
    its message."""
    client.force_login(insatsansvarig)
    fore = databas()
    post = {k: v for k, v in flode(**data).items() if v is not None}

    response = client.post(manad_url(insats), post)

    assert response.status_code == 400
    assert fel_vid_falt(response, f"id_{falt}") == [vid_faltet + meddelande]
    assert "Något behöver rättas – inget har sparats" in html(response)
    # The summary links to the field.
    sammanfattning = lanktexter(response)
    assert sammanfattning.get(f"{etikett(response, f'id_{falt}')}: {meddelande}") == f"#id_{falt}"
    # What the user typed is still there.
    for namn, typed in data.items():
        if namn not in ("spara", "skicka_in"):
            assert (varde(response, f"id_{namn}") or "") == typed
    assert databas() == fore


@pytest.mark.parametrize(
    ("persona", "knappar_pa_sidan"),
    [
        ("styrelse", []),
        ("insatsansvarig", []),
        ("verksamhetsutvecklare", ["Spara", "Godkänn", "Returnera", "Spara justering"]),
        ("forbundschef", ["Spara", "Godkänn", "Returnera", "Spara justering"]),
    ],
)
def test_inskickad_manad_visar_bara_det_rollen_far_gora(
    client, personer, insats, persona, knappar_pa_sidan
):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD, nya_kvinnor=4)
    client.force_login(personer[persona])
    response = client.get(manad_url(insats))
    assert response.status_code == 200
    assert knappar(response) == knappar_pa_sidan
    if not knappar_pa_sidan:
        # Read-only: the reported figures as a table.
        celler = [td.ren_text for td in element(response, "td")]
        siffror = dict(zip(radrubriker(response), celler, strict=True))
        assert siffror["Nya kvinnor"] == "4"
        assert siffror["Pågående vid månadens slut"] == "4 (4 kvinnor, 0 män)"


def test_manad_som_inte_ar_slut_kan_inte_sparas(client, insatsansvarig, insats):
    client.force_login(insatsansvarig)
    sida = client.get(manad_url(insats, 11))
    assert sida.status_code == 200
    assert manadsformular(sida) is None
    assert "November 2026 är inte slut än" in html(sida)

    response = client.post(manad_url(insats, 11), flode(nya_kvinnor="1"))

    assert response.status_code == 400
    assert (
        "November 2026 är inte slut än. Månaden kan rapporteras från och med 1/12 2026."
        in ett(response, "div", class_="felruta").ren_text
    )
    assert not Manadsrapport.objects.exists()


def test_manad_som_inte_ar_slut_enligt_vyn_kan_inte_sparas(
    client, monkeypatch, insatsansvarig, insats
):
    monkeypatch.setattr("registrering.views.idag", lambda: dt.date(2026, 10, 15))
    client.force_login(insatsansvarig)
    assert manadsformular(client.get(manad_url(insats, 10))) is None  # "not over yet"

    response = client.post(manad_url(insats, 10), flode(nya_kvinnor="1"))

    assert response.status_code == 400
    assert not Manadsrapport.objects.exists()


def test_volyminsats_har_ett_volymfalt(client, verksamhetsutvecklare, forbund):
    volym = f.VolyminsatsFactory(forbund=forbund, namn="Kompetenshöjande insatser")
    client.force_login(verksamhetsutvecklare)

    sida = client.get(manad_url(volym))

    assert etikett(sida, "id_volym") == "Volym (deltagare)"
    assert not element(sida, "input", id="id_nya_kvinnor")
    response = client.post(
        manad_url(volym), {"version": "", "volym": "85", "kommentar": "", "spara": "1"}
    )
    assert response.status_code == 302
    assert Manadsrapport.objects.get(insats=volym).volym == 85
    response = client.post(
        manad_url(volym, 9), {"version": "", "volym": "", "kommentar": "", "skicka_in": "1"}
    )
    assert response.status_code == 400
    assert fel_vid_falt(response, "id_volym") == ["Ange volymen i deltagare."]


def test_samtidig_andring_ger_409_och_behaller_det_inskrivna(
    client, verksamhetsutvecklare, insatsansvarig, insats
):
    client.force_login(insatsansvarig)
    client.post(manad_url(insats), flode(nya_kvinnor="2"))
    oppnad = client.get(manad_url(insats))
    oppnad_version = varde(oppnad, "id_version")
    assert oppnad_version == "1"
    # The verksamhetsutvecklare saves the month while the insatsansvarig is typing.
    annan = Client()
    annan.force_login(verksamhetsutvecklare)
    sparad = annan.post(manad_url(insats), flode(version=oppnad_version, nya_kvinnor="3"))
    assert sparad.status_code == 302
    fore = databas()

    response = client.post(manad_url(insats), flode(version=oppnad_version, nya_kvinnor="7"))

    assert response.status_code == 409
    assert "Någon annan har sparat" in html(response)
    andrat = block(response, '<div class="felruta"', "div")
    assert [td.ren_text for td in element(andrat, "td")] == ["Nya kvinnor", "2", "3"]
    assert varde(response, "id_nya_kvinnor") == "7"
    assert databas() == fore
    # Saving again from the re-rendered form (it carries the new version) replaces the figures.
    ny_version = varde(response, "id_version")
    assert ny_version == "2"
    response = client.post(manad_url(insats), flode(version=ny_version, nya_kvinnor="7"))
    assert response.status_code == 302
    rapport = Manadsrapport.objects.get(insats=insats)
    assert (rapport.nya_kvinnor, rapport.version) == (7, 3)


def test_samtidig_forsta_registrering_skriver_inte_over(
    client, verksamhetsutvecklare, insatsansvarig, insats
):
    client.force_login(insatsansvarig)
    oppnad = client.get(manad_url(insats))
    annan = Client()
    annan.force_login(verksamhetsutvecklare)
    annan.post(manad_url(insats), flode(version=varde(oppnad, "id_version") or "", nya_man="3"))
    fore = databas()

    response = client.post(
        manad_url(insats), flode(version=varde(oppnad, "id_version") or "", nya_kvinnor="7")
    )

    assert response.status_code == 409
    assert databas() == fore


# --- 5. The workflow -----------------------------------------------------------------------


# "Godkänd 23/11 2026 10:15 av vu": what happened, when and by whom.
HISTORIKSTEG = re.compile(r"(.+?) \d+/\d+ \d{4} \d\d:\d\d av ")


def test_arbetsflodet_genom_sidorna(client, verksamhetsutvecklare, insatsansvarig, insats):
    ansvarig, vu = client, Client()
    ansvarig.force_login(insatsansvarig)
    vu.force_login(verksamhetsutvecklare)
    url = manad_url(insats)

    def rapport() -> Manadsrapport:
        return Manadsrapport.objects.get(insats=insats, ar=2026, manad=10)

    # The insatsansvarig saves a draft and sends it in.
    assert ansvarig.post(url, flode(nya_kvinnor="2", nya_man="1")).status_code == 302
    assert rapport().status == Status.UTKAST
    version = varde(ansvarig.get(url), "id_version")
    data = flode(version=version, nya_kvinnor="2", nya_man="1", skicka_in="1")
    assert ansvarig.post(url, data).status_code == 302
    assert rapport().status == Status.INSKICKAD
    assert rapport().inskickad_av == insatsansvarig
    # Sent in, the month waits for review: the insatsansvarig can no longer change it.
    sida = ansvarig.get(url)
    assert manadsformular(sida) is None
    assert "Inskickad" in ett(sida, "ul", class_="sammanfattning").ren_text
    fore = databas()
    response = ansvarig.post(url, flode(version=str(rapport().version), nya_kvinnor="5"))
    assert response.status_code == 400
    assert "väntar på granskning" in ett(response, "div", class_="felruta").ren_text
    assert databas() == fore

    # The verksamhetsutvecklare must say what is wrong to return it; the message is shown at
    # the month's own address, at the field.
    response = vu.post(manad_url(insats, atgard="returnera/"), {"retur-kommentar": "  "})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#id_retur-kommentar"
    response = vu.get(url)
    retur = formular(response, manad_url(insats, atgard="returnera/"))
    assert fel_vid_falt(retur, "id_retur-kommentar", "textarea") == [
        "Skriv vad som behöver rättas."
    ]
    assert databas() == fore
    response = vu.post(
        manad_url(insats, atgard="returnera/"), {"retur-kommentar": "Stämmer nya män?"}
    )
    assert response.status_code == 302
    assert rapport().status == Status.RETURNERAD

    # The insatsansvarig sees the comment, corrects the month and sends it in again.
    sida = ansvarig.get(url)
    assert (
        "Returnerad av verksamhetsutvecklaren Stämmer nya män?"
        in ett(sida, "div", role="note").ren_text
    )
    assert ett(manadsformular(sida), "button", name="skicka_in").ren_text == "Skicka in"
    data = flode(version=varde(sida, "id_version"), nya_kvinnor="2", nya_man="2", skicka_in="1")
    assert ansvarig.post(url, data).status_code == 302
    assert rapport().status == Status.INSKICKAD
    assert rapport().nya_man == 2

    # Approved, the month is locked: no form, and a POST is refused in Swedish.
    assert vu.post(manad_url(insats, atgard="godkann/")).status_code == 302
    assert rapport().status == Status.GODKAND
    assert rapport().godkand_av == verksamhetsutvecklare
    for user_client in (ansvarig, vu):
        sida = user_client.get(url)
        assert manadsformular(sida) is None
        assert "Månaden är godkänd och låst." in html(sida)
    fore = databas()
    for user_client in (ansvarig, vu):
        response = user_client.post(url, flode(version=str(rapport().version), nya_kvinnor="9"))
        assert response.status_code == 400
        assert "Försteg Testby, oktober 2026 är godkänd och låst." in html(response)
    assert databas() == fore

    # Unlocking needs a reason.
    response = vu.post(manad_url(insats, atgard="las-upp/"), {"upplasning-anledning": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#id_upplasning-anledning"
    las_upp = formular(vu.get(url), manad_url(insats, atgard="las-upp/"))
    assert fel_vid_falt(las_upp, "id_upplasning-anledning", "textarea") == [
        "Ange varför månaden låses upp."
    ]
    assert databas() == fore
    response = vu.post(
        manad_url(insats, atgard="las-upp/"), {"upplasning-anledning": "Fel antal män"}
    )
    assert response.status_code == 302
    assert rapport().status == Status.INSKICKAD
    assert vu.post(manad_url(insats, atgard="godkann/")).status_code == 302

    # Registered in Uppföljning Finsam: the date and who did it are recorded and shown.
    response = vu.post(
        manad_url(insats, atgard="registrerad/"), {"registrerad-datum": "2026-11-20"}
    )
    assert response.status_code == 302
    assert rapport().status == Status.REGISTRERAD
    assert rapport().registrerad_datum == dt.date(2026, 11, 20)
    assert rapport().registrerad_av == verksamhetsutvecklare
    sida = ansvarig.get(url)
    sammanfattning = ett(sida, "ul", class_="sammanfattning").ren_text
    assert "Registrerad i Uppföljning Finsam 20/11 2026 av vu" in sammanfattning

    # The history shows each step with old → new, newest first.
    historik = block(sida, '<ol class="historik"', "ol")
    andringar = [li.ren_text for li in element(historik, "li", class_="andring")]
    assert "Nya män: 1 → 2" in andringar
    assert any(a.startswith("Status: ") and " → " in a for a in andringar)
    steg = [
        m.group(1)
        for li in element(historik, "li")
        if "andring" not in li.klasser and (m := HISTORIKSTEG.match(li.ren_text))
    ]
    assert steg == [
        "Registrerad i Uppföljning Finsam",
        "Godkänd",
        "Upplåst",
        "Godkänd",
        "Inskickad",
        "Ändrad",
        "Returnerad",
        "Inskickad",
        "Skapad",
    ]
    assert "Upplåst" in historik and "”Fel antal män”" in historik
    assert "”Stämmer nya män?”" in historik


def _historik_efter_hela_flodet(client, verksamhetsutvecklare, insatsansvarig, insats) -> list[str]:
    """The old → new lines of a month that was created, sent in, approved and registered."""
    client.force_login(insatsansvarig)
    client.post(manad_url(insats), flode(nya_kvinnor="1", skicka_in="1"))
    client.force_login(verksamhetsutvecklare)
    client.post(manad_url(insats, atgard="godkann/"))
    client.post(manad_url(insats, atgard="registrerad/"), {"registrerad-datum": "2026-11-20"})
    assert Manadsrapport.objects.get(insats=insats).status == Status.REGISTRERAD
    sida = client.get(manad_url(insats))
    return [li.ren_text for li in element(sida, "li", class_="andring")]


def test_historiken_visar_gammalt_och_nytt_varde(
    client, verksamhetsutvecklare, insatsansvarig, insats
):
    andringar = _historik_efter_hela_flodet(client, verksamhetsutvecklare, insatsansvarig, insats)
    assert "Nya kvinnor: – → 1" in andringar
    sma = [a.lower() for a in andringar]
    assert "status: – → utkast" in sma
    assert "status: utkast → inskickad" in sma


def test_historiken_visar_status_pa_svenska(client, verksamhetsutvecklare, insatsansvarig, insats):
    andringar = _historik_efter_hela_flodet(client, verksamhetsutvecklare, insatsansvarig, insats)
    assert "status: inskickad → godkänd" in [a.lower() for a in andringar]
    assert not any("godkand" in a for a in andringar)


def test_historiken_visar_datum_som_resten_av_sidan(
    client, verksamhetsutvecklare, insatsansvarig, insats
):
    andringar = _historik_efter_hela_flodet(client, verksamhetsutvecklare, insatsansvarig, insats)
    assert "Registrerad i Uppföljning Finsam: – → 20/11 2026" in andringar


def test_historiken_visar_inga_tomma_andringar(
    client, verksamhetsutvecklare, insatsansvarig, insats
):
    andringar = _historik_efter_hela_flodet(client, verksamhetsutvecklare, insatsansvarig, insats)
    assert not [a for a in andringar if a.endswith("– → –")]


def test_registrerad_kraver_giltigt_datum(client, verksamhetsutvecklare, insats):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.GODKAND)
    client.force_login(verksamhetsutvecklare)
    fore = databas()
    response = client.post(manad_url(insats, atgard="registrerad/"), {"registrerad-datum": "20/11"})
    assert response.status_code == 302
    assert response["Location"] == f"{manad_url(insats)}#id_registrerad-datum"
    form = formular(client.get(manad_url(insats)), manad_url(insats, atgard="registrerad/"))
    assert fel_vid_falt(form, "id_registrerad-datum") == [
        "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20."
    ]
    assert databas() == fore


def test_otillaten_overgang_ger_svenskt_fel_och_andrar_inget(client, verksamhetsutvecklare, insats):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.UTKAST)
    client.force_login(verksamhetsutvecklare)
    fore = databas()
    response = client.post(
        manad_url(insats, atgard="registrerad/"), {"registrerad-datum": "2026-11-20"}
    )
    assert response.status_code == 302
    meddelande = ett(client.get(manad_url(insats)), "div", class_="meddelanden").ren_text
    assert "Månaden har status ”Utkast” och kan inte få status" in meddelande
    assert databas() == fore


def test_granskning_av_manad_som_inte_finns_ger_404(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    assert client.post(manad_url(insats, atgard="godkann/")).status_code == 404
    assert not Manadsrapport.objects.exists()


@pytest.mark.parametrize("adress", ["0/", "13/"])
def test_manad_utanfor_1_till_12_ger_404(client, verksamhetsutvecklare, insats, adress):
    client.force_login(verksamhetsutvecklare)
    assert client.get(f"/registrering/insats/{insats.pk}/2026/{adress}").status_code == 404


def test_manadssidans_id_ar_unika(client, verksamhetsutvecklare, insats):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)
    response = client.get(manad_url(insats))
    ids = [
        e.attrs["id"]
        for tag in ("input", "textarea")
        for e in element(response, tag)
        if "id" in e.attrs
    ]
    assert len(ids) == len(set(ids)), sorted(ids)


# --- 6. The year start (ingående balans) ---------------------------------------------------


@pytest.fixture
def forra_aret(insats):
    """2025 starts with 3 K + 2 M; March adds 2 K + 1 M and ends 1 K: 31/12 2025 = 4 K + 3 M."""
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=3, man=2)
    f.ManadsrapportFactory(
        insats=insats,
        ar=2025,
        manad=3,
        status=Status.GODKAND,
        nya_kvinnor=2,
        nya_man=1,
        avslutade_kvinnor=1,
    )


def test_ingaende_balans_foreslar_forra_decembers_utgaende(
    client, insatsansvarig, insats, forra_aret
):
    client.force_login(insatsansvarig)
    response = client.get(balans_url(insats))
    assert response.status_code == 200
    forslag, status = (dd.ren_text for dd in element(response, "dd"))
    assert forslag == "7 (4 kvinnor, 3 män)"
    assert status == "Inte bekräftad"
    assert (varde(response, "id_kvinnor"), varde(response, "id_man")) == ("4", "3")
    assert etikett(response, "id_anledning") == "Anledning till korrigering"
    assert knappar(response) == ["Bekräfta ingående balans"]


def test_ingaende_balans_bekraftas(client, insatsansvarig, insats, forra_aret):
    client.force_login(insatsansvarig)
    response = client.post(balans_url(insats), {"kvinnor": "4", "man": "3", "anledning": ""})
    assert response.status_code == 302
    balans = IngaendeBalans.objects.get(insats=insats, ar=2026)
    assert (balans.kvinnor, balans.man, balans.bekraftad_av) == (4, 3, insatsansvarig)
    assert not Justering.objects.exists()
    sida = client.get(balans_url(insats))
    _, status = (dd.ren_text for dd in element(sida, "dd"))
    assert status.startswith("Bekräftad ") and status.endswith("av ansvarig: 7 (4 kvinnor, 3 män)")
    # Confirmed, it is read-only to the insatsansvarig (tests/registrering/test_ingaende_balans.py).
    assert knappar(sida) == []


def test_ingaende_balans_som_avviker_kraver_anledning(client, insatsansvarig, insats, forra_aret):
    client.force_login(insatsansvarig)
    fore = databas()

    response = client.post(balans_url(insats), {"kvinnor": "5", "man": "3", "anledning": ""})

    assert response.status_code == 400
    assert fel_vid_falt(response, "id_anledning", "textarea") == [
        "Balansen skiljer sig från förra årets utgående (4 kvinnor, 3 män). Ange anledningen."
    ]
    assert "Anledning till korrigering: Balansen skiljer sig" in html(response)
    assert (varde(response, "id_kvinnor"), varde(response, "id_man")) == ("5", "3")
    assert databas() == fore

    response = client.post(
        balans_url(insats), {"kvinnor": "5", "man": "3", "anledning": "Inventering i januari"}
    )

    assert response.status_code == 302
    balans = IngaendeBalans.objects.get(insats=insats, ar=2026)
    assert (balans.kvinnor, balans.man) == (5, 3)
    justering = Justering.objects.get(insats=insats)
    assert (justering.ar, justering.manad, justering.kvinnor, justering.man) == (2025, 12, 1, 0)
    assert "Inventering i januari" in justering.anledning
    assert justering.skapad_av == insatsansvarig


def test_ingaende_balans_for_volyminsats_finns_inte(client, verksamhetsutvecklare, forbund):
    volym = f.VolyminsatsFactory(forbund=forbund, namn="SIP")
    client.force_login(verksamhetsutvecklare)
    assert client.get(balans_url(volym)).status_code == 404


def test_styrelsen_ser_ingaende_balans_utan_formular(client, styrelse, insats, forra_aret):
    client.force_login(styrelse)
    response = client.get(balans_url(insats))
    assert response.status_code == 200
    assert not element(response, "input", id="id_kvinnor")
    assert knappar(response) == []


# --- 7. Query counts -----------------------------------------------------------------------


def _skapa_insatser(forbund, ansvarig, fran: int, till: int) -> list[Insats]:
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")
    kommun = f.HuvudmanFactory(forbund=forbund, namn=f"Kommun {fran}")
    insatser = []
    for i in range(fran, till):
        insats = f.InsatsFactory(forbund=forbund, namn=f"Insats {i:02}", grupp=grupp)
        insats.insatsansvariga.add(ansvarig)
        f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=2, man=2)
        f.JusteringFactory(insats=insats, ar=2026, manad=7, kvinnor=-1, man=0)
        for manad, status in ((7, Status.GODKAND), (8, Status.INSKICKAD), (9, Status.RETURNERAD)):
            rapport = f.ManadsrapportFactory(
                insats=insats, ar=2026, manad=manad, status=status, nya_kvinnor=1, nya_man=1
            )
            NyaPerHuvudman.objects.create(rapport=rapport, huvudman=kommun, antal=2)
        insatser.append(insats)
    return insatser


def _fragor(client: Client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return html(response), [q["sql"] for q in ctx.captured_queries]


def _jamfor(fa: list[str], manga: list[str]) -> None:
    """Equal counts; otherwise name the queries that were repeated (ids masked)."""
    if len(fa) != len(manga):

        def mask(sql: str) -> str:
            return re.sub(r"\d+", "N", sql)[:300]

        extra = Counter(map(mask, manga)) - Counter(map(mask, fa))
        pytest.fail(
            f"{len(fa)} frågor blev {len(manga)}; fler av:\n"
            + "\n".join(f"{n} × {sql}" for sql, n in extra.items())
        )


@pytest.mark.parametrize(
    ("persona", "sida"),
    [
        ("verksamhetsutvecklare", "/registrering/2026/"),
        ("forbundschef", "/registrering/2026/?grupp={grupp}&inriktning=individ"),
        ("insatsansvarig", "/registrering/2026/"),
        ("insatsansvarig", "/registrering/mina-insatser/"),
        ("verksamhetsutvecklare", "{manad}"),
        ("insatsansvarig", "{manad}"),
        ("verksamhetsutvecklare", "{godkand}"),
        ("verksamhetsutvecklare", "{balans}"),
    ],
)
def test_antal_fragor_ar_detsamma_for_3_och_30_insatser(client, request, forbund, persona, sida):
    user = request.getfixturevalue(persona)
    if persona != "insatsansvarig":
        ansvarig = f.UserFactory(username="ansvarig2", forbund=forbund, roll=Roll.INSATSANSVARIG)
    else:
        ansvarig = user
    forsta = _skapa_insatser(forbund, ansvarig, 0, 3)[0]
    url = sida.format(
        grupp=forsta.grupp_id,
        manad=manad_url(forsta, 9),
        godkand=manad_url(forsta, 7),
        balans=balans_url(forsta),
    )
    client.force_login(user)
    client.get(url)  # warm caches (content types) so both counts start equal

    _, fa = _fragor(client, url)
    _skapa_insatser(forbund, ansvarig, 3, 30)
    sida, manga = _fragor(client, url)

    _jamfor(fa, manga)
    if "/insats/" not in url:
        assert "Insats 29" in sida  # the page did list all 30


def test_antal_fragor_for_last_manad_beror_inte_pa_antal_rader(
    client, forbund, verksamhetsutvecklare, insats, annan_insats
):
    huvudman = [f.HuvudmanFactory(forbund=forbund, namn=f"Huvudman {i}") for i in range(4)]
    anledningar = [f.AvslutsanledningFactory(forbund=forbund) for _ in range(4)]
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=10, man=10)
    f.IngaendeBalansFactory(insats=annan_insats, ar=2026, kvinnor=10, man=10)
    for target, antal in ((insats, 1), (annan_insats, 4)):
        rapport = f.ManadsrapportFactory(
            insats=target,
            ar=2026,
            manad=10,
            status=Status.GODKAND,
            nya_kvinnor=antal,
            avslutade_kvinnor=antal,
        )
        for i in range(antal):
            anledningar[i].insatser.add(target)
            NyaPerHuvudman.objects.create(rapport=rapport, huvudman=huvudman[i], antal=1)
            AvslutadePerAnledning.objects.create(rapport=rapport, anledning=anledningar[i], antal=1)
    client.force_login(verksamhetsutvecklare)
    client.get(manad_url(insats))

    _jamfor(_fragor(client, manad_url(insats))[1], _fragor(client, manad_url(annan_insats))[1])
