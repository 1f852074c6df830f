"""The verksamhetsplan and the cost posts as files (registrering.resources.plan): written by
services.plan with the rules of registrering.planregler, each row audited old → new."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Kostnadspost, Verksamhetsplan
from registrering.resources.plan import KostnadspostResource, VerksamhetsplanResource
from registrering.services.plan import kostnadspost_spara, verksamhetsplan_spara
from tests import factories
from tests.registrering.importhjalp import exportera, fil, importera, meddelanden

pytestmark = pytest.mark.django_db
PLAN = (
    "År;Tilldelning (kr);Mål för enkäten %;Tak för eget kapital %;Taket räknas på;"
    "Eget kapital 1/1 (kr)"
)
POSTER = "År;Post;Planerad kostnad (kr);Kod;Typ;Insats;Ordning"


def _text(resurs, user) -> list[str]:
    return exportera(resurs, user).decode("utf-8-sig").splitlines()


def _radfel(resurs, data, user) -> list[str]:
    return meddelanden(importera(resurs, data, user, radfel_som_filfel=False))


def test_verksamhetsplan_tur_och_retur(forbund, verksamhetsutvecklare):
    data = fil(
        PLAN,
        "2025;8 614 000;75;15;genomsnittlig tilldelning;1 010 000",
        "2026;8 584 000;80;12;årets tilldelning;",
    )

    assert meddelanden(importera(VerksamhetsplanResource, data, verksamhetsutvecklare)) == []

    plan = Verksamhetsplan.objects.get(forbund=forbund, ar=2025)
    assert (plan.tilldelning, plan.enkatmal_procent, plan.kapitaltak_procent) == (8_614_000, 75, 15)
    assert (plan.kapitaltak_bas, plan.eget_kapital_ingaende) == ("genomsnitt", 1_010_000)
    ny = Verksamhetsplan.objects.get(forbund=forbund, ar=2026)
    assert (ny.kapitaltak_bas, ny.eget_kapital_ingaende) == ("arets", None)
    export = _text(VerksamhetsplanResource, verksamhetsutvecklare)
    assert export == [
        PLAN,
        "2025;8614000;75;15;genomsnittlig tilldelning;1010000",
        "2026;8584000;80;12;årets tilldelning;",
    ]
    igen = importera(
        VerksamhetsplanResource,
        exportera(VerksamhetsplanResource, verksamhetsutvecklare),
        verksamhetsutvecklare,
    )
    assert meddelanden(igen) == [] and igen.totals["skip"] == 2


def test_planen_med_bara_ar_och_tilldelning_och_en_andring_loggas(forbund, verksamhetsutvecklare):
    importera(
        VerksamhetsplanResource, fil("År;Tilldelning (kr)", "2025;1 000 000"), verksamhetsutvecklare
    )
    plan = Verksamhetsplan.objects.get(forbund=forbund, ar=2025)
    assert (plan.enkatmal_procent, plan.kapitaltak_procent, plan.kapitaltak_bas) == (
        75,
        15,
        "genomsnitt",
    )

    importera(
        VerksamhetsplanResource, fil("År;Tilldelning (kr)", "2025;1 200 000"), verksamhetsutvecklare
    )

    plan.refresh_from_db()
    assert plan.tilldelning == 1_200_000 and plan.enkatmal_procent == 75
    rader = list(audit_entries_for(plan).order_by("id"))
    assert [r.action for r in rader] == [AuditEntry.Action.IMPORTERAD] * 2
    assert rader[-1].changes == {"tilldelning": ["1000000", "1200000"]}
    assert rader[-1].user == verksamhetsutvecklare


def test_fel_i_planen_pa_rad_och_kolumn_och_inget_sparas(forbund, verksamhetsutvecklare):
    data = fil(PLAN, "2025;100;75;15;varje år;", "2026;;75;15;;", "2027;100;101;15;;")

    assert _radfel(VerksamhetsplanResource, data, verksamhetsutvecklare) == [
        "Rad 2, Taket räknas på: Okänt värde ”varje år”. Ange årets tilldelning eller "
        "genomsnittlig tilldelning.",
        "Rad 3, Tilldelning (kr): Värde saknas: ange ett belopp i kronor.",
        "Rad 4, Mål för enkäten %: Målet för enkäten ska vara mellan 0 och 100 (här 101).",
    ]
    assert not Verksamhetsplan.objects.exists()


def test_ett_annat_forbunds_plan_och_poster_lamnas_orörda(
    forbund, annat_forbund, verksamhetsutvecklare, utomstaende
):
    verksamhetsplan_spara(
        user=utomstaende, forbund=annat_forbund, ar=2025, varden={"tilldelning": 500_000}
    )
    kostnadspost_spara(
        user=utomstaende, forbund=annat_forbund, ar=2025, namn="Kansli", varden={"budget": 10}
    )

    importera(VerksamhetsplanResource, fil("År;Tilldelning (kr)", "2025;9"), verksamhetsutvecklare)
    importera(
        KostnadspostResource,
        fil("År;Post;Planerad kostnad (kr)", "2025;Kansli;20"),
        verksamhetsutvecklare,
    )

    assert Verksamhetsplan.objects.get(forbund=annat_forbund).tilldelning == 500_000
    assert Kostnadspost.objects.get(forbund=annat_forbund).budget == 10
    assert Verksamhetsplan.objects.get(forbund=forbund).tilldelning == 9
    assert Kostnadspost.objects.get(forbund=forbund).budget == 20
    assert _text(VerksamhetsplanResource, verksamhetsutvecklare)[1:] == [
        "2025;9;75;15;genomsnittlig tilldelning;"
    ]
    with pytest.raises(PermissionDenied):
        verksamhetsplan_spara(
            user=verksamhetsutvecklare, forbund=annat_forbund, ar=2025, varden={"tilldelning": 1}
        )


def test_kostnadsposter_tur_och_retur(forbund, verksamhetsutvecklare, insats):
    data = fil(
        POSTER,
        "2025;Kansli;1 850 000;1.0;administration;;1",
        f"2025;Försteg;380 000;4.0;insatser;{insats.namn};2",
        "2025;Nätverk;200 000;;;;3",
    )

    assert meddelanden(importera(KostnadspostResource, data, verksamhetsutvecklare)) == []

    poster = {p.namn: p for p in Kostnadspost.objects.filter(forbund=forbund, ar=2025)}
    assert poster["Kansli"].typ == "administration" and poster["Kansli"].insats is None
    assert poster["Försteg"].insats == insats and poster["Försteg"].budget == 380_000
    assert poster["Nätverk"].typ == "insats"
    assert _text(KostnadspostResource, verksamhetsutvecklare) == [
        POSTER,
        "2025;Kansli;1850000;1.0;administration;;1",
        f"2025;Försteg;380000;4.0;insatser;{insats.namn};2",
        "2025;Nätverk;200000;;insatser;;3",
    ]
    igen = importera(
        KostnadspostResource,
        exportera(KostnadspostResource, verksamhetsutvecklare),
        verksamhetsutvecklare,
    )
    assert meddelanden(igen) == [] and igen.totals["skip"] == 3


def test_fel_i_posterna_pa_rad_och_kolumn(forbund, annat_forbund, verksamhetsutvecklare, insats):
    factories.InsatsFactory(forbund=annat_forbund, namn="Deras insats")
    data = fil(
        "År;Post;Planerad kostnad (kr);Typ;Insats",
        f"2025;Kansli;100;administration;{insats.namn}",
        "2025;Utbildning;-1;insatser;",
        f"2019;Försteg;1;;{insats.namn}",
        "2025;Nät;1;;Deras insats",
        "2025;kansli;1;;",
    )

    assert _radfel(KostnadspostResource, data, verksamhetsutvecklare) == [
        "Rad 2, Insats: En post för administration hör inte till någon insats.",
        "Rad 3, Planerad kostnad (kr): Den planerade kostnaden kan inte vara mindre än 0.",
        f"Rad 4, Insats: {insats.namn} pågår inte under 2019.",
        "Rad 5, Insats: Okänd insats ”Deras insats” i Samordningsförbundet Testbygden.",
        "Rad 6, __all__: Raden är en dubblett av rad 2: samma post och år. Ta bort en av dem.",
    ]
    assert not Kostnadspost.objects.exists()


def test_postens_andring_loggas_gammalt_mot_nytt(forbund, verksamhetsutvecklare, insats):
    post = kostnadspost_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=2025,
        namn="Försteg",
        varden={"budget": 100, "insats": insats},
    )

    importera(
        KostnadspostResource,
        fil("År;Post;Planerad kostnad (kr);Typ;Insats", "2025;försteg;150;administration;"),
        verksamhetsutvecklare,
    )

    post.refresh_from_db()
    assert (post.namn, post.budget, post.typ, post.insats) == (
        "Försteg",
        150,
        "administration",
        None,
    )
    senaste = audit_entries_for(post).order_by("-id").first()
    assert senaste.action == AuditEntry.Action.IMPORTERAD
    assert senaste.changes == {
        "budget": ["100", "150"],
        "insats": [insats.namn, None],
        "typ": ["insats", "administration"],
    }


def test_tjansten_nekar_det_regeln_nekar(forbund, verksamhetsutvecklare):
    with pytest.raises(ValidationError) as fel:
        kostnadspost_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=2025, namn=" ", varden={"budget": 1}
        )
    assert fel.value.message_dict == {"namn": ["Ange postens namn."]}
    with pytest.raises(ValidationError):
        verksamhetsplan_spara(user=verksamhetsutvecklare, forbund=forbund, ar=2025, varden={})
    assert not Kostnadspost.objects.exists() and not Verksamhetsplan.objects.exists()
