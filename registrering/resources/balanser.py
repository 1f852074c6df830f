"""Per insats and year: the ingående balans, the yearly totals before the product and the
budgeted volume.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering.audit import diff, snapshot
from registrering.models import (
    Arstotal,
    BudgeteradVolym,
    IngaendeBalans,
    Insats,
    Justering,
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
)


class InsatsArBas(FinsamResource):
    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", ar_widget())
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    nyckel_beskrivning = "insats och år"

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("insats__forbund").order_by(
            "insats__forbund__namn", "insats__ordning", "insats__namn", "ar"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (o.insats_id, o.ar): o
            for o in self.med_insats(
                self._meta.model.objects.filter(insats__forbund_id__in=self._tillatna)
            )
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar = self.las(row, "ar", fel)
        for namn in self.varde_falt(row):
            rad.varden[namn] = self.las(row, namn, fel)
        if insats is None or ar is None:
            return
        rad.nyckel = (insats.pk, ar)
        rad.extra["insats"] = insats
        rad.befintlig = self._befintliga.get(rad.nyckel)
        self.regler(insats, ar, rad, fel)

    def varde_falt(self, row: Mapping[str, Any]) -> list[str]:
        """The value fields the row sets: required ones, and optional ones it has a column for."""
        return [f for f in self.jamfor_falt if self.har_kolumn(row, f)]

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        """Rules for one row."""

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(insats=rad.extra["insats"], ar=rad.nyckel[1])


class IngaendeBalansResource(InsatsArBas):
    """Ingående balans: deltagare inskrivna 1 januari, kvinnor och män."""

    kvinnor = kolumn("kvinnor", "Kvinnor", Heltal())
    man = kolumn("man", "Män", Heltal())
    anledning = kolumn("anledning", "Anledning", Text())

    obligatoriska = ("Insats", "År", "Kvinnor", "Män")
    jamfor_falt = ("kvinnor", "man", "anledning")

    class Meta(InsatsArBas.Meta):
        model = IngaendeBalans
        fields = ("insats", "ar", "kvinnor", "man", "anledning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        from registrering.services import ingaende_balans_forslag

        v = rad.varden
        if insats.ar_volyminsats:
            fel["Insats"].append(
                f"{insats.namn} följs upp med volym och har ingen ingående balans."
            )
            return
        if not insats.aktiv_under(ar):
            fel["År"].append(f"{insats.namn} pågick inte under {ar}.")
            return
        if v["kvinnor"] is None or v["man"] is None:
            return
        befintlig = rad.befintlig
        if befintlig is not None and (befintlig.kvinnor, befintlig.man) == (v["kvinnor"], v["man"]):
            return
        # As in the browser: a balance that differs from last December's closing balance is
        # recorded as a justering there, with a reason, so that the difference stays visible.
        forslag = ingaende_balans_forslag(insats=insats, ar=ar)
        skillnad = (v["kvinnor"] - forslag.kon.kvinnor, v["man"] - forslag.kon.man)
        if forslag.har_tidigare_flode and skillnad != (0, 0):
            if not v.get("anledning"):
                fel["Anledning" if "anledning" in v else HELA_RADEN].append(
                    f"Balansen skiljer sig från förra årets utgående ({forslag.kon.kvinnor} "
                    f"kvinnor, {forslag.kon.man} män). Ange anledningen i kolumnen Anledning."
                )
            else:
                rad.extra["justering"] = skillnad

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if rad.befintlig is None or diff(rad.fore, snapshot(instance, self.jamfor_falt)):
            instance.bekraftad_av = self.user if getattr(self.user, "pk", None) else None
            instance.bekraftad_tid = self._nu

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        if "justering" in rad.extra:
            kvinnor, man = rad.extra["justering"]
            justering = Justering.objects.create(
                insats=instance.insats,
                ar=instance.ar - 1,
                manad=12,
                kvinnor=kvinnor,
                man=man,
                anledning=f"Ingående balans 1/1 {instance.ar}: {instance.anledning}",
                skapad_av=self.user if getattr(self.user, "pk", None) else None,
            )
            self.logga(rad.forbund.pk, justering, diff({}, snapshot(justering)))
        # A breakdown by huvudman that no longer adds up becomes "ej angiven".
        per_huvudman = list(instance.per_huvudman.select_related("huvudman"))
        if per_huvudman and sum(r.antal for r in per_huvudman) != instance.totalt:
            rad.efter["per_huvudman"] = {}
            rad.fore["per_huvudman"] = {r.huvudman.namn: r.antal for r in per_huvudman}
            instance.per_huvudman.all().delete()


class ArstotalResource(InsatsArBas):
    """Årstotaler före systemet: deltagare, nya och avslutade per år (från SUS m.fl.)."""

    deltagare_kvinnor = kolumn("deltagare_kvinnor", "Deltagare kvinnor", Heltal())
    deltagare_man = kolumn("deltagare_man", "Deltagare män", Heltal())
    nya_kvinnor = kolumn("nya_kvinnor", "Nya kvinnor", Heltal())
    nya_man = kolumn("nya_man", "Nya män", Heltal())
    avslutade_kvinnor = kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal())
    avslutade_man = kolumn("avslutade_man", "Avslutade män", Heltal())
    volym = kolumn("volym", "Volym", Heltal(kravs=False))
    kalla = kolumn("kalla", "Källa", Text(max_langd=100))

    obligatoriska = ("Insats", "År", "Deltagare kvinnor", "Deltagare män")
    jamfor_falt = (
        "deltagare_kvinnor",
        "deltagare_man",
        "nya_kvinnor",
        "nya_man",
        "avslutade_kvinnor",
        "avslutade_man",
        "volym",
        "kalla",
    )

    class Meta(InsatsArBas.Meta):
        model = Arstotal
        fields = (
            "insats",
            "ar",
            "deltagare_kvinnor",
            "deltagare_man",
            "nya_kvinnor",
            "nya_man",
            "avslutade_kvinnor",
            "avslutade_man",
            "volym",
            "kalla",
            "forbund",
        )
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        v = rad.varden
        if rad.befintlig is None:
            for falt in ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man"):
                if v.get(falt) is None and falt not in v:
                    v[falt] = 0
            if not v.get("kalla"):
                v["kalla"] = "Import"
        elif "kalla" in v and not v["kalla"]:
            fel["Källa"].append("Ange källan, t.ex. SUS eller Uppföljning Finsam.")
        for kon, etikett in (("kvinnor", "kvinnor"), ("man", "män")):
            deltagare = v.get(f"deltagare_{kon}")
            for vad in ("nya", "avslutade"):
                antal = v.get(f"{vad}_{kon}")
                if deltagare is not None and antal is not None and antal > deltagare:
                    fel[f"{vad.capitalize()} {etikett}"].append(
                        f"Fler {vad} {etikett} ({antal}) än deltagare {etikett} ({deltagare})."
                    )


class BudgeteradVolymResource(InsatsArBas):
    """Budgeterad volym: målet per insats och år (verksamhetsplanen)."""

    volym = kolumn("volym", "Budgeterad volym", Heltal())

    obligatoriska = ("Insats", "År", "Budgeterad volym")
    jamfor_falt = ("volym",)

    class Meta(InsatsArBas.Meta):
        model = BudgeteradVolym
        fields = ("insats", "ar", "volym", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")
