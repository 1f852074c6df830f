"""The goal page's monthly reports of a year, summed per insats in one pass over the rows
`registrering.manadsliggare.manadsrader(…, fler=RADKOLUMNER)` gives (`rapporter.mal` reads them
once for the ledger, the volume targets and the year's flow to the outcomes), and the volume
targets' measure (`matt`): unika individer, another volume or the new participants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from typing import Any, NamedTuple

from registrering import ledger
from registrering.models import Insats, Manadsrapport

GODKANDA = (Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD)

#: What the volume targets read of a monthly report besides the ledger's columns.
RADKOLUMNER = ("volym", "status")


class Rad(NamedTuple):
    """One month's report as read for the volume targets."""

    nya: int  # kvinnor and män
    volym: int | None
    status: str


class Hittills(NamedTuple):
    """An insats's months up to one, summed as a volume target reads them (`matt`)."""

    manad: int  # the last month reported (0: none)
    nya: int  # kvinnor and män
    volym: int  # the volumes given
    sista_volym: int  # the latest volume given (0 without one)
    ej_godkanda: int  # months reported but not approved


INGA_MANADER = Hittills(0, 0, 0, 0, 0)


def manader_per_insats(
    rader: Iterable[tuple[Any, ...]], ids: Container[int], ar: int
) -> dict[int, dict[int, Rad]]:
    """The year's monthly reports of the insatser `ids`: insats -> month -> report, from the
    rows of `manadsliggare.manadsrader(…, fler=RADKOLUMNER)`."""
    per: dict[int, dict[int, Rad]] = defaultdict(dict)
    for pk, year, manad, nya_kvinnor, nya_man, _ak, _am, volym, status in rader:
        if year == ar and pk in ids:
            per[pk][manad] = Rad(nya_kvinnor + nya_man, volym, status)
    return per


def arets_rader(
    rader: Iterable[tuple[Any, ...]], ids: Container[int], flode_ids: Container[int], ar: int
) -> tuple[dict[int, Hittills], dict[int, dict[str, Any]]]:
    """In one pass over the rows of `manadsliggare.manadsrader(…, fler=RADKOLUMNER)`: the
    year's months of the insatser `ids` so far (`Hittills`, what their volume targets read),
    and `ledger.arets_flode` of the insatser `flode_ids` in `ar`, summed from those rows rather
    than read again: per insats with a report, the sums of nya and avslutade, of the volume
    (None when none is given), and how many months are reported and approved."""
    # Per insats of `ids`: `Hittills` as a list while summing, and the month of its latest
    # volume given.
    hittills: dict[int, list[int]] = {}
    # Per insats of `flode_ids`: nya kvinnor, nya män, avslutade kvinnor, avslutade män, volume
    # (None until one is given), reported, approved; a list while summing, a dict at the end.
    summor: dict[int, list[Any]] = {}
    for pk, year, manad, nk, nm, ak, am, volym, status in rader:
        if year != ar:
            continue
        godkand = status in GODKANDA
        if pk in ids:
            if (h := hittills.get(pk)) is None:
                h = hittills[pk] = [0, 0, 0, 0, 0, 0]
            if manad > h[0]:
                h[0] = manad
            if volym is not None and manad > h[5]:
                h[3], h[5] = volym, manad
            h[1] += nk + nm
            h[2] += volym or 0
            if not godkand:
                h[4] += 1
        if pk in flode_ids:
            if (s := summor.get(pk)) is None:
                s = summor[pk] = [0, 0, 0, 0, None, 0, 0]
            s[0] += nk
            s[1] += nm
            s[2] += ak
            s[3] += am
            if volym is not None:
                s[4] = (s[4] or 0) + volym
            s[5] += 1
            if godkand:
                s[6] += 1
    flode = {
        pk: {
            "nk": nk,
            "nm": nm,
            "ak": ak,
            "am": am,
            "rapporterade": rapporterade,
            "insats_id": pk,
            "ar": ar,
            "volym_summa": volym,
            "godkanda": godkanda,
        }
        for pk, (nk, nm, ak, am, volym, rapporterade, godkanda) in summor.items()
    }
    return {pk: Hittills(*h[:5]) for pk, h in hittills.items()}, flode


def matt(insats: Insats, hittills: Hittills) -> int:
    """The insats's measure: a volume as the year's volume so far (`ledger.arets_volym`: for
    unika individer the latest count given), a flow as its new participants."""
    if insats.ar_volyminsats:
        return ledger.arets_volym(
            insats.volymenhet, summa=hittills.volym, senaste=hittills.sista_volym
        )
    return hittills.nya


def varde(insats: Insats, manader: Mapping[int, Rad], manad: int) -> int:
    """The insats's measure after `manad` months (new participants for a flow)."""
    upp_till = sorted(m for m in manader if m <= manad)
    if not upp_till:
        return matt(insats, INGA_MANADER)
    hittills = Hittills(
        manad=upp_till[-1],
        nya=sum(manader[m].nya for m in upp_till),
        volym=sum(manader[m].volym or 0 for m in upp_till),
        sista_volym=next((v for m in reversed(upp_till) if (v := manader[m].volym) is not None), 0),
        ej_godkanda=sum(1 for m in upp_till if manader[m].status not in GODKANDA),
    )
    return matt(insats, hittills)
