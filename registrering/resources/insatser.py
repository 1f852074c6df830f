"""Insatser: namn, inriktning, grupp, period and the attributes in Uppföljning Finsam."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import services
from registrering.audit import snapshot
from registrering.models import (
    Forbund,
    Insats,
    Insatsgrupp,
    Malgrupp,
    Medlem,
)
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import (
    Datum,
    Heltal,
    JaNej,
    Namnlista,
    Text,
    Val,
    kolumn,
    nyckel,
)
from registrering.services.insats import INSATSFALT


class InsatsResource(FinsamResource):
    """Insatser: namn, inriktning, grupp, period och attributen i Uppföljning Finsam."""

    namn = kolumn("namn", "Namn", Text(kravs=True, max_langd=200))
    inriktning = kolumn("inriktning", "Inriktning", Val(Insats.Inriktning.choices))
    grupp = kolumn("grupp__namn", "Grupp", Text(max_langd=100))
    startdatum = kolumn("startdatum", "Startdatum", Datum())
    slutdatum = kolumn("slutdatum", "Slutdatum", Datum(kravs=False))
    preciserad_inriktning = kolumn(
        "preciserad_inriktning",
        "Preciserad inriktning",
        Val(Insats.PreciseradInriktning.choices, kravs=False),
    )
    malgrupper = kolumn("malgrupper", "Målgrupper", Namnlista())
    utforande_medlem = kolumn("utforande_medlem__namn", "Utförande medlem")
    uppfoljning = kolumn("uppfoljning", "Uppföljning", Val(Insats.Uppfoljning.choices, kravs=False))
    volymenhet = kolumn("volymenhet", "Volymenhet", Val(Insats.Volymenhet.choices, kravs=False))
    esf_finansierad = kolumn("esf_finansierad", "ESF-finansierad", JaNej())
    ordning = kolumn("ordning", "Ordning", Heltal(kravs=False))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Namn", "Inriktning", "Grupp", "Startdatum", "Slutdatum")
    forbund_via = "forbund"
    nyckel_beskrivning = "namn"
    # The file has no beskrivning column: an import never compares or changes it.
    jamfor_falt = tuple(f for f in INSATSFALT if f != "beskrivning")

    class Meta(FinsamResource.Meta):
        model = Insats
        fields = (
            "namn",
            "inriktning",
            "grupp",
            "startdatum",
            "slutdatum",
            "preciserad_inriktning",
            "malgrupper",
            "utforande_medlem",
            "uppfoljning",
            "volymenhet",
            "esf_finansierad",
            "ordning",
            "forbund",
        )
        import_order = export_order = fields
        import_id_fields = ("namn",)

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.select_related("forbund", "grupp", "utforande_medlem")
            .prefetch_related("malgrupper")
            .order_by("forbund__namn", "ordning", "namn")
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            (i.forbund_id, nyckel(i.namn)): i
            for i in Insats.objects.filter(forbund_id__in=self._tillatna)
            .select_related("grupp", "utforande_medlem")
            .prefetch_related("malgrupper")
        }
        self._grupper = {
            (g.forbund_id, nyckel(g.namn)): g
            for g in Insatsgrupp.objects.filter(forbund_id__in=self._tillatna)
        }
        self._medlemmar = {
            (m.forbund_id, nyckel(m.namn)): m
            for m in Medlem.objects.filter(forbund_id__in=self._tillatna)
        }
        self._malgrupper = {}
        for malgrupp in Malgrupp.objects.all():
            self._malgrupper[nyckel(malgrupp.namn)] = malgrupp
            self._malgrupper[nyckel(malgrupp.kod)] = malgrupp

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn = self.las(row, "namn", fel)
        if not namn:
            return
        rad.nyckel = (rad.forbund.pk, nyckel(namn))
        rad.befintlig = self._befintliga.get(rad.nyckel)
        rad.varden["namn"] = namn
        self._las_attribut(row, rad, fel)
        self._las_grupp(row, rad, fel)
        if self.har_kolumn(row, "utforande_medlem"):
            self._las_medlem(row, rad, fel)
        if self.har_kolumn(row, "malgrupper"):
            self._las_malgrupper(row, rad, fel)

    def _las_attribut(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        v = rad.varden
        for falt in ("inriktning", "startdatum", "slutdatum"):
            v[falt] = self.las(row, falt, fel)
        for falt in ("preciserad_inriktning", "uppfoljning", "volymenhet", "esf_finansierad"):
            if self.har_kolumn(row, falt):
                v[falt] = self.las(row, falt, fel)
        if self.har_kolumn(row, "ordning"):
            v["ordning"] = self.las(row, "ordning", fel) or 0
        if v.get("uppfoljning") == "":
            if rad.befintlig is not None:
                del v["uppfoljning"]  # an empty cell keeps what the insats has
            else:
                v["uppfoljning"] = Insats.Uppfoljning.DELTAGARFLODE

    def _las_grupp(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        gruppnamn = self.las(row, "grupp", fel)
        if gruppnamn:
            grupp = self._grupper.get((rad.forbund.pk, nyckel(gruppnamn)))
            rad.varden["grupp"] = grupp
            if grupp is None:
                rad.extra["ny_grupp"] = gruppnamn
        elif gruppnamn == "":
            rad.varden["grupp"] = None

    def _las_medlem(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        medlemsnamn = self.las(row, "utforande_medlem", fel)
        rad.varden["utforande_medlem"] = None
        if medlemsnamn:
            medlem = self._medlemmar.get((rad.forbund.pk, nyckel(medlemsnamn)))
            if medlem is None:
                fel["Utförande medlem"].append(
                    f"Okänd medlem ”{medlemsnamn}” i {rad.forbund.namn}. Lägg till medlemmen "
                    "först, eller lämna fältet tomt om förbundet självt driver insatsen."
                )
            rad.varden["utforande_medlem"] = medlem

    def _las_malgrupper(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        valda = []
        for malnamn in self.las(row, "malgrupper", fel) or []:
            malgrupp = self._malgrupper.get(nyckel(malnamn))
            if malgrupp is None:
                tillatna = ", ".join(
                    sorted({m.namn for m in self._malgrupper.values()}, key=nyckel)
                )
                fel["Målgrupper"].append(
                    f"Okänd målgrupp ”{malnamn}”. Målgrupperna är: {tillatna}."
                )
            else:
                valda.append(malgrupp)
        rad.extra["malgrupper"] = valda

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        """`services.insats_fel`, as in the admin, with the values each row will give."""
        for rad in rader:
            varden = {f: v for f, v in rad.varden.items() if f != "grupp"}
            for f in services.insats_fel(
                befintlig=rad.befintlig,  # type: ignore[arg-type]
                varden=varden,
                far_andra_fasta=self.user.is_superuser,
            ):
                yield rad, f

    def ny_instans(self, rad: Rad) -> Insats:
        return Insats(forbund=rad.forbund)

    def las_fore(self, instance: Any) -> dict[str, Any]:
        data = snapshot(instance, self.jamfor_falt)
        if instance.pk:
            data["malgrupper"] = ", ".join(m.namn for m in instance.malgrupper.all())
        return data

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if "ny_grupp" in rad.extra:  # shown in the preview; created when the file is written
            instance.grupp = Insatsgrupp(forbund=rad.forbund, namn=rad.extra["ny_grupp"])

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        rad = self._rad
        assert rad is not None
        if "malgrupper" in rad.extra:
            rad.efter["malgrupper"] = ", ".join(m.namn for m in rad.extra["malgrupper"])
        elif "malgrupper" in rad.fore:
            rad.efter["malgrupper"] = rad.fore["malgrupper"]

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            varden = dict(rad.varden)
            if "ny_grupp" in rad.extra:
                varden["grupp"] = self._grupp(rad.forbund, rad.extra["ny_grupp"])
            services.insats_spara(
                user=self.user,
                forbund=rad.forbund,
                insats=rad.befintlig,  # type: ignore[arg-type]
                varden=varden,
                malgrupper=rad.extra.get("malgrupper"),
                import_fran=self._filnamn,
            )

    def _grupp(self, forbund: Forbund, namn: str) -> Insatsgrupp:
        nyckeln = (forbund.pk, nyckel(namn))
        if nyckeln not in self._grupper:
            self._grupper[nyckeln] = services.insatsgrupp_skapa(
                user=self.user, forbund=forbund, namn=namn, import_fran=self._filnamn
            )
        return self._grupper[nyckeln]
