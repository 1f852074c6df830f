"""The year's underlag to Försäkringskassan's Uppföljning Finsam: everything the national system
asks of a förbund for a year (seed 002, DOMAIN.md "The national system").

`underlag(forbund=…, ar=…)` returns an immutable `Underlag` in a constant number of queries:
- per insats its inriktning, preciserad inriktning, målgrupper, ESF, uppföljningsmetod with the
  volume's unit, budgeted number, budgeted and actual cost (the cost posts of the insats) and
  its participants by gender (the bilaga's deltagare totalt) or its volume;
- for the förbund the members' contributions (the verksamhetsplan's split,
  `rapporter.mal_ekonomi`), budget and utfall split between insatser and administration, the
  year's result and the eget kapital;
- what is missing before the figures can be copied (`regler.underlag_saknas`).

Selectors compute, `rapporter.export` arranges the sheets, the page shows them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices

from rapporter.arsdata import Arsdata, arets_id, arets_insatser, arsdata
from rapporter.mal_ekonomi import Ekonomi, MedlemsAndel, ekonomi, planer_for
from registrering import regler
from registrering.ledger import Kon
from registrering.models import BudgeteradVolym, Forbund, Insats, Kostnadspost
from registrering.underlagsregler import FORBUND_SAKNAS_TEXT, SAKNAS_TEXT, InsatsUppgifter


@dataclass(frozen=True)
class UnderlagInsats:
    """One insats's year as the national system asks for it."""

    insats_id: int
    namn: str
    inriktning: str
    preciserad_inriktning: str
    malgrupper: str
    esf: bool
    uppfoljning: str
    volymenhet: str
    budgeterat: int | None
    budget: Decimal | None  # None: no cost post is the cost of the insats
    utfall: Decimal | None
    deltagare: Kon | None  # deltagare totalt (ingående balans + nya); None for a volyminsats
    volym: int | None
    saknas: tuple[str, ...] = ()

    @property
    def deltagare_kvinnor(self) -> int | None:
        """None when the insats has no participants by gender (a volyminsats, or a yearly
        total without the split)."""
        return self.deltagare.kvinnor if self.deltagare and self.deltagare.uppdelad else None

    @property
    def deltagare_man(self) -> int | None:
        return self.deltagare.man if self.deltagare and self.deltagare.uppdelad else None

    @property
    def deltagare_totalt(self) -> int | None:
        return self.deltagare.totalt if self.deltagare else None

    @property
    def kon_saknas(self) -> bool:
        return self.deltagare is not None and not self.deltagare.uppdelad

    @property
    def saknas_text(self) -> tuple[str, ...]:
        return tuple(SAKNAS_TEXT[s] for s in self.saknas)


@dataclass(frozen=True)
class UnderlagForbund:
    """The förbund's money for the year: what each member contributed, budget and utfall of
    insatser and administration, the result and the eget kapital. Without a verksamhetsplan
    there is no tilldelning; without cost posts no budget and no result."""

    tilldelning: Decimal | None
    medlemmar: tuple[MedlemsAndel, ...]
    befolkningsar: int | None
    budget_insatser: Decimal
    utfall_insatser: Decimal
    budget_administration: Decimal
    utfall_administration: Decimal
    har_budget: bool
    utfall_till_manad: int
    eget_kapital_ingaende: Decimal | None
    saknas: tuple[str, ...] = ()

    @property
    def budget_totalt(self) -> Decimal:
        return self.budget_insatser + self.budget_administration

    @property
    def utfall_totalt(self) -> Decimal:
        return self.utfall_insatser + self.utfall_administration

    @property
    def resultat(self) -> Decimal | None:
        """The year's result: the tilldelning less the utfall booked."""
        if self.tilldelning is None or not self.har_budget:
            return None
        return self.tilldelning - self.utfall_totalt

    @property
    def eget_kapital_utgaende(self) -> Decimal | None:
        resultat = self.resultat
        if self.eget_kapital_ingaende is None or resultat is None:
            return None
        return self.eget_kapital_ingaende + resultat

    @property
    def saknas_text(self) -> tuple[str, ...]:
        return tuple(FORBUND_SAKNAS_TEXT[s] for s in self.saknas)


@dataclass(frozen=True)
class Underlag:
    forbund_namn: str
    kortnamn: str
    ar: int
    insatser: tuple[UnderlagInsats, ...]
    forbund: UnderlagForbund

    @property
    def brister(self) -> tuple[UnderlagInsats, ...]:
        """The insatser missing something the national system needs."""
        return tuple(i for i in self.insatser if i.saknas)

    @property
    def komplett(self) -> bool:
        return not self.brister and not self.forbund.saknas


def _kostnader_per_insats(
    ekon: Ekonomi | None,
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Budget and utfall summed per insats over the posts that are its cost."""
    budget: dict[int, Decimal] = defaultdict(Decimal)
    utfall: dict[int, Decimal] = defaultdict(Decimal)
    for post in ekon.poster if ekon else ():
        if post.insats_id is not None:
            budget[post.insats_id] += post.budget
            utfall[post.insats_id] += post.utfall
    return budget, utfall


def _forbundet(ekon: Ekonomi | None) -> UnderlagForbund:
    poster = ekon.poster if ekon else ()

    def summa(typ: str, falt: str) -> Decimal:
        return sum((getattr(p, falt) for p in poster if p.typ == typ), Decimal(0))

    insats, adm = Kostnadspost.Typ.INSATS, Kostnadspost.Typ.ADMINISTRATION
    return UnderlagForbund(
        tilldelning=ekon.tilldelning if ekon else None,
        medlemmar=ekon.medlemmar if ekon else (),
        befolkningsar=ekon.befolkningsar if ekon else None,
        budget_insatser=summa(insats, "budget"),
        utfall_insatser=summa(insats, "utfall"),
        budget_administration=summa(adm, "budget"),
        utfall_administration=summa(adm, "utfall"),
        har_budget=bool(poster),
        utfall_till_manad=ekon.utfall_till_manad if ekon else 0,
        eget_kapital_ingaende=ekon.eget_kapital_ingaende if ekon else None,
        saknas=regler.underlag_forbund_saknas(
            har_plan=ekon is not None,
            har_eget_kapital=bool(ekon and ekon.eget_kapital_ingaende is not None),
            har_befolkning=bool(ekon and ekon.befolkningsar is not None),
            har_kostnadsposter=bool(poster),
            har_administration=any(p.typ == adm for p in poster),
            utfall_till_manad=ekon.utfall_till_manad if ekon else 0,
        ),
    )


def _malgrupper(forbund: Forbund, ar: int) -> dict[int, list[str]]:
    """The names of each of the year's insatser's målgrupper, in their order (one query: a
    prefetch made a related manager per insats, a third of the page at 300, issue 15)."""
    per_insats: dict[int, list[str]] = defaultdict(list)
    for insats_id, namn in (
        Insats.malgrupper.through.objects.filter(insats_id__in=arets_id(forbund, ar))
        .order_by("malgrupp__ordning", "malgrupp__namn")
        .values_list("insats_id", "malgrupp__namn")
    ):
        per_insats[insats_id].append(namn)
    return per_insats


def _visning(val: type[TextChoices]) -> Callable[[str], str]:
    """`get_<field>_display` of an Insats field with the choices `val`, as a lookup made once
    per page (the model's method makes its choices hashable again for each call)."""
    visas = {varde: str(namn) for varde, namn in val.choices}
    return lambda varde: visas.get(varde, varde)


def underlag(*, forbund: Forbund, ar: int, arets_data: Arsdata | None = None) -> Underlag:
    """Every insats that ran during `ar`, in the bilaga's order, and the förbund's money, with
    what is missing (a constant number of queries however many insatser). `arets_data`: the
    year's figures (`arsdata`) when the caller has them (the report's), not computed again."""
    # The year's insatser read once, for the figures and the rows.
    insatser = arets_insatser(forbund=forbund, ar=ar)
    malgrupper_per_insats = _malgrupper(forbund, ar)
    inriktning = _visning(Insats.Inriktning)
    preciserad = _visning(Insats.PreciseradInriktning)
    uppfoljning = _visning(Insats.Uppfoljning)
    volymenhet = _visning(Insats.Volymenhet)
    data = arets_data or arsdata(forbund=forbund, ar=ar, insatser=insatser, fordelningar=False)
    floden = {f.insats_id: f for f in data.insatser}
    volymer = {v.insats_id: v for v in data.volym}
    # Unordered: one row per insats and year, and the model's ordering joins the insats and its
    # förbund to sort them.
    budgeterat = dict(
        BudgeteradVolym.objects.filter(insats__forbund=forbund, ar=ar)
        .order_by()
        .values_list("insats_id", "volym")
    )
    ekon = ekonomi(forbund=forbund, ar=ar, planer=planer_for(forbund=forbund, ar=ar))
    budget, utfall = _kostnader_per_insats(ekon)
    rader = []
    for insats in insatser:
        flode, volym = floden.get(insats.pk), volymer.get(insats.pk)
        malgrupper = malgrupper_per_insats.get(insats.pk, [])
        if flode is not None:
            rapporterat = bool(flode.rapporterade_manader or flode.kalla)
            har_deltagare = rapporterat or flode.deltagare_totalt.totalt > 0
        else:
            har_deltagare = bool(volym and (volym.rapporterade_manader or volym.kalla))
        saknas = regler.underlag_saknas(
            InsatsUppgifter(
                insats=insats,
                malgrupper=len(malgrupper),
                har_budget=insats.pk in budget,
                har_utfall=bool(utfall.get(insats.pk)),
                har_deltagare=har_deltagare,
                har_budgeterat_antal=insats.pk in budgeterat,
            )
        )
        rader.append(
            UnderlagInsats(
                insats_id=insats.pk,
                namn=insats.namn,
                inriktning=inriktning(insats.inriktning),
                preciserad_inriktning=preciserad(insats.preciserad_inriktning),
                malgrupper=", ".join(malgrupper),
                esf=insats.esf_finansierad,
                uppfoljning=uppfoljning(insats.uppfoljning),
                volymenhet=volymenhet(insats.volymenhet) if insats.ar_volyminsats else "",
                budgeterat=budgeterat.get(insats.pk),
                budget=budget.get(insats.pk),
                utfall=utfall.get(insats.pk),
                deltagare=flode.deltagare_totalt if flode else None,
                volym=volym.volym if volym else None,
                saknas=saknas,
            )
        )
    return Underlag(
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        insatser=tuple(rader),
        forbund=_forbundet(ekon),
    )
