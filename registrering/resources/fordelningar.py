"""Breakdowns of a month's total: avslutade per avslutsanledning and nya per huvudman."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import regler
from registrering.models import (
    AvslutadePerAnledning,
    Avslutsanledning,
    Huvudman,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
)
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, HELA_RADEN, FinsamResource, Rad
from registrering.resources.kolumner import Heltal, Text, kolumn, nyckel
from registrering.services import fordelning_import


class FordelningBas(FinsamResource):
    """A month's total split by a key (avslutsanledning, huvudman). Rows match on insats + år +
    månad + key; Antal 0 removes a row. `services.fordelning_import` checks that the month's rows
    add up to its total and writes them."""

    insats = kolumn("rapport__insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("rapport__ar", "År", Heltal())
    manad = kolumn("rapport__manad", "Månad", Heltal())
    antal = kolumn("antal", "Antal", Heltal())
    forbund = kolumn("rapport__insats__forbund__kortnamn", FORBUND)

    forbund_via = "rapport__insats__forbund"
    jamfor_falt = ("antal",)
    relation: ClassVar[str] = ""  # "anledning" or "huvudman"
    relation_kolumn: ClassVar[str] = ""
    slag: ClassVar[str] = ""  # the breakdown: "avslut" / "nya_huvudman"

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("rapport__insats__forbund", self.relation).order_by(
            "rapport__insats__forbund__namn",
            "rapport__insats__ordning",
            "rapport__insats__namn",
            "rapport__ar",
            "rapport__manad",
            f"{self.relation}__ordning",
            f"{self.relation}__namn",
        )

    def nycklar(self) -> dict[int, dict[str, Any]]:
        """Per insats: the valid keys by name."""
        raise NotImplementedError

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        ar = self.ar_i_filen(dataset, "År")
        self._rapporter = {
            (r.insats_id, r.ar, r.manad): r
            for r in Manadsrapport.objects.filter(
                insats__forbund_id__in=self._tillatna, ar__in=ar
            ).select_related("insats__forbund")
        }
        self._befintliga: dict[tuple[int, int], Any] = {
            (obj.rapport_id, getattr(obj, f"{self.relation}_id")): obj
            for obj in self._meta.model.objects.filter(rapport__in=self._rapporter.values())
        }
        self._nycklar = self.nycklar()

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        namn = self.las(row, self.relation, fel)
        antal = rad.varden["antal"] = self.las(row, "antal", fel)
        if insats is None or ar is None or manad is None or not namn:
            return
        if insats.ar_volyminsats:
            fel["Insats"].append(f"{insats.namn} följs upp med volym och har inget deltagarflöde.")
            return
        rapport = self._rapporter.get((insats.pk, ar, manad))
        if rapport is None:
            fel[HELA_RADEN].append(
                f"Det finns inga månadssiffror för {insats.namn}, {regler.manadsnamn(ar, manad)}. "
                "Importera månadsdata först."
            )
            return
        giltiga = self._nycklar.get(insats.pk, {})
        objekt = giltiga.get(nyckel(namn))
        if objekt is None:
            fel[self.relation_kolumn].append(self.okand_text(namn, insats, giltiga))
            return
        rad.nyckel = (rapport.pk, objekt.pk)
        rad.befintlig = self._befintliga.get(rad.nyckel)
        if antal is not None:
            rad.extra["import"] = fordelning_import.FordelningImportRad(
                rad.nr, rapport, objekt.pk, objekt.namn, antal
            )

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def giltiga_per_insats(self) -> dict[int, dict[int, str]]:
        return {
            insats_id: {o.pk: o.namn for o in objekt.values()}
            for insats_id, objekt in self._nycklar.items()
        }

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        per_nr = {r.nr: r for r in rader if "import" in r.extra}
        fel = fordelning_import.fordelningar_fel(
            slag=self.slag,
            rader=[r.extra["import"] for r in per_nr.values()],
            giltiga=self.giltiga_per_insats(),
        )
        for nr, radfel in fel.items():
            for f in radfel:
                yield per_nr[nr], f

    def kolumn_for(self, falt: str) -> str:
        return "Antal" if falt == self.slag else super().kolumn_for(falt)

    def for_delete(self, row: Any, instance: Any) -> bool:
        return self._rad is not None and self._rad.varden.get("antal") == 0

    def ny_instans(self, rad: Rad) -> models.Model:
        import_rad = rad.extra["import"]
        return self._meta.model(
            rapport=import_rad.rapport, **{f"{self.relation}_id": import_rad.nyckel_id}
        )

    def skriv(self, rader: list[Rad]) -> None:
        fordelning_import.fordelningar_importera(
            user=self.user,
            slag=self.slag,
            rader=[r.extra["import"] for r in rader],
            giltiga=self.giltiga_per_insats(),
            import_fran=self._filnamn,
        )


class AvslutadePerAnledningResource(FordelningBas):
    """Avslutade per avslutsanledning och månad (valfri: utan den visas de som ej angiven)."""

    anledning = kolumn("anledning__namn", "Avslutsanledning", Text(kravs=True))

    obligatoriska = ("Insats", "År", "Månad", "Avslutsanledning", "Antal")
    nyckel_beskrivning = "insats, år, månad och avslutsanledning"
    relation, relation_kolumn, slag = "anledning", "Avslutsanledning", "avslut"

    class Meta(FordelningBas.Meta):
        model = AvslutadePerAnledning
        fields = ("insats", "ar", "manad", "anledning", "antal", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad", "anledning")

    def nycklar(self) -> dict[int, dict[str, Any]]:
        result: dict[int, dict[str, Any]] = defaultdict(dict)
        for rad in Avslutsanledning.insatser.through.objects.filter(
            insats__forbund_id__in=self._tillatna
        ).select_related("avslutsanledning"):
            result[rad.insats_id][nyckel(rad.avslutsanledning.namn)] = rad.avslutsanledning
        return result

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        if not giltiga:
            return f"{insats.namn} har inga avslutsanledningar. Välj dem för insatsen först."
        namnen = ", ".join(
            a.namn for a in sorted(giltiga.values(), key=lambda a: (a.ordning, a.namn))
        )
        return f"Okänd avslutsanledning ”{namn}” för {insats.namn}. Insatsen använder: {namnen}."


class NyaPerHuvudmanResource(FordelningBas):
    """Nya per huvudman och månad (valfri: utan den visas de som ej angiven)."""

    huvudman = kolumn("huvudman__namn", "Huvudman", Text(kravs=True))

    obligatoriska = ("Insats", "År", "Månad", "Huvudman", "Antal")
    nyckel_beskrivning = "insats, år, månad och huvudman"
    relation, relation_kolumn, slag = "huvudman", "Huvudman", "nya_huvudman"

    class Meta(FordelningBas.Meta):
        model = NyaPerHuvudman
        fields = ("insats", "ar", "manad", "huvudman", "antal", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad", "huvudman")

    def nycklar(self) -> dict[int, dict[str, Any]]:
        per_forbund: dict[int, dict[str, Huvudman]] = defaultdict(dict)
        for huvudman in Huvudman.objects.filter(forbund_id__in=self._tillatna):
            per_forbund[huvudman.forbund_id][nyckel(huvudman.namn)] = huvudman
        return {i.pk: per_forbund[i.forbund_id] for i in self._insatser.values()}

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        namnen = ", ".join(
            h.namn for h in sorted(giltiga.values(), key=lambda h: (h.ordning, h.namn))
        )
        return (
            f"Okänd huvudman ”{namn}” i {insats.forbund.namn}. Huvudmännen är: {namnen or 'inga'}."
        )
