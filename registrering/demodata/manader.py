"""The demo's months, written through the services as a förbund would write them.

The approved months of the past are the förbund's first import (`services.manad_import`), in
four steps: the months are imported (a volyminsats's approved at once; a flow insats's as sent
in, because an approved month is locked and its breakdowns come in a file of their own); the
breakdowns by avslutsanledning and huvudman are imported; the same months are imported again
marked approved; and each month that is registered in Uppföljning Finsam is marked so, dated
the 15th of the month after it. The month being reported now (October 2026) goes the
browser's way: saved as a draft, then sent in, returned with a comment or approved.

Every step first reads what is saved and writes only what differs, so a second run writes
nothing. A month that someone has approved since, or moved past the demo's state, is left as
it is: the services refuse to change a locked month and the loader does not unlock one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from registrering import models as m
from registrering import services
from registrering.demodata import data as demo
from registrering.demodata.fordelning import Manad, uppsattning
from registrering.kalender import manadens_sista
from registrering.services.fordelning_import import FordelningImportRad, fordelningar_importera
from registrering.services.manad_import import ManadImportRad, manadsrapporter_importera

Status = m.Manadsrapport.Status
Nyckel = tuple[int, int, int]  # insats id, år, månad

#: The states a month of the reporting month passes on its way to the demo's state.
VAGAR = {
    Status.UTKAST: (Status.UTKAST,),
    Status.INSKICKAD: (Status.UTKAST, Status.INSKICKAD),
    Status.RETURNERAD: (Status.UTKAST, Status.INSKICKAD, Status.RETURNERAD),
    Status.GODKAND: (Status.UTKAST, Status.INSKICKAD, Status.GODKAND),
}
OPPNA = frozenset({Status.UTKAST, Status.INSKICKAD, Status.RETURNERAD})


@dataclass
class Manadsskrivare:
    """Writes months of the demo as `user` (the verksamhetsutvecklare)."""

    user: m.User
    insatser: Mapping[str, m.Insats]
    anledningar: Mapping[tuple[str, str], m.Avslutsanledning]
    huvudman: Mapping[str, m.Huvudman]
    idag: dt.date
    import_fran: str

    def skriv(self, manader: Sequence[Manad]) -> None:
        importerade = [x for x in manader if x.importeras]
        self._importera(importerade)
        self._fordelningar(importerade)
        self._godkann(importerade)
        self._registrera(importerade)
        if rapporteras := [x for x in manader if not x.importeras]:
            befintliga = self._befintliga(rapporteras)
            for manad in rapporteras:
                self._rapportera(manad, befintliga.get(self._nyckel(manad)))

    # --- What is saved ----------------------------------------------------------------------

    def _nyckel(self, manad: Manad) -> Nyckel:
        return (self.insatser[manad.insats].pk, manad.ar, manad.manad)

    def _befintliga(self, manader: Iterable[Manad]) -> dict[Nyckel, m.Manadsrapport]:
        nycklar = {self._nyckel(x) for x in manader}
        return {
            (r.insats_id, r.ar, r.manad): r
            for r in m.Manadsrapport.objects.filter(
                insats_id__in={k[0] for k in nycklar}, ar__in={k[1] for k in nycklar}
            ).select_related("insats__forbund")
            if (r.insats_id, r.ar, r.manad) in nycklar
        }

    def _rad(self, nr: int, manad: Manad, befintlig: m.Manadsrapport | None) -> ManadImportRad:
        return ManadImportRad(
            nr=nr,
            insats=self.insatser[manad.insats],
            ar=manad.ar,
            manad=manad.manad,
            nya=manad.nya,
            avslutade=manad.avslutade,
            volym=manad.volym,
            befintlig=befintlig,
        )

    # --- The first import -------------------------------------------------------------------

    def _importera(self, manader: Sequence[Manad]) -> None:
        """New and changed months; a volyminsats's approved, a flow insats's sent in."""
        befintliga = self._befintliga(manader)
        rader: dict[bool, list[ManadImportRad]] = {True: [], False: []}
        for nr, manad in enumerate(manader, start=1):
            befintlig = befintliga.get(self._nyckel(manad))
            rad = self._rad(nr, manad, befintlig)
            if (befintlig is None or not befintlig.last) and rad.andrar():
                rader[rad.insats.ar_volyminsats].append(rad)
        for godkand, lista in rader.items():
            if lista:
                manadsrapporter_importera(
                    user=self.user,
                    rader=lista,
                    godkand=godkand,
                    idag=self.idag,
                    import_fran=self.import_fran,
                )

    def _fordelningar(self, manader: Sequence[Manad]) -> None:
        """Each breakdown file: the rows of the open months whose saved breakdown differs."""
        befintliga = self._befintliga(manader)
        oppna = [(x, r) for x in manader if not (r := befintliga[self._nyckel(x)]).last]
        for slag in ("avslut", "nya_huvudman"):
            sparade = _sparade(slag, [r for _x, r in oppna])
            rader: list[FordelningImportRad] = []
            for manad, rapport in oppna:
                rader += _fordelningsrader(
                    len(rader),
                    rapport,
                    self._nycklar(slag, manad),
                    getattr(manad, slag),
                    sparade[rapport.pk],
                )
            if rader:
                fordelningar_importera(
                    user=self.user,
                    slag=slag,
                    rader=rader,
                    giltiga={
                        r.insats_id: {o.pk: o.namn for o in self._nycklar(slag, x).values()}
                        for x, r in oppna
                    },
                    import_fran=self.import_fran,
                )

    def _nycklar(
        self, slag: str, manad: Manad
    ) -> Mapping[str, m.Avslutsanledning] | Mapping[str, m.Huvudman]:
        """The keys of a breakdown by name: the insats's avslutsanledningar, or the huvudmän."""
        if slag == "nya_huvudman":
            return self.huvudman
        egen = uppsattning(manad.insats)
        return {namn: a for (u, namn), a in self.anledningar.items() if u == egen}

    def _godkann(self, manader: Sequence[Manad]) -> None:
        """The months not yet approved, imported again marked approved (the same figures)."""
        befintliga = self._befintliga(manader)
        rader = [
            self._rad(nr, manad, rapport)
            for nr, manad in enumerate(manader, start=1)
            if not (rapport := befintliga[self._nyckel(manad)]).last
        ]
        if rader:
            manadsrapporter_importera(
                user=self.user,
                rader=rader,
                godkand=True,
                idag=self.idag,
                import_fran=self.import_fran,
            )

    def _registrera(self, manader: Sequence[Manad]) -> None:
        """Approved months that the demo has registered in Uppföljning Finsam."""
        befintliga = self._befintliga(manader)
        registreringar = [
            (
                befintliga[self._nyckel(manad)],
                manadens_sista(manad.ar, manad.manad) + dt.timedelta(days=15),
            )
            for manad in manader
            if manad.status == Status.REGISTRERAD
            and befintliga[self._nyckel(manad)].status == Status.GODKAND
        ]
        if registreringar:
            services.manadsrapporter_markera_registrerade(
                user=self.user, registreringar=registreringar
            )

    # --- The month being reported now -------------------------------------------------------

    def _rapportera(self, manad: Manad, rapport: m.Manadsrapport | None) -> None:
        """Saved as a draft (or corrected while open), then moved on to the demo's state."""
        if rapport is None or (rapport.status in OPPNA and self._andrad(manad, rapport)):
            rapport = self._spara(manad)
        vag = VAGAR[Status(manad.status)]
        if rapport.status not in vag:
            return
        for status in vag[vag.index(Status(rapport.status)) + 1 :]:
            rapport = self._steg(status)(rapport)

    def _spara(self, manad: Manad) -> m.Manadsrapport:
        return services.manadsrapport_spara(
            user=self.user,
            insats=self.insatser[manad.insats],
            ar=manad.ar,
            manad=manad.manad,
            nya_kvinnor=manad.nya.kvinnor,
            nya_man=manad.nya.man,
            avslutade_kvinnor=manad.avslutade.kvinnor,
            avslutade_man=manad.avslutade.man,
            volym=manad.volym,
            avslut={self._nycklar("avslut", manad)[n].pk: a for n, a in manad.avslut.items()},
            nya_huvudman={self.huvudman[n].pk: a for n, a in manad.nya_huvudman.items()},
            idag=self.idag,
        )

    def _steg(self, status: str) -> Callable[[m.Manadsrapport], m.Manadsrapport]:
        user = self.user
        return {
            Status.INSKICKAD: lambda r: services.manadsrapport_skicka_in(user=user, rapport=r),
            Status.GODKAND: lambda r: services.manadsrapport_godkann(user=user, rapport=r),
            Status.RETURNERAD: lambda r: services.manadsrapport_returnera(
                user=user, rapport=r, kommentar=demo.RETURKOMMENTAR
            ),
        }[Status(status)]

    def _andrad(self, manad: Manad, rapport: m.Manadsrapport) -> bool:
        sparad = (
            rapport.nya_kvinnor,
            rapport.nya_man,
            rapport.avslutade_kvinnor,
            rapport.avslutade_man,
            rapport.volym,
            {a.anledning.namn: a.antal for a in rapport.avslut.select_related("anledning")},
            {n.huvudman.namn: n.antal for n in rapport.nya_huvudman.select_related("huvudman")},
        )
        return sparad != (
            *(manad.nya.kvinnor, manad.nya.man, manad.avslutade.kvinnor, manad.avslutade.man),
            manad.volym,
            dict(manad.avslut),
            dict(manad.nya_huvudman),
        )


def _sparade(slag: str, rapporter: Sequence[m.Manadsrapport]) -> dict[int, dict[str, int]]:
    """Per month: the saved breakdown by key name (one query)."""
    modell, relation = (
        (m.AvslutadePerAnledning, "anledning")
        if slag == "avslut"
        else (m.NyaPerHuvudman, "huvudman")
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for rapport_id, namn, antal in modell.objects.filter(rapport__in=rapporter).values_list(
        "rapport_id", f"{relation}__namn", "antal"
    ):
        result[rapport_id][namn] = antal
    return result


def _fordelningsrader(
    nr: int,
    rapport: m.Manadsrapport,
    nycklar: Mapping[str, m.Avslutsanledning] | Mapping[str, m.Huvudman],
    onskad: Mapping[str, int],
    sparad: Mapping[str, int],
) -> list[FordelningImportRad]:
    """The file's rows for one month: every key of the demo's breakdown, and 0 for a saved key
    the demo does not have (which removes it); none when they are the same."""
    if dict(onskad) == dict(sparad):
        return []
    return [
        FordelningImportRad(nr + i, rapport, nycklar[namn].pk, namn, onskad.get(namn, 0))
        for i, namn in enumerate(sorted(set(onskad) | set(sparad)), start=1)
    ]
