"""Months imported with approval and then their breakdowns, in one go (issue 14, point 2):
the breakdown files add the missing detail to the approved months without unlocking them."""

from __future__ import annotations

import pytest

from registrering import regler, resources
from registrering.audit import audit_entries_for
from registrering.formats import CSV
from registrering.models import AvslutadePerAnledning, Manadsrapport, NyaPerHuvudman
from tests import factories
from tests.registrering.importhjalp import (
    IDAG,
    MANAD_RUBRIK,
    Status,
    fil,
    importera,
    meddelanden,
    tillstand,
)

pytestmark = pytest.mark.django_db

AVSLUT_RUBRIK = "Insats;År;Månad;Avslutsanledning;Antal"
HUVUDMAN_RUBRIK = "Insats;År;Månad;Huvudman;Antal"


def importera_fil(resurs, data: bytes, user, namn: str):
    """As the admin and `manage.py import` do: the file's name goes to the audit rows."""
    dataset = CSV().create_dataset(data)
    return resurs(user=user, idag=IDAG).import_data(dataset, file_name=namn)


@pytest.fixture
def katalog(forbund, insats):
    arbete = factories.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    sjukdom = factories.AvslutsanledningFactory(forbund=forbund, namn="Sjukdom", klass=2)
    insats.avslutsanledningar.set([arbete, sjukdom])
    factories.HuvudmanFactory(forbund=forbund, namn="Kommun")
    factories.HuvudmanFactory(forbund=forbund, namn="Region")


@pytest.fixture
def godkanda_manader(insats, katalog, verksamhetsutvecklare):
    """Three months imported with approval, as the new förbund did."""
    result = importera(
        resources.ManadsdataResource,
        fil(
            MANAD_RUBRIK,
            "Försteg Testby;2025;1;3;1;0;0",
            "Försteg Testby;2025;2;1;1;2;1",
            "Försteg Testby;2025;3;0;2;1;1",
        ),
        verksamhetsutvecklare,
        godkand=True,
    )
    assert meddelanden(result) == []
    assert set(Manadsrapport.objects.values_list("status", flat=True)) == {Status.GODKAND}


def test_fordelningar_efter_godkanda_manader_i_ett_svep(
    insats, godkanda_manader, verksamhetsutvecklare
):
    avslut = importera_fil(
        resources.AvslutadePerAnledningResource,
        fil(
            AVSLUT_RUBRIK,
            "Försteg Testby;2025;2;Arbete;2",
            "Försteg Testby;2025;2;Sjukdom;1",
            "Försteg Testby;2025;3;Arbete;2",
        ),
        verksamhetsutvecklare,
        "avslut.csv",
    )
    nya = importera_fil(
        resources.NyaPerHuvudmanResource,
        fil(
            HUVUDMAN_RUBRIK,
            "Försteg Testby;2025;1;Kommun;3",
            "Försteg Testby;2025;1;Region;1",
            "Försteg Testby;2025;2;Kommun;2",
            "Försteg Testby;2025;3;Region;2",
        ),
        verksamhetsutvecklare,
        "nya.csv",
    )

    assert meddelanden(avslut) == []
    assert meddelanden(nya) == []
    assert AvslutadePerAnledning.objects.count() == 3
    assert NyaPerHuvudman.objects.count() == 4
    februari = Manadsrapport.objects.get(insats=insats, ar=2025, manad=2)
    assert februari.status == Status.GODKAND
    assert (februari.nya_kvinnor, februari.avslutade_kvinnor, februari.avslutade_man) == (1, 2, 1)
    logg = audit_entries_for(februari).filter(action="importerad").first()  # the latest
    assert logg.user == verksamhetsutvecklare
    assert logg.changes == {"nya_huvudman": [{}, {"Kommun": 2}]}
    assert "nya.csv" in logg.kommentar
    assert logg.kommentar == (
        "Importerad från nya.csv. Fördelningen lades till i månaden, som var godkänd men saknade"
        " den; månadens antal ändrades inte"
    )


def test_samma_filer_igen_andrar_ingenting(godkanda_manader, verksamhetsutvecklare):
    avslut = fil(AVSLUT_RUBRIK, "Försteg Testby;2025;2;Arbete;3")
    assert (
        meddelanden(
            importera(resources.AvslutadePerAnledningResource, avslut, verksamhetsutvecklare)
        )
        == []
    )
    fore = tillstand()

    igen = importera(resources.AvslutadePerAnledningResource, avslut, verksamhetsutvecklare)
    manader = importera(
        resources.ManadsdataResource,
        fil(MANAD_RUBRIK, "Försteg Testby;2025;2;1;1;2;1"),
        verksamhetsutvecklare,
        godkand=True,
    )

    assert meddelanden(igen) == meddelanden(manader) == []
    assert igen.totals["skip"] == manader.totals["skip"] == 1
    assert tillstand() == fore


@pytest.mark.parametrize(
    "rader",
    [
        ["Försteg Testby;2025;2;Arbete;1", "Försteg Testby;2025;2;Sjukdom;2"],  # changed
        ["Försteg Testby;2025;2;Arbete;0"],  # removed
    ],
)
def test_en_godkand_manads_fordelning_andras_inte(
    insats, godkanda_manader, verksamhetsutvecklare, rader
):
    importera(
        resources.AvslutadePerAnledningResource,
        fil(AVSLUT_RUBRIK, "Försteg Testby;2025;2;Arbete;3"),
        verksamhetsutvecklare,
    )
    fore = tillstand()

    result = importera(
        resources.AvslutadePerAnledningResource, fil(AVSLUT_RUBRIK, *rader), verksamhetsutvecklare
    )

    assert (
        "Rad 2, __all__: Försteg Testby, februari 2025 är godkänd och låst och har redan en "
        "fördelning per avslutsanledning, som inte kan ändras. Verksamhetsutvecklaren kan låsa "
        "upp månaden med en motivering." in meddelanden(result)
    )
    assert tillstand() == fore
    assert dict(
        AvslutadePerAnledning.objects.filter(rapport__manad=2).values_list(
            "anledning__namn", "antal"
        )
    ) == {"Arbete": 3}


def test_en_fordelning_som_inte_stammer_sparar_ingenting(godkanda_manader, verksamhetsutvecklare):
    fore = tillstand()
    result = importera(
        resources.NyaPerHuvudmanResource,
        fil(
            HUVUDMAN_RUBRIK,
            "Försteg Testby;2025;1;Kommun;3",
            "Försteg Testby;2025;1;Region;1",
            "Försteg Testby;2025;2;Kommun;1",
        ),
        verksamhetsutvecklare,
    )

    assert meddelanden(result) == [
        "Filen har fel på 1 rad; inget har sparats.\n"
        "Rad 4, Antal: Fördelningen per huvudman (1) stämmer inte med antalet nya (2).",
        "Rad 4, Antal: Fördelningen per huvudman (1) stämmer inte med antalet nya (2).",
    ]
    assert tillstand() == fore
    assert NyaPerHuvudman.objects.count() == 0


def test_regeln_for_en_manads_fordelning(insats, verksamhetsutvecklare):
    rapport = factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=1, avslutade_kvinnor=1, status=Status.INSKICKAD
    )
    arbete = factories.AvslutsanledningFactory(forbund=insats.forbund, namn="Arbete")
    insats.avslutsanledningar.set([arbete])
    fall = dict(insats=insats, ar=2025, manad=1, per="avslutsanledning")

    assert (
        regler.fordelning_andras(
            **fall, status=Status.GODKAND, kan_godkanna=True, sparad={}, ny={arbete.pk: 1}
        )
        == []
    )
    assert (
        regler.fordelning_andras(
            **fall, status=Status.REGISTRERAD, kan_godkanna=True, sparad={}, ny={arbete.pk: 1}
        )
        == []
    )
    # Only one who may approve adds to a locked month; an open month follows `manad_oppen`.
    assert regler.fordelning_andras(
        **fall, status=Status.GODKAND, kan_godkanna=False, sparad={}, ny={arbete.pk: 1}
    ) == regler.manad_oppen(
        insats=insats, ar=2025, manad=1, status=Status.GODKAND, kan_godkanna=False
    )
    assert regler.fordelning_andras(
        **fall, status=rapport.status, kan_godkanna=False, sparad={}, ny={arbete.pk: 1}
    ) == regler.manad_oppen(
        insats=insats, ar=2025, manad=1, status=rapport.status, kan_godkanna=False
    )
    assert (
        regler.fordelning_andras(
            **fall, status=Status.GODKAND, kan_godkanna=True, sparad={arbete.pk: 1}, ny={}
        )
        != []
    )
