"""Behörighetsmatrisen, issue 14's pages: import and export in the product (/data/), the
checklist (/kom-igang/), the förbund's users and their invitations (/konton/anvandare/,
/konton/inbjudan/), the installation's förbund and groups (/system/) and the joint report of a
group (/samverkan/), for the same ten personas and with the same cells as
tests/test_behorighetsmatris.py (read its docstring), in the same world
(tests/behorighetsmatris.py).

Issue 14, point 6: the systemadministratör manages förbund, groups and their first users and
sees no förbund's figures (403 on every förbund's page, FREMMANDE on its own pages); a
samordnare reads the joint report of their own group only (another group's is not found); a
user of another förbund finds none of ours.
"""

from __future__ import annotations

import pytest
from django.db.models import F

from registrering.models import Manadsrapport
from tests import behorighetsmatris
from tests.behorighetsmatris import (
    INGET,
    OK,
    L,
    Sida,
    kontrollera_sida,
    sida,
    sidrutor,
)

#: The world and a savepoint per cell, from the shared module.
varld = behorighetsmatris.varld
db = behorighetsmatris.db

#: Issue 14's pages: the invitation's next step, the joint report's of each group (2025: IDAG's
#: last year), a new user and a new förbund that would be valid.
INB = "/konton/inbjudan/{uid}/set-password/"
VAR, DER = "/samverkan/lansgruppen/2025/", "/samverkan/natverket-annanstans/2025/"
NY_ANVANDARE = {
    "fornamn": "Nora",
    "efternamn": "Ny",
    "epost": "nora@example.se",
    "roller": ["styrelse"],
}
NYTT_FORBUND = {
    "namn": "Samordningsförbundet Nytt",
    "kortnamn": "SNY",
    "organisationsnummer": "",
    "rapportdag": "12",
    "ar": "2025",
    "medlemmar-TOTAL_FORMS": "1",
    "medlemmar-INITIAL_FORMS": "0",
    "medlemmar-MIN_NUM_FORMS": "0",
    "medlemmar-MAX_NUM_FORMS": "1000",
    "medlemmar-0-namn": "Nyby kommun",
    "medlemmar-0-typ": "kommun",
    "medlemmar-0-invanare": "1 000",
}

# fmt: off
SIDOR: list[Sida] = [
    # Import and export in the product (registrering.filvyer): the kansli, each their own
    # förbund's rows. An empty upload is the form again with its errors; confirming without a
    # preview of the session's own goes back to the upload, with nothing written (INGET).
    #   metod   adress                         anon vu   chef ansv styr utom supr sys  samo asam
    sida("GET", "/data/",                      L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/data/",                     405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/data/mall/insats/csv/",      L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("GET", "/data/mall/finns-inte/csv/",  L,   404, 404, 403, 403, 404, 404, 403, 403, 403),
    sida("GET", "/data/export/insats/csv/",    L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("GET", "/data/export/insats/xlsx/",   L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/data/export/insats/csv/",   405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/data/importera/",            L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/data/importera/",           L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/data/importera/bekrafta/",
         L,   INGET, INGET, 403, 403, INGET, INGET, 403, 403, 403,
         klar="/data/importera/"),
    sida("GET", "/data/importera/bekrafta/",   405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A queued import's status: the uploader's only (the verksamhetsutvecklare's here).
    sida("GET", "/data/importera/jobb/{jobb}/",
                                               L,   200, 404, 403, 403, 404, 404, 403, 403, 403),
    # The checklist before the first bilaga (registrering.kom_igang): the kansli's. Fetching the
    # national catalogues gives the förbund what it lacks of them (this world's have none).
    sida("GET", "/kom-igang/",                 L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/kom-igang/",                405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/kom-igang/2025/",            L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/kom-igang/kataloger/",      L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         klar="/kom-igang/"),
    sida("GET", "/kom-igang/kataloger/",       405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The förbund's users (registrering.anvandarvyer): the kansli, for its own förbund's accounts
    # (another förbund's are not found). The invited account has not chosen a password yet.
    sida("GET", "/konton/anvandare/",          L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/konton/anvandare/",         405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/konton/anvandare/ny/",       L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/konton/anvandare/ny/",      L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         data=NY_ANVANDARE, klar="/konton/anvandare/"),
    sida("GET", "/konton/anvandare/{vart_konto}/",
                                               L,   200, 200, 403, 403, 404, 200, 403, 403, 403),
    sida("POST", "/konton/anvandare/{vart_konto}/",
                                               L,   OK,  OK,  403, 403, 404, OK,  403, 403, 403,
         data={"roller": ["styrelse"]}, klar="/konton/anvandare/"),
    sida("GET", "/konton/anvandare/{deras_konto}/",
                                               L,   404, 404, 403, 403, 200, 404, 403, 403, 403),
    sida("POST", "/konton/anvandare/{vart_konto}/aktiv/",
                                               L,   OK,  OK,  403, 403, 404, OK,  403, 403, 403,
         data={"aktiv": "0"}, klar="/konton/anvandare/{vart_konto}/"),
    # The utomstående's own account: nobody switches themselves off.
    sida("POST", "/konton/anvandare/{deras_konto}/aktiv/",
                                               L,   404, 404, 403, 403, INGET, 404, 403, 403, 403,
         data={"aktiv": "0"}, klar="/konton/anvandare/{deras_konto}/"),
    sida("GET", "/konton/anvandare/{vart_konto}/aktiv/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/konton/anvandare/{inbjuden}/skicka-igen/",
                                               L,   OK,  OK,  403, 403, 404, OK,  403, 403, 403,
         klar="/konton/anvandare/{inbjuden}/"),
    sida("GET", "/konton/anvandare/{inbjuden}/skicka-igen/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The invitation's link (registrering.inbjudanvyer): anyone who has it. A valid link moves
    # its token into the session (Django's PasswordResetConfirmView); a wrong one is the page
    # that says so, and its form saves nothing. (Choosing the password logs the client in as
    # the invited account: tests/system, not the personas' clients here.)
    sida("GET", "/konton/inbjudan/{uid}/{token}/",
                                               INB, INB, INB, INB, INB, INB, INB, INB, INB, INB),
    sida("GET", "/konton/inbjudan/{uid}/fel-token/",
                                               200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", "/konton/inbjudan/{uid}/fel-token/",
                                               200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
         data={"new_password1": "Matris-losen-42", "new_password2": "Matris-losen-42"}),
    # The installation's förbund (registrering.systemvyer): the systemadministratör and a
    # superuser, for every förbund; no förbund's own people.
    sida("GET", "/system/",                    L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("POST", "/system/",                   405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/system/forbund/ny/",         L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("POST", "/system/forbund/ny/",        L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data=NYTT_FORBUND, klar="/system/forbund/{nytt}/"),
    sida("GET", "/system/forbund/{forbund_var}/",
                                               L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("GET", "/system/forbund/{forbund_deras}/",
                                               L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("POST", "/system/forbund/{forbund_var}/",
                                               L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data={**NYTT_FORBUND, "namn": "Samordningsförbundet Testbygden", "kortnamn": "STB2"},
         klar="/system/forbund/{forbund_var}/"),
    sida("GET", "/system/forbund/{forbund_var}/bjud-in/",
                                               L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    # A förbund without a verksamhetsutvecklare who has accepted gets its first one invited;
    # one that has one (the other förbund's) invites its users itself: the form again.
    sida("POST", "/system/forbund/{tredje}/bjud-in/",
                                               L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data={"fornamn": "Vera", "efternamn": "Ny", "epost": "vera@str.se"},
         klar="/system/forbund/{tredje}/"),
    sida("POST", "/system/forbund/{forbund_deras}/bjud-in/",
                                               L,   403, 403, 403, 403, 403, 200, 200, 403, 403,
         data={"fornamn": "Vera", "efternamn": "Ny", "epost": "vera@sas.se"}),
    sida("POST", "/system/forbund/{forbund_var}/konton/{inbjuden}/skicka-igen/",
                                               L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         klar="/system/forbund/{forbund_var}/"),
    sida("GET", "/system/forbund/{forbund_var}/konton/{inbjuden}/skicka-igen/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Groups of förbund and their samordnare (registrering.gruppvyer): the same two.
    sida("GET", "/system/grupper/",            L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("POST", "/system/grupper/",           L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data={"namn": "Ny grupp", "kortnamn": "ny-grupp", "forbund": ["{forbund_deras}"]},
         klar="/system/grupper/"),
    sida("GET", "/system/grupper/{grupp_var}/",
                                               L,   403, 403, 403, 403, 403, 200, 200, 403, 403),
    sida("POST", "/system/grupper/{grupp_var}/",
                                               L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data={"namn": "Länsgruppen", "kortnamn": "lansgruppen", "forbund": ["{forbund_var}"]},
         klar="/system/grupper/{grupp_var}/"),
    sida("POST", "/system/grupper/{grupp_deras}/samordnare/",
                                               L,   403, 403, 403, 403, 403, OK,  OK,  403, 403,
         data={"ny-fornamn": "Sam", "ny-efternamn": "Ny", "ny-epost": "sam@example.se"},
         klar="/system/grupper/{grupp_deras}/"),
    sida("GET", "/system/grupper/{grupp_deras}/samordnare/",
                                               L,   403, 403, 403, 403, 403, 405, 405, 403, 403),
    # The joint report (samverkan.views): a samordnare of the group, the kansli and styrelse of
    # a förbund in it, a superuser; the systemadministratör manages groups but sees no figures
    # (403), anyone else finds no such group (404). With a single group, straight to last year.
    sida("GET", "/samverkan/",                 L,   VAR, VAR, 403, VAR, DER, 200, 403, VAR, DER),
    sida("POST", "/samverkan/",                L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/samverkan/lansgruppen/2025/",
                                               L,   200, 200, 404, 200, 404, 200, 403, 200, 404),
    sida("POST", "/samverkan/lansgruppen/2025/",
                                               L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/samverkan/lansgruppen/2025/pdf/",
                                               L,   200, 200, 404, 200, 404, 200, 403, 200, 404),
    # The page's chart by its hash (here none that the group's report has: the answer for
    # those who read the group is 404; the chart itself in tests/samverkan/test_vyer.py).
    sida("GET", "/samverkan/lansgruppen/2025/diagram/abcdef0123.svg",
                                               L,   404, 404, 404, 404, 404, 404, 403, 404, 404),
    sida("POST", "/samverkan/lansgruppen/2025/diagram/abcdef0123.svg",
                                               L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/samverkan/natverket-annanstans/2025/",
                                               L,   404, 404, 404, 404, 200, 200, 403, 404, 200),
    sida("GET", "/samverkan/natverket-annanstans/2025/pdf/",
                                               L,   404, 404, 404, 404, 200, 200, 403, 404, 200),
    sida("GET", "/samverkan/finns-inte/2025/", L,   404, 404, 404, 404, 404, 404, 404, 404, 404),
]
# fmt: on


@pytest.mark.parametrize("ruta", sidrutor(SIDOR))
def test_sida(db, varld, ruta):
    kontrollera_sida(varld, ruta)


@pytest.mark.parametrize("status", [Manadsrapport.Status.INSKICKAD, Manadsrapport.Status.GODKAND])
def test_samordnaren_ser_inget_forbunds_ej_godkanda_siffror(db, varld, status):
    """Issue 14, point 4: the joint report counts approved months only. Our insatser's October
    is sent in but not approved, November approved (tests/behorighetsmatris.py): more new
    participants in October leave the samordnare's report as it was; in November they change
    it (so that the first half can fail)."""
    from registrering import dataversion

    klient = varld.klienter["samordnare"]
    fore = str(klient.get(VAR).context["innehall"])
    manader = Manadsrapport.objects.filter(
        insats__in=[varld.insatser["egen"], varld.insatser["annan"]], ar=2025, status=status
    )
    assert manader.count() == 2
    manader.update(nya_kvinnor=F("nya_kvinnor") + 7, nya_man=F("nya_man") + 5)
    # Written around the services: the version is bumped as the audit writer would.
    dataversion.andrat([(varld.insatser["egen"].forbund_id, 2025)])
    efter = str(klient.get(VAR).context["innehall"])
    assert (efter == fore) == (status == Manadsrapport.Status.INSKICKAD)
