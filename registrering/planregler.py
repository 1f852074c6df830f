"""Rules for the year's plan: the verksamhetsplan (tilldelning, the survey goal, the cap on eget
kapital) and its cost posts.

Plain functions returning `Fel`, like every rule in `registrering.regler` (which asks for these,
so every door calls them as `regler.<namn>`). What a cost post may be the cost of is
`underlagsregler.kostnadspost`; `kostnadspost_fel` asks it too.
"""

from __future__ import annotations

from decimal import Decimal

from registrering.models.bilaga import Kostnadspost, Verksamhetsplan
from registrering.models.insatser import Insats
from registrering.regelgrund import Fel, artal
from registrering.talformat import tal
from registrering.underlagsregler import kostnadspost

STORSTA_BELOPP = Decimal("1e11")


def kronor(varde: object, *, falt: str, etikett: str, negativ: bool = False) -> list[Fel]:
    """An amount in whole kronor (not below 0 unless `negativ`)."""
    if (
        isinstance(varde, bool)
        or not isinstance(varde, Decimal | int)
        or (isinstance(varde, Decimal) and not varde.is_finite())
    ):
        return [Fel(falt, f"{etikett}: ange ett belopp i kronor, t.ex. 125 000.")]
    if abs(Decimal(varde)) >= STORSTA_BELOPP:
        return [Fel(falt, f"{etikett}: beloppet är orimligt stort.")]
    if varde != int(varde):
        return [Fel(falt, f"{etikett}: ange beloppet i hela kronor.")]
    if not negativ and varde < 0:
        return [Fel(falt, f"{etikett} kan inte vara mindre än 0.")]
    return []


def procent(varde: object, *, falt: str, etikett: str) -> list[Fel]:
    """A share in whole per cent, 0–100."""
    if isinstance(varde, bool) or not isinstance(varde, int):
        return [Fel(falt, f"{etikett} måste vara ett heltal (procent).")]
    if not 0 <= varde <= 100:
        return [Fel(falt, f"{etikett} ska vara mellan 0 och 100 (här {tal(varde)}).")]
    return []


def verksamhetsplan(
    *,
    ar: int,
    tilldelning: object,
    enkatmal_procent: object,
    kapitaltak_procent: object,
    kapitaltak_bas: str,
    eget_kapital_ingaende: object | None,
) -> list[Fel]:
    """The year's plan: a year, the tilldelning in whole kronor, two shares in per cent, a
    known base for the cap and (if given) the eget kapital 1/1 in whole kronor (it may be
    negative)."""
    fel = artal(ar)
    fel += kronor(tilldelning, falt="tilldelning", etikett="Tilldelningen")
    fel += procent(enkatmal_procent, falt="enkatmal_procent", etikett="Målet för enkäten")
    fel += procent(kapitaltak_procent, falt="kapitaltak_procent", etikett="Taket")
    if kapitaltak_bas not in Verksamhetsplan.KapitaltakBas.values:
        fel.append(Fel("kapitaltak_bas", "Ange årets tilldelning eller genomsnittlig tilldelning."))
    if eget_kapital_ingaende is not None:
        fel += kronor(
            eget_kapital_ingaende,
            falt="eget_kapital_ingaende",
            etikett="Eget kapital 1/1",
            negativ=True,
        )
    return fel


def kostnadspost_fel(
    *,
    ar: int,
    namn: str,
    budget: object,
    typ: str,
    insats: Insats | None,
    forbund_id: int | None,
) -> list[Fel]:
    """A cost post: a year, a name, a planned cost in whole kronor, a known kind and (for a
    cost of insatser) an insats of the förbund that runs during the year
    (`underlagsregler.kostnadspost`)."""
    fel = artal(ar)
    if not namn.strip():
        fel.append(Fel("namn", "Ange postens namn."))
    fel += kronor(budget, falt="budget", etikett="Den planerade kostnaden")
    if typ not in Kostnadspost.Typ.values:
        fel.append(Fel("typ", "Ange insatser eller administration."))
        return fel
    return fel + kostnadspost(typ=typ, insats=insats, forbund_id=forbund_id, ar=ar)
