"""Import and export of outcomes and effects with the demo förbund: every resource's export
imported again changes nothing and writes no audit row; a changed cell is written by the
service with the file's name. The demo data is loaded once for the module."""

from __future__ import annotations

import pytest
from django.db import transaction

from registrering import demodata, resources
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Forflyttning, User
from tests.registrering.importhjalp import IDAG, exportera, fil, importera, meddelanden
from tests.registrering.test_effekt_import import (
    EFFEKTRESURSER,
    FORFLYTTNING_RUBRIK,
    INKOMST_RUBRIK,
)

pytestmark = pytest.mark.django_db
AR = 2025
Action = AuditEntry.Action


@pytest.fixture(scope="module")
def _demoforbund(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demodata.ladda(idag=IDAG).pk
        transaction.set_rollback(True)


@pytest.fixture
def demo_vu(_demoforbund, db):
    return User.objects.get(username="verksamhetsutvecklare")


@pytest.mark.parametrize("resurs", EFFEKTRESURSER, ids=lambda r: r.__name__)
def test_export_och_import_igen_andrar_inget_och_loggar_inget(demo_vu, resurs):
    fore = exportera(resurs, demo_vu)
    loggrader = AuditEntry.objects.count()

    result = importera(resurs, fore, demo_vu)

    assert meddelanden(result) == []
    assert result.total_rows > 1
    assert result.totals["skip"] == result.total_rows
    assert AuditEntry.objects.count() == loggrader
    assert exportera(resurs, demo_vu) == fore


def test_demons_export_har_svenska_rubriker_och_decimalkomma(demo_vu):
    inkomst = exportera(resources.InkomstnyckeltalResource, demo_vu).decode("utf-8-sig")
    assert inkomst.splitlines()[0] == INKOMST_RUBRIK
    assert ";20,67;11,7;31,42;" in inkomst.splitlines()[1]
    forflyttning = exportera(resources.ForflyttningResource, demo_vu).decode("utf-8-sig")
    assert forflyttning.splitlines()[0] == FORFLYTTNING_RUBRIK
    assert "Försteg Motala;2025;forsorjningsstod;arbete;" in forflyttning


def test_andrad_forflyttning_skrivs_av_tjansten_med_filens_namn(demo_vu):
    data = fil(FORFLYTTNING_RUBRIK, "Försteg Motala;2025;Försörjningsstöd;Ingen förflyttning;9")
    result = importera(resources.ForflyttningResource, data, demo_vu)
    assert meddelanden(result) == [] and result.totals["update"] == 1
    rad = Forflyttning.objects.get(
        insats__namn="Försteg Motala", ar=AR, fran="forsorjningsstod", till="oforandrad"
    )
    assert rad.antal == 9
    logg = audit_entries_for(rad).latest("tid")
    assert (logg.action, logg.changes) == (Action.IMPORTERAD, {"antal": [4, 9]})
    assert logg.kommentar == "Importerad från fil"
