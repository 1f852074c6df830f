"""Import and export of outcomes and effects (outcome goals, key figures, transitions, outcome
categories) and their admin: every row through the services of `registrering.services.effekter`,
all or nothing, with Swedish messages per row and column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import resources, services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    Avslutsanledning,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forbund,
    Forflyttning,
    Inkomstnyckeltal,
    Utfallsmal,
)
from tests import factories as f
from tests.registrering.importhjalp import fil, importera, meddelanden

pytestmark = pytest.mark.django_db
AR = 2025
Action = AuditEntry.Action

EFFEKTRESURSER = [
    resources.AvslutsanledningKategoriResource,
    resources.UtfallsmalResource,
    resources.EffektnyckeltalResource,
    resources.ErsattningsnyckeltalResource,
    resources.InkomstnyckeltalResource,
    resources.ForflyttningResource,
]
INKOMST_RUBRIK = (
    "År;Lön per år;Löneökning %;Kommunalskatt %;Regionskatt %;Arbetsgivaravgift %;"
    "Jobbskatteavdrag;Källa"
)
ERSATTNING_RUBRIK = "År;Kod;Ersättning;Betalas av;Belopp per år;Årlig ökning %;Skattepliktig;Källa"
FORFLYTTNING_RUBRIK = "Insats;År;Från;Till;Antal"


def radfel(result) -> list[str]:
    """The rows' messages; the file's summary of them says that nothing was saved."""
    texter = meddelanden(result)
    if texter:
        assert texter[0].split("\n")[0].endswith("inget har sparats."), texter[0]
    return [t for t in texter if t.startswith("Rad ")]


# --- a förbund of its own ------------------------------------------------------------------------


@pytest.fixture
def vu(verksamhetsutvecklare, forbund):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)
    return verksamhetsutvecklare


def test_svenska_decimaler_och_procenttecken(vu, forbund):
    data = fil(INKOMST_RUBRIK, "2025;270 000;3,5;20,67;11,70 %;31,42;12 000;SCB 2024")
    result = importera(resources.InkomstnyckeltalResource, data, vu)
    assert meddelanden(result) == []
    rad = Inkomstnyckeltal.objects.get(forbund=forbund, ar=AR)
    assert (rad.arslon, rad.loneokning, rad.kommunalskatt, rad.regionskatt) == (
        270_000,
        Decimal("3.50"),
        Decimal("20.67"),
        Decimal("11.70"),
    )
    assert audit_entries_for(rad).latest("tid").action == Action.IMPORTERAD


def test_en_felaktig_rad_sparar_inget_och_namnger_rad_och_kolumn(vu, forbund):
    fore = list(Ersattningsnyckeltal.objects.values_list("kod", "arsbelopp"))
    loggrader = AuditEntry.objects.count()
    data = fil(
        ERSATTNING_RUBRIK,
        "2025;forsorjningsstod;Försörjningsstöd;Kommun;120 000;3;Nej;Socialstyrelsen",
        "2025;a_kassa;A-kassa;Staten;många;2;Ja;IAF",
        "2025;a-kassa ny;A-kassa;Staten;1;2;Kanske;IAF",
    )
    result = importera(resources.ErsattningsnyckeltalResource, data, vu)
    assert radfel(result) == [
        "Rad 3, Belopp per år: Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”många”).",
        "Rad 4, Skattepliktig: Okänt värde ”Kanske”. Ange Ja eller Nej.",
        "Rad 4, Kod: Okänd ersättning ”a-kassa ny”. En ny ersättnings kod får bara innehålla "
        "a–z, 0–9, - och _, t.ex. forsorjningsstod.",
    ]
    assert list(Ersattningsnyckeltal.objects.values_list("kod", "arsbelopp")) == fore
    assert AuditEntry.objects.count() == loggrader


def test_en_regel_som_bryts_avvisas_i_sin_kolumn(vu, forbund):
    data = fil(INKOMST_RUBRIK, "2025;270 000;3;80;25;31,42;12 000;", "2026;1;0;1;1;1;1;")
    result = importera(resources.InkomstnyckeltalResource, data, vu)
    assert radfel(result) == [
        "Rad 2, Regionskatt %: Kommunalskatt och regionskatt kan inte vara 100 % tillsammans.",
        "Rad 3, Jobbskatteavdrag: Jobbskatteavdraget måste vara mindre än lönen.",
    ]
    assert Inkomstnyckeltal.objects.get(forbund=forbund, ar=AR).kommunalskatt == Decimal("20.67")


def test_ersattningens_namn_tas_for_koden(vu, forbund):
    data = fil(ERSATTNING_RUBRIK, "2025;Försörjningsstöd;Försörjningsstöd;kommun;115000;3;nej;S")
    result = importera(resources.ErsattningsnyckeltalResource, data, vu)
    assert meddelanden(result) == [] and result.totals["update"] == 1
    rad = Ersattningsnyckeltal.objects.get(forbund=forbund, ar=AR, kod="forsorjningsstod")
    assert (rad.arsbelopp, rad.kalla) == (115_000, "S")


def test_forflyttningar_med_namn_och_koder_och_en_okand_ersattning(vu, forbund, insats):
    data = fil(
        FORFLYTTNING_RUBRIK,
        f"{insats.namn};2025;Försörjningsstöd;Arbete;4",
        f"{insats.namn};2025;sjukpenning;Aktivitetsersättning;2",
        f"{insats.namn};2025;aktivitetsstod;studier;1",
    )
    result = importera(resources.ForflyttningResource, data, vu)
    assert meddelanden(result) == []
    assert set(Forflyttning.objects.values_list("fran", "till", "antal")) == {
        ("forsorjningsstod", "arbete", 4),
        ("sjukpenning", "aktivitetsersattning", 2),
        ("aktivitetsstod", "studier", 1),
    }

    fel = fil(
        FORFLYTTNING_RUBRIK,
        f"{insats.namn};2025;Lotterivinst;Arbete;4",
        f"{insats.namn};2025;sjukpenning;sjukpenning;1",
        f"{insats.namn};2025;sjukpenning;arbete;-1",
    )
    result = importera(resources.ForflyttningResource, fel, vu)
    assert radfel(result) == [
        "Rad 2, Från: Ersättningen Lotterivinst finns inte bland årets nyckeltal.",
        "Rad 3, Till: Att stanna på sjukpenning/rehabiliteringspenning anges som ingen "
        "förflyttning.",
        "Rad 4, Antal: Antalet från sjukpenning/rehabiliteringspenning kan inte vara mindre än 0.",
    ]
    assert Forflyttning.objects.count() == 3


def test_forflyttningens_fel_star_i_den_kolumn_regeln_avser(vu, forbund, insats):
    """The rule says which part of a cell is wrong; the import names that column."""
    fel = fil(
        FORFLYTTNING_RUBRIK,
        f"{insats.namn};2025;sjukpenning;Studiemedel;2",
        f"{insats.namn};2025;sjukpenning;Lotterivinst;2",
    )
    result = importera(resources.ForflyttningResource, fel, vu)
    assert radfel(result) == [
        "Rad 2, Till: Att gå till studiemedel anges som Studier.",
        "Rad 3, Till: Förflyttningen till Lotterivinst finns inte bland årets nyckeltal.",
    ]
    assert not Forflyttning.objects.exists()


def test_antal_0_i_filen_tar_bort_cellen_och_loggen_sager_att_det_var_en_fil(vu, insats):
    services.forflyttningar_spara(
        user=vu, insats=insats, ar=AR, matris={("forsorjningsstod", "arbete"): 4}
    )
    rad = Forflyttning.objects.get()
    data = fil(FORFLYTTNING_RUBRIK, f"{insats.namn};2025;forsorjningsstod;arbete;0")
    result = importera(resources.ForflyttningResource, data, vu)
    assert meddelanden(result) == []
    assert not Forflyttning.objects.exists()
    borttagen = audit_entries_for(rad).get(action=Action.BORTTAGEN)
    assert (borttagen.changes, borttagen.kommentar) == (
        {"antal": [4, None]},
        "Importerad från fil",
    )


def test_forflyttning_ett_ar_utan_nyckeltal_far_forra_arets(vu, forbund, insats):
    data = fil(FORFLYTTNING_RUBRIK, f"{insats.namn};2026;A-kassa;Arbete;2")
    result = importera(resources.ForflyttningResource, data, vu)
    assert meddelanden(result) == []
    assert Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=2026).count() == len(
        Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=AR)
    )
    assert Effektnyckeltal.objects.filter(forbund=forbund, ar=2026).exists()


def test_utfallsmal_importeras_och_ar_utanfor_gransen_avvisas(vu, insats):
    rubrik = "Insats;År;Mål %"
    result = importera(resources.UtfallsmalResource, fil(rubrik, f"{insats.namn};2025;35"), vu)
    assert meddelanden(result) == []
    mal = Utfallsmal.objects.get(insats=insats, ar=AR)
    assert audit_entries_for(mal).get().action == Action.IMPORTERAD

    result = importera(resources.UtfallsmalResource, fil(rubrik, f"{insats.namn};2025;120"), vu)
    assert radfel(result) == ["Rad 2, Mål %: Målet ska vara mellan 0 och 100 %."]
    mal.refresh_from_db()
    assert mal.procent == 35


def test_utfallskategori_andras_bara_genom_tjansten(vu, forbund):
    anledning = f.AvslutsanledningFactory(forbund=forbund, namn="Sjukdom", kategori="sjukdom")
    rubrik = "Avslutsanledning;Uppsättning;Utfallskategori"
    data = fil(rubrik, f"sjukdom;{anledning.uppsattning};Arbetslivsinriktad rehabilitering")
    result = importera(resources.AvslutsanledningKategoriResource, data, vu)
    assert meddelanden(result) == []
    anledning.refresh_from_db()
    assert anledning.kategori == Avslutsanledning.Kategori.REHABILITERING
    logg = audit_entries_for(anledning).get()
    assert logg.changes == {"kategori": ["sjukdom", "rehabilitering"]}

    fel = fil(rubrik, f"Sjukdom;{anledning.uppsattning};Semester", "Okänd;Allmän;Arbete")
    result = importera(resources.AvslutsanledningKategoriResource, fel, vu)
    texter = radfel(result)
    assert texter[0].startswith("Rad 2, Utfallskategori: Okänt värde ”Semester”. Ange Arbete,")
    assert texter[1].startswith("Rad 3, Avslutsanledning: Okänd avslutsanledning ”Okänd”")
    assert Avslutsanledning.objects.get(pk=anledning.pk).kategori == "rehabilitering"


def test_utfallskategori_tjanstens_regel_och_behorighet(vu, forbund, utomstaende):
    anledning = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete", kategori="arbete")
    with pytest.raises(ValidationError) as exc:
        services.avslutsanledning_kategori_satt(user=vu, anledning=anledning, kategori="semester")
    assert exc.value.message_dict["kategori"][0].startswith("Okänd utfallskategori. Välj en av:")
    with pytest.raises(PermissionDenied):
        services.avslutsanledning_kategori_satt(
            user=utomstaende, anledning=anledning, kategori="studier"
        )
    services.avslutsanledning_kategori_satt(user=vu, anledning=anledning, kategori="arbete")
    assert not audit_entries_for(anledning).exists()  # unchanged: no audit row


def test_ett_annat_forbunds_rader_kan_inte_importeras(vu, forbund, annat_forbund):
    data = fil("Förbund;" + INKOMST_RUBRIK, "SAS;2025;270000;3;20;11;31;12000;")
    result = importera(resources.InkomstnyckeltalResource, data, vu)
    assert radfel(result) == [
        "Rad 2, Förbund: Du hör inte till Samordningsförbundet Annanstans och kan inte "
        "importera till det förbundet."
    ]
    assert not Inkomstnyckeltal.objects.filter(forbund=annat_forbund).exists()
    assert Forbund.objects.count() == 2
