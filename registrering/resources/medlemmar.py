"""Medlemmar: the förbund's members (staten genom Försäkringskassan, Arbetsförmedlingen, the
region and the kommuner) with the kommuner's population at 31/12 of each year.

One row per member and year of population; a member without population (the state, the
region) is one row with År and Invånare empty. The rows of one member give the same type and
order. An import adds and changes members and sets the population of the years in the file;
it never removes a member or a year's population. Each member is written with all its rows by
`services.medlemmar.medlem_spara`, which asks the rules of `registrering.forbundsregler` and
writes the audit row, as the systemadministratör's page does with `medlemmar_spara`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import forbundsregler
from registrering.audit import snapshot
from registrering.models import Befolkning, Forbund, Medlem
from registrering.regelgrund import artal
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Heltal, Text, Val, kolumn, nyckel
from registrering.services.medlemmar import medlem_spara

AR = "År (31/12)"
MEDLEMSFALT = ("namn", "typ", "ordning")


@dataclass(frozen=True)
class Medlemsar:
    """One exported row: a member and one year of its population (or none)."""

    medlem: Medlem
    ar: int | None = None
    invanare: int | None = None

    @property
    def namn(self) -> str:
        return self.medlem.namn

    @property
    def typ(self) -> str:
        return self.medlem.typ

    @property
    def ordning(self) -> int:
        return self.medlem.ordning

    @property
    def forbund(self) -> Forbund:
        return self.medlem.forbund


class MedlemResource(FinsamResource):
    """Medlemmar: staten genom Försäkringskassan, Arbetsförmedlingen, regionen och kommunerna,
    med kommunernas befolkning 31/12 per år."""

    namn = kolumn("namn", "Medlem", Text(kravs=True, max_langd=200))
    typ = kolumn("typ", "Typ", Val(Medlem.Typ.choices))
    ordning = kolumn("ordning", "Ordning", Heltal(kravs=False))
    ar = kolumn("ar", AR, Heltal(kravs=False))
    invanare = kolumn("invanare", "Invånare", Heltal(kravs=False))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Medlem", "Typ")
    forbund_via = "forbund"
    nyckel_beskrivning = "medlem och år"
    jamfor_falt = MEDLEMSFALT

    class Meta(FinsamResource.Meta):
        model = Medlem
        fields = ("namn", "typ", "ordning", "ar", "invanare", "forbund")
        import_order = export_order = fields
        import_id_fields = ("namn", "ar")

    # --- export: one row per member and year -------------------------------------------------

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.select_related("forbund")
            .prefetch_related("befolkning")
            .order_by("forbund__namn", "ordning", "namn")
        )

    def iter_queryset(self, queryset: Iterable[Any]) -> Iterator[Medlemsar]:
        for medlem in queryset:
            befolkning = sorted(medlem.befolkning.all(), key=lambda b: b.ar)
            if not befolkning:
                yield Medlemsar(medlem)
            for rad in befolkning:
                yield Medlemsar(medlem, rad.ar, rad.invanare)

    # --- import ------------------------------------------------------------------------------

    def _normalisera_rubriker(self, dataset: tablib.Dataset) -> None:
        # "År" alone is the year of the population, as in the other files.
        if dataset.headers:
            dataset.headers = [AR if nyckel(r) == "år" else r for r in dataset.headers]
        super()._normalisera_rubriker(dataset)

    def forbered(self, dataset: tablib.Dataset) -> None:
        medlemmar = Medlem.objects.filter(forbund_id__in=self._tillatna)
        self._befintliga = {(m.forbund_id, nyckel(m.namn)): m for m in medlemmar}
        self._befolkning: dict[int, dict[int, int]] = defaultdict(dict)
        for medlem_id, ar, invanare in Befolkning.objects.filter(
            medlem__forbund_id__in=self._tillatna
        ).values_list("medlem_id", "ar", "invanare"):
            self._befolkning[medlem_id][ar] = invanare
        # The first row of each member in the file: its type and order hold for the others.
        self._forsta: dict[tuple[int, str], Rad] = {}

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn = self.las(row, "namn", fel)
        rad.varden["typ"] = self.las(row, "typ", fel)
        if self.har_kolumn(row, "ordning"):
            rad.varden["ordning"] = self.las(row, "ordning", fel) or 0
        self._las_befolkning(row, rad, fel)
        if not namn:
            return
        medlem = (rad.forbund.pk, nyckel(namn))
        rad.nyckel = (*medlem, rad.extra.get("ar"))
        rad.befintlig = self._befintliga.get(medlem)
        rad.extra["namn"] = rad.befintlig.namn if rad.befintlig else namn
        if rad.befintlig is None:
            rad.varden["namn"] = namn  # an existing one keeps its spelling
        self._samma_som_forsta(medlem, rad, fel)

    def _las_befolkning(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        ar = self.las(row, "ar", fel) if self.har_kolumn(row, "ar") else None
        invanare = self.las(row, "invanare", fel) if self.har_kolumn(row, "invanare") else None
        if ar is not None and invanare is None and not fel.get("Invånare"):
            fel["Invånare"].append(
                f"Ange antalet invånare 31/12 {ar}, eller lämna också {AR} tomt."
            )
        if invanare is not None and ar is None and not fel.get(AR):
            fel[AR].append("Ange året (31/12) som befolkningen gäller.")
        if ar is not None:
            rad.extra["ar"] = ar
            rad.varden["invanare"] = invanare

    def _samma_som_forsta(
        self, medlem: tuple[int, str], rad: Rad, fel: dict[str, list[str]]
    ) -> None:
        """A member has one type and one order: its later rows give the same as its first."""
        forsta = self._forsta.setdefault(medlem, rad)
        if forsta is rad:
            return
        for falt in ("typ", "ordning"):
            varde, forsta_varde = rad.varden.get(falt), forsta.varden.get(falt)
            if varde is not None and forsta_varde is not None and varde != forsta_varde:
                text = self.fields[falt].widget.render(forsta_varde)
                fel[self.fields[falt].column_name].append(
                    f"Medlemmen har {self.fields[falt].column_name.lower()} ”{text}” på rad "
                    f"{forsta.nr}. Ge alla rader för samma medlem samma värde."
                )

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        """The member's rules for each row, and for a member that stops being a kommun the
        years of population it keeps (those the file does not give)."""
        filens_ar: dict[tuple[int, str], set[int]] = defaultdict(set)
        for rad in rader:
            assert rad.nyckel is not None
            if (ar := rad.extra.get("ar")) is not None:
                filens_ar[rad.nyckel[:2]].add(ar)
        for rad in rader:
            ar = rad.extra.get("ar")
            fel = forbundsregler.medlem_fel(
                namn=rad.extra["namn"],
                typ=rad.varden["typ"],
                invanare=rad.varden.get("invanare"),
                ar=ar or 0,
            )
            if ar is not None:
                fel += artal(ar)
            if isinstance(rad.befintlig, Medlem) and self._forsta.get(rad.nyckel[:2]) is rad:  # type: ignore[index]
                sparade = set(self._befolkning[rad.befintlig.pk]) - filens_ar[rad.nyckel[:2]]  # type: ignore[index]
                fel += forbundsregler.medlem_typ_fel(
                    typ=rad.varden["typ"], ar_med_befolkning=sparade
                )
            for f in fel:
                yield rad, f

    def ny_instans(self, rad: Rad) -> models.Model:
        return Medlem(forbund=rad.forbund)

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[models.Model, bool]:
        instance, ny = super().get_or_init_instance(instance_loader, row)
        rad = self._rad
        assert rad is not None
        ar = rad.extra.get("ar")
        # The row's year on the instance, for the preview's before and after.
        instance.ar = ar  # type: ignore[attr-defined]
        instance.invanare = (  # type: ignore[attr-defined]
            self._befolkning[instance.pk].get(ar) if instance.pk and ar is not None else None
        )
        if not ny:
            rad.fore = self.las_fore(instance)
        return instance, ny

    def las_fore(self, instance: Any) -> dict[str, Any]:
        data = snapshot(instance, MEDLEMSFALT)
        if getattr(instance, "ar", None) is not None:
            data["invanare"] = getattr(instance, "invanare", None)
        return data

    def skriv(self, rader: list[Rad]) -> None:
        """One call of the service per member, with every year of it the file changes."""
        per_medlem: dict[tuple[int, str], list[Rad]] = defaultdict(list)
        for rad in rader:
            assert rad.nyckel is not None
            per_medlem[rad.nyckel[:2]].append(rad)
        for medlemmens in per_medlem.values():
            forsta = medlemmens[0]
            medlem_spara(
                user=self.user,
                forbund=forsta.forbund,
                medlem=forsta.befintlig,  # type: ignore[arg-type]
                namn=forsta.extra["namn"],
                typ=forsta.varden["typ"],
                ordning=forsta.varden.get("ordning"),
                befolkning={
                    r.extra["ar"]: r.varden["invanare"] for r in medlemmens if "ar" in r.extra
                },
                import_fran=self.import_fran,
            )


__all__ = ["MedlemResource"]
