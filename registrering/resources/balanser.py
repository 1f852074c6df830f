"""Per insats and year: the ingående balans, the yearly totals before the product and the
budgeted volume. Each row is checked and written by the same service as in the browser and the
admin (`ingaende_balans_satt`, `arstotal_spara`, `budgeterad_volym_satt`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import services
from registrering.audit import snapshot
from registrering.ledger import Kon
from registrering.models import Arstotal, BudgeteradVolym, IngaendeBalans, Insats, Justering
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Heltal, Text, kolumn, nyckel
from registrering.services.balans import ARSTOTALFALT
from registrering.underlagsregler import ARSTOTAL_TOTALER, ARSTOTAL_UPPDELNING


class InsatsArBas(FinsamResource):
    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", Heltal())
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

    def varde_falt(self, row: Mapping[str, Any]) -> list[str]:
        """The value fields the row sets: required ones, and optional ones it has a column for."""
        return [f for f in self.jamfor_falt if self.har_kolumn(row, f)]

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            if self.andrar(rad):
                for f in self.rad_fel(rad.extra["insats"], rad.nyckel[1], rad):  # type: ignore[index]
                    yield rad, f

    def andrar(self, rad: Rad) -> bool:
        befintlig = rad.befintlig
        return befintlig is None or any(getattr(befintlig, f) != v for f, v in rad.varden.items())

    def rad_fel(self, insats: Insats, ar: int, rad: Rad) -> list[Fel]:
        """The service's rules for one row."""
        raise NotImplementedError

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(insats=rad.extra["insats"], ar=rad.nyckel[1])  # type: ignore[index]

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            self.skriv_rad(rad.extra["insats"], rad.nyckel[1], rad)  # type: ignore[index]

    def skriv_rad(self, insats: Insats, ar: int, rad: Rad) -> None:
        raise NotImplementedError


class IngaendeBalansResource(InsatsArBas):
    """Ingående balans: deltagare inskrivna 1 januari, kvinnor och män."""

    kvinnor = kolumn("kvinnor", "Kvinnor", Heltal())
    man = kolumn("man", "Män", Heltal())
    anledning = kolumn("anledning", "Anledning", Text())

    obligatoriska = ("Insats", "År", "Kvinnor", "Män")
    jamfor_falt = ("kvinnor", "man", "anledning")
    falt_kolumner = {"insats": "Insats", "per_huvudman": "Kvinnor"}

    class Meta(InsatsArBas.Meta):
        model = IngaendeBalans
        fields = ("insats", "ar", "kvinnor", "man", "anledning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def anledning_for(self, rad: Rad) -> str:
        if "anledning" in rad.varden:
            return str(rad.varden["anledning"] or "")
        return rad.befintlig.anledning if rad.befintlig is not None else ""  # type: ignore[attr-defined]

    def rad_fel(self, insats: Insats, ar: int, rad: Rad) -> list[Fel]:
        return services.ingaende_balans_fel(
            insats=insats,
            ar=ar,
            balans=Kon(rad.varden["kvinnor"], rad.varden["man"]),
            anledning=self.anledning_for(rad),
            per_huvudman=None,
        )

    def skriv_rad(self, insats: Insats, ar: int, rad: Rad) -> None:
        services.ingaende_balans_satt(
            user=self.user,
            insats=insats,
            ar=ar,
            kvinnor=rad.varden["kvinnor"],
            man=rad.varden["man"],
            anledning=self.anledning_for(rad),
            import_fran=self._filnamn,
        )


class ArstotalResource(InsatsArBas):
    """Årstotaler före systemet: deltagare, nya och avslutade per år (från SUS m.fl.), uppdelade
    på kvinnor och män eller, när det gamla systemet bara har totalen, utan kön."""

    deltagare_kvinnor = kolumn("deltagare_kvinnor", "Deltagare kvinnor", Heltal(kravs=False))
    deltagare_man = kolumn("deltagare_man", "Deltagare män", Heltal(kravs=False))
    nya_kvinnor = kolumn("nya_kvinnor", "Nya kvinnor", Heltal(kravs=False))
    nya_man = kolumn("nya_man", "Nya män", Heltal(kravs=False))
    avslutade_kvinnor = kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal(kravs=False))
    avslutade_man = kolumn("avslutade_man", "Avslutade män", Heltal(kravs=False))
    deltagare = kolumn("deltagare", "Deltagare totalt", Heltal(kravs=False))
    nya = kolumn("nya", "Nya totalt", Heltal(kravs=False))
    avslutade = kolumn("avslutade", "Avslutade totalt", Heltal(kravs=False))
    volym = kolumn("volym", "Volym", Heltal(kravs=False))
    kalla = kolumn("kalla", "Källa", Text(max_langd=100))

    obligatoriska = ("Insats", "År")
    jamfor_falt = ARSTOTALFALT

    class Meta(InsatsArBas.Meta):
        model = Arstotal
        fields = ("insats", "ar", *ARSTOTALFALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        super().tolka(row, rad, fel)
        varden = rad.varden
        med_kon = any(varden.get(f) is not None for f in ARSTOTAL_UPPDELNING)
        utan_kon = any(varden.get(f) is not None for f in ARSTOTAL_TOTALER)
        # A row with figures of only one kind replaces a year kept the other way.
        if utan_kon and not med_kon:
            varden.update(dict.fromkeys(ARSTOTAL_UPPDELNING))
        elif med_kon and not utan_kon:
            varden.update(dict.fromkeys(ARSTOTAL_TOTALER))
        if rad.befintlig is None:
            if med_kon and not utan_kon:
                # A new year with the split: what the file leaves out is 0.
                for falt in ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man"):
                    if varden.get(falt) is None:
                        varden[falt] = 0
            if not varden.get("kalla"):
                varden["kalla"] = "Import"

    def rad_fel(self, insats: Insats, ar: int, rad: Rad) -> list[Fel]:
        befintliga = snapshot(rad.befintlig, ARSTOTALFALT) if rad.befintlig is not None else {}
        return services.arstotal_fel(ar=ar, varden={**befintliga, **rad.varden})

    def skriv_rad(self, insats: Insats, ar: int, rad: Rad) -> None:
        services.arstotal_spara(
            user=self.user, insats=insats, ar=ar, varden=rad.varden, import_fran=self._filnamn
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

    def rad_fel(self, insats: Insats, ar: int, rad: Rad) -> list[Fel]:
        return services.budgeterad_volym_fel(ar=ar, volym=rad.varden["volym"])

    def skriv_rad(self, insats: Insats, ar: int, rad: Rad) -> None:
        services.budgeterad_volym_satt(
            user=self.user,
            insats=insats,
            ar=ar,
            volym=rad.varden["volym"],
            import_fran=self._filnamn,
        )


class JusteringResource(FinsamResource):
    """Justeringar: ändrat antal pågående per insats och månad, med anledning."""

    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", Heltal())
    manad = kolumn("manad", "Månad", Heltal())
    kvinnor = kolumn("kvinnor", "Kvinnor", Heltal())
    man = kolumn("man", "Män", Heltal())
    anledning = kolumn("anledning", "Anledning", Text(kravs=True))
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    obligatoriska = ("Insats", "År", "Månad", "Kvinnor", "Män", "Anledning")
    nyckel_beskrivning = "insats, år, månad och anledning"
    jamfor_falt = ("kvinnor", "man")

    class Meta(FinsamResource.Meta):
        model = Justering
        fields = ("insats", "ar", "manad", "kvinnor", "man", "anledning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad", "anledning")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("insats__forbund").order_by(
            "insats__forbund__namn", "insats__ordning", "insats__namn", "ar", "manad"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (j.insats_id, j.ar, j.manad, nyckel(j.anledning)): j
            for j in self.med_insats(
                Justering.objects.filter(insats__forbund_id__in=self._tillatna)
            )
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        kvinnor, man = self.las(row, "kvinnor", fel), self.las(row, "man", fel)
        anledning = self.las(row, "anledning", fel)
        rad.varden.update(kvinnor=kvinnor, man=man)
        if insats is None or None in (ar, manad, kvinnor, man) or not anledning:
            return
        rad.nyckel = (insats.pk, ar, manad, nyckel(anledning))
        rad.befintlig = self._befintliga.get(rad.nyckel)
        rad.extra["import"] = services.JusteringImportRad(
            rad.nr,
            insats,
            ar,
            manad,
            Kon(kvinnor, man),
            anledning,
            rad.befintlig,
        )

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        per_nr = {r.nr: r for r in rader if "import" in r.extra}
        for nr, radfel in services.justeringar_fel(
            rader=[r.extra["import"] for r in per_nr.values()]
        ).items():
            for f in radfel:
                yield per_nr[nr], f

    def ny_instans(self, rad: Rad) -> models.Model:
        import_rad = rad.extra["import"]
        return Justering(
            insats=import_rad.insats,
            ar=import_rad.ar,
            manad=import_rad.manad,
            anledning=import_rad.anledning,
        )

    def skriv(self, rader: list[Rad]) -> None:
        services.justeringar_importera(
            user=self.user, rader=[r.extra["import"] for r in rader], import_fran=self._filnamn
        )
