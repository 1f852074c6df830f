"""The page Importera och exportera (/data/, registrering.filvyer): import in three steps
(upload, preview, confirm) and export without the Django admin, through the same flow as the
admin's (registrering.importflode)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from registrering import filvyer
from registrering.audit import audit_entries_for
from registrering.formats import CSV, XLSX
from registrering.importlagring import SAKNAS, SESSIONSNYCKEL
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
    User,
)
from registrering.permissions import Roll
from registrering.resources import RESURSER
from tests import factories
from tests.registrering.importhjalp import MANAD_RUBRIK, fil, tillstand

pytestmark = pytest.mark.django_db
Status = Manadsrapport.Status
INSATS_RUBRIK = "Namn;Inriktning;Grupp;Startdatum;Slutdatum"


@pytest.fixture(autouse=True)
def lagring(settings, tmp_path) -> Path:
    settings.FINSAM_IMPORT_TMP_DIR = tmp_path / "importer"
    return settings.FINSAM_IMPORT_TMP_DIR


def klient_for(user: User) -> Client:
    klient = Client()
    klient.force_login(user)
    return klient


@pytest.fixture
def vu_klient(verksamhetsutvecklare) -> Client:
    return klient_for(verksamhetsutvecklare)


def ladda_upp(klient: Client, resurs: str, data: bytes, namn: str = "fil.csv", **extra: Any) -> Any:
    fil_ = io.BytesIO(data)
    fil_.name = namn
    return klient.post(reverse("data:importera"), {"resurs": resurs, "fil": fil_, **extra})


def bekrafta(klient: Client, svar: Any) -> Any:
    """Confirm the preview `svar` offers, as the page's form posts it."""
    form = svar.context["bekrafta_form"]
    assert form is not None, svar.content.decode()
    data = {namn: form[namn].value() for namn in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    return klient.post(reverse("data:bekrafta"), data)


def test_insatser_laddas_upp_forhandsgranskas_och_bekraftas(
    vu_klient, forbund, verksamhetsutvecklare, lagring
):
    data = fil(
        INSATS_RUBRIK, "Steget;Individinriktad;;2025-01-01;", "Bron;Individinriktad;;2025-03-01;"
    )

    svar = ladda_upp(vu_klient, "insats", data, "insatser.csv")

    sida = svar.content.decode()
    assert svar.status_code == 200
    assert "Förhandsgranskning: Insatser" in sida
    assert "2 nya, 0 ändrade, 0 borttagna och 0 oförändrade rader" in sida
    assert sida.count("<td>Ny</td>") == 2
    assert 'style="' not in sida  # the library's diff without its inline styles (the CSP)
    assert not Insats.objects.exists()
    namn = svar.context["bekrafta_form"].initial["namn"]
    assert (lagring / namn).exists()
    assert vu_klient.session[SESSIONSNYCKEL] == [namn]

    klar = bekrafta(vu_klient, svar)

    assert klar.status_code == 302
    assert klar["Location"] == reverse("data:oversikt")
    insatser = Insats.objects.filter(forbund=forbund).order_by("namn")
    assert [i.namn for i in insatser] == ["Bron", "Steget"]
    loggen = AuditEntry.objects.andringar().filter(object_id__in=[str(i.pk) for i in insatser])
    assert {(e.action, e.user_id, e.kommentar) for e in loggen} == {
        (AuditEntry.Action.IMPORTERAD, verksamhetsutvecklare.pk, "Importerad från insatser.csv")
    }
    assert loggen.count() == 2
    assert not (lagring / namn).exists()
    assert vu_klient.session[SESSIONSNYCKEL] == []
    meddelande = vu_klient.get(klar["Location"]).content.decode()
    assert "Importen är klar: 2 nya, 0 ändrade, 0 borttagna och 0 oförändrade rader." in meddelande


def test_godkanda_manader_och_deras_fordelningar_i_ett_svep(
    vu_klient, forbund, insats, verksamhetsutvecklare
):
    """The new förbund's history: months approved, then their breakdowns, nothing unlocked."""
    arbete = factories.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    insats.avslutsanledningar.set([arbete])
    factories.HuvudmanFactory(forbund=forbund, namn="Kommun")
    manader = fil(MANAD_RUBRIK, "Försteg Testby;2025;1;3;0;0;0", "Försteg Testby;2025;2;0;0;2;0")
    svar = ladda_upp(vu_klient, "manadsdata", manader, "manader.csv", godkand="on")
    assert "markeras som godkända och låses" in svar.content.decode()
    assert bekrafta(vu_klient, svar).status_code == 302
    assert set(Manadsrapport.objects.values_list("status", flat=True)) == {Status.GODKAND}

    avslut = fil("Insats;År;Månad;Avslutsanledning;Antal", "Försteg Testby;2025;2;Arbete;2")
    assert (
        bekrafta(vu_klient, ladda_upp(vu_klient, "avslutadeperanledning", avslut)).status_code
        == 302
    )
    nya = fil("Insats;År;Månad;Huvudman;Antal", "Försteg Testby;2025;1;Kommun;3")
    assert bekrafta(vu_klient, ladda_upp(vu_klient, "nyaperhuvudman", nya)).status_code == 302

    assert list(AvslutadePerAnledning.objects.values_list("rapport__manad", "antal")) == [(2, 2)]
    assert list(NyaPerHuvudman.objects.values_list("rapport__manad", "antal")) == [(1, 3)]
    assert set(Manadsrapport.objects.values_list("status", flat=True)) == {Status.GODKAND}


def test_en_rad_for_ett_annat_forbunds_insats_avvisas_vid_sin_rad_och_kolumn(
    vu_klient, forbund, insats, annat_forbund
):
    factories.InsatsFactory(forbund=annat_forbund, namn="Deras insats")
    fore = tillstand()
    data = fil(
        f"{MANAD_RUBRIK};Förbund",
        "Försteg Testby;2025;1;1;0;0;0;STB",
        "Deras insats;2025;1;1;0;0;0;SAS",
        "Deras insats;2025;2;1;0;0;0;STB",
    )

    svar = ladda_upp(vu_klient, "manadsdata", data)

    sida = svar.content.decode()
    assert svar.context["bekrafta_form"] is None
    assert "Fel i filen – inget har sparats" in sida
    fel = {
        (rad.number + 1, kolumn, text)
        for rad in svar.context["result"].invalid_rows
        for kolumn, texter in rad.field_specific_errors.items()
        for text in texter
    }
    assert fel == {
        (
            3,
            "Förbund",
            "Du hör inte till Samordningsförbundet Annanstans och kan inte importera till det "
            "förbundet.",
        ),
        (4, "Insats", "Okänd insats ”Deras insats” i Samordningsförbundet Testbygden."),
    }
    assert "<strong>Förbund:</strong> Du hör inte till" in sida
    assert tillstand() == fore
    assert vu_klient.session.get(SESSIONSNYCKEL, []) == []


def test_en_fil_som_inte_gar_att_lasa_far_sitt_fel_vid_faltet(vu_klient, lagring):
    svar = ladda_upp(vu_klient, "insats", b"\x00\x01\x02binar", "insatser.csv")

    assert svar.status_code == 200
    assert svar.context["form"].errors["fil"]
    assert "Filen är inte en textfil (CSV)" in svar.context["form"].errors["fil"][0]
    assert not lagring.exists() or not any(lagring.iterdir())


def test_ett_okant_filformat_maste_valjas(vu_klient):
    svar = ladda_upp(vu_klient, "insats", b"Namn\r\n", "insatser.txt")

    assert svar.context["form"].errors["format"] == [
        "Välj filformat: filens namn slutar inte på .xlsx eller .csv."
    ]


def test_bekraftelse_utan_sessionens_forhandsgranskning_avvisas(
    vu_klient, verksamhetsutvecklare, forbund, lagring
):
    data = fil(INSATS_RUBRIK, "Steget;Individinriktad;;2025-01-01;")
    svar = ladda_upp(vu_klient, "insats", data)
    form = svar.context["bekrafta_form"]
    post = {"namn": form["namn"].value()}
    annan_session = klient_for(verksamhetsutvecklare)  # the same user, another session

    nekad = annan_session.post(reverse("data:bekrafta"), post)
    pahittad = vu_klient.post(reverse("data:bekrafta"), {**post, "namn": "0" * 32})

    for svar_ in (nekad, pahittad):
        assert svar_.status_code == 302
        assert svar_["Location"] == reverse("data:importera")
    assert SAKNAS in annan_session.get(reverse("data:importera")).content.decode()
    assert not Insats.objects.exists()
    assert (lagring / post["namn"]).exists()  # the uploader can still confirm it
    assert bekrafta(vu_klient, svar).status_code == 302
    assert Insats.objects.filter(forbund=forbund, namn="Steget").exists()
    again = vu_klient.post(reverse("data:bekrafta"), post)
    assert again["Location"] == reverse("data:importera")  # confirmed once only
    assert Insats.objects.count() == 1


def test_bekraftelsen_godkanner_inte_det_som_forhandsgranskades_utan_godkannande(vu_klient, insats):
    manader = fil(MANAD_RUBRIK, "Försteg Testby;2025;1;3;0;0;0")
    svar = ladda_upp(vu_klient, "manadsdata", manader, "manader.csv")
    assert "markeras som godkända" not in svar.content.decode()
    namn = svar.context["bekrafta_form"].initial["namn"]

    klar = vu_klient.post(
        reverse("data:bekrafta"),
        {"namn": namn, "resurs": "manadsdata", "format": "csv", "godkand": "on"},
    )

    assert klar.status_code == 302
    assert list(Manadsrapport.objects.values_list("insats", "manad", "status")) == [
        (insats.pk, 1, Status.INSKICKAD)
    ]


def test_bekraftelsen_importerar_filen_som_den_resurs_den_forhandsgranskades_som(
    vu_klient, forbund, insats
):
    """A file previewed as insatser, confirmed with another resource posted: imported as
    insatser (the session's record), not as months."""
    data = fil(INSATS_RUBRIK, "Steget;Individinriktad;;2025-01-01;")
    svar = ladda_upp(vu_klient, "insats", data, "insatser.csv")
    namn = svar.context["bekrafta_form"].initial["namn"]

    klar = vu_klient.post(
        reverse("data:bekrafta"),
        {"namn": namn, "resurs": "manadsdata", "format": "xlsx", "filnamn": "annan.csv"},
    )

    assert klar["Location"] == reverse("data:oversikt")
    assert Insats.objects.filter(forbund=forbund, namn="Steget").exists()
    assert not Manadsrapport.objects.exists()
    rad = audit_entries_for(Insats.objects.get(namn="Steget")).get()
    assert rad.kommentar == "Importerad från insatser.csv"


def test_en_stor_fil_importeras_i_kon_och_statussidan_ar_uppladdarens(
    vu_klient, insats, forbundschef, settings
):
    settings.FINSAM_IMPORT_KO_RADER = 2
    data = fil(MANAD_RUBRIK, *(f"Försteg Testby;2025;{m};2;1;0;0" for m in (1, 2, 3)))

    svar = bekrafta(vu_klient, ladda_upp(vu_klient, "manadsdata", data, "manader.csv"))

    assert svar.status_code == 302
    jobb_id = svar["Location"].rstrip("/").rsplit("/", 1)[1]
    assert svar["Location"] == reverse("data:jobb", args=[jobb_id])
    assert Manadsrapport.objects.filter(insats=insats).count() == 3
    sida = vu_klient.get(svar["Location"]).content.decode()
    assert "Importen är klar: 3 nya, 0 ändrade, 0 borttagna och 0 oförändrade rader." in sida
    assert klient_for(forbundschef).get(svar["Location"]).status_code == 404


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_exporten_har_bara_forbundets_egna_rader(
    vu_klient, forbund, insats, annat_forbund, format_
):
    factories.InsatsFactory(forbund=annat_forbund, namn="Deras insats")

    svar = vu_klient.get(reverse("data:export", args=["insats", format_]))

    assert svar.status_code == 200
    assert "attachment" in svar["Content-Disposition"]
    fmt = CSV() if format_ == "csv" else XLSX()
    data = fmt.create_dataset(svar.content)
    assert list(data["Namn"]) == ["Försteg Testby"]
    # The rows are the förbund's own: no Förbund column, even with two förbund installed.
    assert "Förbund" not in data.headers


def test_mallen_har_bara_rubrikerna(vu_klient, insats):
    svar = vu_klient.get(reverse("data:mall", args=["manadsdata", "csv"]))

    assert svar.status_code == 200
    rader = svar.content.decode("utf-8-sig").splitlines()
    assert rader == [MANAD_RUBRIK]


def test_listan_har_varje_resurs_i_importordningen(vu_klient):
    svar = vu_klient.get(reverse("data:oversikt"))

    sida = svar.content.decode()
    positioner = [
        sida.index(reverse("data:export", args=[p.slug, "csv"])) for p in svar.context["poster"]
    ]
    assert positioner == sorted(positioner)
    assert len(svar.context["poster"]) == len(RESURSER)
    assert "Insatser" in sida
    assert reverse("data:mall", args=["insats", "xlsx"]) in sida


def test_namnen_i_listan_har_hela_parenteser():
    """A docstring's parenthesis that holds a colon ("… och månad (valfri: …)") is the
    description, not a name cut off in the middle."""
    poster = {p.slug: p for p in filvyer.poster()}

    assert poster["nyaperhuvudman"].rubrik == "Nya per huvudman och månad"
    assert poster["nyaperhuvudman"].text == "Valfri: utan den visas de som ej angiven."
    assert poster["insats"].rubrik == "Insatser"
    assert all(p.rubrik.count("(") == p.rubrik.count(")") for p in poster.values())


def test_okand_resurs_eller_format_ger_404(vu_klient):
    assert vu_klient.get(reverse("data:export", args=["finnsinte", "csv"])).status_code == 404
    assert vu_klient.get(reverse("data:mall", args=["insats", "pdf"])).status_code == 404


def _adresser() -> list[tuple[str, str, list[str]]]:
    return [
        ("get", "data:oversikt", []),
        ("get", "data:importera", []),
        ("post", "data:importera", []),
        ("post", "data:bekrafta", []),
        ("get", "data:mall", ["insats", "csv"]),
        ("get", "data:export", ["insats", "csv"]),
        ("get", "data:jobb", ["0" * 32]),
    ]


@pytest.mark.parametrize(("metod", "namn", "args"), _adresser())
@pytest.mark.parametrize("roll", [Roll.STYRELSE, Roll.INSATSANSVARIG, None])
def test_bara_kansliet_far_anvanda_sidan(forbund, metod, namn, args, roll):
    user = factories.UserFactory(
        username="annan", forbund=forbund if roll else None, roll=roll, is_staff=True
    )
    svar = getattr(klient_for(user), metod)(reverse(namn, args=args))
    assert svar.status_code == 403


@pytest.mark.parametrize(("metod", "namn", "args"), _adresser())
def test_anonym_skickas_till_inloggningen(client, metod, namn, args):
    svar = getattr(client, metod)(reverse(namn, args=args))
    assert svar.status_code == 302
    assert svar["Location"].startswith(reverse("login"))


def test_forbundschefen_far_anvanda_sidan(forbund):
    chef = factories.UserFactory(username="c", forbund=forbund, roll=Roll.FORBUNDSCHEF)
    assert klient_for(chef).get(reverse("data:oversikt")).status_code == 200


def test_oversikten_lankar_till_sidan_for_kansliet(vu_klient, styrelse):
    lank = reverse("data:oversikt")
    assert lank in vu_klient.get(reverse("registrering:oversikt")).content.decode()
    assert lank not in klient_for(styrelse).get(reverse("registrering:oversikt")).content.decode()


def test_bada_dorrarnas_forhandsgranskning_visar_resursernas_antal_rader(vu_klient, monkeypatch):
    """The product's page and the admin show as many rows as the resource gives values
    (`resources.bas.VISADE_RADER`, here 2 of 3), and count the rest, from one number."""
    from registrering.resources import bas

    monkeypatch.setattr(bas, "VISADE_RADER", 2)
    data = fil(
        INSATS_RUBRIK,
        "Steget;Individinriktad;;2025-01-01;",
        "Bron;Individinriktad;;2025-03-01;",
        "Leden;Individinriktad;;2025-04-01;",
    )

    sida = ladda_upp(vu_klient, "insats", data, "insatser.csv").content.decode()
    assert sida.count("<td>Ny</td>") == 2
    assert "1 rader till importeras" in sida

    fil_ = io.BytesIO(data)
    fil_.name = "insatser.csv"
    admin = vu_klient.post(
        reverse("admin:registrering_insats_import"),
        {"resource": "0", "format": "0", "import_file": fil_},
    ).content.decode()
    assert admin.count('<td class="import-type">Ny</td>') == 2
    assert "Visar de första 2 raderna av 3." in admin
    assert not Insats.objects.exists()
