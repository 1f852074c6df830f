"""Import and export: resources, Swedish Excel files, the rules, the admin and the commands."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from rapporter.arsdata import ALLA_INDIVIDINRIKTADE, arsdata
from rapporter.export import UNDERLAG_KOLUMNER, underlag_uppfoljning_finsam
from registrering import demodata, resources
from registrering.audit import audit_entries_for
from registrering.formats import CSV, XLSX, ImportFel, Obehorig
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    BudgeteradVolym,
    Enkattillfalle,
    IngaendeBalans,
    Insats,
    Insatsgrupp,
    Justering,
    Manadsrapport,
    User,
)
from tests import factories

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "import"
MANAD_RUBRIK = "Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män"
Status = Manadsrapport.Status


# --- helpers ----------------------------------------------------------------------------------


def fil(*rader: str, encoding: str = "utf-8-sig", sep: str = ";") -> bytes:
    """A CSV file as Excel writes it: CRLF line ends, the given encoding and separator."""
    return ("\r\n".join(r.replace(";", sep) for r in rader) + "\r\n").encode(encoding)


def importera(resurs, data: bytes, user, *, format=CSV, dry_run=False, **kwargs):
    dataset = format().create_dataset(data)
    return resurs(user=user, idag=IDAG, **kwargs).import_data(dataset, dry_run=dry_run)


def exportera(resurs, user) -> bytes:
    return CSV().export_data(resurs(user=user).export())


def meddelanden(result) -> list[str]:
    """Every error of a result as 'Rad N, Kolumn: text' (or the file's own message)."""
    texter = [str(e.error) for e in result.base_errors]
    for rad in result.invalid_rows:
        for kolumn, fel in rad.error_dict.items():
            texter += [f"Rad {rad.number + 1}, {kolumn}: {t}" for t in fel]
    return texter


def tillstand() -> dict[str, int]:
    """What an import could change: counted before and after a refused import."""
    return {
        "manader": Manadsrapport.objects.count(),
        "avslut": AvslutadePerAnledning.objects.count(),
        "insatser": Insats.objects.count(),
        "logg": AuditEntry.objects.count(),
    }


@pytest.fixture
def demo():
    """Samordningsförbundet Västra Östergötland with 2025 and 2026 (the only förbund)."""
    return demodata.ladda(idag=IDAG)


@pytest.fixture
def vu(demo):
    return User.objects.get(username="verksamhetsutvecklare")


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
            "Nya kvinnor: Ange ett heltal utan decimaler (inte ”2,5”).",
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
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;-2"),
            "Rad 2, Avslutade män: Avslutade män kan inte vara negativt.",
            id="negativt-tal",
        ),
        pytest.param(
            fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0", "försteg testby;2025;1;2;0;0;0"),
            "Rad 3, __all__: Raden är en dubblett av rad 2: samma insats, år och månad. Ta bort "
            "en av dem.",
            id="dubblett",
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


def test_flera_forbund_kraver_forbundskolumn(forbund, annat_forbund, insats, verksamhetsutvecklare):
    utan = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;1;1;0;0;0"),
        verksamhetsutvecklare,
    )
    assert "filen saknar kolumnen ”Förbund”" in meddelanden(utan)[0]
    assert "Installationen har flera förbund" in meddelanden(utan)[0]

    med = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK + ";Förbund", "Försteg Testby;2025;1;1;0;0;0;stb"),
        verksamhetsutvecklare,
    )
    assert meddelanden(med) == []
    assert Manadsrapport.objects.filter(insats=insats).count() == 1
    # The export carries the column, so the file can be imported again.
    assert (
        exportera(resources.ManadsdataResource, verksamhetsutvecklare)
        .decode("utf-8-sig")
        .splitlines()[1]
        == "Försteg Testby;2025;1;1;0;0;0;STB"
    )


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
    else:
        model = resurs._meta.model
        model.objects.filter(**{resurs.forbund_via: forbund}).delete()


@pytest.mark.parametrize("resurs", resources.RESURSER, ids=lambda r: r.__name__)
def test_export_tom_databas_import_ger_samma_data(demo, vu, resurs):
    fore = exportera(resurs, vu)
    beroenden = {b: exportera(b, vu) for b in BEROENDEN.get(resurs, [])}
    assert fore.count(b"\r\n") > 2, "demodata has rows for every resource"
    _tom(resurs, demo)
    assert exportera(resurs, vu).count(b"\r\n") == 1  # the header only

    for beroende, data in beroenden.items():
        assert meddelanden(importera(beroende, data, vu)) == []
    result = importera(resurs, fore, vu)

    assert meddelanden(result) == []
    assert exportera(resurs, vu) == fore
    assert AuditEntry.objects.filter(action="importerad").count() >= result.totals["new"]


def test_hela_forbundets_data_tur_och_retur(demo, vu):
    """Everything but the insatser out, the database emptied, everything back in order."""
    data_resurser = [r for r in resources.RESURSER if r is not resources.InsatsResource]
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
    (resources.UtfallResource, "utfall.csv"),
]


def test_exempelfilerna_finns_for_varje_resurs_och_kan_lasas_in_tva_ganger(demo, vu):
    assert {r for r, _f in EXEMPEL} == set(resources.RESURSER)
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


# --- Underlag till Uppföljning Finsam ---------------------------------------------------------


def _underlag(export) -> list[tuple]:
    bok = openpyxl.load_workbook(io.BytesIO(export.innehall))
    return [tuple(c.value for c in rad) for rad in bok.active.iter_rows()]


def test_underlag_har_kolumnerna_i_nationella_systemets_ordning(demo):
    export = underlag_uppfoljning_finsam(forbund=demo, ar=2025)
    rader = _underlag(export)

    assert export.filnamn == "underlag-uppfoljning-finsam-svo-2025.xlsx"
    assert export.content_type.endswith("spreadsheetml.sheet")
    assert rader[0] == UNDERLAG_KOLUMNER
    per_insats = {rad[0]: rad for rad in rader[1:]}
    # Seed 000: Försteg Boxholm 25 deltagare 2025 (ingående 4 K + 5 M, nya 8 + 8).
    assert per_insats["Försteg Boxholm"] == (
        "Försteg Boxholm",
        "Individinriktad",
        "Förberedande",
        "Ingen specifik målgrupp",
        None,
        12,
        13,
        None,
        None,
    )
    assert per_insats["Kompetenshöjande insatser"][1] == "Strukturövergripande"
    assert per_insats["Kompetenshöjande insatser"][7:] == (980, "Deltagare")
    data = arsdata(forbund=demo, ar=2025)
    assert sum(r[5] or 0 for r in rader[1:]) == data.deltagare_totalt.kvinnor == 200
    assert sum(r[6] or 0 for r in rader[1:]) == data.deltagare_totalt.man == 202


def test_underlag_har_budget_och_neutraliserade_formler(demo):
    Insats.objects.filter(namn="Nätverket västra").update(namn="=1+1")
    rader = _underlag(underlag_uppfoljning_finsam(forbund=demo, ar=2026))
    per_insats = {rad[0]: rad for rad in rader[1:]}
    assert per_insats["Försteg Motala"][4] == 55
    assert per_insats["'=1+1"][4] == 180


def test_underlag_vyn_for_kansliet_och_403_for_andra(client, demo):
    url = reverse("rapporter:underlag", args=[2025])
    for username in ("verksamhetsutvecklare", "forbundschef"):
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('2025.xlsx"')
        assert _underlag(type("E", (), {"innehall": response.content}))[0] == UNDERLAG_KOLUMNER
        assert url in client.get(reverse("rapporter:arsrapport", args=[2025])).content.decode()
    for username in ("styrelse", "insatsansvarig"):
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 403
    client.force_login(User.objects.get(username="styrelse"))
    assert url not in client.get(reverse("rapporter:arsrapport", args=[2025])).content.decode()


def test_underlag_kommandot(demo, tmp_path):
    path = tmp_path / "underlag.xlsx"
    call_command("underlag", 2025, output=str(path), stdout=io.StringIO())
    assert _underlag(type("E", (), {"innehall": path.read_bytes()}))[0] == UNDERLAG_KOLUMNER


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
    assert AuditEntry.objects.get(object_id=str(rapport.pk)).kommentar == (
        "Importerad från manadsdata.csv"
    )

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
    client.force_login(User.objects.get(username="styrelse"))
    assert client.get(_admin_url("import")).status_code == 403
    assert client.get(_admin_url("export")).status_code == 403
    lista = client.get(reverse("admin:registrering_manadsrapport_changelist")).content.decode()
    assert "Importera" not in lista and "Exportera" not in lista


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
