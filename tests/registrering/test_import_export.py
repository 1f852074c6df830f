"""Import and export: resources, Swedish Excel files, the rules, the admin and the commands."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.conf import settings

from rapporter.arsdata import ALLA_INDIVIDINRIKTADE, arsdata
from registrering import formats, resources
from registrering.audit import audit_entries_for
from registrering.formats import CSV, XLSX, ImportFel, Obehorig
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Insats,
    Manadsrapport,
)
from registrering.resources.kolumner import Datum
from tests import factories
from tests.registrering.importhjalp import (
    FIXTURES,
    MANAD_RUBRIK,
    Status,
    exportera,
    fil,
    importera,
    meddelanden,
    tillstand,
)

pytestmark = pytest.mark.django_db


# --- the monthly figures ----------------------------------------------------------------------


def test_manadsdata_importeras_som_inskickade_och_loggas(forbund, insats, verksamhetsutvecklare):
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;1;3;2;0;1", "Försteg Testby;2025;2;1;1;1;0")
    result = importera(resources.ManadsdataResource, data, verksamhetsutvecklare)

    assert meddelanden(result) == []
    assert result.totals["new"] == 2
    januari = Manadsrapport.objects.get(insats=insats, ar=2025, manad=1)
    assert (januari.nya_kvinnor, januari.nya_man, januari.avslutade_kvinnor) == (3, 2, 0)
    assert januari.status == Status.INSKICKAD
    assert januari.inskickad_av == verksamhetsutvecklare
    logg = audit_entries_for(januari).get()
    assert logg.action == AuditEntry.Action.IMPORTERAD
    assert logg.user == verksamhetsutvecklare
    assert logg.forbund == forbund
    assert logg.changes["nya_kvinnor"] == [None, 3]
    assert logg.changes["status"] == [None, "inskickad"]


def test_andrad_manad_loggas_med_gammalt_och_nytt_varde(insats, verksamhetsutvecklare):
    rapport = factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=3, nya_kvinnor=2, status=Status.UTKAST
    )
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;3;5;0;0;0")
    result = importera(resources.ManadsdataResource, data, verksamhetsutvecklare, file_name="x")

    assert result.totals["update"] == 1
    rapport.refresh_from_db()
    assert rapport.nya_kvinnor == 5
    assert rapport.status == Status.INSKICKAD
    assert rapport.version == 2
    logg = audit_entries_for(rapport).get(action="importerad")
    assert logg.changes == {"nya_kvinnor": [2, 5], "status": ["utkast", "inskickad"]}


def test_importoren_kan_valja_godkand(insats, verksamhetsutvecklare):
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;4;1;1;0;0")
    importera(resources.ManadsdataResource, data, verksamhetsutvecklare, godkand=True)

    rapport = Manadsrapport.objects.get(insats=insats, ar=2025, manad=4)
    assert rapport.status == Status.GODKAND
    assert rapport.godkand_av == verksamhetsutvecklare
    assert rapport.last


def test_samma_fil_tva_ganger_andrar_ingenting(insats, verksamhetsutvecklare):
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;1;3;2;0;1", "Försteg Testby;2025;2;1;1;1;0")
    importera(resources.ManadsdataResource, data, verksamhetsutvecklare)
    fore = tillstand()

    igen = importera(resources.ManadsdataResource, data, verksamhetsutvecklare)

    assert igen.totals["skip"] == 2
    assert [r.import_type for r in igen.rows] == ["skip", "skip"]
    assert tillstand() == fore


def test_last_manad_avvisas_men_samma_siffror_ar_oforandrade(insats, verksamhetsutvecklare):
    factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=1, nya_kvinnor=2, status=Status.GODKAND
    )
    fore = tillstand()

    andrad = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;3;0;0;0"),
        verksamhetsutvecklare,
    )
    assert "Rad 2, __all__: Försteg Testby, januari 2025 är godkänd och låst. " in (
        " ".join(meddelanden(andrad)) + " "
    )
    assert tillstand() == fore

    samma = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;2;0;0;0"),
        verksamhetsutvecklare,
    )
    assert meddelanden(samma) == []
    assert samma.totals["skip"] == 1
    assert Manadsrapport.objects.get(insats=insats, ar=2025, manad=1).status == Status.GODKAND


@pytest.mark.parametrize(
    ("rad", "fel"),
    [
        ("Försteg Testby;2026;12;1;0;0;0", "Månad: December 2026 är inte slut än."),
        ("Försteg Testby;2019;5;1;0;0;0", "Månad: Försteg Testby pågick inte under maj 2019."),
        ("Försteg Testby;2025;13;1;0;0;0", "Månad: Månaden måste vara ett tal från 1 till 12."),
        ("Försteg Testby;1899;1;1;0;0;0", "År: Året ska vara ett årtal mellan 2000 och 2100."),
        ("Försteg Testby;2025;1;;0;0;0", "Nya kvinnor: Värde saknas: ange ett heltal."),
        (
            "Försteg Testby;2025;1;2,5;0;0;0",
            "Nya kvinnor: Ange ett heltal utan decimaler, t.ex. 12 (inte ”2,5”).",
        ),
    ],
)
def test_manadens_regler_som_i_webblasaren(insats, verksamhetsutvecklare, rad, fel):
    result = importera(resources.ManadsdataResource, fil(MANAD_RUBRIK, rad), verksamhetsutvecklare)
    assert any(fel in m for m in meddelanden(result)), meddelanden(result)
    assert not Manadsrapport.objects.exists()


def test_volyminsats_importeras_med_volymdata(forbund, verksamhetsutvecklare):
    sip = factories.VolyminsatsFactory(forbund=forbund, namn="SIP")
    fel = importera(
        resources.ManadsdataResource, fil(MANAD_RUBRIK, "SIP;2025;1;1;0;0;0"), verksamhetsutvecklare
    )
    assert "SIP följs upp med volym: importera den med volymdata" in meddelanden(fel)[-1]

    ratt = importera(
        resources.VolymdataResource,
        fil("Insats;År;Månad;Volym", "SIP;2025;1;14"),
        verksamhetsutvecklare,
    )
    assert meddelanden(ratt) == []
    assert Manadsrapport.objects.get(insats=sip).volym == 14


# --- bad files: a clear message and nothing saved ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "fel"),
    [
        pytest.param(
            fil(
                "Insats;År;Manad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män;Kommentar",
                "Försteg Testby;2025;1;1;0;0;0;",
            ),
            "Fel kolumnrubriker: filen saknar kolumnen ”Månad” och har okända kolumner: "
            "”Manad” och ”Kommentar”.",
            id="fel-rubriker",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testbyn;2025;1;1;0;0;0"),
            "Rad 2, Insats: Okänd insats ”Försteg Testbyn” i Samordningsförbundet Testbygden. "
            "Menade du ”Försteg Testby”?",
            id="okand-insats",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;tre;0;0;0"),
            "Rad 2, Nya kvinnor: Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”tre”).",
            id="text-i-sifferkolumn",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;inf;1;1;0;0;0"),
            "Rad 2, År: Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”inf”).",
            id="oandligt-ar",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;" + "9" * 5000 + ";0;0;0"),
            "Rad 2, Nya kvinnor: Talet är orimligt stort (5000 siffror).",
            id="femtusen-siffror",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;-2"),
            "Rad 2, Avslutade män: Avslutade män kan inte vara mindre än 0.",
            id="negativt-tal",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0", "försteg testby;2025;1;2;0;0;0"),
            "Rad 3, __all__: Raden är en dubblett av rad 2: samma insats, år och månad. Ta bort "
            "en av dem.",
            id="dubblett",
        ),
        # Blank rows are dropped, but still count: the message names the row the user sees.
        pytest.param(
            fil(MANAD_RUBRIK, "", ";;;;;;", "Försteg Testbyn;2025;1;1;0;0;0"),
            "Rad 4, Insats: Okänd insats ”Försteg Testbyn”",
            id="tomma-rader-fore",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0", "", "försteg testby;2025;1;2;0;0;0"),
            "Rad 4, __all__: Raden är en dubblett av rad 2: samma insats, år och månad.",
            id="dubblett-efter-tom-rad",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "", "Försteg Testby;2025;1;0;0;0;5"),
            "Rad 3, Avslutade män: ",
            id="regelfel-efter-tom-rad",
        ),
    ],
)
def test_felaktig_fil_ger_tydligt_meddelande_och_sparar_ingenting(
    insats, verksamhetsutvecklare, data, fel
):
    # A valid row as well: it must not be saved when another row is wrong.
    fore = tillstand()
    result = importera(resources.ManadsdataResource, data, verksamhetsutvecklare)
    assert any(fel in text for text in meddelanden(result)), meddelanden(result)
    assert result.has_errors()  # also summed up as one error, which `manage.py import` prints
    assert tillstand() == fore


def test_ett_fel_stoppar_hela_filen(insats, verksamhetsutvecklare):
    data = fil(
        MANAD_RUBRIK,
        "Försteg Testby;2025;1;1;0;0;0",
        "Försteg Testby;2025;2;1;0;0;0",
        "Försteg Testby;2025;3;x;0;0;0",
    )
    result = importera(resources.ManadsdataResource, data, verksamhetsutvecklare)
    assert result.totals["new"] == 2 and result.totals["invalid"] == 1
    assert not Manadsrapport.objects.exists()
    assert not AuditEntry.objects.exists()
    assert meddelanden(result)[0].startswith("Filen har fel på 1 rad; inget har sparats.")


@pytest.mark.parametrize(
    ("data", "format", "fel"),
    [
        pytest.param(b"", CSV, "Filen är tom.", id="tom-fil"),
        pytest.param(
            b"\xef\xbb\xbf\r\n\r\n",
            CSV,
            "Filen är tom: den första raden ska innehålla",
            id="bara-tomma-rader",
        ),
        pytest.param(
            fil(MANAD_RUBRIK),
            CSV,
            "Filen innehåller inga rader under kolumnrubrikerna.",
            id="bara-rubriker",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            CSV,
            "Filen är inte en textfil (CSV).",
            id="binarfil-som-csv",
        ),
        pytest.param(
            (FIXTURES / "manadsdata.xlsx").read_bytes(),
            CSV,
            "Filen är inte en textfil (CSV).",
            id="xlsx-som-csv",
        ),
        pytest.param(
            (FIXTURES / "manadsdata.csv").read_bytes(),
            XLSX,
            "Filen är inte en Excelfil (xlsx).",
            id="csv-som-xlsx",
        ),
        pytest.param(
            fil(MANAD_RUBRIK) + b"x" * (10 * 1024 * 1024),
            CSV,
            "Filen är för stor (10,0 MB). Största tillåtna storlek är 10,0 MB.",
            id="over-10-mb",
        ),
    ],
)
def test_fil_som_inte_kan_lasas_ger_tydligt_meddelande(data, format, fel):
    with pytest.raises(ImportFel, match=re.escape(fel)):
        format().create_dataset(data)


def test_storleksgransen_ar_en_installning(settings):
    assert settings.FINSAM_IMPORT_MAX_BYTES == 10 * 1024 * 1024
    settings.FINSAM_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFel, match="för stor"):
        CSV().create_dataset(fil(MANAD_RUBRIK, *["Försteg Testby;2025;1;1;0;0;0"] * 3))


# --- files as Swedish Excel writes them -------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [
        ("utf-8-sig", ";"),
        ("utf-8", ";"),
        ("utf-8-sig", ","),
        ("cp1252", ";"),
        ("cp1252", ","),
    ],
)
def test_csv_varianter_fran_excel(forbund, verksamhetsutvecklare, encoding, sep):
    odeshog = factories.InsatsFactory(forbund=forbund, namn="Försteg Ödeshög")
    data = fil(MANAD_RUBRIK, "Försteg Ödeshög;2025;1;1;2;0;0", encoding=encoding, sep=sep)
    result = importera(resources.ManadsdataResource, data, verksamhetsutvecklare)
    assert meddelanden(result) == []
    rapport = Manadsrapport.objects.get(insats=odeshog, ar=2025, manad=1)
    assert (rapport.nya_kvinnor, rapport.nya_man) == (1, 2)


def test_citerade_falt_med_komma_och_semikolon(forbund, verksamhetsutvecklare):
    data = fil(
        "Namn;Inriktning;Grupp;Startdatum;Slutdatum;Målgrupper",
        'Unga vuxna;Individinriktad;;2024-01-01;;"Unga, Långtidssjukskrivna"',
    )
    result = importera(resources.InsatsResource, data, verksamhetsutvecklare)
    assert meddelanden(result) == []
    insats = Insats.objects.get(namn="Unga vuxna")
    assert sorted(m.namn for m in insats.malgrupper.all()) == ["Långtidssjukskrivna", "Unga"]


def test_xlsx_med_tal_och_datum_som_excel_sparar_dem(forbund, verksamhetsutvecklare):
    bok = openpyxl.Workbook()
    bok.active.append(["Namn", "Inriktning", "Grupp", "Startdatum", "Slutdatum"])
    bok.active.append(["Nätverket", "Strukturövergripande", None, dt.datetime(2024, 2, 1), None])
    bok.active.append(["Försteg X", "individinriktad", "Försteg", "1/3 2024", "2026-12-31"])
    stream = io.BytesIO()
    bok.save(stream)

    result = importera(
        resources.InsatsResource, stream.getvalue(), verksamhetsutvecklare, format=XLSX
    )

    assert meddelanden(result) == []
    natverket, forsteg = Insats.objects.get(namn="Nätverket"), Insats.objects.get(namn="Försteg X")
    assert natverket.startdatum == dt.date(2024, 2, 1)
    assert natverket.inriktning == Insats.Inriktning.STRUKTUR
    assert (forsteg.startdatum, forsteg.slutdatum) == (dt.date(2024, 3, 1), dt.date(2026, 12, 31))
    assert forsteg.grupp.namn == "Försteg"
    assert AuditEntry.objects.filter(object_repr="Försteg", action="importerad").exists()


def test_insatsens_inriktning_kan_inte_andras(insats, verksamhetsutvecklare):
    data = fil(
        "Namn;Inriktning;Grupp;Startdatum;Slutdatum",
        "Försteg Testby;Strukturövergripande;;2020-01-01;",
    )
    result = importera(resources.InsatsResource, data, verksamhetsutvecklare)
    assert (
        "Rad 2, Inriktning: Kan inte ändras för en insats som redan finns (som i Uppföljning "
        "Finsam): Försteg Testby är ”Individinriktad”." in meddelanden(result)
    )
    insats.refresh_from_db()
    assert insats.inriktning == Insats.Inriktning.INDIVID


# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["styrelse", "insatsansvarig", "utomstaende"])
def test_bara_administrerande_roller_far_importera(request, insats, persona):
    user = request.getfixturevalue(persona)
    fore = tillstand()
    data = fil(
        MANAD_RUBRIK + ";Förbund",
        "Försteg Testby;2025;1;1;0;0;0;STB",
    )
    result = importera(resources.ManadsdataResource, data, user)
    texter = meddelanden(result)
    if persona == "utomstaende":
        assert (
            "Rad 2, Förbund: Du hör inte till Samordningsförbundet Testbygden och kan inte "
            "importera till det förbundet." in texter
        )
    else:
        assert texter == [resources.INGEN_BEHORIGHET]
    assert tillstand() == fore


@pytest.mark.parametrize("persona", ["styrelse", "insatsansvarig", "utomstaende"])
def test_bara_administrerande_roller_far_exportera(request, insats, persona):
    factories.ManadsrapportFactory(insats=insats)
    user = request.getfixturevalue(persona)
    if persona == "utomstaende":
        # A verksamhetsutvecklare of another förbund exports only that förbund's months.
        assert resources.ManadsdataResource(user=user).export().height == 0
    else:
        with pytest.raises(Obehorig):
            resources.ManadsdataResource(user=user).export()


def test_den_som_kan_importera_till_flera_forbund_anger_forbundet(
    forbund, annat_forbund, insats, verksamhetsutvecklare
):
    """A superuser of an installation with two förbund names each row's förbund; a
    verksamhetsutvecklare's rows are their own förbund's, with or without the column."""
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    utan = importera(
        resources.ManadsdataResource, fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0"), root
    )
    assert "filen saknar kolumnen ”Förbund”" in meddelanden(utan)[0]
    assert "Du kan importera till flera förbund" in meddelanden(utan)[0]
    assert not Manadsrapport.objects.exists()

    utan = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0"),
        verksamhetsutvecklare,
    )
    assert meddelanden(utan) == []
    assert Manadsrapport.objects.filter(insats=insats, manad=1).count() == 1

    # The column is still checked when it is there: another förbund is refused at the row.
    fel = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK + ";Förbund", f"Försteg Testby;2025;2;1;0;0;0;{annat_forbund.kortnamn}"),
        verksamhetsutvecklare,
    )
    assert any("kan inte importera till det förbundet" in m for m in meddelanden(fel))
    assert not Manadsrapport.objects.filter(insats=insats, manad=2).exists()

    med = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK + ";Förbund", "Försteg Testby;2025;2;1;0;0;0;stb"),
        verksamhetsutvecklare,
    )
    assert meddelanden(med) == []
    assert Manadsrapport.objects.filter(insats=insats, manad=2).count() == 1
    # The superuser's export carries the column, so the file can be imported again; the
    # verksamhetsutvecklare's has only their own rows and no column.
    assert (
        exportera(resources.ManadsdataResource, root)
        .decode("utf-8-sig")
        .splitlines()[1]
        .endswith(";STB")
    )
    rader = exportera(resources.ManadsdataResource, verksamhetsutvecklare).decode("utf-8-sig")
    assert rader.splitlines()[1] == "Försteg Testby;2025;1;1;0;0;0"
    assert "Förbund" not in rader.splitlines()[0]


# --- breakdowns -------------------------------------------------------------------------------


@pytest.fixture
def anledningar(forbund, insats):
    arbete = factories.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    sjukdom = factories.AvslutsanledningFactory(forbund=forbund, namn="Sjukdom", klass=2)
    insats.avslutsanledningar.set([arbete, sjukdom])
    return arbete, sjukdom


def test_utan_fordelning_visas_avslutade_som_ej_angiven(
    forbund, insats, anledningar, verksamhetsutvecklare
):
    importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;4;2;2;1"),
        verksamhetsutvecklare,
    )
    klass = arsdata(forbund=forbund, ar=2025).avslut_klass(ALLA_INDIVIDINRIKTADE)
    assert (klass.totalt, klass.forsta, klass.andra, klass.ej_angiven) == (3, 0, 0, 3)

    result = importera(
        resources.AvslutadePerAnledningResource,
        fil(
            "Insats;År;Månad;Avslutsanledning;Antal",
            "Försteg Testby;2025;1;Arbete;2",
            "Försteg Testby;2025;1;sjukdom;1",
        ),
        verksamhetsutvecklare,
    )
    assert meddelanden(result) == []
    klass = arsdata(forbund=forbund, ar=2025).avslut_klass(ALLA_INDIVIDINRIKTADE)
    assert (klass.forsta, klass.andra, klass.ej_angiven) == (2, 1, 0)
    rapport = Manadsrapport.objects.get(insats=insats)
    logg = audit_entries_for(rapport).filter(action="importerad").first()  # the latest
    assert logg.changes == {"avslut": [{}, {"Arbete": 2, "Sjukdom": 1}]}


def test_fordelningen_maste_summera_till_manadens_antal(insats, anledningar, verksamhetsutvecklare):
    factories.ManadsrapportFactory(insats=insats, ar=2025, manad=1, avslutade_kvinnor=3)
    fore = tillstand()
    result = importera(
        resources.AvslutadePerAnledningResource,
        fil("Insats;År;Månad;Avslutsanledning;Antal", "Försteg Testby;2025;1;Arbete;2"),
        verksamhetsutvecklare,
    )
    assert (
        "Rad 2, Antal: Fördelningen per avslutsanledning (2) stämmer inte med antalet avslutade "
        "(3)." in meddelanden(result)
    )
    assert tillstand() == fore


def test_fordelning_kraver_manad_och_kanda_nycklar(
    forbund, insats, anledningar, verksamhetsutvecklare
):
    factories.HuvudmanFactory(forbund=forbund, namn="Kommun")
    result = importera(
        resources.NyaPerHuvudmanResource,
        fil(
            "Insats;År;Månad;Huvudman;Antal",
            "Försteg Testby;2025;1;Kommun;1",
        ),
        verksamhetsutvecklare,
    )
    assert (
        "Rad 2, __all__: Det finns inga månadssiffror för Försteg Testby, januari 2025. "
        "Importera månadsdata först." in meddelanden(result)
    )
    factories.ManadsrapportFactory(insats=insats, ar=2025, manad=1, nya_kvinnor=1)
    result = importera(
        resources.AvslutadePerAnledningResource,
        fil("Insats;År;Månad;Avslutsanledning;Antal", "Försteg Testby;2025;1;Pension;1"),
        verksamhetsutvecklare,
    )
    assert (
        "Rad 2, Avslutsanledning: Okänd avslutsanledning ”Pension” för Försteg Testby. "
        "Insatsen använder: Arbete, Sjukdom." in meddelanden(result)
    )


def test_nytt_antal_tar_bort_fordelning_som_inte_langre_stammer(
    insats, anledningar, verksamhetsutvecklare
):
    rapport = factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=1, avslutade_kvinnor=2, status=Status.INSKICKAD
    )
    AvslutadePerAnledning.objects.create(rapport=rapport, anledning=anledningar[0], antal=2)
    factories.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=5)

    result = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;0;0;3;0"),
        verksamhetsutvecklare,
    )

    assert meddelanden(result) == []
    assert not AvslutadePerAnledning.objects.exists()
    logg = audit_entries_for(rapport).get(action="importerad")
    assert logg.changes["avslut"] == [{"Arbete": 2}, {}]
    assert logg.changes["avslutade_kvinnor"] == [2, 3]


# --- formula injection ------------------------------------------------------------------------


def test_formler_neutraliseras_i_varje_export_och_tolkas_tillbaka(forbund, verksamhetsutvecklare):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
    for namn in ('=HYPERLINK("http://x.example","klicka")', "+1+1", "-2", "@SUM(A1)"):
        factories.InsatsFactory(forbund=forbund, namn=namn)

    text = exportera(resources.InsatsResource, verksamhetsutvecklare).decode("utf-8-sig")
    forsta = [rad.split(";")[0] for rad in text.splitlines()[1:]]
    assert sorted(forsta) == sorted(
        ["'+1+1", "'-2", "'@SUM(A1)", '"\'=HYPERLINK(""http://x.example"",""klicka"")"']
    )

    dataset = resources.InsatsResource(user=verksamhetsutvecklare).export()
    bok = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    celler = [rad[0] for rad in bok.active.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in celler)

    # The library's own CSV (`manage.py export CSV`) is neutralised by the resource too.
    from import_export.formats.base_formats import CSV as BibliotekCSV

    assert "'@SUM(A1)" in BibliotekCSV().export_data(dataset)

    # Imported again, the apostrophes go: nothing changes.
    igen = importera(resources.InsatsResource, text.encode("utf-8-sig"), verksamhetsutvecklare)
    assert meddelanden(igen) == [] and igen.totals["skip"] == 4


@pytest.mark.parametrize("text", ["=1+1", "+46", "-2", "@SUM(A1)", "\tA", "\rA", "'A", "A", "'"])
def test_apostrofen_tas_bort_bara_dar_exporten_satte_den(text):
    """Every character that export neutralises (a tab and a carriage return too) comes back as
    it was; an apostrophe the text itself began with stays."""
    assert formats.avneutralisera(formats.neutralisera(text)) == text
    assert formats.avneutralisera(text) == text


@pytest.mark.parametrize("text", ["٢٠٢٥-٠١-٠١", "𝟑𝟏/12 2025", "31/12 ٢٠٢٥"])
def test_datumkolumnen_tar_bara_siffrorna_0_till_9(text):
    with pytest.raises(ValueError, match="är inte ett datum"):
        Datum().clean(text)
    assert Datum().clean("31/12 2025") == dt.date(2025, 12, 31)
