"""Anonymous answers through a round's public link (the page /e/<lank>/, `enkater.svar_vyer`).

Nobody logs in, and nothing about who answered is kept: an answer adds one to the count of each
chosen option (`Enkatsvar.antal`) and to the round's number of forms handed in
(`Enkattillfalle.antal_svar`). There is no row per respondent, no IP address, no user agent and
no time finer than the date.

Every option a link round asks has its count row from the start: `enkattillfalle_skapa` makes a
row with 0 for each, and a question or option added later gets its rows at once
(`nollrader_for_fraga`). An answer then only UPDATEs existing rows, so neither the rows' ids nor
their order tell which option was chosen first. (A round made before that rule gets all its rows
in one go at its first answer, not only the chosen ones.)

Counting is atomic under concurrency and leaves no race with closing: the transaction begins
by adding 1 to the round's `antal_svar` with a conditional UPDATE (the round still open, a link
round, today within its period). That statement takes the round's row lock, so answers, paper
counts (`enkat_pappersvar`, which locks the round first too) and closing the round queue in one
order, round before counts, and a round closed a moment ago updates no row and the answer is
refused. Then one UPDATE adds 1 to each chosen option with an F() expression. The same few
statements run whatever the number of questions.

The audit log: one row per form handed in, on the round, with no user, no options and the time
set to the start of the day (`audit.logga_anonymt`). Why not one row per round and day with the
day's total? That row would have to be updated at every answer, and the log is append-only: a
row, once written, is never changed. A daily total written later would need a job and would
still be written at a real time. One row per form keeps every change of `antal_svar` explained
by a row of its own ("+1 via länken" on that date), so the log still adds up, while it tells
neither what was answered nor when during the day. What it cannot hide is the order of the rows
(their ids) among the day's other audit rows; that says "after the kansli's 14:03 change", never
what the answer was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F, Q, QuerySet

from registrering import audit, regler
from registrering.models import Enkatfraga, Enkatsvar, Enkattillfalle, Svarsalternativ
from registrering.regler import HELA, Fel

#: {question id: option id}: one answer form as the page posts it.
Svar = Mapping[int, int]

AUDIT_KOMMENTAR = "En enkät inlämnad via länken. Svaren är anonyma: bara dagen sparas."


def tillfallets_fragor(tillfalle: Enkattillfalle) -> QuerySet[Enkatfraga]:
    """The questions the round's link asks: the active questions of its enkät for its group
    (and those for everyone), in order, each with its options (two queries when read)."""
    if tillfalle.enkat_id is None:
        return Enkatfraga.objects.none()
    return (
        Enkatfraga.objects.filter(
            enkat_id=tillfalle.enkat_id,
            forbund_id=tillfalle.forbund_id,
            aktiv=True,
            respondentgrupp__in={tillfalle.respondentgrupp or "", ""},
            alternativ__isnull=False,
        )
        .distinct()
        .order_by("ordning", "id")
        .prefetch_related("alternativ")
    )


def tar_emot_via_lanken(tillfalle: Enkattillfalle, idag: dt.date) -> list[Fel]:
    """Whether the round takes an answer through its link today: it is a link round
    (`kalla`), and open within its period (`regler.enkat_tar_emot`)."""
    if tillfalle.kalla != Enkattillfalle.Kalla.LANK or not tillfalle.lank or not tillfalle.enkat_id:
        return [Fel(HELA, f"{tillfalle.namn} tar inte emot svar via länken.")]
    return regler.enkat_tar_emot(tillfalle, idag)


def enkatsvar_lamna_fel(*, tillfalle: Enkattillfalle, svar: Svar, idag: dt.date) -> list[Fel]:
    """Why this form may not be counted, if it may not: the round takes answers, at least one
    question is answered, and each answer is an option of an active question the round asks
    (one query, for the chosen options)."""
    if stangd := tar_emot_via_lanken(tillfalle, idag):
        return stangd
    if not svar:
        return [Fel(HELA, "Svara på minst en fråga innan du skickar.")]
    return svarens_fel(tillfalle=tillfalle, svar=svar)


def svarens_fel(*, tillfalle: Enkattillfalle, svar: Svar) -> list[Fel]:
    """Why an answer of this form is not counted in the round, if one is not: each is an option
    of an active question of the round's enkät, asked to its group (one query)."""
    valda = {
        a.pk: a
        for a in Svarsalternativ.objects.select_related("fraga").filter(pk__in=set(svar.values()))
    }
    fel: list[Fel] = []
    for fraga_id, alternativ_id in svar.items():
        alternativ = valda.get(alternativ_id)
        if alternativ is None or alternativ.fraga_id != fraga_id or not alternativ.fraga.aktiv:
            fel.append(Fel(f"fraga_{fraga_id}", "Svaret hör inte till någon fråga i enkäten."))
            continue
        fel += [
            Fel(f"fraga_{fraga_id}", f.text)
            for f in regler.svarsalternativ_hor_till(
                tillfalle=tillfalle, fraga=alternativ.fraga, alternativ_text=alternativ.text
            )
        ]
    return fel


def enkatsvar_lamna(*, tillfalle: Enkattillfalle, svar: Svar, idag: dt.date) -> None:
    """Count one anonymous answer form: +1 on the round's forms handed in and on each chosen
    option, and one audit row with the date only (see the module's text). Raises
    `ValidationError` (nothing counted) when the round does not take answers, also when it was
    closed after the checks, or an answer does not belong to it."""
    regler.kontrollera(enkatsvar_lamna_fel(tillfalle=tillfalle, svar=svar, idag=idag))
    alternativ_ids = sorted(set(svar.values()))
    # The transaction starts with a write (SQLite takes its write lock at once) that locks the
    # round: the same order as the paper counts, round before counts.
    with transaction.atomic():
        if not _rakna_formularet(tillfalle, idag):
            aktuellt = Enkattillfalle.objects.get(pk=tillfalle.pk)
            regler.kontrollera(
                tar_emot_via_lanken(aktuellt, idag)
                or [Fel(HELA, f"{tillfalle.namn} tar inte emot svar via länken.")]
            )
        # Checked again under the round's lock: a question changed since the checks above
        # (`enkatfraga_spara` locks the enkät's rounds first) is not answered as it was shown.
        regler.kontrollera(svarens_fel(tillfalle=tillfalle, svar=svar))
        valda = Enkatsvar.objects.filter(tillfalle=tillfalle, alternativ_id__in=alternativ_ids)
        if valda.count() < len(alternativ_ids):  # a round made before its rows were
            _skapa_nollrader(tillfalle.pk, [*_fragornas_alternativ(tillfalle), *alternativ_ids])
        valda.update(antal=F("antal") + 1)
        audit.logga_anonymt(
            instance=tillfalle,
            forbund_id=tillfalle.forbund_id,
            datum=idag,
            kommentar=AUDIT_KOMMENTAR,
        )


def _rakna_formularet(tillfalle: Enkattillfalle, idag: dt.date) -> bool:
    """+1 on the round's forms handed in, if it takes answers through the link today (the
    conditions of `tar_emot_via_lanken`, read under the row's lock); False when it does not."""
    return bool(
        Enkattillfalle.objects.filter(
            Q(slutdatum__isnull=True) | Q(slutdatum__gte=idag),
            pk=tillfalle.pk,
            kalla=Enkattillfalle.Kalla.LANK,
            stangd=False,
            datum__lte=idag,
        ).update(antal_svar=F("antal_svar") + 1)
    )


# --- Count rows made before any answer -------------------------------------------------------


def _fragornas_alternativ(tillfalle: Enkattillfalle) -> list[int]:
    return list(
        Svarsalternativ.objects.filter(fraga__in=tillfallets_fragor(tillfalle)).values_list(
            "pk", flat=True
        )
    )


def _skapa_nollrader(tillfalle_id: int, alternativ_ids: Iterable[int]) -> None:
    Enkatsvar.objects.bulk_create(
        [
            Enkatsvar(tillfalle_id=tillfalle_id, alternativ_id=a, antal=0)
            for a in sorted(set(alternativ_ids))
        ],
        ignore_conflicts=True,
    )


def nollrader_for_tillfalle(tillfalle: Enkattillfalle) -> None:
    """A count row with 0 for every option the round's link asks (none for paper and import
    rounds, whose counts the kansli writes). Called when the round is made."""
    if tillfalle.kalla == Enkattillfalle.Kalla.LANK and tillfalle.enkat_id is not None:
        _skapa_nollrader(tillfalle.pk, _fragornas_alternativ(tillfalle))


def nollrader_for_fraga(fraga: Enkatfraga) -> None:
    """A count row with 0 for each option of `fraga` in every link round that asks it (its
    enkät's rounds for its group, or all of them for a question to everyone). Called when a
    question, a version or an option is added."""
    if fraga.enkat_id is None or not fraga.aktiv:
        return
    tillfallen = Enkattillfalle.objects.filter(
        enkat_id=fraga.enkat_id, forbund_id=fraga.forbund_id, kalla=Enkattillfalle.Kalla.LANK
    )
    if fraga.respondentgrupp:
        tillfallen = tillfallen.filter(respondentgrupp=fraga.respondentgrupp)
    alternativ = list(fraga.alternativ.values_list("pk", flat=True))
    Enkatsvar.objects.bulk_create(
        [
            Enkatsvar(tillfalle_id=t, alternativ_id=a, antal=0)
            for t in sorted(tillfallen.values_list("pk", flat=True))
            for a in sorted(alternativ)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def tillfalle_for_lank(lank: str) -> Enkattillfalle | None:
    """The round whose public link ends in `lank`, with its enkät, or None."""
    if not lank:
        return None
    return Enkattillfalle.objects.select_related("enkat").filter(lank=lank).first()


__all__ = [
    "AUDIT_KOMMENTAR",
    "Svar",
    "enkatsvar_lamna",
    "enkatsvar_lamna_fel",
    "nollrader_for_fraga",
    "nollrader_for_tillfalle",
    "svarens_fel",
    "tar_emot_via_lanken",
    "tillfalle_for_lank",
    "tillfallets_fragor",
]
