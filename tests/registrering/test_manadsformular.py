"""The month form helps: a draft is saved half done and says what is left, every error of a
post is shown in one round, a sum's error sits at its group, pågående below zero is an error,
the review's forms stay at the month's address, and Godkänn leads on to the next month."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.models import Manadsrapport
from tests import factories as f
from tests.registrering.test_views import (
    IDAG,
    block,
    databas,
    element,
    ett,
    fel_vid_falt,
    flode,
    formular,
    html,
    lanktexter,
    manad_url,
)

pytestmark = pytest.mark.django_db
Status = Manadsrapport.Status
FEL_HUVUDMAN = "Fördelningen per huvudman (1) stämmer inte med antalet nya (2)."


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


@pytest.fixture
def kommun(forbund):
    return f.HuvudmanFactory(forbund=forbund, namn="Kommun", ordning=1)


@pytest.fixture
def arbete(forbund, insats):
    arbete = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    arbete.insatser.add(insats)
    return arbete


def skicka_in(**andringar: str) -> dict[str, str]:
    data = flode(**andringar)
    del data["spara"]
    return {**data, "skicka_in": "1"}


def grupp(source, legend_id: str) -> str:
    """The HTML of the fieldset whose legend has `legend_id`."""
    match = re.search(
        rf'<fieldset[^>]*>\s*<legend id="{legend_id}">.*?</fieldset>', html(source), re.S
    )
    assert match, f"ingen grupp {legend_id}"
    return match.group(0)


# --- A draft ------------------------------------------------------------------------------


def test_spara_behaller_ett_halvklart_utkast_och_sager_vad_som_ar_kvar(
    client, insatsansvarig, insats, kommun, arbete
):
    client.force_login(insatsansvarig)
    url = manad_url(insats)

    response = client.post(
        url, flode(nya_kvinnor="2", nya_man="", **{f"huvudman_{kommun.pk}": "1"})
    )

    assert response.status_code == 302
    rapport = Manadsrapport.objects.get(insats=insats)
    assert (rapport.status, rapport.nya_kvinnor, rapport.nya_man) == (Status.UTKAST, 2, 0)
    assert [(r.huvudman, r.antal) for r in rapport.nya_huvudman.all()] == [(kommun, 1)]
    sida = client.get(url)
    assert ett(sida, "div", class_="meddelanden").ren_text == (
        "Försteg Testby, oktober 2026 är sparad. Tomma fält sparades som 0: nya män."
    )
    # What blocks "Skicka in" is listed at the top, linked to the group, and said at the group.
    ruta = ett(sida, "div", class_="varningsruta")
    assert "Kvar innan månaden kan skickas in" in ruta.ren_text
    assert lanktexter(sida)[FEL_HUVUDMAN] == "#grupp-nya_huvudman"
    fieldset = grupp(sida, "grupp-nya_huvudman")
    assert 'aria-describedby="grupp-nya_huvudman-varning1"' in fieldset
    assert ett(fieldset, "p", id="grupp-nya_huvudman-varning1").ren_text == FEL_HUVUDMAN
    assert ett(sida, "input", id=f"id_huvudman_{kommun.pk}").attrs["value"] == "1"

    # Sending it in as it is is refused, with the message at the group; nothing changes.
    fore = databas()
    response = client.post(
        url,
        skicka_in(version=str(rapport.version), nya_kvinnor="2", **{f"huvudman_{kommun.pk}": "1"}),
    )
    assert response.status_code == 400
    assert databas() == fore


def test_ett_helt_utkast_visar_inget_som_ar_kvar(client, insatsansvarig, insats, kommun):
    client.force_login(insatsansvarig)
    client.post(manad_url(insats), flode(nya_kvinnor="2", **{f"huvudman_{kommun.pk}": "2"}))
    sida = client.get(manad_url(insats))
    assert not element(sida, "div", class_="varningsruta")
    assert ett(sida, "div", class_="meddelanden").ren_text == (
        "Försteg Testby, oktober 2026 är sparad."
    )


# --- Every error in one round -------------------------------------------------------------


def test_alla_fel_visas_i_en_omgang(client, insatsansvarig, insats, kommun):
    """An empty count, an unreadable count, the flow and a sum: all in the first answer."""
    client.force_login(insatsansvarig)
    fore = databas()

    response = client.post(
        manad_url(insats),
        skicka_in(
            nya_kvinnor="2",
            nya_man="",
            avslutade_kvinnor="5",
            avslutade_man="1,5",
            **{f"huvudman_{kommun.pk}": "1"},
        ),
    )

    assert response.status_code == 400
    assert fel_vid_falt(response, "id_nya_man") == ["Nya män: Fyll i ett antal (0 om inga)."]
    assert fel_vid_falt(response, "id_avslutade_man") == [
        "Avslutade män: Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”)."
    ]
    assert fel_vid_falt(response, "id_avslutade_kvinnor") == [
        "Fler avslutade kvinnor (5) än det fanns deltagare att avsluta "
        "(0 pågående vid månadens början + 2 nya)."
    ]
    # The summary lists them in the order of the page, each linked to where it is.
    sammanfattning = block(response, '<div class="felruta"', "div")
    lankar = [(a.attrs["href"], a.ren_text) for a in element(sammanfattning, "a")]
    assert lankar == [
        ("#id_nya_man", "Nya män: Fyll i ett antal (0 om inga)."),
        (
            "#id_avslutade_kvinnor",
            "Avslutade kvinnor: Fler avslutade kvinnor (5) än det fanns deltagare att avsluta "
            "(0 pågående vid månadens början + 2 nya).",
        ),
        (
            "#id_avslutade_man",
            "Avslutade män: Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”).",
        ),
        ("#grupp-nya_huvudman", FEL_HUVUDMAN),
    ]
    assert databas() == fore


def test_en_summas_fel_sitter_vid_gruppen(client, insatsansvarig, insats, kommun, arbete):
    client.force_login(insatsansvarig)

    response = client.post(
        manad_url(insats),
        skicka_in(nya_kvinnor="2", **{f"huvudman_{kommun.pk}": "1"}),
    )

    assert response.status_code == 400
    fieldset = grupp(response, "grupp-nya_huvudman")
    # Under the legend, describing the whole group; not at the group's first field.
    assert 'aria-describedby="grupp-nya_huvudman-fel1"' in fieldset
    fel = ett(fieldset, "p", id="grupp-nya_huvudman-fel1")
    assert (fel.ren_text, fel.klasser) == (FEL_HUVUDMAN, ["fel"])
    assert fieldset.index('id="grupp-nya_huvudman-fel1"') < fieldset.index('class="rutnat"')
    falt = ett(response, "input", id=f"id_huvudman_{kommun.pk}")
    assert "aria-invalid" not in falt.attrs
    assert FEL_HUVUDMAN not in html(grupp(response, "grupp-avslut"))
    assert lanktexter(response)[FEL_HUVUDMAN] == "#grupp-nya_huvudman"


def test_faltens_fel_star_under_gruppens_rubrik_och_beskriver_faltet(
    client, insatsansvarig, insats
):
    """A field in the grid is narrow: its message is shown under the legend, as wide as the
    group, and still describes the field."""
    client.force_login(insatsansvarig)
    response = client.post(manad_url(insats), flode(nya_man="1,5"))
    fieldset = grupp(response, "grupp-flode")
    meddelanden = block(fieldset, '<div class="gruppmeddelanden"', "div")
    assert ett(meddelanden, "p", id="id_nya_man-fel1").ren_text == (
        "Nya män: Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”)."
    )
    falt = block(fieldset, '<div class="falt">\n  <label for="id_nya_man"', "div")
    assert 'class="fel"' not in falt
    assert ett(response, "input", id="id_nya_man").attrs["aria-describedby"] == "id_nya_man-fel1"


def test_antalsfalten_ber_om_siffror(client, insatsansvarig, insats, kommun, arbete):
    client.force_login(insatsansvarig)
    sida = client.get(manad_url(insats))
    for namn in (
        "nya_kvinnor",
        "nya_man",
        "avslutade_kvinnor",
        "avslutade_man",
        f"huvudman_{kommun.pk}",
        f"avslut_{arbete.pk}",
    ):
        falt = ett(sida, "input", id=f"id_{namn}")
        assert (falt.attrs["inputmode"], falt.attrs["pattern"]) == ("numeric", "[0-9 ]*")
    # "1 873" is a count; "1,5" is refused, and never read as 15.
    response = client.post(manad_url(insats), flode(nya_kvinnor="1 873", nya_man="1,5"))
    assert response.status_code == 400
    assert ett(response, "input", id="id_nya_kvinnor").attrs["value"] == "1 873"
    assert "aria-invalid" not in ett(response, "input", id="id_nya_kvinnor").attrs
    assert not Manadsrapport.objects.exists()
    client.post(manad_url(insats), flode(nya_kvinnor="1 873"))
    assert Manadsrapport.objects.get(insats=insats).nya_kvinnor == 1873


# --- Pågående below zero ------------------------------------------------------------------


def test_negativ_pagaende_visas_som_fel(client, insatsansvarig, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=1, man=0)
    client.force_login(insatsansvarig)
    response = client.post(manad_url(insats), flode(avslutade_kvinnor="3"))
    assert response.status_code == 400
    slut = ett(response, "dd", id="slut")
    assert (slut.ren_text, slut.klasser) == ("−2 (−2 kvinnor, 0 män)", ["negativ"])
    live = ett(response, "div", id="slut-fel")
    assert live.attrs["aria-live"] == "polite"
    assert live.ren_text == (
        "Pågående kvinnor blir −2: fler avslutade än det fanns deltagare att avsluta."
    )
    assert ett(block(response, '<div id="slut-fel"', "div"), "p").klasser == ["fel"]

    sida = client.get(manad_url(insats))  # nothing saved, nothing below zero
    assert "negativ" not in ett(sida, "dd", id="slut").klasser
    assert ett(sida, "div", id="slut-fel").ren_text == ""


# --- The review ---------------------------------------------------------------------------


def test_returnera_utan_kommentar_stannar_pa_manadens_adress(client, verksamhetsutvecklare, insats):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)
    fore = databas()

    response = client.post(manad_url(insats, atgard="returnera/"), {"retur-kommentar": " "})

    assert response.status_code == 302
    assert response["Location"] == f"{manad_url(insats)}#id_retur-kommentar"
    sida = client.get(manad_url(insats))
    retur = formular(sida, manad_url(insats, atgard="returnera/"))
    assert fel_vid_falt(retur, "id_retur-kommentar", "textarea") == [
        "Skriv vad som behöver rättas."
    ]
    assert databas() == fore
    # Shown once: the next visit has a clean form.
    igen = formular(client.get(manad_url(insats)), manad_url(insats, atgard="returnera/"))
    assert 'class="fel"' not in igen


def test_ett_sparat_granskningsformular_visas_bara_for_sin_manad(
    client, verksamhetsutvecklare, insats
):
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=9, status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)
    client.post(manad_url(insats, atgard="returnera/"), {"retur-kommentar": ""})
    september = client.get(manad_url(insats, 9))
    assert 'class="fel"' not in formular(september, manad_url(insats, 9, atgard="returnera/"))


def test_godkann_lankar_till_nasta_manad_som_vantar(
    client, verksamhetsutvecklare, insats, annan_insats, annat_forbund
):
    for manad, vem in ((10, insats), (9, annan_insats), (10, annan_insats)):
        f.ManadsrapportFactory(insats=vem, ar=2026, manad=manad, status=Status.INSKICKAD)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=8, status=Status.UTKAST)
    annans = f.InsatsFactory(forbund=annat_forbund, namn="Annanstans")
    f.ManadsrapportFactory(insats=annans, ar=2026, manad=1, status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)

    def godkann(vem, manad: int) -> tuple[str, dict[str, str]]:
        response = client.post(manad_url(vem, manad, atgard="godkann/"))
        assert response.status_code == 302
        sida = client.get(response["Location"])
        return ett(sida, "div", class_="meddelanden").ren_text, lanktexter(sida)

    # The month that has waited longest comes next: September before October.
    text, lankar = godkann(insats, 10)
    assert text == (
        "Försteg Testby, oktober 2026 är godkänd och låst. "
        "Nästa att granska: Försteg Grannby, september 2026."
    )
    assert lankar["Försteg Grannby, september 2026"] == manad_url(annan_insats, 9)
    text, lankar = godkann(annan_insats, 9)
    assert text.endswith("Nästa att granska: Försteg Grannby, oktober 2026.")
    assert lankar["Försteg Grannby, oktober 2026"] == manad_url(annan_insats, 10)
    # The last one: none wait (a draft does not, nor another förbund's month).
    text, _lankar = godkann(annan_insats, 10)
    assert text == (
        "Försteg Grannby, oktober 2026 är godkänd och låst. Inga fler månader väntar på granskning."
    )


def test_godkann_av_ett_halvklart_utkast_sager_varfor_inte(
    client, insatsansvarig, verksamhetsutvecklare, insats, kommun
):
    client.force_login(insatsansvarig)
    client.post(manad_url(insats), flode(nya_kvinnor="2", **{f"huvudman_{kommun.pk}": "1"}))
    client.force_login(verksamhetsutvecklare)
    sida = client.get(manad_url(insats))
    assert "Kvar innan månaden kan skickas in" in ett(sida, "div", class_="varningsruta").ren_text

    response = client.post(manad_url(insats, atgard="godkann/"))

    assert response.status_code == 302
    sida = client.get(manad_url(insats))
    assert ett(sida, "div", class_="meddelanden").ren_text == (
        f"Försteg Testby, oktober 2026 kan inte godkännas än: {FEL_HUVUDMAN}"
    )
    assert Manadsrapport.objects.get(insats=insats).status == Status.UTKAST


def test_justeringens_fel_star_under_falten_och_beskriver_dem(
    client, verksamhetsutvecklare, insats
):
    client.force_login(verksamhetsutvecklare)
    response = client.post(
        manad_url(insats, atgard="justering/"),
        {"justering-kvinnor": "-5", "justering-man": "1,5", "justering-anledning": "Inventering"},
    )
    assert response.status_code == 400
    justering = formular(response, manad_url(insats, atgard="justering/"))
    meddelanden = block(justering, '<div class="gruppmeddelanden"', "div")
    assert ett(meddelanden, "p", id="id_justering-man-fel1").ren_text == (
        "Ändring män: Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”)."
    )
    assert fel_vid_falt(justering, "id_justering-man") == [
        "Ändring män: Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”)."
    ]


def test_ett_oforandrat_formular_skriver_inget_och_lika_manga_fragor(
    client, insatsansvarig, insats, annan_insats, kommun, arbete
):
    """The load test's save: the form sent again as it is. It is answered with the redirect
    without writing the month, its breakdowns, an audit row or a data version (the rules are
    still tried), and in as many queries with one insats more."""
    client.force_login(insatsansvarig)
    url = manad_url(insats)
    data = flode(nya_kvinnor="2", **{f"huvudman_{kommun.pk}": "2"})
    assert client.post(url, data).status_code == 302
    rapport = Manadsrapport.objects.get(insats=insats)

    def spara_igen() -> list[str]:
        with CaptureQueriesContext(connection) as fragor:
            response = client.post(url, {**data, "version": str(rapport.version)})
        assert response.status_code == 302
        return [q["sql"] for q in fragor.captured_queries]

    fore = databas()
    satser = spara_igen()
    assert databas() == fore
    skrivna = [s for s in satser if s.split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert all("django_session" in s for s in skrivna), skrivna
    annan_insats.insatsansvariga.add(insatsansvarig)
    f.ManadsrapportFactory(insats=annan_insats, ar=2026, manad=10)
    assert len(spara_igen()) == len(satser)
