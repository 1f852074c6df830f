"""Breakdowns of a month's total: avslutade per avslutsanledning and nya per huvudman."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any, ClassVar

import tablib
from django.db import models
from django.db.models import F, QuerySet

from registrering.models import (
    AvslutadePerAnledning,
    Avslutsanledning,
    Huvudman,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
)
from registrering.resources.bas import (
    FORBUND,
    HELA_RADEN,
    FinsamResource,
    Heltal,
    Rad,
    Text,
    ar_widget,
    kolumn,
    manad_widget,
    nyckel,
)
from registrering.resources.manader import last_text, manadsnamn_text


class FordelningBas(FinsamResource):
    """A month's total split by a key (avslutsanledning, huvudman). Rows match on insats + år +
    månad + key; Antal 0 removes a row. The month's rows must add up to its total."""

    insats = kolumn("rapport__insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("rapport__ar", "År", ar_widget())
    manad = kolumn("rapport__manad", "Månad", manad_widget())
    antal = kolumn("antal", "Antal", Heltal())
    forbund = kolumn("rapport__insats__forbund__kortnamn", FORBUND)

    forbund_via = "rapport__insats__forbund"
    jamfor_falt = ("antal",)
    relation: ClassVar[str] = ""  # "anledning" or "huvudman"
    relation_kolumn: ClassVar[str] = ""
    audit_nyckel: ClassVar[str] = ""  # the Manadsrapport's audit key: "avslut" / "nya_huvudman"
    total_falt: ClassVar[tuple[str, str]] = ("", "")
    vad: ClassVar[str] = ""  # "avslutade" / "nya"

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
            ).select_related("insats")
        }
        self._befintliga: dict[tuple[int, int], Any] = {}
        self._fore: dict[int, dict[str, int]] = defaultdict(dict)
        for obj in self._meta.model.objects.filter(
            rapport__in=self._rapporter.values()
        ).select_related(self.relation):
            self._befintliga[(obj.rapport_id, getattr(obj, f"{self.relation}_id"))] = obj
            self._fore[obj.rapport_id][getattr(obj, self.relation).namn] = obj.antal
        self._nycklar = self.nycklar()
        self._andrade: set[int] = set()

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
                f"Det finns inga månadssiffror för {insats.namn}, {manadsnamn_text(ar, manad)}. "
                "Importera månadsdata först."
            )
            return
        giltiga = self._nycklar.get(insats.pk, {})
        objekt = giltiga.get(nyckel(namn))
        if objekt is None:
            fel[self.relation_kolumn].append(self.okand_text(namn, insats, giltiga))
            return
        rad.nyckel = (rapport.pk, objekt.pk)
        rad.extra.update(rapport=rapport, objekt=objekt)
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        if rapport.last and antal is not None and antal != (befintlig.antal if befintlig else 0):
            fel[HELA_RADEN].append(last_text(insats, ar, manad))

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def kontrollera_helheten(self) -> None:
        per_rapport: dict[int, list[Rad]] = defaultdict(list)
        for rad in self.giltiga_rader():
            per_rapport[rad.nyckel[0]].append(rad)
        for rader in per_rapport.values():
            rapport = rader[0].extra["rapport"]
            resultat = dict(self._fore.get(rapport.pk, {}))
            for rad in rader:
                resultat[rad.extra["objekt"].namn] = rad.varden["antal"]
            summa = sum(resultat.values())
            total = sum(getattr(rapport, f) for f in self.total_falt)
            if summa and summa != total:
                text = (
                    f"Fördelningen per {self.relation_kolumn.lower()} för {rapport.insats.namn}, "
                    f"{manadsnamn_text(rapport.ar, rapport.manad)} blir {summa}, men antalet "
                    f"{self.vad} är {total}."
                )
                for rad in rader:
                    self.fel_pa(rad, "Antal", text)

    def for_delete(self, row: Any, instance: Any) -> bool:
        return self._rad is not None and self._rad.varden.get("antal") == 0

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(
            rapport=rad.extra["rapport"], **{self.relation: rad.extra["objekt"]}
        )

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Audited per month on the Manadsrapport (as when the month is edited): efter_import.
        if self._rad is not None:
            self._andrade.add(self._rad.extra["rapport"].pk)

    def after_delete_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.after_save_instance(instance, row, **kwargs)

    def efter_import(self) -> None:
        if not self._andrade:
            return
        efter: dict[int, dict[str, int]] = defaultdict(dict)
        for rapport_id, namn, antal in self._meta.model.objects.filter(
            rapport_id__in=self._andrade
        ).values_list("rapport_id", f"{self.relation}__namn", "antal"):
            efter[rapport_id][namn] = antal
        rapporter = {r.pk: r for r in self._rapporter.values() if r.pk in self._andrade}
        Manadsrapport.objects.filter(pk__in=self._andrade).update(
            version=F("version") + 1, andrad=self._nu
        )
        for pk, rapport in rapporter.items():
            fore, nu = self._fore.get(pk, {}), efter.get(pk, {})
            if fore != nu:
                self.logga(rapport.insats.forbund_id, rapport, {self.audit_nyckel: [fore, nu]})


class AvslutadePerAnledningResource(FordelningBas):
    """Avslutade per avslutsanledning och månad (valfri: utan den visas de som ej angiven)."""

    anledning = kolumn("anledning__namn", "Avslutsanledning", Text(kravs=True))

    obligatoriska = ("Insats", "År", "Månad", "Avslutsanledning", "Antal")
    nyckel_beskrivning = "insats, år, månad och avslutsanledning"
    relation, relation_kolumn, audit_nyckel = "anledning", "Avslutsanledning", "avslut"
    total_falt, vad = ("avslutade_kvinnor", "avslutade_man"), "avslutade"

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
    relation, relation_kolumn, audit_nyckel = "huvudman", "Huvudman", "nya_huvudman"
    total_falt, vad = ("nya_kvinnor", "nya_man"), "nya"

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
