"""Corrections of the participant count: the ingående balans on 1 January and justeringar.

Both change every month after them, so both are checked against the ledger: no month may end
with fewer than zero participants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from registrering import manadsliggare, permissions, regler
from registrering.audit import (
    audit_log,
    diff,
    importkommentar,
    logga_andring,
    logga_skrivning,
    snapshot,
)
from registrering.ledger import Kon
from registrering.models import (
    Arstotal,
    AuditEntry,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Justering,
    Manadsrapport,
    NyaPerHuvudman,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import kraver

BALANSFALT = {"kvinnor": "kvinnor", "man": "man"}


# --- Justeringar --------------------------------------------------------------------------------


def justering_fel(
    *,
    insats: Insats,
    ar: int,
    manad: int,
    andring: Kon,
    anledning: str,
    ersatter: Justering | None = None,
) -> list[Fel]:
    """The rules of a justering: it changes something, says why, and leaves no month from its
    own on with fewer than zero participants (`ersatter`: the justering it replaces)."""
    fel = regler.justering(
        kvinnor=andring.kvinnor, man=andring.man, anledning=anledning, manad=manad
    )
    if fel or regler.artal(ar):
        return fel + regler.artal(ar)
    bok = manadsliggare.liggare([insats.pk], fran_ar=min(ar, ersatter.ar if ersatter else ar))
    if ersatter is not None:
        bok.lagg_till_justering(
            insats.pk, ersatter.ar, ersatter.manad, Kon() - Kon(ersatter.kvinnor, ersatter.man)
        )
    slut_fore = bok.saldo(insats.pk, ar, manad).slut
    fel = regler.justering_pagaende(slut_fore=slut_fore, andring=andring)
    bok.lagg_till_justering(insats.pk, ar, manad, andring)
    return fel + regler.liggaren(
        bok.saldon(insats.pk),
        fran=(ar, manad),
        orsak="Justeringen",
        falt=BALANSFALT,
        utom={f.falt for f in fel},
    )


def _logga_ny(user: User, justering: Justering) -> None:
    audit_log(
        user=user,
        instance=justering,
        action=AuditEntry.Action.SKAPAD,
        changes=diff({}, snapshot(justering)),
    )


@transaction.atomic
def justering_skapa(
    *, user: User, insats: Insats, ar: int, manad: int, kvinnor: int, man: int, anledning: str
) -> Justering:
    """Record a headcount that disagrees with the flow as an explicit, visible justering."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    regler.kontrollera(
        justering_fel(
            insats=insats, ar=ar, manad=manad, andring=Kon(kvinnor, man), anledning=anledning
        )
    )
    justering = Justering(
        insats=insats,
        ar=ar,
        manad=manad,
        kvinnor=kvinnor,
        man=man,
        anledning=anledning.strip(),
        skapad_av=user,
    )
    justering.full_clean()
    justering.save()
    _logga_ny(user, justering)
    return justering


@transaction.atomic
def justering_andra(
    *, user: User, justering: Justering, ar: int, manad: int, kvinnor: int, man: int, anledning: str
) -> Justering:
    """Change a justering (its month, its numbers or its reason)."""
    kraver(permissions.kan_administrera(user, justering.insats.forbund))
    justering = Justering.objects.select_for_update().get(pk=justering.pk)
    regler.kontrollera(
        justering_fel(
            insats=justering.insats,
            ar=ar,
            manad=manad,
            andring=Kon(kvinnor, man),
            anledning=anledning,
            ersatter=justering,
        )
    )
    fore = snapshot(justering)
    justering.ar, justering.manad, justering.kvinnor, justering.man = ar, manad, kvinnor, man
    justering.anledning = anledning.strip()
    justering.full_clean()
    justering.save()
    logga_andring(user=user, instance=justering, fore=fore, efter=snapshot(justering))
    return justering


@transaction.atomic
def justering_ta_bort(*, user: User, justering: Justering) -> None:
    """Remove a justering, if the months after it still add up without it."""
    insats = justering.insats
    kraver(permissions.kan_administrera(user, insats.forbund))
    bok = manadsliggare.liggare([insats.pk], fran_ar=justering.ar)
    bok.lagg_till_justering(
        insats.pk, justering.ar, justering.manad, Kon() - Kon(justering.kvinnor, justering.man)
    )
    regler.kontrollera(
        regler.liggaren(
            bok.saldon(insats.pk),
            fran=(justering.ar, justering.manad),
            orsak="Borttagningen",
        )
    )
    audit_log(
        user=user,
        instance=justering,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(snapshot(justering), {}),
    )
    justering.delete()


@dataclass
class JusteringImportRad:
    """One justering of a file; `befintlig` is the saved one it replaces (same insats, month
    and reason)."""

    nr: int
    insats: Insats
    ar: int
    manad: int
    andring: Kon
    anledning: str
    befintlig: Justering | None = None


def justeringar_fel(*, rader: Sequence[JusteringImportRad]) -> dict[int, list[Fel]]:
    """Each justering's own rules, and the ledger with every justering of the file applied:
    no month from the first one on may end with fewer than zero participants."""
    fel: dict[int, list[Fel]] = defaultdict(list)
    for rad in rader:
        fel[rad.nr] += regler.artal(rad.ar) or regler.justering(
            kvinnor=rad.andring.kvinnor,
            man=rad.andring.man,
            anledning=rad.anledning,
            manad=rad.manad,
        )
    giltiga = [r for r in rader if not fel[r.nr]]
    if giltiga:
        fran_ar = min(min(r.ar, r.befintlig.ar if r.befintlig else r.ar) for r in giltiga)
        bok = manadsliggare.liggare({r.insats.pk for r in giltiga}, fran_ar=fran_ar)
        for rad in giltiga:
            if rad.befintlig is not None:
                gammal = Kon(rad.befintlig.kvinnor, rad.befintlig.man)
                bok.lagg_till_justering(
                    rad.insats.pk, rad.befintlig.ar, rad.befintlig.manad, Kon() - gammal
                )
            bok.lagg_till_justering(rad.insats.pk, rad.ar, rad.manad, rad.andring)
        for nr, radfel in _justeringarnas_liggare(bok, giltiga):
            fel[nr] += radfel
    return {nr: f for nr, f in fel.items() if f}


def _justeringarnas_liggare(
    bok: manadsliggare.Liggare, rader: list[JusteringImportRad]
) -> Iterable[tuple[int, list[Fel]]]:
    per_insats: dict[int, dict[tuple[int, int], list[JusteringImportRad]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for rad in rader:
        per_insats[rad.insats.pk][(rad.ar, rad.manad)].append(rad)
    for insats_id, manader in per_insats.items():
        forsta, senaste = min(manader), None
        for saldo in bok.saldon(insats_id):
            if (saldo.ar, saldo.manad) < forsta:
                continue
            manadens = manader.get((saldo.ar, saldo.manad), [])
            if manadens:
                senaste = manadens[-1]
                andring = Kon.summa(r.andring for r in manadens)
                if radfel := regler.justering_pagaende(
                    slut_fore=saldo.slut - andring, andring=andring
                ):
                    for rad in manadens:
                        yield rad.nr, radfel
                    break
            elif senaste is not None and (
                radfel := regler.liggaren(
                    [saldo], fran=forsta, orsak="Justeringen", falt=BALANSFALT
                )
            ):
                yield senaste.nr, radfel
                break


@transaction.atomic
def justeringar_importera(
    *, user: User, rader: Sequence[JusteringImportRad], import_fran: str = ""
) -> None:
    """Write the justeringar of a file (new ones, or the numbers of saved ones with the same
    insats, month and reason), all or none."""
    for forbund in {r.insats.forbund for r in rader}:
        kraver(permissions.kan_importera(user, forbund))
    regler.kontrollera([f for radfel in justeringar_fel(rader=rader).values() for f in radfel])
    for rad in rader:
        if rad.befintlig is None:
            justering = Justering(
                insats=rad.insats,
                ar=rad.ar,
                manad=rad.manad,
                kvinnor=rad.andring.kvinnor,
                man=rad.andring.man,
                anledning=rad.anledning.strip(),
                skapad_av=user,
            )
            fore: dict[str, object] = {}
        else:
            justering = rad.befintlig
            fore = snapshot(justering)
            justering.kvinnor, justering.man = rad.andring.kvinnor, rad.andring.man
        justering.full_clean()
        justering.save()
        if andringar := diff(fore, snapshot(justering)):
            audit_log(
                user=user,
                instance=justering,
                action=AuditEntry.Action.IMPORTERAD,
                changes=andringar,
                kommentar=importkommentar(import_fran),
            )


# --- Ingående balans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BalansForslag:
    """The proposed balance on 1 January: the previous year's closing balance."""

    kon: Kon
    per_huvudman: dict[int, int]
    har_tidigare_flode: bool


def fordela(total: int, vikter: list[int]) -> list[int]:
    """Split `total` in proportion to `vikter` by largest remainder."""
    summa = sum(vikter)
    if total <= 0 or summa <= 0:
        return [0] * len(vikter)
    exakta = [total * v / summa for v in vikter]
    delar = [int(x) for x in exakta]
    for i in sorted(range(len(vikter)), key=lambda i: (-(exakta[i] - delar[i]), i))[
        : total - sum(delar)
    ]:
        delar[i] += 1
    return delar


def ingaende_balans_forslag(*, insats: Insats, ar: int) -> BalansForslag:
    """Last December's closing balance, split by huvudman like last year's participants."""
    har_flode = Manadsrapport.objects.filter(insats=insats, ar=ar - 1).exists()
    kon = manadsliggare.pagaende_vid_manadens_start(insats_id=insats.pk, ar=ar - 1, manad=13)
    if not har_flode:
        kon = Kon(max(kon.kvinnor, 0), max(kon.man, 0))
    forra = {
        row["huvudman_id"]: row["antal"]
        for row in IngaendeBalansHuvudman.objects.filter(balans__insats=insats, balans__ar=ar - 1)
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
    }
    for row in (
        NyaPerHuvudman.objects.filter(rapport__insats=insats, rapport__ar=ar - 1)
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
    ):
        forra[row["huvudman_id"]] = forra.get(row["huvudman_id"], 0) + row["antal"]
    ids = sorted(forra)
    delar = fordela(kon.totalt, [forra[i] for i in ids]) if ids else []
    return BalansForslag(
        kon=kon,
        per_huvudman={i: d for i, d in zip(ids, delar, strict=True) if d},
        har_tidigare_flode=har_flode,
    )


def ingaende_balans_fel(
    *,
    insats: Insats,
    ar: int,
    balans: Kon,
    anledning: str,
    per_huvudman: Mapping[int, object] | None,
    forslag: BalansForslag | None = None,
    far_rata: bool = True,
) -> list[Fel]:
    """The rules of a balance on 1 January: a confirmed one is corrected only by the kansli
    (`far_rata`) and with a reason, counts, a reason when it differs from last December's
    closing balance, a breakdown by huvudman that adds up, and no month of the year (or later)
    ending with fewer than zero participants.

    The admin and the import are the kansli's doors (`far_rata`)."""
    if insats.ar_volyminsats:
        return [Fel("insats", f"{insats.namn} följs upp med volym och har ingen ingående balans.")]
    if not insats.aktiv_under(ar):
        return [Fel("ar", f"{insats.namn} pågick inte under {ar}.")]
    bekraftad = IngaendeBalans.objects.filter(insats=insats, ar=ar).first()
    sparad = Kon(bekraftad.kvinnor, bekraftad.man) if bekraftad else None
    rattelse = regler.ingaende_balans_rattelse(
        bekraftad=sparad, balans=balans, far_rata=far_rata, anledning=anledning, ar=ar
    )
    if rattelse and not far_rata:
        return rattelse
    forslag = forslag or ingaende_balans_forslag(insats=insats, ar=ar)
    fel = regler.ingaende_balans(
        balans=balans,
        forslag=forslag.kon,
        har_tidigare_flode=forslag.har_tidigare_flode,
        anledning=anledning,
    )
    if fel:
        return fel
    # A correction's missing reason, with whatever else is wrong with the new count.
    fel += rattelse
    fel += regler.fordelning(
        per_huvudman,
        giltiga={h.pk: h.namn for h in Huvudman.objects.filter(forbund_id=insats.forbund_id)},
        total=balans.totalt,
        vad="deltagare",
        per="huvudman",
        falt="per_huvudman",
    )
    bok = manadsliggare.liggare([insats.pk], fran_ar=ar)
    bok.satt_balans(insats.pk, ar, balans)
    return fel + regler.liggaren(
        bok.saldon(insats.pk), fran=(ar, 1), orsak="Balansen", falt=BALANSFALT
    )


@transaction.atomic
def ingaende_balans_satt(
    *,
    user: User,
    insats: Insats,
    ar: int,
    kvinnor: int,
    man: int,
    per_huvudman: Mapping[int, object] | None = None,
    anledning: str = "",
    import_fran: str | None = None,
) -> IngaendeBalans:
    """Confirm or correct the balance on 1 January.

    A headcount that differs from last December's closing balance needs a reason and is recorded
    as a justering in last December, so that the flow, the justering and the new balance agree
    and the difference stays visible. In the first year with data the balance is simply entered.
    A breakdown by huvudman that is not given (None) keeps the saved one if it still adds up.
    Once confirmed, the balance is the kansli's to correct (`regler.ingaende_balans_rattelse`):
    the insatsansvarig who confirmed it can no longer change it."""
    kraver(permissions.kan_rapportera(user, insats))
    balans = IngaendeBalans.objects.select_for_update().filter(insats=insats, ar=ar).first()
    forslag = ingaende_balans_forslag(insats=insats, ar=ar)
    if per_huvudman is None and balans is not None:
        per_huvudman = _sparad_fordelning_som_stammer(balans, kvinnor + man)
    regler.kontrollera(
        ingaende_balans_fel(
            insats=insats,
            ar=ar,
            balans=Kon(kvinnor, man),
            anledning=anledning,
            per_huvudman=per_huvudman,
            forslag=forslag,
            far_rata=permissions.kan_administrera(user, insats.forbund),
        )
    )
    if forslag.har_tidigare_flode:
        _justera_forra_december(user, insats, ar, Kon(kvinnor, man) - forslag.kon, anledning)
    fore = _balans_snapshot(balans) if balans else {}
    balans = balans or IngaendeBalans(insats=insats, ar=ar)
    balans.kvinnor, balans.man = kvinnor, man
    balans.anledning = anledning.strip()
    balans.bekraftad_av, balans.bekraftad_tid = user, timezone.now()
    balans.full_clean()
    balans.save()
    balans.per_huvudman.all().delete()
    IngaendeBalansHuvudman.objects.bulk_create(
        IngaendeBalansHuvudman(balans=balans, huvudman_id=pk, antal=cast(int, antal))
        for pk, antal in (per_huvudman or {}).items()
        if antal
    )
    _logga_balans(user, balans, fore, import_fran)
    return balans


def _sparad_fordelning_som_stammer(balans: IngaendeBalans, totalt: int) -> dict[int, int]:
    """The saved breakdown by huvudman, if it still adds up to the new total ("not given"
    otherwise)."""
    sparad = {r.huvudman_id: r.antal for r in balans.per_huvudman.all()}
    return sparad if sum(sparad.values()) == totalt else {}


def _logga_balans(
    user: User, balans: IngaendeBalans, fore: dict[str, object], import_fran: str | None
) -> None:
    andringar = diff(fore, _balans_snapshot(balans))
    if not fore:
        andringar = {k: v for k, v in andringar.items() if v[1] not in ("", {})}
    logga_skrivning(
        user=user,
        instance=balans,
        fanns=bool(fore),
        changes=andringar,
        import_fran=import_fran,
        kommentar="" if andringar else "Bekräftad",
    )


def _justera_forra_december(
    user: User, insats: Insats, ar: int, skillnad: Kon, anledning: str
) -> None:
    """A balance that differs from last December's closing balance: the difference becomes a
    visible justering in last December."""
    if skillnad == Kon():
        return
    justering = Justering.objects.create(
        insats=insats,
        ar=ar - 1,
        manad=12,
        kvinnor=skillnad.kvinnor,
        man=skillnad.man,
        anledning=f"Ingående balans 1/1 {ar}: {anledning.strip()}",
        skapad_av=user,
    )
    _logga_ny(user, justering)


def _balans_snapshot(balans: IngaendeBalans) -> dict[str, object]:
    data = snapshot(balans, ["kvinnor", "man", "anledning"])
    data["per_huvudman"] = {
        r.huvudman.namn: r.antal for r in balans.per_huvudman.select_related("huvudman")
    }
    return data


@transaction.atomic
def ingaende_balans_ta_bort(*, user: User, balans: IngaendeBalans) -> None:
    """Remove a confirmed balance: the year then starts from last December's closing balance."""
    insats = balans.insats
    kraver(permissions.kan_administrera(user, insats.forbund))
    bok = manadsliggare.liggare([insats.pk], fran_ar=balans.ar)
    bok.satt_balans(insats.pk, balans.ar, None)
    regler.kontrollera(
        regler.liggaren(bok.saldon(insats.pk), fran=(balans.ar, 1), orsak="Borttagningen")
    )
    audit_log(
        user=user,
        instance=balans,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(_balans_snapshot(balans), {}),
    )
    balans.delete()


# --- Yearly totals before the product -----------------------------------------------------------

ARSTOTALFALT = (
    "deltagare_kvinnor",
    "deltagare_man",
    "nya_kvinnor",
    "nya_man",
    "avslutade_kvinnor",
    "avslutade_man",
    "deltagare",
    "nya",
    "avslutade",
    "volym",
    "kalla",
)
ARSTOTAL_ETIKETTER = {
    "deltagare_kvinnor": "Deltagare kvinnor",
    "deltagare_man": "Deltagare män",
    "nya_kvinnor": "Nya kvinnor",
    "nya_man": "Nya män",
    "avslutade_kvinnor": "Avslutade kvinnor",
    "avslutade_man": "Avslutade män",
    "deltagare": "Deltagare totalt",
    "nya": "Nya totalt",
    "avslutade": "Avslutade totalt",
    "volym": "Volymen",
}


def arstotal_fel(*, ar: int, varden: Mapping[str, object]) -> list[Fel]:
    """A year's totals (with every field it will have): counts, a source, the gender split or
    the totals without it (never both), and never more nya or avslutade than deltagare."""
    fel = regler.artal(ar)
    for falt, etikett in ARSTOTAL_ETIKETTER.items():
        if varden.get(falt) is not None:
            fel += regler.antal(varden[falt], falt=falt, etikett=etikett)
    if not str(varden.get("kalla") or "").strip():
        fel.append(Fel("kalla", "Ange källan, t.ex. SUS eller Uppföljning Finsam."))
    if fel:
        return fel
    fel = regler.arstotal_uppdelning(varden)
    if fel:
        return fel

    def tal(falt: str) -> int:
        return int(varden.get(falt) or 0)  # type: ignore[call-overload]

    if varden.get("deltagare") is not None:
        return regler.arstotal_totaler(
            deltagare=tal("deltagare"), nya=tal("nya"), avslutade=tal("avslutade")
        )

    def kon(prefix: str) -> Kon:
        return Kon(tal(f"{prefix}_kvinnor"), tal(f"{prefix}_man"))

    return regler.arstotal(deltagare=kon("deltagare"), nya=kon("nya"), avslutade=kon("avslutade"))


@transaction.atomic
def arstotal_spara(
    *,
    user: User,
    insats: Insats,
    ar: int,
    varden: Mapping[str, object],
    import_fran: str | None = None,
) -> Arstotal:
    """Set (some of) the yearly totals of a year before the product."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    befintlig = Arstotal.objects.select_for_update().filter(insats=insats, ar=ar).first()
    fore = snapshot(befintlig, ARSTOTALFALT) if befintlig else {}
    arstotal = befintlig or Arstotal(insats=insats, ar=ar)
    for falt, varde in varden.items():
        setattr(arstotal, falt, varde)
    regler.kontrollera(arstotal_fel(ar=ar, varden=snapshot(arstotal, ARSTOTALFALT)))
    arstotal.full_clean()
    arstotal.save()
    efter = snapshot(arstotal, ARSTOTALFALT)
    if not befintlig:
        efter = {k: v for k, v in efter.items() if v not in (None, "")}
    logga_andring(user=user, instance=arstotal, fore=fore, efter=efter, import_fran=import_fran)
    return arstotal


@transaction.atomic
def arstotal_ta_bort(*, user: User, arstotal: Arstotal) -> None:
    """Remove a year's totals before the product."""
    kraver(permissions.kan_administrera(user, arstotal.insats.forbund))
    audit_log(
        user=user,
        instance=arstotal,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(
            {k: v for k, v in snapshot(arstotal, ARSTOTALFALT).items() if v not in (None, "")}, {}
        ),
    )
    arstotal.delete()
