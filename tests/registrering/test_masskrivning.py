"""`skapa_manga` and `skapa_fran_varden`: COPY on PostgreSQL, `bulk_create` on SQLite; the stored
rows are the same as `bulk_create`'s, every row gets its id, and the audit writer's
`skriv_manga_handelser` writes the same audit rows as `skriv_handelser`, also for a `Post`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.audit import (
    MASSKRIVNING_FRAN,
    Handelse,
    Post,
    skriv_handelser,
    skriv_manga_handelser,
)
from registrering.masskrivning import COPY_FRAN, Byggare, skapa_fran_varden, skapa_manga
from registrering.models import AuditEntry, Manadsrapport
from tests import factories

pytestmark = pytest.mark.django_db

TID = timezone.make_aware(dt.datetime(2026, 11, 30, 12, 0, 0))
ANDRINGAR: dict[str, list[Any]] = {
    "nya_kvinnor": [None, 3],
    "avslut": [{}, {'Arbete, "heltid"\n': 2}],
    "x": ["å\\t", ""],
}


def _manader(insats: Any, ar: int, user: Any) -> list[Manadsrapport]:
    return [
        Manadsrapport(
            insats=insats,
            ar=ar + i // 12,
            manad=i % 12 + 1,
            nya_kvinnor=i,
            nya_man=1,
            status=Manadsrapport.Status.INSKICKAD,
            inskickad_av=user,
            inskickad_tid=TID,
        )
        for i in range(150)
    ]


def _kolumner(qs: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(v for k, v in rad.items() if k not in {"id", "ar", "andrad"})
        for rad in qs.order_by("manad", "ar").values()
    ]


def test_manga_manader_som_bulk_create(forbund: Any, verksamhetsutvecklare: Any) -> None:
    a: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    b: Any = factories.InsatsFactory(forbund=forbund, namn="B")
    kopierade = _manader(a, 2010, verksamhetsutvecklare)
    skapa_manga(Manadsrapport, kopierade)
    Manadsrapport.objects.bulk_create(_manader(b, 2010, verksamhetsutvecklare))

    assert all(m.pk and not m._state.adding for m in kopierade)
    assert len({m.pk for m in kopierade}) == 150
    sparade = Manadsrapport.objects.in_bulk([m.pk for m in kopierade])
    assert [(sparade[m.pk].ar, sparade[m.pk].manad) for m in kopierade] == [
        (m.ar, m.manad) for m in kopierade
    ]
    fran_a = [r[1:] for r in _kolumner(Manadsrapport.objects.filter(insats=a))]
    fran_b = [r[1:] for r in _kolumner(Manadsrapport.objects.filter(insats=b))]
    assert fran_a == fran_b
    # the sequence moved on: a later insert gets a fresh id
    ny: Any = factories.ManadsrapportFactory(insats=a, ar=2030, manad=1)
    assert ny.pk > max(m.pk for m in kopierade)


def test_manga_manader_far_en_andringstid(forbund: Any, verksamhetsutvecklare: Any) -> None:
    """The auto_now field `andrad` is set on every instance as stored; by COPY (PostgreSQL)
    the rows of one write share one time, taken as it is written."""
    insats: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    fore = timezone.now()
    kopierade = _manader(insats, 2010, verksamhetsutvecklare)
    skapa_manga(Manadsrapport, kopierade)

    sparade = dict(Manadsrapport.objects.values_list("pk", "andrad"))
    assert [sparade[m.pk] for m in kopierade] == [m.andrad for m in kopierade]
    assert all(m.andrad >= fore for m in kopierade)
    if connection.vendor == "postgresql":
        assert len({m.andrad for m in kopierade}) == 1
    skapa_manga(Manadsrapport, _manader(insats, 2030, verksamhetsutvecklare))
    assert Manadsrapport.objects.get(ar=2030, manad=1).andrad > kopierade[0].andrad


def _handelser(rapporter: list[Manadsrapport]) -> list[Handelse]:
    return [
        Handelse(r, AuditEntry.Action.IMPORTERAD, ANDRINGAR, "Importerad från fil.csv", None)
        for r in rapporter
    ]


def _loggen(rapporter: list[Manadsrapport]) -> list[tuple[Any, ...]]:
    typ = ContentType.objects.get_for_model(Manadsrapport)
    rader = AuditEntry.objects.filter(
        content_type=typ, object_id__in=[str(r.pk) for r in rapporter]
    ).order_by("id")
    return [
        (e.forbund_id, e.user_id, e.action, e.object_repr, e.changes, e.kommentar, e.tid)
        for e in rader
    ]


@pytest.mark.parametrize("antal", [MASSKRIVNING_FRAN - 1, MASSKRIVNING_FRAN])
def test_loggens_masskrivning_ger_samma_rader(
    forbund: Any, verksamhetsutvecklare: Any, antal: int
) -> None:
    """`skriv_manga_handelser` (COPY from plain values on PostgreSQL from `MASSKRIVNING_FRAN`
    rows) writes the rows `skriv_handelser` writes, and bumps the same data versions."""
    from registrering.models import Dataversion

    insats: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    manader = [
        Manadsrapport(insats=insats, ar=2000 + i // 12, manad=i % 12 + 1) for i in range(antal)
    ]
    Manadsrapport.objects.bulk_create(manader)

    ContentType.objects.clear_cache()  # looked up as the rows are made, not during the COPY
    with CaptureQueriesContext(connection) as fragor:
        antal_skrivna = skriv_manga_handelser(
            user=verksamhetsutvecklare, handelser=_handelser(manader), tid=TID
        )
    assert antal_skrivna == antal
    copy = [f["sql"] for f in fragor.captured_queries if f["sql"].startswith("COPY")]
    assert len(copy) == (connection.vendor == "postgresql" and antal >= MASSKRIVNING_FRAN)
    loggen_copy = _loggen(manader)
    versioner = list(Dataversion.objects.order_by("forbund_id", "ar").values_list("ar", "nummer"))
    AuditEntry.objects.all().delete()
    skriv_handelser(user=verksamhetsutvecklare, handelser=_handelser(manader), tid=TID)

    assert loggen_copy == _loggen(manader)
    assert len(loggen_copy) == antal
    assert loggen_copy[0][4] == ANDRINGAR
    assert loggen_copy[0][3] == str(manader[0])
    assert loggen_copy[0][:3] == (forbund.pk, verksamhetsutvecklare.pk, "importerad")
    assert {ar for ar, _v in versioner} == {m.ar for m in manader}
    assert Dataversion.objects.order_by("forbund_id", "ar").values_list("ar", "nummer")[0] == (
        versioner[0][0],
        versioner[0][1] + 1,
    )


def test_byggaren_som_modellen(forbund: Any, verksamhetsutvecklare: Any) -> None:
    """`Byggare` makes the instance `Model(**kwargs)` makes: the same field values, unsaved, the
    related objects cached (no query to read them), and rows sharing nothing they set."""
    insats: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    fasta = {"status": Manadsrapport.Status.INSKICKAD, "inskickad_av": verksamhetsutvecklare}
    ny = Byggare(Manadsrapport, **fasta, inskickad_tid=TID)
    byggda = [ny(insats=insats, ar=2025, manad=m, nya_kvinnor=m) for m in (1, 2)]
    vanliga = [
        Manadsrapport(**fasta, inskickad_tid=TID, insats=insats, ar=2025, manad=m, nya_kvinnor=m)
        for m in (1, 2)
    ]
    falt = [f.attname for f in Manadsrapport._meta.concrete_fields]
    for byggd, vanlig in zip(byggda, vanliga, strict=True):
        assert [getattr(byggd, f) for f in falt] == [getattr(vanlig, f) for f in falt]
        assert byggd._state.adding and byggd.pk is None
    with CaptureQueriesContext(connection) as fragor:
        assert byggda[1].insats is insats and byggda[1].inskickad_av is verksamhetsutvecklare
    assert not fragor.captured_queries
    assert byggda[0].manad == 1 and byggda[1].manad == 2
    skapa_manga(Manadsrapport, byggda)
    assert Manadsrapport.objects.filter(insats=insats, inskickad_tid=TID).count() == 2


def test_farre_skrapsamlingar_aterstaller_troskeln() -> None:
    """The collector's threshold is raised while imports run (nested or in several threads)
    and put back as it was when the last one ends, also after an error."""
    import gc

    from registrering.masskrivning import FARRE_SKRAPSAMLINGAR, farre_skrapsamlingar

    fore = gc.get_threshold()
    with pytest.raises(RuntimeError), farre_skrapsamlingar():
        assert gc.get_threshold()[0] == max(fore[0], FARRE_SKRAPSAMLINGAR)
        with farre_skrapsamlingar():
            pass
        assert gc.get_threshold()[0] == max(fore[0], FARRE_SKRAPSAMLINGAR)
        raise RuntimeError
    assert gc.get_threshold() == fore


@pytest.mark.parametrize("antal", [COPY_FRAN - 1, 150])
def test_fran_varden_som_modellen(forbund: Any, verksamhetsutvecklare: Any, antal: int) -> None:
    """`skapa_fran_varden` stores the rows that instances made with the same values store
    (defaults, shared values, the auto_now time), by COPY on PostgreSQL from `COPY_FRAN` rows,
    and returns their ids in the rows' order."""
    a: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    b: Any = factories.InsatsFactory(forbund=forbund, namn="B")
    fasta = {
        "status": Manadsrapport.Status.INSKICKAD,
        "inskickad_av": verksamhetsutvecklare,
        "inskickad_tid": TID,
    }
    kolumner = ("insats_id", "ar", "manad", "nya_kvinnor", "volym")
    varden = [(2010 + i // 12, i % 12 + 1, i, None if i % 2 else i) for i in range(antal)]
    fore = timezone.now()
    with CaptureQueriesContext(connection) as fragor:
        ids = skapa_fran_varden(Manadsrapport, kolumner, [(a.pk, *v) for v in varden], **fasta)
    Manadsrapport.objects.bulk_create(
        Manadsrapport(insats=b, **dict(zip(kolumner[1:], v, strict=True)), **fasta) for v in varden
    )

    copy = [f["sql"] for f in fragor.captured_queries if f["sql"].startswith("COPY")]
    assert len(copy) == (connection.vendor == "postgresql" and antal >= COPY_FRAN)
    sparade = Manadsrapport.objects.in_bulk(ids)
    assert [(sparade[pk].ar, sparade[pk].manad) for pk in ids] == [v[:2] for v in varden]
    fran_a = [r[1:] for r in _kolumner(Manadsrapport.objects.filter(insats=a))]
    fran_b = [r[1:] for r in _kolumner(Manadsrapport.objects.filter(insats=b))]
    assert fran_a == fran_b
    forsta = sparade[ids[0]]  # the shared values, not the model's defaults:
    assert (forsta.status, forsta.inskickad_av_id) == ("inskickad", verksamhetsutvecklare.pk)
    assert all(fore <= sparade[pk].andrad <= timezone.now() for pk in ids)
    ny: Any = factories.ManadsrapportFactory(insats=a, ar=2030, manad=1)
    assert ny.pk > max(ids)


def test_loggens_post_som_instansen(forbund: Any, verksamhetsutvecklare: Any) -> None:
    """An event given by a `Post` (the record's values) writes the audit row and bumps the data
    versions an event given by the instance does."""
    from registrering import dataversion
    from registrering.models import Dataversion

    insats: Any = factories.InsatsFactory(forbund=forbund, namn="A")
    manader = [
        Manadsrapport(insats=insats, ar=2000 + i // 12, manad=i % 12 + 1)
        for i in range(MASSKRIVNING_FRAN)
    ]
    Manadsrapport.objects.bulk_create(manader)
    poster = [
        Handelse(
            Post(Manadsrapport, m.pk, str(m), dataversion.aren_for(m)),
            AuditEntry.Action.IMPORTERAD,
            ANDRINGAR,
            "Importerad från fil.csv",
            forbund.pk,
        )
        for m in manader
    ]
    skriv_manga_handelser(user=verksamhetsutvecklare, handelser=poster, tid=TID)
    loggen_post = _loggen(manader)
    versioner = dict(Dataversion.objects.values_list("ar", "nummer"))
    AuditEntry.objects.all().delete()
    skriv_manga_handelser(user=verksamhetsutvecklare, handelser=_handelser(manader), tid=TID)

    assert loggen_post == _loggen(manader)
    assert loggen_post[0][:4] == (
        forbund.pk,
        verksamhetsutvecklare.pk,
        "importerad",
        str(manader[0]),
    )
    assert {
        ar: nummer - 1 for ar, nummer in Dataversion.objects.values_list("ar", "nummer")
    } == versioner
