"""The monthly figures: the flow of a deltagarflöde insats and the volume of a volyminsats."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, ClassVar

import tablib
from django.db import models
from django.db.models import QuerySet, Sum
from django.utils import timezone

from registrering.audit import diff
from registrering.kalender import MANADER, datum_svenskt, manaden_har_slutat, manadens_sista
from registrering.models import (
    AvslutadePerAnledning,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
)
from registrering.resources.bas import (
    FLODESFALT,
    FORBUND,
    HELA_RADEN,
    FinsamResource,
    Heltal,
    Rad,
    Status,
    Text,
    ar_widget,
    kolumn,
    manad_widget,
)


def manadsnamn_text(ar: int, manad: int) -> str:
    return f"{MANADER[manad]} {ar}"


def last_text(insats: Insats, ar: int, manad: int) -> str:
    return (
        f"{insats.namn}, {manadsnamn_text(ar, manad)} är godkänd och låst. Verksamhetsutvecklaren kan "
        "låsa upp månaden med en motivering."
    )


class ManadBas(FinsamResource):
    """Shared by the monthly flow and the monthly volume: both are a Manadsrapport."""

    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", ar_widget())
    manad = kolumn("manad", "Månad", manad_widget())
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    nyckel_beskrivning = "insats, år och månad"
    for_volym: ClassVar[bool] = False

    class Meta(FinsamResource.Meta):
        model = Manadsrapport
        use_bulk = True
        batch_size = 1000

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.filter(
                insats__uppfoljning=Insats.Uppfoljning.VOLYM
                if self.for_volym
                else Insats.Uppfoljning.DELTAGARFLODE
            )
            .select_related("insats__forbund")
            .order_by("insats__forbund__namn", "insats__ordning", "insats__namn", "ar", "manad")
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        ar = self.ar_i_filen(dataset, "År")
        self._befintliga = {
            (r.insats_id, r.ar, r.manad): r
            for r in self.med_insats(
                Manadsrapport.objects.filter(insats__forbund_id__in=self._tillatna, ar__in=ar)
            )
        }
        self._idag = self.idag or timezone.localdate()
        self._fordelning = {"avslut": {}, "nya_huvudman": {}}
        if not self.for_volym and self._befintliga:
            for namn, modell in (
                ("avslut", AvslutadePerAnledning),
                ("nya_huvudman", NyaPerHuvudman),
            ):
                self._fordelning[namn] = dict(
                    modell.objects.filter(
                        rapport__insats__forbund_id__in=self._tillatna, rapport__ar__in=ar
                    )
                    .values("rapport_id")
                    .annotate(summa=Sum("antal"))
                    .values_list("rapport_id", "summa")
                )
        self._rensa: dict[str, set[int]] = {"avslut": set(), "nya_huvudman": set()}

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        for falt in self.jamfor_falt:
            rad.varden[falt] = self.las(row, falt, fel)
        if insats is None or ar is None or manad is None:
            return
        rad.nyckel = (insats.pk, ar, manad)
        rad.extra["insats"] = insats
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        if insats.ar_volyminsats != self.for_volym:
            fel["Insats"].append(
                f"{insats.namn} följs upp med volym: importera den med volymdata "
                "(Insats;År;Månad;Volym)."
                if insats.ar_volyminsats
                else f"{insats.namn} följs upp med deltagarflöde: importera den med månadsdata "
                "(Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män)."
            )
        elif not manaden_har_slutat(ar, manad, self._idag):
            fel["Månad"].append(
                f"{manadsnamn_text(ar, manad).capitalize()} är inte slut än. Månaden kan rapporteras "
                f"från och med {datum_svenskt(manadens_sista(ar, manad) + dt.timedelta(days=1))}."
            )
        elif not insats.aktiv_manad(ar, manad):
            fel["Månad"].append(f"{insats.namn} pågick inte under {manadsnamn_text(ar, manad)}.")
        if befintlig is not None and befintlig.last and self._andrar(befintlig, rad):
            fel[HELA_RADEN].append(last_text(insats, ar, manad))
        if befintlig is not None and not self.for_volym and not fel:
            self._markera_inaktuell_fordelning(rad, befintlig)

    @staticmethod
    def _andrar(befintlig: Manadsrapport, rad: Rad) -> bool:
        return any(getattr(befintlig, f) != v for f, v in rad.varden.items() if v is not None)

    def _markera_inaktuell_fordelning(self, rad: Rad, befintlig: Manadsrapport) -> None:
        """A changed total makes a breakdown that no longer adds up "ej angiven"."""
        v = rad.varden
        for namn, total in (
            ("avslut", v["avslutade_kvinnor"] + v["avslutade_man"]),
            ("nya_huvudman", v["nya_kvinnor"] + v["nya_man"]),
        ):
            summa = self._fordelning[namn].get(befintlig.pk)
            if summa and summa != total:
                rad.extra.setdefault("rensa", []).append(namn)

    def ny_instans(self, rad: Rad) -> Manadsrapport:
        insats = rad.extra["insats"]
        return Manadsrapport(insats=insats, ar=rad.nyckel[1], manad=rad.nyckel[2])

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        return {f: getattr(instance, f) for f in (*self.jamfor_falt, "status")}

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if instance.last:
            return
        mal = Status.GODKAND if self.godkand else Status.INSKICKAD
        user = self.user if getattr(self.user, "pk", None) else None
        if instance.status in (Status.UTKAST, Status.RETURNERAD):
            instance.inskickad_av, instance.inskickad_tid = user, self._nu
            instance.status = Status.INSKICKAD
        if mal == Status.GODKAND:
            instance.status = Status.GODKAND
            instance.godkand_av, instance.godkand_tid = user, self._nu
        if rad.befintlig is not None and diff(rad.fore, self.las_fore(instance)):
            instance.version += 1
            instance.andrad = self._nu

    def get_bulk_update_fields(self) -> list[str]:
        return [
            *self.jamfor_falt,
            "status",
            "version",
            "andrad",
            "inskickad_av",
            "inskickad_tid",
            "godkand_av",
            "godkand_tid",
        ]

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        for namn in rad.extra.get("rensa", []):
            self._rensa[namn].add(instance.pk)

    def efter_import(self) -> None:
        for namn, modell, nyckel in (
            ("avslut", AvslutadePerAnledning, "anledning__namn"),
            ("nya_huvudman", NyaPerHuvudman, "huvudman__namn"),
        ):
            if not self._rensa[namn]:
                continue
            gamla: dict[int, dict[str, int]] = defaultdict(dict)
            rader = modell.objects.filter(rapport_id__in=self._rensa[namn])
            for rapport_id, etikett, antal in rader.values_list("rapport_id", nyckel, "antal"):
                gamla[rapport_id][etikett] = antal
            rader.delete()
            for logg in self._logg:
                if logg.instance.pk in gamla:
                    logg.changes[namn] = [gamla[logg.instance.pk], {}]


class ManadsdataResource(ManadBas):
    """Månadsdata: nya och avslutade kvinnor och män per insats och månad."""

    nya_kvinnor = kolumn("nya_kvinnor", "Nya kvinnor", Heltal())
    nya_man = kolumn("nya_man", "Nya män", Heltal())
    avslutade_kvinnor = kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal())
    avslutade_man = kolumn("avslutade_man", "Avslutade män", Heltal())

    obligatoriska = (
        "Insats",
        "År",
        "Månad",
        "Nya kvinnor",
        "Nya män",
        "Avslutade kvinnor",
        "Avslutade män",
    )
    jamfor_falt = FLODESFALT

    class Meta(ManadBas.Meta):
        fields = ("insats", "ar", "manad", *FLODESFALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")


class VolymdataResource(ManadBas):
    """Volymdata: volymen per volyminsats och månad, i insatsens enhet."""

    volym = kolumn("volym", "Volym", Heltal())

    obligatoriska = ("Insats", "År", "Månad", "Volym")
    jamfor_falt = ("volym",)
    for_volym = True

    class Meta(ManadBas.Meta):
        fields = ("insats", "ar", "manad", "volym", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")
