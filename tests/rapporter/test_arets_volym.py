"""A volyminsats's volume of the year is defined once (`ledger.arets_volym`): the sum of its
months, or for 'unika individer under året' the latest count given. The goal page and the
bilaga both ask it, so they agree also where a month has no volume (rows from before the
rule that every month of a volyminsats gives one, written here past the services)."""

from __future__ import annotations

import pytest

from rapporter.arsdata import arsdata
from rapporter.mal import malsida
from rapporter.mal_manader import Rad, arets_rader, varde
from registrering import ledger
from registrering.models import BudgeteradVolym, Insats
from tests import factories as f

pytestmark = pytest.mark.django_db

UNIKA = Insats.Volymenhet.UNIKA_INDIVIDER
DELTAGARE = Insats.Volymenhet.DELTAGARE


@pytest.mark.parametrize(
    ("enhet", "summa", "senaste", "volym"),
    [
        (UNIKA, 61, 20, 20),
        (UNIKA, 0, None, 0),
        (DELTAGARE, 61, 20, 61),
        (DELTAGARE, 0, None, 0),
    ],
)
def test_arets_volym(enhet, summa, senaste, volym):
    assert ledger.arets_volym(enhet, summa=summa, senaste=senaste) == volym


@pytest.mark.parametrize(
    ("enhet", "volymer", "volym"),
    [
        (UNIKA, (10, 14, 17, None), 17),  # the latest count given, not 0
        (UNIKA, (10, 14, 17, 20), 20),
        (DELTAGARE, (10, 14, 17, None), 41),
    ],
)
def test_malsidan_och_bilagan_ger_samma_volym(forbund, enhet, volymer, volym):
    insats = f.VolyminsatsFactory(forbund=forbund, namn="Fontänhuset", volymenhet=enhet)
    for manad, antal in enumerate(volymer, start=1):
        f.ManadsrapportFactory(insats=insats, ar=2026, manad=manad, status="godkand", volym=antal)
    BudgeteradVolym.objects.create(insats=insats, ar=2026, volym=100)

    (mal,) = [v for v in malsida(forbund=forbund, ar=2026).volymmal if v.namn == "Fontänhuset"]
    (rad,) = arsdata(forbund=forbund, ar=2026).volym
    assert mal.hittills == rad.volym == volym


def test_malsidans_manad_for_manad_tar_senaste_angivna_antalet():
    """The goal page's measure after each month (`varde`, last year's course for the
    seasonal projection): unika individer is the latest count given up to that month."""
    insats = Insats(uppfoljning=Insats.Uppfoljning.VOLYM, volymenhet=UNIKA)
    manader = {
        1: Rad(0, 10, "godkand"),
        2: Rad(0, 14, "godkand"),
        3: Rad(0, 17, "godkand"),
        4: Rad(0, None, "godkand"),
    }
    assert [varde(insats, manader, m) for m in range(5)] == [0, 10, 14, 17, 17]


def test_arets_rader_i_vilken_ordning_som_helst():
    """The rows come in the database's order (PostgreSQL gives no month order without
    ORDER BY): the latest count given is the latest month's, not the last row's."""
    # insats, year, month, nya kvinnor, nya män, avslutade kvinnor, avslutade män, volym, status
    rader = [
        (1, 2026, manad, 0, 0, 0, 0, volym, "godkand")
        for manad, volym in ((3, 17), (4, None), (1, 10), (2, 14))
    ]
    per_insats, _flode = arets_rader(rader, {1}, set(), 2026)
    assert (per_insats[1].manad, per_insats[1].sista_volym, per_insats[1].volym) == (4, 17, 41)
