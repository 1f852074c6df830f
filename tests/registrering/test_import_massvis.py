"""Large month files (issue 15, point 4): rows that the preview does not show, and every row of
a confirmed import, are counted without the library's per-row instance and diff
(`FinsamResource.importtyp`), and the service writes in bulk rounds. The result must be the
same as the library's per-row way, a bad row anywhere writes nothing, and the number of queries
does not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrering import importuppgifter
from registrering.formats import CSV
from registrering.models import AuditEntry, Forbund, Manadsrapport, User
from registrering.permissions import Roll
from registrering.resources import ManadsdataResource, VolymdataResource
from registrering.resources.bas import VISADE_RADER
from registrering.resources.manader import ManadBas
from tests import factories
from tests.registrering.importhjalp import MANAD_RUBRIK, fil, meddelanden, tillstand

Status = Manadsrapport.Status


def _bekrafta(resurs: Any, data: bytes, user: User, *, godkand: bool = False) -> Any:
    """The confirm step of /data/ (and of the queued task)."""
    return importuppgifter.importera(
        resurs=resurs,
        dataset=CSV().create_dataset(data),
        user=user,
        godkand=godkand,
        filnamn="manader.csv",
    )


def _forbund_med_manader(forbund: Forbund) -> Any:
    """Two flow insatser and a volyminsats with some saved months in every state that matters."""
    user = factories.UserFactory(
        username=f"vu-{forbund.kortnamn}",
        forbund=forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )
    a = factories.InsatsFactory(forbund=forbund, namn="Insats A")
    b = factories.InsatsFactory(forbund=forbund, namn="Insats B")
    factories.VolyminsatsFactory(forbund=forbund, namn="Insats V")
    varden = {"nya_kvinnor": 2, "nya_man": 1, "avslutade_kvinnor": 0, "avslutade_man": 0}
    factories.ManadsrapportFactory(insats=a, ar=2025, manad=1, status=Status.INSKICKAD, **varden)
    factories.ManadsrapportFactory(insats=a, ar=2025, manad=2, status=Status.INSKICKAD, **varden)
    factories.ManadsrapportFactory(insats=a, ar=2025, manad=3, status=Status.GODKAND, **varden)
    factories.ManadsrapportFactory(insats=b, ar=2025, manad=1, status=Status.UTKAST, **varden)
    factories.ManadsrapportFactory(insats=b, ar=2025, manad=2, status=Status.RETURNERAD, **varden)
    return user


MANADSFIL = fil(
    MANAD_RUBRIK,
    "Insats A;2025;1;3;1;1;0",  # changed
    "Insats A;2025;2;2;1;0;0",  # unchanged
    "Insats A;2025;3;2;1;0;0",  # approved, unchanged
    "Insats A;2025;4;1;0;0;1",  # new
    "Insats B;2025;1;2;1;0;0",  # a draft: the same figures, now sent in
    "Insats B;2025;2;2;2;1;0",  # returned and changed
    "Insats B;2025;3;0;0;0;0",  # new, all zero
)
VOLYMFIL = fil("Insats;År;Månad;Volym", "Insats V;2025;1;4", "Insats V;2025;2;7")


def _manader(forbund: Forbund, user: User) -> list[tuple[Any, ...]]:
    return sorted(
        (
            r.insats.namn,
            r.ar,
            r.manad,
            r.status,
            r.nya_kvinnor,
            r.nya_man,
            r.avslutade_kvinnor,
            r.avslutade_man,
            r.volym,
            r.version,
            r.inskickad_av_id == user.pk,
            r.godkand_av_id == user.pk,
        )
        for r in Manadsrapport.objects.filter(insats__forbund=forbund).select_related("insats")
    )


def _loggen(forbund: Forbund) -> list[tuple[Any, ...]]:
    return sorted(
        (e.object_repr, e.action, sorted(e.changes.items()), e.kommentar)
        for e in AuditEntry.objects.filter(forbund=forbund, action=AuditEntry.Action.IMPORTERAD)
    )


@pytest.mark.parametrize("godkand", [False, True])
def test_utan_detaljer_blir_som_rad_for_rad(db, forbund, annat_forbund, monkeypatch, godkand):
    """The same files into two förbund in the same state: one the bulk way, one with the
    library's per-row instance and diff. The same months, the same audit rows, the same totals."""
    forsta, andra = _forbund_med_manader(forbund), _forbund_med_manader(annat_forbund)

    snabbt = [
        _bekrafta(ManadsdataResource, MANADSFIL, forsta, godkand=godkand).totals,
        _bekrafta(VolymdataResource, VOLYMFIL, forsta, godkand=godkand).totals,
    ]
    monkeypatch.setattr(ManadBas, "importtyp", lambda self, rad: None)
    rad_for_rad = [
        _bekrafta(ManadsdataResource, MANADSFIL, andra, godkand=godkand).totals,
        _bekrafta(VolymdataResource, VOLYMFIL, andra, godkand=godkand).totals,
    ]

    assert snabbt == rad_for_rad
    assert snabbt[0]["new"] == 2 and snabbt[0]["update"] == (4 if godkand else 3)
    assert _manader(forbund, forsta) == _manader(annat_forbund, andra)
    assert _loggen(forbund) == _loggen(annat_forbund)
    assert len(_loggen(forbund)) == snabbt[0]["new"] + snabbt[0]["update"] + 2


def test_forhandsgranskningen_visar_de_forsta_raderna_och_raknar_resten(
    db, forbund, verksamhetsutvecklare
):
    """A preview of more rows than are shown: the first `VISADE_RADER` valid rows with their
    values, the rest counted; nothing is saved."""
    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(60)]
    rader = [
        f"{i.namn};{ar};{manad};1;0;0;0"
        for i in insatser
        for ar in (2024, 2025)
        for manad in range(1, 13)
    ]
    result = ManadsdataResource(user=verksamhetsutvecklare, radfel_som_filfel=False).import_data(
        CSV().create_dataset(fil(MANAD_RUBRIK, *rader)), dry_run=True
    )
    assert len(rader) > VISADE_RADER
    assert result.totals["new"] == len(rader)
    giltiga = result.valid_rows()
    assert all(r.diff for r in giltiga[:VISADE_RADER])
    assert not any(r.diff for r in giltiga[VISADE_RADER:])
    assert not Manadsrapport.objects.exists()


@pytest.mark.parametrize(
    ("fel_rad", "vantat"),
    [
        ("Insats A;2025;6;1;tre;0;0", "Rad 32, Nya män: Ange ett heltal"),
        ("Insats A;2025;6;0;0;40;0", "Rad 32, Avslutade kvinnor:"),
        ("Insats Okänd;2025;6;1;0;0;0", "Rad 32, Insats: Okänd insats ”Insats Okänd”"),
    ],
)
def test_en_felaktig_rad_mitt_i_sparar_ingenting(
    db, forbund, verksamhetsutvecklare, fel_rad, vantat
):
    """A bad row in the middle of a file (here row 32 of 61): nothing is written, and the
    row, the column and the Swedish message are named."""
    for namn in ("Insats A", "Insats B"):
        factories.InsatsFactory(forbund=forbund, namn=namn)
    rader = [
        f"Insats {x};{ar};{manad};1;1;0;0"
        for x in "AB"
        for ar in (2023, 2024)
        for manad in range(1, 13)
    ]
    rader = [
        *rader[:30],
        fel_rad,
        *rader[30:],
        *(f"Insats B;2025;{m};1;1;0;0" for m in range(1, 7)),
    ]
    fore = tillstand()

    result = _bekrafta(ManadsdataResource, fil(MANAD_RUBRIK, *rader), verksamhetsutvecklare)

    assert result.has_validation_errors()
    assert [m for m in meddelanden(result) if m.startswith(vantat)], meddelanden(result)
    assert all(m.startswith("Rad 32,") for m in meddelanden(result)), meddelanden(result)
    assert tillstand() == fore


def _manadsfil(insatser: list[Any], ar: int) -> bytes:
    return fil(
        MANAD_RUBRIK, *(f"{i.namn};{ar};{m};1;1;0;0" for i in insatser for m in range(1, 13))
    )


def _fragor(user: User, data: bytes, *, dry_run: bool) -> tuple[int, int]:
    """(queries other than the batched INSERTs, batched INSERTs) of a preview or an import."""
    with CaptureQueriesContext(connection) as fragor:
        if dry_run:
            result = ManadsdataResource(user=user, radfel_som_filfel=False).import_data(
                CSV().create_dataset(data), dry_run=True
            )
        else:
            result = _bekrafta(ManadsdataResource, data, user)
    assert not result.has_errors() and not result.has_validation_errors()
    sql = [f["sql"] for f in fragor.captured_queries]
    satser = [
        s
        for s in sql
        if s.startswith(
            ('INSERT INTO "registrering_manadsrapport"', 'INSERT INTO "registrering_auditentry"')
        )
        # PostgreSQL, from 100 rows: the ids in one query, then COPY (registrering.masskrivning)
        or s.startswith(('COPY "registrering_manadsrapport"', 'COPY "registrering_auditentry"'))
        or "nextval(pg_get_serial_sequence(" in s
    ]
    return len(sql) - len(satser), len(satser)


#: The queries of a month file's preview and import, whatever its length, besides the batched
#: INSERTs of the months and their audit rows.
FRAGOR_HOGST = 40


@pytest.mark.parametrize("dry_run", [True, False])
def test_fragorna_vaxer_inte_med_raderna(db, forbund, verksamhetsutvecklare, dry_run):
    """12 rows and 240 rows (1 and 20 insatser, a year each, and the same files again with
    every row unchanged): the same number of queries within a fixed bound, besides INSERTs in
    batches (SQLite takes about 50 months in one INSERT, PostgreSQL 1 000; or, from 100 rows,
    one query for the ids and one COPY)."""
    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(21)]
    fa, manga = _manadsfil(insatser[:1], 2024), _manadsfil(insatser[1:], 2024)
    # Once first, for what is looked up once per process (content types, groups).
    _fragor(verksamhetsutvecklare, _manadsfil(insatser[:1], 2023), dry_run=dry_run)
    (ovriga_fa, insert_fa), (ovriga, insert) = (
        _fragor(verksamhetsutvecklare, fa, dry_run=dry_run),
        _fragor(verksamhetsutvecklare, manga, dry_run=dry_run),
    )
    assert ovriga_fa == ovriga <= FRAGOR_HOGST, (ovriga_fa, ovriga)
    if dry_run:
        assert insert_fa == insert == 0
        return
    assert insert_fa == 2 and insert <= 2 * (240 // 50 + 1), (insert_fa, insert)
    assert Manadsrapport.objects.count() == 21 * 12 + 12
    igen = [
        _fragor(verksamhetsutvecklare, fa, dry_run=False),
        _fragor(verksamhetsutvecklare, manga, dry_run=False),
    ]
    assert igen[0] == igen[1] and igen[0][0] <= FRAGOR_HOGST and igen[0][1] == 0, igen


def test_import_over_flera_omgangar(db, forbund, verksamhetsutvecklare, monkeypatch):
    """A file larger than a write round (made small here): every month and audit row written."""
    from registrering.services import manad_import

    monkeypatch.setattr(manad_import, "SKRIVOMGANG", 7)
    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(3)]
    result = _bekrafta(ManadsdataResource, _manadsfil(insatser, 2025), verksamhetsutvecklare)
    assert result.totals["new"] == 36
    assert Manadsrapport.objects.filter(status=Status.INSKICKAD).count() == 36
    loggen = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD)
    assert loggen.count() == 36
    assert len({e.tid for e in loggen}) == 1  # one import, one time, whatever the rounds


def test_reglerna_kors_en_gang_per_import(db, forbund, verksamhetsutvecklare, monkeypatch):
    """The resource asks the service's rules once (`manadsrapporter_prova`), and the service's
    write takes that verdict in the same transaction instead of checking the rows again."""
    from registrering.services import manad_import

    anrop: list[int] = []
    fel = manad_import.manadsrapporter_fel

    def raknad(**kwargs: Any) -> Any:
        anrop.append(len(kwargs["rader"]))
        return fel(**kwargs)

    monkeypatch.setattr(manad_import, "manadsrapporter_fel", raknad)
    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(2)]
    result = _bekrafta(ManadsdataResource, _manadsfil(insatser, 2025), verksamhetsutvecklare)
    assert result.totals["new"] == 24
    assert anrop == [24]


def test_en_provning_som_inte_galler_kontrolleras_igen(db, forbund, verksamhetsutvecklare):
    """A verdict made in another transaction, for other rows or for another day is not taken:
    the service checks the rows itself, and a bad row writes nothing."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from registrering.ledger import Kon
    from registrering.services import manad_import

    insats = factories.InsatsFactory(forbund=forbund, namn="Insats A")
    idag = dt.date(2026, 11, 23)
    # Ends a participant the insats never had: the ledger rule refuses it.
    dalig = manad_import.ManadImportRad(2, insats, 2025, 1, avslutade=Kon(1, 0))
    provning = manad_import.manadsrapporter_prova(rader=[dalig], idag=idag)
    assert provning.fel and not provning.galler([dalig], idag)
    falska = [
        # A mark of no transaction (never registered in this one).
        manad_import.Provning((dalig,), {}, idag, transaktion=manad_import.Transaktionsmarke()),
        manad_import.Provning((), {}, idag, transaktion=provning.transaktion),
        manad_import.Provning((dalig,), {}, dt.date(2026, 11, 24), provning.transaktion),
    ]
    for falsk in falska:
        assert not falsk.galler([dalig], idag)
        with pytest.raises(ValidationError):
            manad_import.manadsrapporter_importera(
                user=verksamhetsutvecklare, rader=[dalig], idag=idag, provning=falsk
            )
    assert not Manadsrapport.objects.exists()
    giltig = manad_import.Provning((dalig,), {}, idag, provning.transaktion)
    assert giltig.galler([dalig], idag)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_en_provning_galler_inte_i_en_annan_transaktion(forbund):
    """A verdict holds only in the transaction it was made in: not in the next one opened by the
    same atomic block (as every call of a function decorated with `transaction.atomic` opens
    its transaction), nor after its transaction was rolled back; nor after a rolled-back
    savepoint it was made in. Within its transaction, also inside a nested block, it holds."""
    import datetime as dt

    from django.db import transaction

    from registrering.services import manad_import

    insats = factories.InsatsFactory(forbund=forbund, namn="Insats A")
    idag = dt.date(2026, 11, 23)
    rad = manad_import.ManadImportRad(2, insats, 2025, 1)
    blocket = transaction.atomic()
    with blocket:
        provning = manad_import.manadsrapporter_prova(rader=[rad], idag=idag)
        assert provning.galler([rad], idag)
        with transaction.atomic():
            assert provning.galler([rad], idag)
    assert not provning.galler([rad], idag)
    with blocket:
        assert not provning.galler([rad], idag)

    class Avbruten(Exception):
        pass

    with pytest.raises(Avbruten), blocket:
        provning = manad_import.manadsrapporter_prova(rader=[rad], idag=idag)
        raise Avbruten
    with blocket:
        assert not provning.galler([rad], idag)
        with pytest.raises(Avbruten), transaction.atomic():
            i_sparpunkten = manad_import.manadsrapporter_prova(rader=[rad], idag=idag)
            raise Avbruten
        assert not i_sparpunkten.galler([rad], idag)
    assert manad_import.manadsrapporter_prova(rader=[rad], idag=idag).transaktion is None


def test_andrade_manader_behaller_det_som_inte_lastes(db, forbund, verksamhetsutvecklare):
    """The saved months are read with the fields the rules compare (`LASTA_FALT`); a changed
    month keeps the rest (who sent it in, and when), read in one query for all of them."""
    import datetime as dt

    from django.utils import timezone

    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(2)]
    tid = timezone.make_aware(dt.datetime(2025, 2, 3, 4, 5))
    for insats in insatser:
        for m in range(1, 13):
            factories.ManadsrapportFactory(
                insats=insats,
                ar=2024,
                manad=m,
                status=Status.INSKICKAD,
                inskickad_av=verksamhetsutvecklare,
                inskickad_tid=tid,
                kommentar="kvar",
            )

    def andra(antal: int, nya: int) -> int:
        rader = [f"{i.namn};2024;{m};{nya};1;0;0" for i in insatser for m in range(1, 13)]
        with CaptureQueriesContext(connection) as fragor:
            result = _bekrafta(
                ManadsdataResource, fil(MANAD_RUBRIK, *rader[:antal]), verksamhetsutvecklare
            )
        assert result.totals["update"] == antal, result.totals
        return len(fragor.captured_queries)

    andra(1, 5)  # once first, for what is looked up once per process
    assert andra(1, 6) == andra(24, 7)
    sparade = Manadsrapport.objects.filter(insats__in=insatser)
    assert {(r.inskickad_tid, r.inskickad_av_id, r.kommentar) for r in sparade} == {
        (tid, verksamhetsutvecklare.pk, "kvar")
    }
    assert sorted({(r.nya_kvinnor, r.version) for r in sparade}) == [(7, 2), (7, 4)]


def test_liggaren_provas_i_omgangar(db, forbund, verksamhetsutvecklare, monkeypatch):
    """The ledger rule is checked a few insatser at a time (rounds made small here): a month
    that ends more participants than its insats had is still found, in the last round, and
    nothing is written."""
    from registrering.services import manad_import

    monkeypatch.setattr(manad_import, "SKRIVOMGANG", 7)
    insatser = [factories.InsatsFactory(forbund=forbund, namn=f"Insats {n}") for n in range(3)]
    rader = [f"{i.namn};2025;{m};1;0;0;0" for i in insatser for m in range(1, 13)]
    rader[30] = "Insats 2;2025;7;0;0;9;0"  # row 32: 6 kvinnor so far, 9 end
    result = _bekrafta(ManadsdataResource, fil(MANAD_RUBRIK, *rader), verksamhetsutvecklare)
    assert result.has_validation_errors()
    fel = meddelanden(result)
    assert fel[0].startswith("Rad 32, Avslutade kvinnor: Fler avslutade kvinnor (9)"), fel
    # The months after it in the file start below zero; the other insatser have no error.
    assert all(32 <= int(m.split(",")[0].removeprefix("Rad ")) <= 37 for m in fel), fel
    assert not Manadsrapport.objects.exists()
