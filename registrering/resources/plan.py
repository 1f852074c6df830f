"""The year's plan: the verksamhetsplan (tilldelning, the survey goal, the cap on eget kapital)
and its cost posts with their planned costs, before the utfall that is booked on them.

One row per plan and year, and one per post and year. An import adds and changes plans and
posts; it never removes one. Each row is checked by the rules of `registrering.planregler`
(through `services.verksamhetsplan_fel` and `services.kostnadspost_fel`) and written, with
its audit row, by `services.verksamhetsplan_spara` and `services.kostnadspost_spara`. A
column left out of the file leaves that field as it is (or its default, for a new row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import services
from registrering.models import Kostnadspost, Verksamhetsplan
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.ekonomi import Belopp
from registrering.resources.kolumner import Heltal, Text, Val, kolumn, nyckel
from registrering.services.plan import PLANFALT, POSTFALT


class ValfrittBelopp(Belopp):
    """An amount that may be left empty (None)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return super().clean(value, row, **kwargs)


class VerksamhetsplanResource(FinsamResource):
    """Verksamhetsplan: årets tilldelning, målet för enkäten och taket för eget kapital."""

    ar = kolumn("ar", "År", Heltal())
    tilldelning = kolumn("tilldelning", "Tilldelning (kr)", Belopp())
    enkatmal_procent = kolumn("enkatmal_procent", "Mål för enkäten %", Heltal(kravs=False))
    kapitaltak_procent = kolumn("kapitaltak_procent", "Tak för eget kapital %", Heltal(kravs=False))
    kapitaltak_bas = kolumn(
        "kapitaltak_bas", "Taket räknas på", Val(Verksamhetsplan.KapitaltakBas.choices, kravs=False)
    )
    eget_kapital_ingaende = kolumn(
        "eget_kapital_ingaende", "Eget kapital 1/1 (kr)", ValfrittBelopp()
    )
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("År", "Tilldelning (kr)")
    forbund_via = "forbund"
    nyckel_beskrivning = "år"
    jamfor_falt = PLANFALT

    class Meta(FinsamResource.Meta):
        model = Verksamhetsplan
        fields = ("ar", *PLANFALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar",)

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("forbund").order_by("forbund__namn", "ar")

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            (p.forbund_id, p.ar): p
            for p in Verksamhetsplan.objects.filter(forbund_id__in=self._tillatna)
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        ar = self.las(row, "ar", fel)
        for falt in PLANFALT:
            if not self.har_kolumn(row, falt):
                continue
            varde = self.las(row, falt, fel)
            # An empty percentage or base keeps what is there; an empty eget kapital is unknown.
            if varde not in (None, "") or falt == "eget_kapital_ingaende":
                rad.varden[falt] = varde
        if ar is None:
            return
        rad.nyckel = (rad.forbund.pk, ar)
        rad.extra["ar"] = ar
        rad.befintlig = self._befintliga.get(rad.nyckel)

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            plan = rad.befintlig if isinstance(rad.befintlig, Verksamhetsplan) else None
            for f in services.verksamhetsplan_fel(ar=rad.extra["ar"], varden=rad.varden, plan=plan):
                yield rad, f

    def ny_instans(self, rad: Rad) -> models.Model:
        return Verksamhetsplan(forbund=rad.forbund, ar=rad.extra["ar"])

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            services.verksamhetsplan_spara(
                user=self.user,
                forbund=rad.forbund,
                ar=rad.extra["ar"],
                varden=rad.varden,
                import_fran=self.import_fran,
            )


class KostnadspostResource(FinsamResource):
    """Kostnadsposter: årets poster med planerad kostnad, för insatser eller administration."""

    ar = kolumn("ar", "År", Heltal())
    namn = kolumn("namn", "Post", Text(kravs=True, max_langd=100))
    budget = kolumn("budget", "Planerad kostnad (kr)", Belopp())
    kod = kolumn("kod", "Kod", Text(max_langd=20))
    typ = kolumn("typ", "Typ", Val(Kostnadspost.Typ.choices, kravs=False))
    insats = kolumn("insats__namn", "Insats", Text())
    ordning = kolumn("ordning", "Ordning", Heltal(kravs=False))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("År", "Post", "Planerad kostnad (kr)")
    forbund_via = "forbund"
    nyckel_beskrivning = "post och år"
    jamfor_falt = POSTFALT

    class Meta(FinsamResource.Meta):
        model = Kostnadspost
        fields = ("ar", "namn", "budget", "kod", "typ", "insats", "ordning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar", "namn")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("forbund", "insats").order_by(
            "forbund__namn", "ar", "ordning", "namn"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (p.forbund_id, p.ar, nyckel(p.namn)): p
            for p in Kostnadspost.objects.filter(forbund_id__in=self._tillatna)
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        ar, namn = self.las(row, "ar", fel), self.las(row, "namn", fel)
        rad.varden["budget"] = self.las(row, "budget", fel)
        for falt in ("kod", "ordning"):
            if self.har_kolumn(row, falt):
                rad.varden[falt] = self.las(row, falt, fel) or (0 if falt == "ordning" else "")
        if self.har_kolumn(row, "typ") and (typ := self.las(row, "typ", fel)):
            rad.varden["typ"] = typ
        if self.har_kolumn(row, "insats"):
            rad.varden["insats"] = self.las_insats(row, rad, fel)
        if ar is None or not namn:
            return
        rad.nyckel = (rad.forbund.pk, ar, nyckel(namn))
        rad.befintlig = self._befintliga.get(rad.nyckel)
        # An existing post keeps its spelling.
        rad.extra.update(ar=ar, namn=rad.befintlig.namn if rad.befintlig else namn)

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            post = rad.befintlig if isinstance(rad.befintlig, Kostnadspost) else None
            for f in services.kostnadspost_fel(
                forbund=rad.forbund,
                ar=rad.extra["ar"],
                namn=rad.extra["namn"],
                varden=rad.varden,
                post=post,
            ):
                yield rad, f

    def ny_instans(self, rad: Rad) -> models.Model:
        return Kostnadspost(forbund=rad.forbund, ar=rad.extra["ar"], namn=rad.extra["namn"])

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            services.kostnadspost_spara(
                user=self.user,
                forbund=rad.forbund,
                ar=rad.extra["ar"],
                namn=rad.extra["namn"],
                varden=rad.varden,
                post=rad.befintlig,  # type: ignore[arg-type]
                import_fran=self.import_fran,
            )


__all__ = ["KostnadspostResource", "VerksamhetsplanResource"]
