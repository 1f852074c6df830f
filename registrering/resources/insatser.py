"""Insatser: namn, inriktning, grupp, period and the attributes in Uppföljning Finsam."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering.audit import snapshot
from registrering.models import (
    Forbund,
    Insats,
    Insatsgrupp,
    Malgrupp,
    Medlem,
)
from registrering.resources.bas import (
    FORBUND,
    Datum,
    FinsamResource,
    Heltal,
    JaNej,
    Namnlista,
    Rad,
    Text,
    Val,
    kolumn,
    nyckel,
)

_PRECISERAD = {
    Insats.Inriktning.INDIVID: {
        Insats.PreciseradInriktning.ARBETSLIVSINRIKTAD,
        Insats.PreciseradInriktning.FORBEREDANDE,
        Insats.PreciseradInriktning.IDENTIFIERA_BEHOV,
        Insats.PreciseradInriktning.FOREBYGGANDE,
    },
    Insats.Inriktning.STRUKTUR: {
        Insats.PreciseradInriktning.KOMPETENSHOJANDE,
        Insats.PreciseradInriktning.BEHOVSANALYS,
        Insats.PreciseradInriktning.UTVECKLA_SAMVERKAN,
    },
}


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
    jamfor_falt = (
        "namn",
        "inriktning",
        "preciserad_inriktning",
        "grupp",
        "utforande_medlem",
        "startdatum",
        "slutdatum",
        "uppfoljning",
        "volymenhet",
        "esf_finansierad",
        "ordning",
    )
    # As in Uppföljning Finsam (and the admin): fixed once the insats exists.
    OFORANDERLIGA = ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")

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
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        v = rad.varden
        v["namn"] = namn
        for falt in ("inriktning", "startdatum", "slutdatum"):
            v[falt] = self.las(row, falt, fel)
        for falt in ("preciserad_inriktning", "uppfoljning", "volymenhet", "esf_finansierad"):
            if self.har_kolumn(row, falt):
                v[falt] = self.las(row, falt, fel)
        if self.har_kolumn(row, "ordning"):
            v["ordning"] = self.las(row, "ordning", fel) or 0
        if v.get("uppfoljning") == "":
            if befintlig is not None:
                del v["uppfoljning"]  # an empty cell keeps what the insats has
            else:
                v["uppfoljning"] = Insats.Uppfoljning.DELTAGARFLODE

        gruppnamn = self.las(row, "grupp", fel)
        if gruppnamn:
            grupp = self._grupper.get((rad.forbund.pk, nyckel(gruppnamn)))
            v["grupp"] = grupp
            if grupp is None:
                rad.extra["ny_grupp"] = gruppnamn
        elif gruppnamn == "":
            v["grupp"] = None
        if self.har_kolumn(row, "utforande_medlem"):
            medlemsnamn = self.las(row, "utforande_medlem", fel)
            v["utforande_medlem"] = None
            if medlemsnamn:
                medlem = self._medlemmar.get((rad.forbund.pk, nyckel(medlemsnamn)))
                if medlem is None:
                    fel["Utförande medlem"].append(
                        f"Okänd medlem ”{medlemsnamn}” i {rad.forbund.namn}. Lägg till medlemmen "
                        "först, eller lämna fältet tomt om förbundet självt driver insatsen."
                    )
                v["utforande_medlem"] = medlem
        if self.har_kolumn(row, "malgrupper"):
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

        # Rules of the model and the admin, with the effective values of the row.
        def effektiv(falt: str, standard: Any) -> Any:
            if falt in v:
                return v[falt]
            return getattr(befintlig, falt) if befintlig is not None else standard

        inriktning = effektiv("inriktning", None)
        uppfoljning = effektiv("uppfoljning", Insats.Uppfoljning.DELTAGARFLODE)
        volymenhet = effektiv("volymenhet", "")
        preciserad = effektiv("preciserad_inriktning", "")
        if befintlig is not None and not self.user.is_superuser:
            for falt in self.OFORANDERLIGA:
                if falt in v and v[falt] is not None and v[falt] != getattr(befintlig, falt):
                    fel[self.fields[falt].column_name].append(
                        f"Kan inte ändras för en insats som redan finns (som i Uppföljning "
                        f"Finsam): {befintlig.namn} är "
                        f"”{self.fields[falt].widget.render(getattr(befintlig, falt))}”."
                    )
        if uppfoljning == Insats.Uppfoljning.VOLYM and not volymenhet:
            fel["Volymenhet" if "volymenhet" in v else "Uppföljning"].append(
                "Ange volymenhet (Tillfällen, Deltagare eller Unika individer under året) för "
                "en volyminsats."
            )
        if uppfoljning == Insats.Uppfoljning.DELTAGARFLODE and volymenhet:
            fel["Volymenhet"].append(
                "Volymenhet anges bara för volyminsatser (Uppföljning: Volym)."
            )
        if inriktning and preciserad and preciserad not in _PRECISERAD.get(inriktning, set()):
            fel["Preciserad inriktning"].append(
                f"”{Insats.PreciseradInriktning(preciserad).label}” hör inte till inriktningen "
                f"{Insats.Inriktning(inriktning).label.lower()}."
            )
        start, slut = v.get("startdatum"), v.get("slutdatum")
        if start and slut and slut < start:
            fel["Slutdatum"].append(
                f"Slutdatum ({slut:%Y-%m-%d}) kan inte vara före startdatum ({start:%Y-%m-%d})."
            )

    def ny_instans(self, rad: Rad) -> Insats:
        return Insats(forbund=rad.forbund)

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        data = snapshot(instance, self.jamfor_falt)
        if instance.pk:
            data["malgrupper"] = ", ".join(m.namn for m in instance.malgrupper.all())
        return data

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if "ny_grupp" in rad.extra:
            instance.grupp = self._ny_grupp(rad.forbund, rad.extra["ny_grupp"])

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        rad = self._rad
        assert rad is not None
        if "malgrupper" in rad.extra:
            rad.efter["malgrupper"] = ", ".join(m.namn for m in rad.extra["malgrupper"])
        elif "malgrupper" in rad.fore:
            rad.efter["malgrupper"] = rad.fore["malgrupper"]

    def _ny_grupp(self, forbund: Forbund, namn: str) -> Insatsgrupp:
        nyckeln = (forbund.pk, nyckel(namn))
        if nyckeln not in self._grupper:
            grupp = Insatsgrupp.objects.create(forbund=forbund, namn=namn)
            self._grupper[nyckeln] = grupp
            self.logga(forbund.pk, grupp, {"namn": [None, namn]})
        return self._grupper[nyckeln]

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        if "malgrupper" in rad.extra:
            instance.malgrupper.set(rad.extra["malgrupper"])
