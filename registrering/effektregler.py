"""The rules for outcomes and effects: outcome goals, key figures and transitions.

Plain functions returning `Fel` like every rule in `registrering.regler` (which asks for these,
so every door calls them as `regler.<namn>`). They take values the caller has read; none of them
queries the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from registrering.effektkatalog import STUDIEMEDEL
from registrering.models.effekter import ARBETE, OFORANDRAD, STUDIER, Betalare
from registrering.models.insatser import Avslutsanledning
from registrering.regelgrund import HELA, Fel, antal
from registrering.talformat import tal

#: A month's key figure or a year's amount above these is a typing error, not a figure.
STORSTA_MANADSBELOPP = 100_000
STORSTA_ARSBELOPP = 2_000_000
#: What a transition can lead to besides another benefit, in the words of the pages.
MAL_UTOVER_ERSATTNING = {
    ARBETE: "Arbete",
    STUDIER: "Studier",
    OFORANDRAD: "Ingen förflyttning",
}


def _belopp(varde: object, *, falt: str, etikett: str, hogst: int) -> list[Fel]:
    if isinstance(varde, bool) or not isinstance(varde, int):
        return [Fel(falt, f"{etikett} måste vara ett belopp i hela kronor.")]
    if varde < 0:
        return [Fel(falt, f"{etikett} kan inte vara mindre än 0 kr.")]
    if varde > hogst:
        return [Fel(falt, f"{etikett} kan vara högst {tal(hogst)} kr (här {tal(varde)} kr).")]
    return []


def _procentsats(
    varde: object, *, falt: str, etikett: str, lagst: int = 0, hogst: int = 100
) -> list[Fel]:
    try:
        satt = Decimal(str(varde))
    except (InvalidOperation, ValueError):
        return [Fel(falt, f"{etikett} måste vara ett tal i procent.")]
    if isinstance(varde, bool) or not satt.is_finite():
        return [Fel(falt, f"{etikett} måste vara ett tal i procent.")]
    if not lagst <= satt <= hogst:
        return [Fel(falt, f"{etikett} ska vara mellan {lagst} och {hogst} %.")]
    if satt != satt.quantize(Decimal("0.01")):
        return [Fel(falt, f"{etikett} kan ha högst två decimaler.")]
    return []


def utfallsmal(procent: object) -> list[Fel]:
    """An outcome goal: a whole percentage of those who ended, 0–100."""
    if isinstance(procent, bool) or not isinstance(procent, int):
        return [Fel("procent", "Målet måste vara ett heltal i procent.")]
    if not 0 <= procent <= 100:
        return [Fel("procent", "Målet ska vara mellan 0 och 100 %.")]
    return []


def utfallskategori(kategori: object) -> list[Fel]:
    """An avslutsanledning's outcome category: one of `Avslutsanledning.Kategori`."""
    if kategori not in Avslutsanledning.Kategori.values:
        tillatna = ", ".join(str(k.label).lower() for k in Avslutsanledning.Kategori)
        return [Fel("kategori", f"Okänd utfallskategori. Välj en av: {tillatna}.")]
    return []


def effektnyckeltal(*, kostnad_per_manad: object, skatt_per_manad: object) -> list[Fel]:
    """The simple model's key figures: two monthly amounts in whole kronor."""
    return _belopp(
        kostnad_per_manad,
        falt="kostnad_per_manad",
        etikett="Kostnaden per månad",
        hogst=STORSTA_MANADSBELOPP,
    ) + _belopp(
        skatt_per_manad,
        falt="skatt_per_manad",
        etikett="Den uteblivna skatten per månad",
        hogst=STORSTA_MANADSBELOPP,
    )


def ersattningsnyckeltal(
    *, kod: str, namn: str, betalare: str, arsbelopp: object, okning: object
) -> list[Fel]:
    """A benefit's key figures: a code and a name, a payer, a yearly amount and its increase."""
    fel = []
    if not kod.strip():
        fel.append(Fel("kod", "Ange en kod för ersättningen, t.ex. forsorjningsstod."))
    elif kod in MAL_UTOVER_ERSATTNING:
        fel.append(Fel("kod", f"Koden {kod} är reserverad; välj en annan."))
    if not namn.strip():
        fel.append(Fel("namn", "Ange ersättningens namn."))
    if betalare not in Betalare.values:
        fel.append(Fel("betalare", "Välj vem som betalar ersättningen: kommun, region eller stat."))
    fel += _belopp(arsbelopp, falt="arsbelopp", etikett="Beloppet", hogst=STORSTA_ARSBELOPP)
    fel += _procentsats(okning, falt="okning", etikett="Den årliga ökningen", lagst=-50)
    return fel


def inkomstnyckeltal(
    *,
    arslon: object,
    loneokning: object,
    kommunalskatt: object,
    regionskatt: object,
    arbetsgivaravgift: object,
    jobbskatteavdrag: object,
) -> list[Fel]:
    """The income side: a yearly wage above 0, tax rates that leave something of it, and the
    state's jobbskatteavdrag below the wage."""
    fel = _belopp(arslon, falt="arslon", etikett="Lönen", hogst=STORSTA_ARSBELOPP)
    if not fel and arslon == 0:
        fel.append(Fel("arslon", "Lönen måste vara större än 0 kr."))
    fel += _procentsats(loneokning, falt="loneokning", etikett="Löneökningen", lagst=-50)
    fel += _procentsats(kommunalskatt, falt="kommunalskatt", etikett="Kommunalskatten")
    fel += _procentsats(regionskatt, falt="regionskatt", etikett="Regionskatten")
    fel += _procentsats(arbetsgivaravgift, falt="arbetsgivaravgift", etikett="Arbetsgivaravgiften")
    fel += _belopp(
        jobbskatteavdrag,
        falt="jobbskatteavdrag",
        etikett="Jobbskatteavdraget",
        hogst=STORSTA_ARSBELOPP,
    )
    if not fel and Decimal(str(kommunalskatt)) + Decimal(str(regionskatt)) >= 100:
        fel.append(
            Fel("regionskatt", "Kommunalskatt och regionskatt kan inte vara 100 % tillsammans.")
        )
    if (
        not fel
        and isinstance(jobbskatteavdrag, int)
        and isinstance(arslon, int)
        and (jobbskatteavdrag >= arslon)
    ):
        fel.append(Fel("jobbskatteavdrag", "Jobbskatteavdraget måste vara mindre än lönen."))
    return fel


#: The part of a transition cell a message is about: where it leads from, where to, or the count.
FRAN, TILL, ANTAL = "fran", "till", "antal"


def forflyttningsfel(
    fran: str, till: str, varde: object, *, ersattningar: Mapping[str, str]
) -> list[tuple[str, str]]:
    """One cell of a transition matrix: (the part it is about, FRAN/TILL/ANTAL; the message).
    `forflyttningar` names the cell "fran-till"; an import names the column of that part."""
    if fran not in ersattningar:
        return [(FRAN, f"Ersättningen {fran} finns inte bland årets nyckeltal.")]
    if till not in {*ersattningar, *MAL_UTOVER_ERSATTNING}:
        return [(TILL, f"Förflyttningen till {till} finns inte bland årets nyckeltal.")]
    if till == STUDIEMEDEL:
        return [(TILL, "Att gå till studiemedel anges som Studier.")]
    if till == fran:
        return [(TILL, f"Att stanna på {ersattningar[fran].lower()} anges som ingen förflyttning.")]
    etikett = f"Antalet från {ersattningar[fran].lower()}"
    return [(ANTAL, f.text) for f in antal(varde, falt=ANTAL, etikett=etikett)]


def forflyttningar_for_insats(*, individinriktad: bool, deltagarflode: bool) -> list[Fel]:
    """Transitions are counted for an individinriktad insats followed by its participant flow:
    a structure insats or one followed by volume has no participants to move."""
    if individinriktad and deltagarflode:
        return []
    return [
        Fel(
            HELA,
            "Förflyttningar räknas bara för individinriktade insatser som följs upp med "
            "deltagarflöde.",
        )
    ]


def forflyttningar(
    matris: Mapping[tuple[str, str], object], *, ersattningar: Mapping[str, str]
) -> list[Fel]:
    """A transition matrix: counts from a benefit of the year (`ersattningar`: code → name) to
    work, studies, another benefit of the year or no transition. Field names are "fran-till"."""
    return [
        Fel(f"{fran}-{till}", text)
        for (fran, till), varde in matris.items()
        for _del, text in forflyttningsfel(fran, till, varde, ersattningar=ersattningar)
    ]
