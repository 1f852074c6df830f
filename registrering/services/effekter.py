"""Outcomes and effects: outcome goals per insats and year, the förbund's key figures per year
(the simple model and the transition model) and the transition matrices. Every write checks the
rules (`registrering.effektregler` through `regler`) and writes its audit row, which bumps the
year's data version (`registrering.dataversion`).

A year's key figures are the förbund's own: the first time they are asked for, the previous
year's are copied in (or the catalogue's, `registrering.effektkatalog`, for the first year), so
that every year keeps the figures it was computed with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction

from registrering import effektkatalog, permissions, regler
from registrering.audit import audit_log, diff, importkommentar, logga_andring, snapshot
from registrering.models import (
    AuditEntry,
    Avslutsanledning,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forbund,
    Forflyttning,
    Inkomstnyckeltal,
    Insats,
    User,
    Utfallsmal,
)
from registrering.services._stod import kraver

ENKLA_FALT = ("kostnad_per_manad", "skatt_per_manad", "kalla", "kalla_datum")
ERSATTNINGENS_FALT = ("namn", "betalare", "arsbelopp", "okning", "skattepliktig", "kalla")
INKOMSTENS_FALT = (
    "arslon",
    "loneokning",
    "kommunalskatt",
    "regionskatt",
    "arbetsgivaravgift",
    "jobbskatteavdrag",
    "kalla",
)


# --- Outcome goals ------------------------------------------------------------------------------


@transaction.atomic
def utfallsmal_satt(
    *, user: User, insats: Insats, ar: int, procent: int, import_fran: str | None = None
) -> Utfallsmal:
    """Set the outcome goal of an insats for a year (at least `procent` % to work or studies)."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    regler.kontrollera(regler.artal(ar), regler.utfallsmal(procent))
    mal = Utfallsmal.objects.select_for_update().filter(insats=insats, ar=ar).first()
    fore = {"procent": mal.procent} if mal else {}
    mal = mal or Utfallsmal(insats=insats, ar=ar)
    mal.procent = procent
    mal.full_clean()
    mal.save()
    logga_andring(
        user=user, instance=mal, fore=fore, efter={"procent": procent}, import_fran=import_fran
    )
    return mal


@transaction.atomic
def utfallsmal_ta_bort(*, user: User, mal: Utfallsmal) -> None:
    kraver(permissions.kan_administrera(user, mal.insats.forbund))
    audit_log(
        user=user,
        instance=mal,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff({"procent": mal.procent}, {}),
    )
    mal.delete()


# --- Outcome categories -------------------------------------------------------------------------


@transaction.atomic
def avslutsanledning_kategori_satt(
    *, user: User, anledning: Avslutsanledning, kategori: str, import_fran: str | None = None
) -> Avslutsanledning:
    """Set the outcome category of an avslutsanledning (what an avslut for it led to). Only
    the category: the reason's name, class and insatser are the förbund's fixtures. Its audit row
    (a record of no year) changes the data version of every year of the förbund."""
    kraver(permissions.kan_administrera(user, anledning.forbund))
    regler.kontrollera(regler.utfallskategori(kategori))
    rad = Avslutsanledning.objects.select_for_update().get(pk=anledning.pk)
    fore = {"kategori": rad.kategori}
    if rad.kategori == kategori:
        return rad
    rad.kategori = kategori
    rad.full_clean()
    rad.save(update_fields=["kategori"])
    logga_andring(
        user=user, instance=rad, fore=fore, efter={"kategori": kategori}, import_fran=import_fran
    )
    return rad


# --- Key figures --------------------------------------------------------------------------------


def _procentsats(varde: object) -> Decimal:
    """A rate as the column stores it (two decimals), so that "3" and "3.00" are the same
    value to the audit log and an unchanged save logs nothing."""
    return Decimal(str(varde)).quantize(Decimal("0.01"))


def _forra(model: type[Any], forbund: Forbund, ar: int) -> Any:
    return model.objects.filter(forbund=forbund, ar__lt=ar).order_by("-ar").first()


@transaction.atomic
def nyckeltal_for_aret(*, user: User, forbund: Forbund, ar: int) -> None:
    """Give the year its own key figures if it has none: the latest earlier year's, else the
    catalogue's. Audited as created rows ("kopierade från 2024" / "från katalogen")."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(regler.artal(ar))
    _enkla_for_aret(user, forbund, ar)
    _ersattningar_for_aret(user, forbund, ar)
    _inkomster_for_aret(user, forbund, ar)


def _enkla_for_aret(user: User, forbund: Forbund, ar: int) -> None:
    if Effektnyckeltal.objects.filter(forbund=forbund, ar=ar).exists():
        return
    forra = _forra(Effektnyckeltal, forbund, ar)
    data = (
        snapshot(forra, ["kostnad_per_manad", "skatt_per_manad", "kalla"])
        if forra
        else asdict(effektkatalog.ENKEL)
    )
    rad = Effektnyckeltal.objects.create(
        forbund=forbund, ar=ar, kalla_datum=forra.kalla_datum if forra else None, **data
    )
    _logga_kopia(user, rad, ENKLA_FALT, forra)


def _ersattningar_for_aret(user: User, forbund: Forbund, ar: int) -> None:
    if Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=ar).exists():
        return
    forra = _forra(Ersattningsnyckeltal, forbund, ar)
    if forra:
        kallor: list[Any] = list(Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=forra.ar))
        rader = [
            {"kod": k.kod, "ordning": k.ordning, **snapshot(k, ERSATTNINGENS_FALT)} for k in kallor
        ]
    else:
        rader = [{**asdict(e), "ordning": i} for i, e in enumerate(effektkatalog.ERSATTNINGAR)]
    for data in rader:
        rad = Ersattningsnyckeltal.objects.create(forbund=forbund, ar=ar, **data)
        _logga_kopia(user, rad, ERSATTNINGENS_FALT, forra)


def _inkomster_for_aret(user: User, forbund: Forbund, ar: int) -> None:
    if Inkomstnyckeltal.objects.filter(forbund=forbund, ar=ar).exists():
        return
    forra = _forra(Inkomstnyckeltal, forbund, ar)
    data = snapshot(forra, INKOMSTENS_FALT) if forra else asdict(effektkatalog.INKOMST)
    rad = Inkomstnyckeltal.objects.create(forbund=forbund, ar=ar, **data)
    _logga_kopia(user, rad, INKOMSTENS_FALT, forra)


def _logga_kopia(user: User, rad: Any, falt: tuple[str, ...], forra: Any) -> None:
    kalla = f"kopierade från {forra.ar}" if forra else "från katalogen"
    audit_log(
        user=user,
        instance=rad,
        action=AuditEntry.Action.SKAPAD,
        changes=diff({}, snapshot(rad, list(falt))),
        kommentar=f"Nyckeltalen {kalla}.",
    )


_Nyckeltal = TypeVar("_Nyckeltal", Effektnyckeltal, Ersattningsnyckeltal, Inkomstnyckeltal)


def _spara_nyckeltal(
    user: User,
    rad: _Nyckeltal,
    fore: Mapping[str, Any],
    falt: tuple[str, ...],
    import_fran: str | None,
) -> _Nyckeltal:
    """Validate and save a year's key-figure row and write its audit row (old → new of
    `falt`), which bumps the year's data version."""
    rad.full_clean()
    rad.save()
    logga_andring(
        user=user, instance=rad, fore=fore, efter=snapshot(rad, list(falt)), import_fran=import_fran
    )
    return rad


@transaction.atomic
def effektnyckeltal_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    kostnad_per_manad: int,
    skatt_per_manad: int,
    kalla: str,
    kalla_datum: dt.date | None,
    import_fran: str | None = None,
) -> Effektnyckeltal:
    """The simple model's key figures for the year."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(
        regler.artal(ar),
        regler.effektnyckeltal(
            kostnad_per_manad=kostnad_per_manad, skatt_per_manad=skatt_per_manad
        ),
    )
    rad = Effektnyckeltal.objects.select_for_update().filter(forbund=forbund, ar=ar).first()
    fore = snapshot(rad, list(ENKLA_FALT)) if rad else {}
    rad = rad or Effektnyckeltal(forbund=forbund, ar=ar)
    rad.kostnad_per_manad, rad.skatt_per_manad = kostnad_per_manad, skatt_per_manad
    rad.kalla, rad.kalla_datum = kalla.strip(), kalla_datum
    return _spara_nyckeltal(user, rad, fore, ENKLA_FALT, import_fran)


@transaction.atomic
def ersattningsnyckeltal_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    kod: str,
    namn: str,
    betalare: str,
    arsbelopp: int,
    okning: Decimal,
    skattepliktig: bool,
    kalla: str,
    import_fran: str | None = None,
) -> Ersattningsnyckeltal:
    """One benefit's key figures for the year (a new code adds a benefit)."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(
        regler.artal(ar),
        regler.ersattningsnyckeltal(
            kod=kod, namn=namn, betalare=betalare, arsbelopp=arsbelopp, okning=okning
        ),
    )
    rad = (
        Ersattningsnyckeltal.objects.select_for_update()
        .filter(forbund=forbund, ar=ar, kod=kod)
        .first()
    )
    fore = snapshot(rad, list(ERSATTNINGENS_FALT)) if rad else {}
    if rad is None:
        antal = Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=ar).count()
        rad = Ersattningsnyckeltal(forbund=forbund, ar=ar, kod=kod, ordning=antal)
    rad.namn, rad.betalare, rad.arsbelopp = namn.strip(), betalare, arsbelopp
    rad.okning, rad.skattepliktig, rad.kalla = _procentsats(okning), skattepliktig, kalla.strip()
    return _spara_nyckeltal(user, rad, fore, ERSATTNINGENS_FALT, import_fran)


@transaction.atomic
def inkomstnyckeltal_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    varden: Mapping[str, Any],
    import_fran: str | None = None,
) -> Inkomstnyckeltal:
    """The income side for the year: `varden` holds every field of `INKOMSTENS_FALT`."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(
        regler.artal(ar),
        regler.inkomstnyckeltal(**{k: varden.get(k) for k in INKOMSTENS_FALT if k != "kalla"}),
    )
    rad = Inkomstnyckeltal.objects.select_for_update().filter(forbund=forbund, ar=ar).first()
    fore = snapshot(rad, list(INKOMSTENS_FALT)) if rad else {}
    rad = rad or Inkomstnyckeltal(forbund=forbund, ar=ar)
    for falt in INKOMSTENS_FALT:
        varde = varden.get(falt, "")
        if falt == "kalla":
            varde = str(varde).strip()
        elif falt not in ("arslon", "jobbskatteavdrag"):
            varde = _procentsats(varde)
        setattr(rad, falt, varde)
    return _spara_nyckeltal(user, rad, fore, INKOMSTENS_FALT, import_fran)


# --- Transitions --------------------------------------------------------------------------------


def arets_ersattningar(forbund: Forbund, ar: int) -> dict[str, str]:
    """The year's benefits, code → name (empty until the year has key figures)."""
    return dict(
        Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=ar).values_list("kod", "namn")
    )


def ersattningar_infor_aret(forbund: Forbund, ar: int) -> dict[str, str]:
    """The benefits a transition of the year may name, code → name: the year's own, or those
    `nyckeltal_for_aret` will give a year without any (the latest earlier year's, else the
    catalogue's). One query."""
    rader = Ersattningsnyckeltal.objects.filter(forbund=forbund, ar__lte=ar).order_by("-ar")
    senaste = [(r.ar, r.kod, r.namn) for r in rader]
    if not senaste:
        return {e.kod: e.namn for e in effektkatalog.ERSATTNINGAR}
    return {kod: namn for a, kod, namn in senaste if a == senaste[0][0]}


@transaction.atomic
def forflyttningar_spara(
    *,
    user: User,
    insats: Insats,
    ar: int,
    matris: Mapping[tuple[str, str], int],
    import_fran: str | None = None,
) -> None:
    """Replace the cells of the insats's transition matrix for the year that `matris` names
    (a 0 removes the cell): all of them or none, one audit row per changed cell."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    regler.kontrollera(
        regler.artal(ar),
        regler.forflyttningar_for_insats(
            individinriktad=insats.inriktning == Insats.Inriktning.INDIVID,
            deltagarflode=insats.uppfoljning == Insats.Uppfoljning.DELTAGARFLODE,
        ),
    )
    nyckeltal_for_aret(user=user, forbund=insats.forbund, ar=ar)
    regler.kontrollera(
        regler.forflyttningar(matris, ersattningar=arets_ersattningar(insats.forbund, ar))
    )
    befintliga = {
        (f.fran, f.till): f
        for f in Forflyttning.objects.select_for_update().filter(insats=insats, ar=ar)
    }
    for (fran, till), antal in matris.items():
        rad = befintliga.get((fran, till))
        if rad is None and not antal:
            continue
        if rad is not None and not antal:
            audit_log(
                user=user,
                instance=rad,
                action=AuditEntry.Action.BORTTAGEN,
                changes=diff({"antal": rad.antal}, {}),
                kommentar=importkommentar(import_fran) if import_fran is not None else "",
            )
            rad.delete()
            continue
        fore = {"antal": rad.antal} if rad else {}
        rad = rad or Forflyttning(insats=insats, ar=ar, fran=fran, till=till)
        rad.antal = antal
        rad.full_clean()
        rad.save()
        logga_andring(
            user=user, instance=rad, fore=fore, efter={"antal": antal}, import_fran=import_fran
        )
