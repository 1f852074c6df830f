"""Writes the demo data of `data.py` to the database, through the services.

Every figure goes through the service a förbund's own first import would use, as the demo
verksamhetsutvecklare, so the rules (`registrering.regler`, the ledger) check the demo data and
every write has its audit row: the installation's systemadministratör
(`systemadministrator_skapa`), insatser and groups (`insats_spara`, `insatsgrupp_skapa`), the
ingående balanser (`ingaende_balans_satt`), the months and their breakdowns and workflow
(`manader.py`), justeringar (`justering_skapa`), yearly totals before the product
(`arstotal_spara`), budgeted volumes, survey answers, comments, the Bakgrund and Metod texts
with the compilation date, utfall, and the outcome goals, key figures and a transition
matrix (`effekter.py`). What no service writes (the förbund, users and roles,
members, population, huvudmän, avslutsanledningar and their insatser, survey questions,
verksamhetsplan, cost posts) is written directly as fixtures (`fixtures.py`); the figures
themselves are computed in `fordelning.py`.

`ladda(idag=…)` is idempotent: before each write it reads what is saved and calls the service
only for what is missing or differs, so a second run writes nothing. The services stamp their
own times: who sent in, approved and confirmed is the verksamhetsutvecklare, at the time of
loading (the registration date of a month is the demo's, the 15th of the month after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from registrering import dataversion, services
from registrering import models as m
from registrering.demodata import data as demo
from registrering.demodata import effekter, fixtures, indikatorer
from registrering.demodata.fordelning import (
    Balans,
    arstotaler,
    balanser_2025,
    balanser_2026,
    fordela,
    justeringar_2025,
    manader_2025,
    manader_2026,
    slutade_manader,
    utfall,
)
from registrering.demodata.manader import Manadsskrivare
from registrering.kalender import manaden_har_slutat
from registrering.permissions import Roll
from registrering.services.anvandare import systemadministrator_skapa

#: What the audit rows of the imported figures say they were imported from.
IMPORT_FRAN = "demodata"


def _oforandrad(objekt: models.Model | None, varden: Mapping[str, Any]) -> bool:
    """`objekt` exists and already has `varden` (a related object compared by its key)."""
    return objekt is not None and all(
        objekt.serializable_value(falt) == (v.pk if isinstance(v, models.Model) else v)
        for falt, v in varden.items()
    )


def _samma(sparade: Iterable[models.Model], onskade: Iterable[models.Model]) -> bool:
    return {o.pk for o in sparade} == {o.pk for o in onskade}


class _Laddare:
    """Loads the demo förbund: fixtures directly, every figure through its service."""

    forbund: m.Forbund
    medlemmar: dict[str, m.Medlem]
    huvudman: dict[str, m.Huvudman]
    vu: m.User
    insatser: dict[str, m.Insats]
    anledningar: dict[tuple[str, str], m.Avslutsanledning]

    def __init__(self, idag: dt.date) -> None:
        self.idag = idag

    def kor(self) -> m.Forbund:
        self.forbund = fixtures.forbund()
        self.medlemmar = fixtures.medlemmar(self.forbund)
        self.huvudman = fixtures.huvudman(self.forbund)
        anvandare = fixtures.anvandare(self.forbund)
        systemadministrator()
        self.vu = anvandare["verksamhetsutvecklare"]
        self._insatser(anvandare)
        self.anledningar = fixtures.avslutsanledningar(self.forbund, self.insatser)
        self._arstotaler()
        self._ar_2025()
        self._ar_2026()
        self._enkater()
        self._kommentarer()
        self._ekonomi()
        self._bilagetexter()
        self._budgeterade_volymer()
        effekter.ladda(
            user=self.vu, forbund=self.forbund, insatser=self.insatser, import_fran=IMPORT_FRAN
        )
        return self.forbund

    # --- Insatser ---------------------------------------------------------------------------

    def _insatser(self, anvandare: Mapping[str, m.User]) -> None:
        grupper = self._insatsgrupper()
        befintliga = {
            i.namn: i
            for i in m.Insats.objects.filter(forbund=self.forbund)
            .select_related("forbund")
            .prefetch_related("malgrupper", "insatsansvariga")
        }
        malgrupper = {mg.kod: mg for mg in m.Malgrupp.objects.all()}
        self.insatser = {}
        for namn, data in demo.INSATSER.items():
            self.insatser[namn] = self._insats(
                befintliga.get(namn),
                _insatsvarden(namn, data, grupper, self.medlemmar),
                [malgrupper[kod] for kod in data.malgrupper],
                [anvandare[a.username] for a in demo.ANVANDARE if namn in a.ansvar],
            )

    def _insatsgrupper(self) -> dict[str, m.Insatsgrupp]:
        grupper = {g.namn: g for g in m.Insatsgrupp.objects.filter(forbund=self.forbund)}
        for namn in demo.INSATSGRUPPER:
            if namn not in grupper:
                grupper[namn] = services.insatsgrupp_skapa(
                    user=self.vu, forbund=self.forbund, namn=namn, import_fran=IMPORT_FRAN
                )
        return grupper

    def _insats(
        self,
        insats: m.Insats | None,
        varden: Mapping[str, Any],
        malgrupper: list[m.Malgrupp],
        ansvariga: list[m.User],
    ) -> m.Insats:
        """Create or correct the insats; its insatsansvariga are added to, never removed."""
        if insats is not None:
            ansvariga = list(
                {u.pk: u for u in [*insats.insatsansvariga.all(), *ansvariga]}.values()
            )
            if (
                _oforandrad(insats, varden)
                and _samma(insats.malgrupper.all(), malgrupper)
                and _samma(insats.insatsansvariga.all(), ansvariga)
            ):
                return insats
        return services.insats_spara(
            user=self.vu,
            forbund=self.forbund,
            insats=insats,
            varden=varden,
            malgrupper=malgrupper,
            insatsansvariga=ansvariga,
            import_fran=IMPORT_FRAN,
        )

    # --- Participants: yearly totals, balances, months, justeringar -------------------------

    def _arstotaler(self) -> None:
        sparade = {
            (a.insats_id, a.ar): a for a in m.Arstotal.objects.filter(insats__forbund=self.forbund)
        }
        for namn, ar, varden in arstotaler():
            insats = self.insatser[namn]
            if not _oforandrad(sparade.get((insats.pk, ar)), varden):
                services.arstotal_spara(
                    user=self.vu, insats=insats, ar=ar, varden=varden, import_fran=IMPORT_FRAN
                )

    def _ar_2025(self) -> None:
        self._balanser(balanser_2025())
        self._manader().skriv(manader_2025(self.idag))
        if manaden_har_slutat(2025, 12, self.idag):
            self._justeringar()

    def _ar_2026(self) -> None:
        if manaden_har_slutat(2025, 12, self.idag):
            # After the justeringar: the balance is then 2025's closing balance, confirmed.
            self._balanser(balanser_2026())
        self._manader().skriv(manader_2026(self.idag))

    def _manader(self) -> Manadsskrivare:
        return Manadsskrivare(
            user=self.vu,
            insatser=self.insatser,
            anledningar=self.anledningar,
            huvudman=self.huvudman,
            idag=self.idag,
            import_fran=IMPORT_FRAN,
        )

    def _balanser(self, balanser: Iterable[Balans]) -> None:
        balanser = list(balanser)
        sparade = {
            (b.insats_id, b.ar): b
            for b in m.IngaendeBalans.objects.filter(
                insats__forbund=self.forbund, ar__in={b.ar for b in balanser}
            ).prefetch_related("per_huvudman__huvudman")
        }
        for balans in balanser:
            insats = self.insatser[balans.insats]
            sparad = sparade.get((insats.pk, balans.ar))
            if sparad is not None and (
                (sparad.kvinnor, sparad.man) == (balans.kon.kvinnor, balans.kon.man)
                and {h.huvudman.namn: h.antal for h in sparad.per_huvudman.all()}
                == balans.per_huvudman
            ):
                continue
            services.ingaende_balans_satt(
                user=self.vu,
                insats=insats,
                ar=balans.ar,
                kvinnor=balans.kon.kvinnor,
                man=balans.kon.man,
                per_huvudman={self.huvudman[h].pk: n for h, n in balans.per_huvudman.items()},
                import_fran=IMPORT_FRAN,
            )

    def _justeringar(self) -> None:
        sparade = set(
            m.Justering.objects.filter(
                insats__forbund=self.forbund, ar=2025, manad=12, anledning=demo.JUSTERING_ANLEDNING
            ).values_list("insats_id", flat=True)
        )
        for namn, andring in justeringar_2025():
            insats = self.insatser[namn]
            if insats.pk not in sparade:
                services.justering_skapa(
                    user=self.vu,
                    insats=insats,
                    ar=2025,
                    manad=12,
                    kvinnor=andring.kvinnor,
                    man=andring.man,
                    anledning=demo.JUSTERING_ANLEDNING,
                )

    # --- Survey, comments, economy, the bilaga ----------------------------------------------

    def _enkater(self) -> None:
        # The catalogue first: its training enkät holds the demo's three questions.
        services.enkatkatalog_kopiera(user=self.vu, forbund=self.forbund)
        fragor = fixtures.enkatfragor(self.forbund)
        sparade = {
            (s.tillfalle.namn, s.tillfalle.datum, s.alternativ_id): (s.antal, s.tillfalle.insats_id)
            for s in m.Enkatsvar.objects.filter(tillfalle__forbund=self.forbund).select_related(
                "tillfalle"
            )
        }
        insats = self.insatser[demo.ENKATINSATS]
        for ar, (tillfallen, totaler) in demo.ENKATER.items():
            if dt.date(ar, 1, 1) > self.idag:
                continue
            for namn, datum, alternativ, antal in _enkatsvar(tillfallen, totaler, fragor):
                if datum <= self.idag and sparade.get((namn, datum, alternativ.pk)) != (
                    antal,
                    insats.pk,
                ):
                    services.enkatsvar_spara(
                        user=self.vu,
                        forbund=self.forbund,
                        tillfalle_namn=namn,
                        datum=datum,
                        alternativ=alternativ,
                        antal=antal,
                        insats=insats,
                        import_fran=IMPORT_FRAN,
                    )
        indikatorer.ladda(
            user=self.vu, forbund=self.forbund, idag=self.idag, import_fran=IMPORT_FRAN
        )

    def _kommentarer(self) -> None:
        sparade = dict(
            m.Kommentar.objects.filter(forbund=self.forbund, ar=2025).values_list("avsnitt", "text")
        )
        for avsnitt, text in demo.KOMMENTARER_2025.items():
            if sparade.get(avsnitt) != text:
                services.kommentar_spara(
                    user=self.vu, forbund=self.forbund, ar=2025, avsnitt=avsnitt, text=text
                )

    def _ekonomi(self) -> None:
        fixtures.verksamhetsplaner(self.forbund)
        per_ar = fixtures.kostnadsposter(self.forbund, self.insatser)
        poster = [post for ar_poster in per_ar.values() for post in ar_poster]
        sparade = {
            (u.post_id, u.manad, u.kvartal): u.belopp
            for u in m.Utfall.objects.filter(post__in=poster)
        }
        # 2025 is booked in full; 2026 up to its last booked month.
        manader = {
            2025: slutade_manader(2025, 12, self.idag),
            2026: slutade_manader(2026, demo.UTFALL_MANADER, self.idag),
        }
        for post in poster:
            for manad, kvartal, belopp in utfall(post.namn, int(post.budget), manader[post.ar]):
                if sparade.get((post.pk, manad, kvartal)) != belopp:
                    services.utfall_spara(
                        user=self.vu, post=post, belopp=belopp, manad=manad, kvartal=kvartal
                    )

    def _bilagetexter(self) -> None:
        bilaga = m.Arsbilaga.objects.filter(forbund=self.forbund, ar=2025).first()
        if _oforandrad(
            self.forbund, {"bakgrund_text": demo.BAKGRUND, "metod_text": demo.METOD}
        ) and _oforandrad(
            bilaga,
            {
                "sammanstallningsdatum": demo.SAMMANSTALLNINGSDATUM_2025,
                "upprattad_av": demo.UPPRATTAD_AV_2025,
            },
        ):
            return
        services.bilagetexter_spara(
            user=self.vu,
            forbund=self.forbund,
            ar=2025,
            bakgrund_text=demo.BAKGRUND,
            metod_text=demo.METOD,
            sammanstallningsdatum=demo.SAMMANSTALLNINGSDATUM_2025,
            upprattad_av=demo.UPPRATTAD_AV_2025,
        )
        # The service saved its own copy of the förbund; the caller gets this one back.
        self.forbund.refresh_from_db(fields=["bakgrund_text", "metod_text"])

    def _budgeterade_volymer(self) -> None:
        sparade = {
            (insats_id, ar): volym
            for insats_id, ar, volym in m.BudgeteradVolym.objects.filter(
                insats__forbund=self.forbund, ar__in=(2025, 2026)
            ).values_list("insats_id", "ar", "volym")
        }
        for ar, budget in ((2025, demo.BUDGET_2025), (2026, demo.BUDGET_2026)):
            for namn, volym in budget.items():
                insats = self.insatser[namn]
                if sparade.get((insats.pk, ar)) != volym:
                    services.budgeterad_volym_satt(
                        user=self.vu, insats=insats, ar=ar, volym=volym, import_fran=IMPORT_FRAN
                    )


def _insatsvarden(
    namn: str,
    data: demo.DemoInsats,
    grupper: Mapping[str, m.Insatsgrupp],
    medlemmar: Mapping[str, m.Medlem],
) -> dict[str, Any]:
    uppfoljning = m.Insats.Uppfoljning
    return {
        "namn": namn,
        "inriktning": data.inriktning,
        "preciserad_inriktning": data.preciserad,
        "grupp": grupper[data.grupp] if data.grupp else None,
        "utforande_medlem": medlemmar[data.medlem] if data.medlem else None,
        "startdatum": data.start,
        "slutdatum": data.slut,
        "uppfoljning": uppfoljning.VOLYM if data.volymenhet else uppfoljning.DELTAGARFLODE,
        "volymenhet": data.volymenhet,
        "ordning": demo.VOLYM_ORDNING.get(namn, 0),
    }


def _enkatsvar(
    tillfallen: Sequence[tuple[str, dt.date, int]],
    totaler: Sequence[Sequence[int]],
    fragor: Sequence[Sequence[m.Svarsalternativ]],
) -> Iterable[tuple[str, dt.date, m.Svarsalternativ, int]]:
    """(occasion, date, option, answers): each question's totals dealt out over all the year's
    occasions in proportion to their answers."""
    storlek = [n for _namn, _datum, n in tillfallen]
    for alternativ, total in zip(fragor, totaler, strict=True):
        per_alt = [fordela(t, storlek) for t in total]
        for t_index, (namn, datum, _n) in enumerate(tillfallen):
            for a, fordelning in zip(alternativ, per_alt, strict=True):
                yield namn, datum, a, fordelning[t_index]


def ladda(*, idag: dt.date | None = None) -> m.Forbund:
    """Load (or refresh) the demo förbund. Months after `idag` are not created."""
    with transaction.atomic():
        forbund = _Laddare(idag or timezone.localdate()).kor()
        # Part of the demo is written around the services: its versions are bumped here.
        dataversion.andrat([(forbund.pk, dataversion.ALLA_AR)])
        return forbund


def systemadministrator() -> m.User:
    """The installation's systemadministratör, made by the service behind `manage.py
    skapa_systemadministrator` (with the demo password); an existing account is left as is."""
    befintlig = m.User.objects.filter(username=demo.SYSTEMADMINISTRATOR).first()
    return befintlig or systemadministrator_skapa(
        anvandarnamn=demo.SYSTEMADMINISTRATOR,
        epost=demo.SYSTEMADMINISTRATOR_EPOST,
        losenord=demo.DEMO_LOSENORD,
    )


def demo_anvandare() -> Iterable[tuple[str, str]]:
    """(username, role) of the demo users, for printing."""
    return [
        *((a.username, str(a.roll)) for a in demo.ANVANDARE),
        (demo.SYSTEMADMINISTRATOR, str(Roll.SYSTEMADMINISTRATOR)),
    ]
