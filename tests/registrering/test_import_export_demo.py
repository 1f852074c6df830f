"""Import and export with the demo förbund: round trips for every resource, the example files,
the underlag, the commands and the admin. The demo data is loaded once for the module; each test
runs in a savepoint of its own."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from rapporter.arsdata import arsdata
from rapporter.export import FORBUND_KOLUMNER, UNDERLAG_KOLUMNER, underlag_uppfoljning_finsam
from rapporter.underlag import underlag
from registrering import demodata, resources
from registrering.audit import audit_entries_for
from registrering.formats import CSV, XLSX
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    BudgeteradVolym,
    Enkattillfalle,
    Forbund,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Insatsgrupp,
    Justering,
    Manadsrapport,
    Medlem,
    NyaPerHuvudman,
    User,
)
from tests.registrering.importhjalp import (
    FIXTURES,
    IDAG,
    MANAD_RUBRIK,
    Status,
    exportera,
    fil,
    importera,
    meddelanden,
    tillstand,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demoforbund(django_db_setup, django_db_blocker):
    """Samordningsförbundet Västra Östergötland with 2025 and 2026 (the only förbund), loaded
    once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demodata.ladda(idag=IDAG).pk
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demoforbund, db):
    return Forbund.objects.get(pk=_demoforbund)


@pytest.fixture
def vu(demo):
    return User.objects.get(username="verksamhetsutvecklare")


# --- round trip: export → empty → import gives identical data, for every resource -------------


#: What a resource's rows refer to, beside the insatser: imported again first.
BEROENDEN = {
    resources.AvslutadePerAnledningResource: [resources.ManadsdataResource],
    resources.NyaPerHuvudmanResource: [resources.ManadsdataResource],
}


def _tom(resurs, forbund):
    """Delete what `resurs` exports (and what depends on it), keeping what it refers to."""
    if resurs in BEROENDEN:
        # A breakdown belongs to its month: the (approved, locked) months go too.
        Manadsrapport.objects.filter(insats__forbund=forbund, volym__isnull=True).delete()
    elif resurs is resources.InsatsResource:
        Insats.objects.filter(forbund=forbund).delete()
        Insatsgrupp.objects.filter(forbund=forbund).delete()
    elif resurs is resources.ManadsdataResource:
        Manadsrapport.objects.filter(insats__forbund=forbund, volym__isnull=True).delete()
    elif resurs is resources.VolymdataResource:
        Manadsrapport.objects.filter(insats__forbund=forbund, volym__isnull=False).delete()
    elif resurs is resources.EnkatsvarResource:
        Enkattillfalle.objects.filter(forbund=forbund).delete()
    elif resurs is resources.HuvudmanResource:
        NyaPerHuvudman.objects.filter(rapport__insats__forbund=forbund).delete()
        IngaendeBalansHuvudman.objects.filter(balans__insats__forbund=forbund).delete()
        Huvudman.objects.filter(forbund=forbund).delete()
    elif resurs is resources.AvslutsanledningResource:
        AvslutadePerAnledning.objects.filter(rapport__insats__forbund=forbund).delete()
        Avslutsanledning.objects.filter(forbund=forbund).delete()
    elif resurs is resources.MedlemResource:
        # The insatser stay; the member that runs them goes with the members.
        Insats.objects.filter(forbund=forbund).update(utforande_medlem=None)
        Medlem.objects.filter(forbund=forbund).delete()
    elif resurs is resources.ForbundstextResource:
        Forbund.objects.filter(pk=forbund.pk).update(bakgrund_text="", metod_text="")
        return
    elif resurs is resources.AvslutsanledningKategoriResource:
        # The import sets only the category of the förbund's reasons: it is what is emptied.
        Avslutsanledning.objects.filter(forbund=forbund).update(kategori="annat")
        return
    else:
        model = resurs._meta.model
        model.objects.filter(**{resurs.forbund_via: forbund}).delete()


#: Exported only (the national lists): an import is refused.
BARA_EXPORT = [r for r in resources.RESURSER if getattr(r, "bara_export", False)]
#: One row per förbund (its texts): emptied, not removed.
EN_RAD = (resources.AvslutsanledningKategoriResource, resources.ForbundstextResource)
IMPORTERBARA = [r for r in resources.RESURSER if r not in BARA_EXPORT]


@pytest.mark.parametrize("resurs", BARA_EXPORT, ids=lambda r: r.__name__)
def test_en_nationell_lista_exporteras_men_importeras_inte(demo, vu, resurs):
    fore = exportera(resurs, vu)
    assert fore.count(b"\r\n") > 2
    assert meddelanden(importera(resurs, fore, vu)) == [resources.katalog.BARA_EXPORT]
    assert exportera(resurs, vu) == fore


def _medfinansiar(demo, vu):
    """A second förbund that co-finances one of the demo's insatser: the demo has one förbund,
    so it has no co-financing of its own (issue 14, point 3)."""
    from registrering.services.samfinansiering import medfinansiering_spara

    finnveden = Forbund.objects.create(namn="Finnvedens samordningsförbund", kortnamn="FIN")
    for ar, andel in ((2025, "25"), (2026, "12.5")):
        medfinansiering_spara(
            user=vu,
            insats=Insats.objects.get(forbund=demo, namn="Försteg Motala"),
            finansiar=finnveden,
            ar=ar,
            belopp=200_000,
            andel=andel,
        )
    return finnveden


@pytest.mark.parametrize("resurs", IMPORTERBARA, ids=lambda r: r.__name__)
def test_export_tom_databas_import_ger_samma_data(demo, vu, resurs):
    if resurs is resources.MedfinansieringResource:
        _medfinansiar(demo, vu)
    fore = exportera(resurs, vu)
    beroenden = {b: exportera(b, vu) for b in BEROENDEN.get(resurs, [])}
    assert fore.count(b"\r\n") >= (2 if resurs in EN_RAD else 3), "demodata has rows"
    _tom(resurs, demo)
    if resurs not in EN_RAD:
        assert exportera(resurs, vu).count(b"\r\n") == 1  # the header only

    for beroende, data in beroenden.items():
        assert meddelanden(importera(beroende, data, vu)) == []
    result = importera(resurs, fore, vu)

    assert meddelanden(result) == []
    assert exportera(resurs, vu) == fore
    assert AuditEntry.objects.filter(action="importerad").count() >= result.totals["new"]


def test_hela_forbundets_data_tur_och_retur(demo, vu):
    """Everything but the insatser out, the database emptied, everything back in order."""
    _medfinansiar(demo, vu)
    data_resurser = [r for r in IMPORTERBARA if r is not resources.InsatsResource]
    fore = {r: exportera(r, vu) for r in data_resurser}
    Manadsrapport.objects.all().delete()
    for model in (IngaendeBalans, Justering, BudgeteradVolym, Enkattillfalle):
        model.objects.all().delete()
    resources.ArstotalResource._meta.model.objects.all().delete()

    for resurs in data_resurser:
        assert meddelanden(importera(resurs, fore[resurs], vu)) == [], resurs.__name__

    for resurs in data_resurser:
        assert exportera(resurs, vu) == fore[resurs], resurs.__name__


# --- example files ----------------------------------------------------------------------------

EXEMPEL = [
    (resources.HuvudmanResource, "huvudman.csv"),
    (resources.AvslutsanledningResource, "avslutsanledningar.csv"),
    (resources.ForbundstextResource, "texter.csv"),
    (resources.MedlemResource, "medlemmar.csv"),
    (resources.InsatsResource, "insatser.csv"),
    (resources.IngaendeBalansResource, "ingaende_balans.csv"),
    (resources.ManadsdataResource, "manadsdata.csv"),
    (resources.AvslutadePerAnledningResource, "avslutade_per_anledning.csv"),
    (resources.NyaPerHuvudmanResource, "nya_per_huvudman.csv"),
    (resources.VolymdataResource, "volymdata.csv"),
    (resources.ArstotalResource, "arstotaler.csv"),
    (resources.BudgeteradVolymResource, "budgeterad_volym.csv"),
    (resources.EnkatsvarResource, "enkatsvar.csv"),
    (resources.JusteringResource, "justeringar.csv"),
    (resources.VerksamhetsplanResource, "verksamhetsplan.csv"),
    (resources.KostnadspostResource, "kostnadsposter.csv"),
    (resources.UtfallResource, "utfall.csv"),
    (resources.KommentarResource, "kommentarer.csv"),
    (resources.AvslutsanledningKategoriResource, "utfallskategorier.csv"),
    (resources.UtfallsmalResource, "utfallsmal.csv"),
    (resources.EffektnyckeltalResource, "nyckeltal_enkel.csv"),
    (resources.ErsattningsnyckeltalResource, "ersattningar.csv"),
    (resources.InkomstnyckeltalResource, "inkomstsida.csv"),
    (resources.ForflyttningResource, "forflyttningar.csv"),
]


def test_exempelfilerna_finns_for_varje_resurs_och_kan_lasas_in_tva_ganger(demo, vu):
    # Medfinansieringar need a second förbund, which makes the Förbund column required in every
    # file: its example is read in a test of its own.
    assert {r for r, _f in EXEMPEL} | {resources.MedfinansieringResource} == set(IMPORTERBARA)
    for resurs, namn in EXEMPEL:
        data = (FIXTURES / namn).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.split(b"\r\n")[0]
        result = importera(resurs, data, vu)
        assert meddelanden(result) == [], namn
        assert result.totals["new"] + result.totals["update"] > 0, namn

    fore = tillstand()
    for resurs, namn in [*EXEMPEL, (resources.ManadsdataResource, "manadsdata.xlsx")]:
        format = XLSX if namn.endswith(".xlsx") else CSV
        igen = importera(resurs, (FIXTURES / namn).read_bytes(), vu, format=format)
        assert meddelanden(igen) == [] and igen.totals["skip"] == igen.total_rows, namn
    assert tillstand() == fore
    vaderstad = Insats.objects.get(namn="Försteg Väderstad")
    assert sorted(m.namn for m in vaderstad.malgrupper.all()) == ["Långtidssjukskrivna", "Unga"]
    assert Manadsrapport.objects.get(insats=vaderstad, ar=2024, manad=1).status == Status.INSKICKAD


# --- Underlag till Uppföljning Finsam ---------------------------------------------------------


def _underlag(export, blad: str = "Insatser") -> list[tuple]:
    bok = openpyxl.load_workbook(io.BytesIO(export.innehall))
    return [tuple(c.value for c in rad) for rad in bok[blad].iter_rows()]


def test_underlag_har_kolumnerna_i_nationella_systemets_ordning(demo):
    export = underlag_uppfoljning_finsam(forbund=demo, ar=2025)
    rader = _underlag(export)

    assert export.filnamn == "underlag-uppfoljning-finsam-svo-2025.xlsx"
    assert export.content_type.endswith("spreadsheetml.sheet")
    assert rader[0] == UNDERLAG_KOLUMNER
    per_insats = {rad[0]: rad for rad in rader[1:]}
    # Seed 000: Försteg Boxholm 25 deltagare 2025 (ingående 4 K + 5 M, nya 8 + 8); the demo's
    # budgeted number, its cost post and the post's utfall for the whole year.
    assert per_insats["Försteg Boxholm"] == (
        "Försteg Boxholm",
        "Individinriktad",
        "Förberedande",
        "Ingen specifik målgrupp",
        "Nej",
        "Deltagarflöde",
        None,
        25,
        380_000,
        380_000,
        12,
        13,
        25,
        None,
        None,
    )
    assert per_insats["Kompetenshöjande insatser"][1] == "Strukturövergripande"
    assert per_insats["Kompetenshöjande insatser"][5:7] == ("Volym", "Deltagare")
    assert per_insats["Kompetenshöjande insatser"][13] == 980
    data = arsdata(forbund=demo, ar=2025)
    assert sum(r[10] or 0 for r in rader[1:]) == data.deltagare_totalt.kvinnor == 200
    assert sum(r[11] or 0 for r in rader[1:]) == data.deltagare_totalt.man == 202


def test_demons_underlag_2025_ar_komplett_och_gar_jamnt_ut(demo):
    """The demo förbund's 2025 has everything the national system asks for; its costs (8 674 000
    kr) against the tilldelning (8 614 000 kr) take the eget kapital from 1 010 000 kr to the
    950 000 kr the 2026 plan starts from."""
    data = underlag(forbund=demo, ar=2025)
    assert data.brister == () and data.forbund.saknas == ()
    assert data.forbund.utfall_totalt == 8_674_000
    assert data.forbund.resultat == -60_000
    assert data.forbund.eget_kapital_utgaende == 950_000
    rader = dict(
        r[:2] for r in _underlag(underlag_uppfoljning_finsam(forbund=demo, ar=2025), "Förbundet")
    )
    assert rader["Tilldelade medel totalt"] == 8_614_000
    assert rader["Medlemsbidrag: Staten genom FK"] == 4_307_000
    assert sum(v for k, v in rader.items() if k.startswith("Medlemsbidrag")) == 8_614_000
    assert rader["Utfall administration"] == 1_850_000


def test_demons_underlag_2026_saknar_det_som_inte_finns_an(demo):
    data = underlag(forbund=demo, ar=2026)
    per_insats = {i.namn: i.saknas for i in data.brister}
    # Försteg's post is the cost of five insatser, so none of them has a cost of its own.
    assert per_insats["Försteg Motala"] == ("budget", "utfall")
    assert "Nätverket västra" not in per_insats
    assert data.forbund.saknas == ("utfall",)


def test_underlag_har_budget_och_neutraliserade_formler(demo):
    Insats.objects.filter(namn="Nätverket västra").update(namn="=1+1")
    rader = _underlag(underlag_uppfoljning_finsam(forbund=demo, ar=2026))
    per_insats = {rad[0]: rad for rad in rader[1:]}
    assert per_insats["Försteg Motala"][7] == 55
    assert per_insats["'=1+1"][7] == 180


def test_underlag_sidan_och_filen_for_kansliet_och_403_for_andra(client, demo):
    sida = reverse("rapporter:underlag", args=[2025])
    fil_ = reverse("rapporter:underlag_xlsx", args=[2025])
    for username in ("verksamhetsutvecklare", "forbundschef"):
        client.force_login(User.objects.get(username=username))
        assert client.get(sida).status_code == 200
        response = client.get(fil_)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('2025.xlsx"')
        assert _underlag(type("E", (), {"innehall": response.content}))[0] == UNDERLAG_KOLUMNER
        assert sida in client.get(reverse("rapporter:arsrapport", args=[2025])).content.decode()
    for username in ("styrelse", "insatsansvarig"):
        client.force_login(User.objects.get(username=username))
        assert client.get(sida).status_code == 403
        assert client.get(fil_).status_code == 403
    client.force_login(User.objects.get(username="styrelse"))
    assert sida not in client.get(reverse("rapporter:arsrapport", args=[2025])).content.decode()


def test_underlag_kommandot(demo, tmp_path):
    path = tmp_path / "underlag.xlsx"
    call_command("underlag", 2025, output=str(path), stdout=io.StringIO())
    innehall = type("E", (), {"innehall": path.read_bytes()})
    assert _underlag(innehall)[0] == UNDERLAG_KOLUMNER
    assert _underlag(innehall, "Förbundet")[0] == FORBUND_KOLUMNER


# --- the library's commands -------------------------------------------------------------------


def _exempelinsatser(vu):
    """The example files refer to the insatser of `insatser.csv` (two new ones)."""
    data = (FIXTURES / "insatser.csv").read_bytes()
    assert meddelanden(importera(resources.InsatsResource, data, vu)) == []


def test_import_och_export_fran_kommandoraden(monkeypatch, demo, vu):
    _exempelinsatser(vu)
    monkeypatch.setenv("FINSAM_IMPORT_USER", "verksamhetsutvecklare")
    stderr = io.StringIO()
    call_command(
        "import",
        "registrering.resources.ManadsdataResource",
        str(FIXTURES / "manadsdata.csv"),
        interactive=False,
        stderr=stderr,
    )
    assert "6 new" in stderr.getvalue()
    rapport = Manadsrapport.objects.get(insats__namn="Försteg Motala", ar=2024, manad=1)
    assert rapport.status == Status.INSKICKAD
    assert audit_entries_for(rapport).get(action="importerad").user == vu

    stdout = io.TextIOWrapper(io.BytesIO())
    call_command("export", "XLSX", "registrering.resources.ManadsdataResource", stdout=stdout)
    stdout.flush()
    bok = openpyxl.load_workbook(io.BytesIO(stdout.buffer.getvalue()))
    rubriker = [c.value for c in next(bok.active.iter_rows())]
    assert rubriker == MANAD_RUBRIK.split(";")


def test_kommandot_godkand_och_fel(monkeypatch, demo, vu, tmp_path):
    _exempelinsatser(vu)
    monkeypatch.setenv("FINSAM_IMPORT_USER", "verksamhetsutvecklare")
    monkeypatch.setenv("FINSAM_IMPORT_GODKAND", "1")
    call_command(
        "import",
        "registrering.resources.VolymdataResource",
        str(FIXTURES / "volymdata.csv"),
        interactive=False,
        stderr=io.StringIO(),
    )
    assert (
        Manadsrapport.objects.get(
            insats__namn="SIP – Samordnad Individuell Plan", ar=2024, manad=1
        ).status
        == Status.GODKAND
    )

    fel = tmp_path / "fel.csv"
    fel.write_bytes(fil(MANAD_RUBRIK, "Försteg Motala;2024;1;x;0;0;0"))
    stderr = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import",
            "registrering.resources.ManadsdataResource",
            str(fel),
            interactive=False,
            stderr=stderr,
        )
    assert (
        "Rad 2, Nya kvinnor: Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”x”)."
        in stderr.getvalue()
    )

    tom = tmp_path / "tom.csv"
    tom.write_bytes(b"")
    with pytest.raises(CommandError, match=r"Filen är tom\."):
        call_command(
            "import", "registrering.resources.ManadsdataResource", str(tom), interactive=False
        )


def test_kommandot_kraver_en_anvandare_med_ratt_roll(monkeypatch, demo):
    monkeypatch.delenv("FINSAM_IMPORT_USER", raising=False)
    stderr = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import",
            "registrering.resources.ManadsdataResource",
            str(FIXTURES / "manadsdata.csv"),
            interactive=False,
            stderr=stderr,
        )
    assert "FINSAM_IMPORT_USER" in stderr.getvalue()
    monkeypatch.setenv("FINSAM_IMPORT_USER", "styrelse")
    with pytest.raises(CommandError, match="Du har inte behörighet"):
        call_command(
            "export", "CSV", "registrering.resources.ManadsdataResource", stdout=io.StringIO()
        )
    assert not Manadsrapport.objects.filter(ar=2024).exists()


# --- the admin --------------------------------------------------------------------------------


def _admin_url(namn: str) -> str:
    return reverse(f"admin:registrering_manadsrapport_{namn}")


def test_admin_import_forhandsgranskar_varje_rad_och_sparar_efter_bekraftelse(client, demo, vu):
    _exempelinsatser(vu)
    client.force_login(vu)
    assert (
        "Importera"
        in client.get(reverse("admin:registrering_manadsrapport_changelist")).content.decode()
    )
    fil_ = io.BytesIO((FIXTURES / "manadsdata.csv").read_bytes())
    fil_.name = "manadsdata.csv"

    response = client.post(
        _admin_url("import"), {"resource": "0", "format": "0", "import_file": fil_}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Förhandsgranskning" in html
    assert html.count('<td class="import-type">Ny</td>') == 6
    assert not Manadsrapport.objects.filter(ar=2024).exists()  # a preview saves nothing
    bekrafta = response.context["confirm_form"]

    response = client.post(
        _admin_url("process_import"),
        {**bekrafta.initial, "godkand": "False"},
    )

    assert response.status_code == 302
    assert Manadsrapport.objects.filter(ar=2024).count() == 6
    rapport = Manadsrapport.objects.get(insats__namn="Försteg Motala", ar=2024, manad=1)
    assert rapport.status == Status.INSKICKAD
    assert AuditEntry.objects.get(
        object_id=str(rapport.pk), content_type__model="manadsrapport"
    ).kommentar == ("Importerad från manadsdata.csv")

    # The same file again: every row is previewed as unchanged.
    fil_.seek(0)
    igen = client.post(_admin_url("import"), {"resource": "0", "format": "0", "import_file": fil_})
    assert igen.content.decode().count('<td class="import-type">Oförändrad</td>') == 6


def test_admin_import_kan_markera_manaderna_som_godkanda(client, demo, vu):
    _exempelinsatser(vu)
    client.force_login(vu)
    fil_ = io.BytesIO((FIXTURES / "manadsdata.xlsx").read_bytes())
    fil_.name = "manadsdata.xlsx"
    response = client.post(
        _admin_url("import"),
        {"resource": "0", "format": "1", "import_file": fil_, "godkand": "on"},
    )
    assert "markeras som godkända" in response.content.decode()
    client.post(_admin_url("process_import"), response.context["confirm_form"].initial)
    assert set(Manadsrapport.objects.filter(ar=2024).values_list("status", flat=True)) == {
        Status.GODKAND
    }


def test_admin_import_visar_fel_per_rad_och_kolumn(client, demo, vu):
    client.force_login(vu)
    fil_ = io.BytesIO(fil(MANAD_RUBRIK, "Försteg Motala;2024;1;x;0;0;0", "Okänd;2024;2;1;0;0;0"))
    fil_.name = "fel.csv"
    response = client.post(
        _admin_url("import"), {"resource": "0", "format": "0", "import_file": fil_}
    )
    html = response.content.decode()
    assert "Fel i filen – inget har sparats" in html
    assert (
        "<strong>Nya kvinnor:</strong> Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”x”)."
        in html
    )
    assert "<strong>Insats:</strong> Okänd insats ”Okänd”" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None

    binar = io.BytesIO(b"\x00\x01\x02binary")
    binar.name = "bild.csv"
    response = client.post(
        _admin_url("import"), {"resource": "0", "format": "0", "import_file": binar}
    )
    assert "Filen är inte en textfil (CSV)." in response.content.decode()


def test_admin_import_och_export_403_for_styrelsen(client, demo):
    """The board has no door to the admin at all: import, export and the list end on the
    product's own 403 page with a Swedish word, never on an admin page."""
    client.force_login(User.objects.get(username="styrelse"))
    for url in (
        _admin_url("import"),
        _admin_url("export"),
        reverse("admin:registrering_manadsrapport_changelist"),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        text = response.content.decode()
        assert "Administrationen är verksamhetsutvecklarens" in text
        assert "Importera" not in text and "Exportera" not in text


def test_admin_export_ar_forbundets_rader_med_svenska_rubriker(client, demo, vu):
    client.force_login(vu)
    response = client.post(_admin_url("export"), {"resource": "0", "format": "0"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == MANAD_RUBRIK
    antal = Manadsrapport.objects.filter(insats__uppfoljning="deltagarflode").count()
    assert len(text.splitlines()) == antal + 1


@pytest.mark.parametrize(
    "modell",
    [
        "insats",
        "manadsrapport",
        "avslutadeperanledning",
        "nyaperhuvudman",
        "ingaendebalans",
        "arstotal",
        "budgeteradvolym",
        "enkatsvar",
        "avslutsanledning",
        "utfallsmal",
        "effektnyckeltal",
        "ersattningsnyckeltal",
        "inkomstnyckeltal",
        "forflyttning",
    ],
)
def test_admin_har_import_och_export_for_varje_resurs(client, demo, vu, modell):
    client.force_login(vu)
    lista = client.get(reverse(f"admin:registrering_{modell}_changelist")).content.decode()
    assert "Importera" in lista and "Exportera" in lista
    importsida = client.get(reverse(f"admin:registrering_{modell}_import"))
    assert importsida.status_code == 200
    assert "Filens första rad ska vara kolumnrubrikerna" in importsida.content.decode()
    export = client.post(
        reverse(f"admin:registrering_{modell}_export"), {"resource": "0", "format": "1"}
    )
    assert export.status_code == 200
    assert export["Content-Type"].endswith("spreadsheetml.sheet")
    bok = openpyxl.load_workbook(io.BytesIO(export.content))
    assert bok.active.max_row > 1


@pytest.mark.parametrize(
    "resurs", [resources.InsatsResource, resources.EnkatsvarResource], ids=lambda r: r.__name__
)
def test_tur_och_retur_i_xlsx_med_datum_och_tomma_celler(demo, vu, resurs):
    fore = XLSX().export_data(resurs(user=vu).export())
    csv_fore = exportera(resurs, vu)
    _tom(resurs, demo)

    result = importera(resurs, fore, vu, format=XLSX)

    assert meddelanden(result) == []
    assert exportera(resurs, vu) == csv_fore


def test_exempelfilen_for_medfinansieringar_kan_lasas_in_tva_ganger(demo, vu):
    Forbund.objects.create(namn="Finnvedens samordningsförbund", kortnamn="FIN")
    data = (FIXTURES / "medfinansieringar.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.split(b"\r\n")[0]
    result = importera(resources.MedfinansieringResource, data, vu)
    assert meddelanden(result) == []
    assert result.totals["new"] == 2
    igen = importera(resources.MedfinansieringResource, data, vu)
    assert meddelanden(igen) == [] and igen.totals["skip"] == igen.total_rows == 2
