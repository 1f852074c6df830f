"""Numbers in every admin form and inline are read as in the browser: with the digits 0–9 only
("٣", "𝟓" and "١" are refused with the browser's message), and whether a number may be negative
is the rules' to say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils.html import escape

from registrering import regler, services
from registrering.models import (
    Arstotal,
    AuditEntry,
    AvslutadePerAnledning,
    BudgeteradVolym,
    Enkatsvar,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Justering,
    Kostnadspost,
    Verksamhetsplan,
)
from tests import factories as f
from tests.registrering.adminhjalp import (
    Enkat,
    budget_data,
    hantering,
    kostnadspost_data,
    ny_enkat,
    texter,
)
from tests.registrering.test_admin import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def vu(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    return client


@dataclass
class Varld:
    insats: Any
    huvudman: Any
    anledning: Any
    enkat: Enkat


@pytest.fixture
def varld(forbund, insats) -> Varld:
    enkat = ny_enkat(forbund, insats)
    anledning = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete")
    anledning.insatser.add(insats)
    return Varld(insats, f.HuvudmanFactory(forbund=forbund, namn="Kommun"), anledning, enkat)


@dataclass(frozen=True)
class Dorr:
    """An admin form with one number in it: where it is posted, the post, what it creates."""

    adress: Callable[[Varld], str]
    data: Callable[[Varld, str], dict[str, str]]
    modell: type
    belopp: bool = False  # an amount in kronor (regler.las_belopp), else a count


DORRAR = {
    "justering": Dorr(
        lambda v: url("justering_add"),
        lambda v, tal: {
            "insats": str(v.insats.pk),
            "ar": "2025",
            "manad": "12",
            "kvinnor": tal,
            "man": "0",
            "anledning": "Inventering",
        },
        Justering,
    ),
    "ingaende_balans": Dorr(
        lambda v: url("ingaendebalans_add"),
        lambda v, tal: {
            "insats": str(v.insats.pk),
            "ar": "2025",
            "kvinnor": tal,
            "man": "0",
            "anledning": "",
            **hantering("per_huvudman"),
        },
        IngaendeBalans,
    ),
    "ingaende_balans_per_huvudman": Dorr(
        lambda v: url("ingaendebalans_add"),
        lambda v, tal: {
            "insats": str(v.insats.pk),
            "ar": "2025",
            "kvinnor": "3",
            "man": "0",
            "anledning": "",
            **hantering("per_huvudman", 1),
            "per_huvudman-0-huvudman": str(v.huvudman.pk),
            "per_huvudman-0-antal": tal,
        },
        IngaendeBalansHuvudman,
    ),
    "arstotal": Dorr(
        lambda v: url("arstotal_add"),
        lambda v, tal: {
            "insats": str(v.insats.pk),
            "ar": "2019",
            "deltagare_kvinnor": tal,
            "deltagare_man": "0",
            "nya_kvinnor": "0",
            "nya_man": "0",
            "avslutade_kvinnor": "0",
            "avslutade_man": "0",
            "volym": "",
            "kalla": "SUS",
        },
        Arstotal,
    ),
    "budgeterad_volym": Dorr(
        lambda v: url("budgeteradvolym_add"),
        lambda v, tal: budget_data(v.insats, tal),
        BudgeteradVolym,
    ),
    "enkatsvar": Dorr(
        lambda v: url("enkatsvar_add"),
        lambda v, tal: {
            "tillfalle": str(v.enkat.tillfalle.pk),
            "alternativ": str(v.enkat.ja.pk),
            "antal": tal,
        },
        Enkatsvar,
    ),
    "enkatsvar_i_tillfallet": Dorr(
        lambda v: url("enkattillfalle_change", v.enkat.tillfalle.pk),
        lambda v, tal: {
            "namn": "Föreläsning",
            "datum": "2025-05-01",
            "insats": str(v.insats.pk),
            **hantering("svar", 1),
            "svar-0-alternativ": str(v.enkat.ja.pk),
            "svar-0-antal": tal,
        },
        Enkatsvar,
    ),
    "manadens_fordelning": Dorr(
        lambda v: url("manadsrapport_add"),
        lambda v, tal: {
            "insats": str(v.insats.pk),
            "ar": "2025",
            "manad": "1",
            "nya_kvinnor": "3",
            "nya_man": "0",
            "avslutade_kvinnor": "3",
            "avslutade_man": "0",
            "volym": "",
            "kommentar": "",
            **hantering("avslut", 1),
            "avslut-0-anledning": str(v.anledning.pk),
            "avslut-0-antal": tal,
            **hantering("nya_huvudman"),
        },
        AvslutadePerAnledning,
    ),
    "kostnadspost": Dorr(
        lambda v: url("kostnadspost_add"),
        lambda v, tal: kostnadspost_data(budget=tal),
        Kostnadspost,
        belopp=True,
    ),
    "verksamhetsplan": Dorr(
        lambda v: url("verksamhetsplan_add"),
        lambda v, tal: {
            "ar": "2025",
            "tilldelning": tal,
            "enkatmal_procent": "75",
            "kapitaltak_procent": "15",
            "kapitaltak_bas": "genomsnitt",
            "eget_kapital_ingaende": "",
        },
        Verksamhetsplan,
        belopp=True,
    ),
}


def las_fel(tal: str, *, belopp: bool) -> str:
    """What the browser says about `tal` (`regler.las_heltal` or `regler.las_belopp`)."""
    with pytest.raises(ValueError) as fel:
        regler.las_belopp(tal) if belopp else regler.las_heltal(tal, tusental=True)
    return str(fel.value)


@pytest.mark.parametrize("tal", ["٣", "𝟓", "١"])
@pytest.mark.parametrize("namn", list(DORRAR))
def test_siffror_ur_andra_skrivsystem_avvisas(vu, varld, namn, tal):
    dorr = DORRAR[namn]
    response = vu.post(dorr.adress(varld), dorr.data(varld, tal))
    assert response.status_code == 200
    assert escape(las_fel(tal, belopp=dorr.belopp)) in response.content.decode()
    assert not dorr.modell.objects.exists()
    assert not AuditEntry.objects.andringar().exists()

    # The same post with the digit written 0–9 is saved.
    response = vu.post(dorr.adress(varld), dorr.data(varld, "3"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert dorr.modell.objects.exists()


def test_justering_far_vara_negativ_i_admin(vu, varld):
    f.ManadsrapportFactory(insats=varld.insats, ar=2025, manad=1, nya_kvinnor=5)
    data = DORRAR["justering"].data(varld, "−2")  # the minus sign, as the pages write it
    response = vu.post(url("justering_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Justering.objects.get().kvinnor == -2


@pytest.mark.parametrize(
    ("namn", "falt", "fel"),
    [
        ("enkatsvar", "antal", lambda: services.enkatsvar_fel(antal=-1)),
        ("budgeterad_volym", "volym", lambda: services.budgeterad_volym_fel(ar=2026, volym=-1)),
        (
            "arstotal",
            "deltagare_kvinnor",
            lambda: services.arstotal_fel(
                ar=2019, varden={"deltagare_kvinnor": -1, "kalla": "SUS"}
            ),
        ),
    ],
)
def test_negativt_antal_avvisas_med_regelns_meddelande(vu, varld, namn, falt, fel):
    dorr = DORRAR[namn]
    response = vu.post(dorr.adress(varld), dorr.data(varld, "-1"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[falt] == texter(fel(), falt)
    assert not dorr.modell.objects.exists()


def test_ett_tal_utan_egen_regel_ar_fortfarande_inte_negativt(vu):
    """The field has no lower bound of its own; where no rule speaks (a post's order), the
    model's bound still refuses a negative number."""
    response = vu.post(url("kostnadspost_add"), kostnadspost_data(ordning="-1"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ordning"]
    assert not Kostnadspost.objects.exists()
