"""Surveys as the verksamhetsutvecklare manages them: the national catalogue copied into the
förbund, its enkäter and questions (a question with answers gets a new version, never an edit),
rounds with their period, link and state, and the counts of paper forms.

Every function checks that the user administers the förbund, checks the rules of
`registrering.regler`, writes in one transaction and writes the audit row. Nothing here knows
who answered: paper forms add to the counts per option and to the number of forms.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from registrering import enkatkatalog, permissions, regler
from registrering.audit import logga_andring, snapshot
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Insats,
    Svarsalternativ,
    User,
)
from registrering.services._stod import kraver
from registrering.services.enkat_svar import nollrader_for_fraga, nollrader_for_tillfalle

# (text, counts as positive), in order.
Alternativ = tuple[str, bool]

FRAGANS_FALT = ["enkat", "respondentgrupp", "indikator", "text", "ordning", "malfraga", "aktiv"]
TILLFALLETS_FALT = [
    "enkat",
    "respondentgrupp",
    "insats",
    "namn",
    "datum",
    "slutdatum",
    "kalla",
    "stangd",
    "antal_svar",
]


@dataclass(frozen=True)
class Katalogkopia:
    """What `enkatkatalog_kopiera` found or made: the förbund's two enkäter and how many
    questions it added (0 when the catalogue was already there)."""

    nns: Enkat
    utbildning: Enkat
    nya_fragor: int


# --- The catalogue ------------------------------------------------------------------------------


def _kopiera_enkat(
    user: User, forbund: Forbund, katalog: enkatkatalog.Katalogenkat
) -> tuple[Enkat, int]:
    enkat = Enkat.objects.filter(forbund=forbund, namn=katalog.namn).first()
    if enkat is None:
        enkat = Enkat(
            forbund=forbund, namn=katalog.namn, slag=katalog.slag, beskrivning=katalog.beskrivning
        )
        enkat.full_clean()
        enkat.save()
        logga_andring(user=user, instance=enkat, fore={}, efter=snapshot(enkat))
    # An enkät the förbund already has questions in is its own: the catalogue never adds to
    # it, so a question the förbund changed or removed does not come back.
    if enkat.fragor.exists():
        return enkat, 0
    for ordning, fraga in enumerate(katalog.fragor, start=1):
        _fraga_skapa(
            user,
            enkat,
            text=fraga.text,
            respondentgrupp=fraga.respondentgrupp,
            indikator=fraga.indikator,
            alternativ=fraga.skala.med_positiva(),
            malfraga=fraga.malfraga and not _annan_malfraga(forbund, None),
            ordning=ordning,
        )
    return enkat, len(katalog.fragor)


@transaction.atomic
def enkatkatalog_kopiera(*, user: User, forbund: Forbund) -> Katalogkopia:
    """Give the förbund the national catalogue: the NNS enkät and the training enkät with their
    questions and options (`registrering.enkatkatalog`). Idempotent: an enkät that exists with
    questions is left as the förbund has it; one without questions (such as the training enkät
    migration 0010 made for a förbund without survey data) gets the catalogue's. Every enkät,
    question and option made is audited. The förbund's kansli, or the systemadministratör who
    sets the förbund up (the catalogue holds no figures)."""
    kraver(permissions.kan_administrera(user, forbund) or permissions.kan_hantera_forbund(user))
    nns, nya_nns = _kopiera_enkat(user, forbund, enkatkatalog.NNS)
    utbildning, nya_utb = _kopiera_enkat(user, forbund, enkatkatalog.UTBILDNING)
    return Katalogkopia(nns=nns, utbildning=utbildning, nya_fragor=nya_nns + nya_utb)


def utbildningsenkat(forbund: Forbund) -> Enkat | None:
    """The förbund's training enkät (the bilaga §6's): the catalogue's by name, else any."""
    enkater = list(Enkat.objects.filter(forbund=forbund, slag=Enkat.Slag.UTBILDNING))
    namngiven = [e for e in enkater if e.namn == enkatkatalog.UTBILDNING.namn]
    return next(iter(namngiven or enkater), None)


# --- Enkäter ------------------------------------------------------------------------------------


@transaction.atomic
def enkat_spara(
    *,
    user: User,
    enkat: Enkat | None,
    forbund: Forbund,
    namn: str,
    beskrivning: str = "",
    slag: str = Enkat.Slag.EGEN,
) -> Enkat:
    """Create an enkät of the förbund, or change one's name, description and kind."""
    kraver(permissions.kan_administrera(user, forbund))
    if enkat is not None and enkat.pk is not None:
        kraver(enkat.forbund_id == forbund.pk)
        post = Enkat.objects.select_for_update().get(pk=enkat.pk)
        fore = snapshot(post)
    else:
        post, fore = Enkat(forbund=forbund), {}
    post.namn, post.beskrivning, post.slag = namn.strip(), beskrivning.strip(), slag
    post.full_clean()
    post.save()
    logga_andring(user=user, instance=post, fore=fore, efter=snapshot(post))
    return post


# --- Questions ----------------------------------------------------------------------------------


def fraga_har_svar(fraga: Enkatfraga) -> bool:
    """Whether anyone has answered the question (a count above 0 in any round)."""
    return Enkatsvar.objects.filter(alternativ__fraga=fraga, antal__gt=0).exists()


def _las_tillfallen(enkat: Enkat) -> None:
    """Lock the rows of the enkät's rounds until the transaction ends. Every answer takes its
    round's row first (the link's and the paper forms' counting), so while a question is being
    changed no answer to it is counted: whether it has answers (`fraga_har_svar`), read after
    this, stays true until the change is saved, and an answer waiting for the lock checks its
    question again and finds it as changed."""
    list(
        Enkattillfalle.objects.select_for_update(no_key=True)
        .filter(enkat=enkat)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _annan_malfraga(forbund: Forbund, fraga: Enkatfraga | None) -> str | None:
    andra = Enkatfraga.objects.filter(forbund=forbund, malfraga=True, aktiv=True)
    if fraga is not None and fraga.pk is not None:
        andra = andra.exclude(Q(pk=fraga.pk))
    annan = andra.first()
    return annan.text if annan else None


def _alternativ_snapshot(fraga: Enkatfraga) -> dict[str, str]:
    return {
        a.text: f"ordning {a.ordning}, {'positivt' if a.positivt else 'inte positivt'}"
        for a in fraga.alternativ.all()
    }


def _satt_alternativ(fraga: Enkatfraga, alternativ: Sequence[Alternativ]) -> None:
    """The question's options become `alternativ`: kept by text, others removed."""
    befintliga = {a.text: a for a in fraga.alternativ.all()}
    onskade = [(text.strip(), positivt) for text, positivt in alternativ]
    Svarsalternativ.objects.filter(fraga=fraga).exclude(text__in=[t for t, _p in onskade]).delete()
    for ordning, (text, positivt) in enumerate(onskade, start=1):
        post = befintliga.get(text) or Svarsalternativ(fraga=fraga, text=text)
        post.ordning, post.positivt = ordning, positivt
        post.full_clean()
        post.save()


def _fraga_skapa(
    user: User,
    enkat: Enkat,
    *,
    text: str,
    respondentgrupp: str,
    indikator: int | None,
    alternativ: Sequence[Alternativ],
    malfraga: bool,
    ordning: int,
    ersatter: Enkatfraga | None = None,
) -> Enkatfraga:
    fraga = Enkatfraga(
        forbund_id=enkat.forbund_id,
        enkat=enkat,
        respondentgrupp=respondentgrupp,
        indikator=indikator,
        text=text.strip(),
        ordning=ordning,
        malfraga=malfraga,
        ersatter=ersatter,
        version=ersatter.version + 1 if ersatter else 1,
    )
    fraga.full_clean()
    fraga.save()
    _satt_alternativ(fraga, alternativ)
    nollrader_for_fraga(fraga)
    efter = {**snapshot(fraga, FRAGANS_FALT), "alternativ": _alternativ_snapshot(fraga)}
    if ersatter is not None:
        efter["ersatter"] = f"{ersatter.text} (version {ersatter.version})"
    logga_andring(user=user, instance=fraga, fore={}, efter=efter)
    return fraga


@transaction.atomic
def enkatfraga_spara(
    *,
    user: User,
    fraga: Enkatfraga | None,
    enkat: Enkat,
    text: str,
    respondentgrupp: str,
    indikator: int | None,
    alternativ: Sequence[Alternativ],
    malfraga: bool = False,
    ordning: int | None = None,
) -> Enkatfraga:
    """Create a question in `enkat` with its options ((text, positive) in order), or change
    one. A question nobody has answered is changed in place; one with answers is not: the
    change becomes a new version (`ersatter` = the old, version + 1) and the old one stops
    being asked, keeping its answers. Returns the question as saved (the new version when one
    was made; the same question when nothing changed)."""
    kraver(permissions.kan_administrera(user, enkat.forbund))
    forbund = enkat.forbund
    if fraga is not None and fraga.pk is not None:
        kraver(fraga.forbund_id == forbund.pk and fraga.enkat_id == enkat.pk)
        fraga = Enkatfraga.objects.select_for_update().get(pk=fraga.pk)
        _las_tillfallen(enkat)
        regler.kontrollera(regler.enkatfraga_andringsbar(fraga, har_svar=False))
    regler.kontrollera(
        regler.enkatfraga(
            text=text,
            respondentgrupp=respondentgrupp,
            indikator=indikator,
            alternativ=alternativ,
            malfraga=malfraga,
            annan_malfraga=_annan_malfraga(forbund, fraga),
        )
    )
    if fraga is None or fraga.pk is None:
        sista = enkat.fragor.order_by("-ordning").values_list("ordning", flat=True).first()
        return _fraga_skapa(
            user,
            enkat,
            text=text,
            respondentgrupp=respondentgrupp,
            indikator=indikator,
            alternativ=alternativ,
            malfraga=malfraga,
            ordning=ordning if ordning is not None else (sista or 0) + 1,
        )
    varden: dict[str, Any] = {
        "text": text.strip(),
        "respondentgrupp": respondentgrupp,
        "indikator": indikator,
        "malfraga": malfraga,
        "ordning": fraga.ordning if ordning is None else ordning,
    }
    fore = {**snapshot(fraga, FRAGANS_FALT), "alternativ": _alternativ_snapshot(fraga)}
    onskade = [(t.strip(), p) for t, p in alternativ]
    nu = [(a.text, a.positivt) for a in fraga.alternativ.order_by("ordning")]
    if all(getattr(fraga, k) == v for k, v in varden.items()) and onskade == nu:
        return fraga
    if fraga_har_svar(fraga):
        return _ny_version(user, fraga, varden, onskade)
    for falt, varde in varden.items():
        setattr(fraga, falt, varde)
    fraga.full_clean()
    fraga.save()
    _satt_alternativ(fraga, onskade)
    nollrader_for_fraga(fraga)
    efter = {**snapshot(fraga, FRAGANS_FALT), "alternativ": _alternativ_snapshot(fraga)}
    logga_andring(user=user, instance=fraga, fore=fore, efter=efter)
    return fraga


def _ny_version(
    user: User, gammal: Enkatfraga, varden: Mapping[str, Any], alternativ: Sequence[Alternativ]
) -> Enkatfraga:
    fore = snapshot(gammal, ["aktiv", "malfraga"])
    gammal.aktiv = False
    gammal.malfraga = False  # the goal follows the question that is asked
    gammal.save(update_fields=["aktiv", "malfraga"])
    logga_andring(
        user=user, instance=gammal, fore=fore, efter=snapshot(gammal, ["aktiv", "malfraga"])
    )
    assert gammal.enkat is not None  # a question with answers belongs to a round's enkät
    return _fraga_skapa(
        user,
        gammal.enkat,
        text=varden["text"],
        respondentgrupp=varden["respondentgrupp"],
        indikator=varden["indikator"],
        alternativ=alternativ,
        malfraga=varden["malfraga"],
        ordning=varden["ordning"],
        ersatter=gammal,
    )


# --- Rounds -------------------------------------------------------------------------------------


def _grupper_med_fragor(enkat: Enkat) -> set[str]:
    return set(enkat.fragor.filter(aktiv=True).values_list("respondentgrupp", flat=True))


def _platshallare(enkat: Enkat, respondentgrupp: str) -> list[str]:
    """The texts of the active questions the group would be asked that still await NNS's
    wording (the catalogue's placeholders for the styrelse and the chefsgrupp)."""
    return [
        text
        for text in enkat.fragor.filter(
            Q(respondentgrupp=respondentgrupp) | Q(respondentgrupp=""), aktiv=True
        ).values_list("text", flat=True)
        if text.startswith(enkatkatalog.PLATSHALLARE)
    ]


def ny_lank() -> str:
    """The random part of a round's public address: 192 random bits, 32 characters (the
    field holds 40)."""
    return secrets.token_urlsafe(24)


@transaction.atomic
def enkattillfalle_skapa(
    *,
    user: User,
    forbund: Forbund,
    enkat: Enkat,
    respondentgrupp: str,
    insats: Insats | None,
    namn: str,
    datum: dt.date,
    slutdatum: dt.date | None,
    kalla: str,
) -> Enkattillfalle:
    """A round: the förbund's enkät asked to one group, for an insats or a training, from
    `datum` to `slutdatum`. A round answered by the public link (`kalla` "lank") gets its
    random key (`secrets.token_urlsafe`); paper and import rounds have none."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(
        regler.enkattillfalle_delar(
            forbund_id=forbund.pk,
            enkat=enkat,
            respondentgrupp=respondentgrupp,
            grupper_med_fragor=_grupper_med_fragor(enkat),
            insats_forbund_id=insats.forbund_id if insats else None,
        ),
        regler.enkattillfalle_fragor_klara(
            kalla=kalla,
            respondentgrupp=respondentgrupp,
            platshallare=_platshallare(enkat, respondentgrupp),
        ),
        regler.enkat_period(datum=datum, slutdatum=slutdatum, nns=enkat.slag == Enkat.Slag.NNS),
    )
    tillfalle = Enkattillfalle(
        forbund=forbund,
        enkat=enkat,
        respondentgrupp=respondentgrupp,
        insats=insats,
        namn=namn.strip(),
        datum=datum,
        slutdatum=slutdatum,
        kalla=kalla,
        lank=ny_lank() if kalla == Enkattillfalle.Kalla.LANK else None,
    )
    tillfalle.full_clean()
    tillfalle.save()
    nollrader_for_tillfalle(tillfalle)
    # The link's key is not written to the log: the log is read by more people than the key.
    logga_andring(
        user=user, instance=tillfalle, fore={}, efter=snapshot(tillfalle, TILLFALLETS_FALT)
    )
    return tillfalle


@transaction.atomic
def enkattillfalle_andra(
    *,
    user: User,
    tillfalle: Enkattillfalle,
    namn: str,
    datum: dt.date,
    slutdatum: dt.date | None,
    insats: Insats | None,
) -> Enkattillfalle:
    """Change a round's name, period and insats (its enkät, group and source stay: its answers
    were given to them)."""
    kraver(permissions.kan_administrera(user, tillfalle.forbund))
    nns = tillfalle.enkat is not None and tillfalle.enkat.slag == Enkat.Slag.NNS
    fel = regler.enkat_period(datum=datum, slutdatum=slutdatum, nns=nns)
    if insats is not None and insats.forbund_id != tillfalle.forbund_id:
        fel.append(regler.Fel("insats", "Insatsen hör till ett annat förbund."))
    regler.kontrollera(fel)
    post = Enkattillfalle.objects.select_for_update().get(pk=tillfalle.pk)
    fore = snapshot(post, TILLFALLETS_FALT)
    post.namn, post.datum, post.slutdatum, post.insats = namn.strip(), datum, slutdatum, insats
    post.full_clean()
    post.save()
    logga_andring(user=user, instance=post, fore=fore, efter=snapshot(post, TILLFALLETS_FALT))
    return post


def _satt_stangd(user: User, tillfalle: Enkattillfalle, stangd: bool) -> Enkattillfalle:
    kraver(permissions.kan_administrera(user, tillfalle.forbund))
    post = Enkattillfalle.objects.select_for_update().get(pk=tillfalle.pk)
    if post.stangd != stangd:
        post.stangd = stangd
        post.save(update_fields=["stangd"])
        logga_andring(
            user=user, instance=post, fore={"stangd": not stangd}, efter={"stangd": stangd}
        )
    return post


@transaction.atomic
def enkattillfalle_stang(*, user: User, tillfalle: Enkattillfalle) -> Enkattillfalle:
    """Close a round: its link and paper counts take no more answers."""
    return _satt_stangd(user, tillfalle, True)


@transaction.atomic
def enkattillfalle_oppna(*, user: User, tillfalle: Enkattillfalle) -> Enkattillfalle:
    """Open a closed round again (its period still limits the link)."""
    return _satt_stangd(user, tillfalle, False)


# --- Paper forms --------------------------------------------------------------------------------


@transaction.atomic
def enkat_pappersvar(
    *,
    user: User,
    tillfalle: Enkattillfalle,
    antal_formular: int,
    antal: Mapping[Svarsalternativ, int],
) -> Enkattillfalle:
    """Add `antal_formular` paper forms to an open round: each option's count grows by its
    number in `antal` and the round's number of forms by `antal_formular`, atomically (with F()
    expressions, as answers by the link do). One audit row: the forms and each count, old → new."""
    kraver(permissions.kan_administrera(user, tillfalle.forbund))
    post = Enkattillfalle.objects.select_for_update().get(pk=tillfalle.pk)
    alternativ = list(
        Svarsalternativ.objects.filter(pk__in=[a.pk for a in antal]).select_related("fraga")
    )
    fel = regler.enkat_oppen(post)
    for a in alternativ:
        fel += regler.svarsalternativ_hor_till(
            tillfalle=post, fraga=a.fraga, alternativ_text=a.text
        )
    regler.kontrollera(
        fel,
        regler.pappersvar(
            antal_formular=antal_formular,
            svar=[(a.fraga.text, a.text, antal[a]) for a in alternativ],
        ),
    )
    fore = {"antal_svar": post.antal_svar, **_rakning(post, alternativ)}
    for a in alternativ:
        if antal[a]:
            Enkatsvar.objects.get_or_create(tillfalle=post, alternativ=a, defaults={"antal": 0})
            Enkatsvar.objects.filter(tillfalle=post, alternativ=a).update(
                antal=F("antal") + antal[a]
            )
    Enkattillfalle.objects.filter(pk=post.pk).update(antal_svar=F("antal_svar") + antal_formular)
    post.refresh_from_db()
    efter = {"antal_svar": post.antal_svar, **_rakning(post, alternativ)}
    logga_andring(user=user, instance=post, fore=fore, efter=efter, fanns=True)
    return post


def _rakning(tillfalle: Enkattillfalle, alternativ: Sequence[Svarsalternativ]) -> dict[str, int]:
    """The round's counts of these options, keyed "question – option", as the log shows them."""
    antal = dict(
        Enkatsvar.objects.filter(tillfalle=tillfalle, alternativ__in=alternativ).values_list(
            "alternativ_id", "antal"
        )
    )
    return {f"{a.fraga.text} – {a.text}": antal.get(a.pk, 0) for a in alternativ}
