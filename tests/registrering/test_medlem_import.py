"""Members with their population as a file (registrering.resources.medlemmar): one row per
member and year, written by services.medlemmar.medlem_spara with the rules of
registrering.forbundsregler."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from import_export.results import RowResult

from registrering.formats import CSV, XLSX
from registrering.models import AuditEntry, Befolkning, Medlem
from registrering.resources.medlemmar import MedlemResource
from registrering.services.medlemmar import Medlemsrad, medlem_spara, medlemmar_spara
from tests.registrering.importhjalp import exportera, fil, importera, meddelanden

pytestmark = pytest.mark.django_db
RUBRIK = "Medlem;Typ;Ordning;År (31/12);Invånare"


@pytest.fixture
def medlemmar(forbund):
    Medlem.objects.create(forbund=forbund, namn="Försäkringskassan", typ="stat", ordning=1)
    Medlem.objects.create(forbund=forbund, namn="Region Testland", typ="region", ordning=2)
    motala = Medlem.objects.create(forbund=forbund, namn="Testby kommun", typ="kommun", ordning=3)
    Befolkning.objects.create(medlem=motala, ar=2023, invanare=43_100)
    Befolkning.objects.create(medlem=motala, ar=2024, invanare=43_505)
    return motala


def befolkning(medlem: Medlem) -> dict[int, int]:
    return dict(medlem.befolkning.values_list("ar", "invanare"))


def test_export_ar_en_rad_per_medlem_och_ar(medlemmar, verksamhetsutvecklare):
    text = exportera(MedlemResource, verksamhetsutvecklare).decode("utf-8-sig")

    assert text.splitlines() == [
        RUBRIK,
        "Försäkringskassan;Staten genom Försäkringskassan;1;;",
        "Region Testland;Region;2;;",
        "Testby kommun;Kommun;3;2023;43100",
        "Testby kommun;Kommun;3;2024;43505",
    ]


@pytest.mark.parametrize("format_", [CSV, XLSX])
def test_export_och_import_igen_andrar_ingenting(medlemmar, verksamhetsutvecklare, format_):
    data = format_().export_data(MedlemResource(user=verksamhetsutvecklare).export())
    fore = AuditEntry.objects.count()

    result = importera(MedlemResource, data, verksamhetsutvecklare, format=format_)

    assert meddelanden(result) == []
    assert [r.import_type for r in result.rows] == [RowResult.IMPORT_TYPE_SKIP] * 4
    assert AuditEntry.objects.count() == fore
    assert befolkning(medlemmar) == {2023: 43_100, 2024: 43_505}


def test_ny_medlem_med_befolkning_och_nytt_ar_skrivs_med_loggrad(
    medlemmar, forbund, verksamhetsutvecklare
):
    result = importera(
        MedlemResource,
        fil(
            "Medlem;Typ;År;Invånare",
            "Grannby kommun;Kommun;2024;5 517",
            "grannby  kommun;kommun;2025;5 600",
            "Testby kommun;Kommun;2025;43 700",
            "Arbetsförmedlingen;Arbetsförmedlingen;;",
        ),
        verksamhetsutvecklare,
    )

    assert meddelanden(result) == []
    grannby = Medlem.objects.get(forbund=forbund, namn="Grannby kommun")
    assert (grannby.typ, grannby.ordning) == ("kommun", 0)
    assert befolkning(grannby) == {2024: 5_517, 2025: 5_600}
    assert befolkning(medlemmar) == {2023: 43_100, 2024: 43_505, 2025: 43_700}
    assert Medlem.objects.get(forbund=forbund, namn="Arbetsförmedlingen").typ == "af"
    medlemmar.refresh_from_db()
    assert medlemmar.ordning == 3  # no Ordning column: the order is kept
    loggen = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD)
    assert loggen.count() == 3  # one per member
    assert {e.user_id for e in loggen} == {verksamhetsutvecklare.pk}
    testby = loggen.get(object_id=str(medlemmar.pk))
    assert testby.changes == {"invånare 31/12 2025": [None, 43_700]}
    ny = loggen.get(object_id=str(grannby.pk))
    assert ny.changes["invånare 31/12 2024"] == [None, 5_517]
    assert ny.changes["namn"] == [None, "Grannby kommun"]


def test_andrad_befolkning_forhandsgranskas_som_andrad_och_sparas_inte(
    medlemmar, verksamhetsutvecklare
):
    result = importera(
        MedlemResource,
        fil(RUBRIK, "Testby kommun;Kommun;3;2024;44 000", "Testby kommun;Kommun;3;2023;43100"),
        verksamhetsutvecklare,
        dry_run=True,
    )

    assert meddelanden(result) == []
    assert [r.import_type for r in result.rows] == [
        RowResult.IMPORT_TYPE_UPDATE,
        RowResult.IMPORT_TYPE_SKIP,
    ]
    assert befolkning(medlemmar) == {2023: 43_100, 2024: 43_505}


def test_fel_anges_vid_rad_och_kolumn_och_inget_sparas(medlemmar, verksamhetsutvecklare):
    fore = (Medlem.objects.count(), Befolkning.objects.count(), AuditEntry.objects.count())

    result = importera(
        MedlemResource,
        fil(
            RUBRIK,
            "Landstinget;Landsting;4;;",
            "Nyby kommun;Kommun;5;2024;-3",
            "Region Testland;Region;2;2024;460 000",
            "Testby kommun;Kommun;3;2025;",
            "Testby kommun;Region;3;2026;40 000",
            "Testby kommun;Kommun;3;1899;40 000",
            "Testby kommun;Kommun;3;2024;43505",
            "Testby kommun;Kommun;3;2024;43505",
        ),
        verksamhetsutvecklare,
        radfel_som_filfel=False,
    )

    assert meddelanden(result) == [
        "Rad 2, Typ: Okänt värde ”Landsting”. Ange Staten genom Försäkringskassan, "
        "Arbetsförmedlingen, Region eller Kommun.",
        "Rad 3, Invånare: Antalet invånare kan inte vara mindre än 0.",
        "Rad 4, Invånare: Befolkningen anges bara för kommuner (kommunernas andel delas efter "
        "den). Lämna fältet tomt för region.",
        "Rad 5, Invånare: Ange antalet invånare 31/12 2025, eller lämna också År (31/12) tomt.",
        "Rad 6, Typ: Medlemmen har typ ”Kommun” på rad 5. Ge alla rader för samma medlem samma "
        "värde.",
        "Rad 7, År (31/12): Året ska vara ett årtal mellan 2000 och 2100.",
        "Rad 9, __all__: Raden är en dubblett av rad 8: samma medlem och år. Ta bort en av dem.",
    ]
    assert (Medlem.objects.count(), Befolkning.objects.count(), AuditEntry.objects.count()) == fore


def test_en_kommun_med_sparad_befolkning_blir_inte_region(medlemmar, verksamhetsutvecklare):
    result = importera(
        MedlemResource,
        fil(RUBRIK, "Testby kommun;Region;3;;"),
        verksamhetsutvecklare,
        radfel_som_filfel=False,
    )

    assert meddelanden(result) == [
        "Rad 2, Typ: Medlemmen har befolkning sparad 31/12 2023 och 2024, och bara kommuner har "
        "befolkning. Behåll typen Kommun eller ta bort befolkningen först."
    ]
    medlemmar.refresh_from_db()
    assert medlemmar.typ == "kommun"


def test_ett_annat_forbunds_medlemmar_exporteras_inte_och_rors_inte(
    medlemmar, verksamhetsutvecklare, annat_forbund
):
    deras = Medlem.objects.create(forbund=annat_forbund, namn="Testby kommun", typ="kommun")
    Befolkning.objects.create(medlem=deras, ar=2024, invanare=1_000)

    text = exportera(MedlemResource, verksamhetsutvecklare).decode("utf-8-sig")
    result = importera(
        MedlemResource,
        fil(RUBRIK + ";Förbund", "Testby kommun;Kommun;3;2024;2000;SAS"),
        verksamhetsutvecklare,
        radfel_som_filfel=False,
    )
    egen = importera(
        MedlemResource,
        fil(RUBRIK + ";Förbund", "Testby kommun;Kommun;3;2024;43 600;STB"),
        verksamhetsutvecklare,
    )

    assert "1000" not in text and "SAS" not in text
    assert meddelanden(result) == [
        "Rad 2, Förbund: Du hör inte till Samordningsförbundet Annanstans och kan inte "
        "importera till det förbundet."
    ]
    assert meddelanden(egen) == []
    assert befolkning(deras) == {2024: 1_000}
    assert befolkning(medlemmar)[2024] == 43_600


def test_bara_kansliet_importerar_medlemmar(medlemmar, styrelse, utomstaende):
    styrelsens = importera(MedlemResource, fil(RUBRIK, "Ny kommun;Kommun;4;;"), styrelse)
    utomstaendes = importera(
        MedlemResource,
        fil(RUBRIK + ";Förbund", "Ny kommun;Kommun;4;;;STB"),
        utomstaende,
        radfel_som_filfel=False,
    )

    assert meddelanden(styrelsens)[0].startswith("Du har inte behörighet att importera")
    assert meddelanden(utomstaendes) == [
        "Rad 2, Förbund: Du hör inte till Samordningsförbundet Testbygden och kan inte "
        "importera till det förbundet."
    ]
    assert not Medlem.objects.filter(namn="Ny kommun").exists()


def test_sidan_importera_och_exportera_har_medlemmarna(
    client, medlemmar, verksamhetsutvecklare, styrelse
):
    client.force_login(verksamhetsutvecklare)
    sida = client.get(reverse("data:oversikt")).content.decode()
    export = client.get(reverse("data:export", args=["medlem", "csv"]))
    mall = client.get(reverse("data:mall", args=["medlem", "csv"]))

    assert "Medlemmar" in sida
    assert export.status_code == mall.status_code == 200
    assert (
        export.content.decode("utf-8-sig").splitlines()[-1] == "Testby kommun;Kommun;3;2024;43505"
    )
    assert mall.content.decode("utf-8-sig").splitlines() == [RUBRIK]
    client.force_login(styrelse)
    assert client.get(reverse("data:export", args=["medlem", "csv"])).status_code == 403


def test_tjansten_kontrollerar_reglerna_och_behorigheten(
    medlemmar, forbund, verksamhetsutvecklare, utomstaende, annat_forbund
):
    with pytest.raises(ValidationError) as fel:
        medlem_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            namn="testby KOMMUN",
            typ="kommun",
            befolkning={2024: 10, 2025: 20},
        )
    assert fel.value.message_dict == {"namn": ["Medlemmen ”testby KOMMUN” finns redan i listan."]}
    with pytest.raises(PermissionDenied):
        medlem_spara(user=utomstaende, forbund=forbund, namn="Ny", typ="af")
    deras = Medlem.objects.create(forbund=annat_forbund, namn="Deras", typ="af")
    with pytest.raises(PermissionDenied):
        medlem_spara(
            user=verksamhetsutvecklare, forbund=forbund, medlem=deras, namn="Deras", typ="af"
        )

    medlem_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        medlem=medlemmar,
        namn="Testby kommun",
        typ="kommun",
        ordning=7,
        befolkning={2024: 43_600},
    )
    medlemmar.refresh_from_db()
    assert medlemmar.ordning == 7
    assert befolkning(medlemmar) == {2023: 43_100, 2024: 43_600}
    rad = AuditEntry.objects.get(object_id=str(medlemmar.pk), action=AuditEntry.Action.ANDRAD)
    assert rad.changes == {"ordning": [3, 7], "invånare 31/12 2024": [43_505, 43_600]}


def test_sidans_formular_har_samma_regel_for_en_kommun_med_befolkning(
    medlemmar, forbund, verksamhetsutvecklare
):
    """The systemadministratör's formset (`medlemmar_spara`, one year) asks the same rule as
    the file: the kommun has population 31/12 2023 besides the year of the form."""
    with pytest.raises(ValidationError) as fel:
        medlemmar_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            rader=[Medlemsrad("Testby kommun", "region", None, medlem=medlemmar, ordning=3)],
            ar=2024,
        )

    assert fel.value.message_dict == {
        "typ": [
            "Medlemmen har befolkning sparad 31/12 2023, och bara kommuner har befolkning. "
            "Behåll typen Kommun eller ta bort befolkningen först."
        ]
    }
    assert befolkning(medlemmar) == {2023: 43_100, 2024: 43_505}
