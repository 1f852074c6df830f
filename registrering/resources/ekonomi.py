"""The utfall of the cost posts, per month or quarter, as the accounting system exports it.
Each row is checked by `regler.utfall` and written by `services.utfall_spara`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet
from import_export import widgets

from registrering import regler, services
from registrering.models import Kostnadspost, Utfall
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Heltal, Text, kolumn, nyckel


class Belopp(widgets.Widget):
    """Kronor as `regler.las_belopp` reads them ("125 000", "1 234,50 kr"); a number cell as
    it is."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("Värde saknas: ange ett belopp i kronor.")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        return regler.las_belopp(str(value))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else int(value)


class UtfallResource(FinsamResource):
    """Utfall: belopp per kostnadspost och månad eller kvartal."""

    post = kolumn("post__namn", "Post", Text(kravs=True))
    ar = kolumn("post__ar", "År", Heltal())
    manad = kolumn("manad", "Månad", Heltal(kravs=False))
    kvartal = kolumn("kvartal", "Kvartal", Heltal(kravs=False))
    belopp = kolumn("belopp", "Belopp", Belopp())
    kommentar = kolumn("kommentar", "Kommentar", Text(max_langd=300))
    forbund = kolumn("post__forbund__kortnamn", FORBUND)

    obligatoriska = ("Post", "År", "Belopp")
    forbund_via = "post__forbund"
    nyckel_beskrivning = "post, år och månad eller kvartal"
    jamfor_falt = ("belopp", "kommentar")

    class Meta(FinsamResource.Meta):
        model = Utfall
        fields = ("post", "ar", "manad", "kvartal", "belopp", "kommentar", "forbund")
        import_order = export_order = fields
        import_id_fields = ("post", "ar", "manad", "kvartal")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("post__forbund").order_by(
            "post__forbund__namn", "post__ar", "post__ordning", "post__namn", "kvartal", "manad"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._poster = {
            (p.forbund_id, p.ar, nyckel(p.namn)): p
            for p in Kostnadspost.objects.filter(forbund_id__in=self._tillatna)
        }
        self._befintliga = {
            (u.post_id, u.manad, u.kvartal): u
            for u in Utfall.objects.filter(post__forbund_id__in=self._tillatna)
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn, ar = self.las(row, "post", fel), self.las(row, "ar", fel)
        manad, kvartal = self.las(row, "manad", fel), self.las(row, "kvartal", fel)
        rad.varden["belopp"] = self.las(row, "belopp", fel)
        if self.har_kolumn(row, "kommentar"):
            rad.varden["kommentar"] = self.las(row, "kommentar", fel)
        if not namn or ar is None:
            return
        post = self._poster.get((rad.forbund.pk, ar, nyckel(namn)))
        if post is None:
            poster = sorted(
                p.namn for (f, a, _n), p in self._poster.items() if (f, a) == (rad.forbund.pk, ar)
            )
            fel["Post"].append(
                f"Okänd kostnadspost ”{namn}” {ar} i {rad.forbund.namn}. Posterna är: "
                f"{', '.join(poster) or 'inga'}."
            )
            return
        rad.nyckel = (post.pk, manad, kvartal)
        rad.extra.update(post=post, manad=manad, kvartal=kvartal)
        rad.befintlig = self._befintliga.get(rad.nyckel)

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            for f in regler.utfall(
                belopp=rad.varden["belopp"], manad=rad.extra["manad"], kvartal=rad.extra["kvartal"]
            ):
                yield rad, f

    def ny_instans(self, rad: Rad) -> models.Model:
        return Utfall(
            post=rad.extra["post"], manad=rad.extra["manad"], kvartal=rad.extra["kvartal"]
        )

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            services.utfall_spara(
                user=self.user,
                post=rad.extra["post"],
                belopp=rad.varden["belopp"],
                manad=rad.extra["manad"],
                kvartal=rad.extra["kvartal"],
                kommentar=rad.varden.get("kommentar"),
                import_fran=self._filnamn,
            )
