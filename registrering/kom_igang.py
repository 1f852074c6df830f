"""The "Kom igång" page (/kom-igang/): the kansli's checklist of what the förbund lacks before
the bilaga of a year can be made (`registrering.checklista`), and the button that fetches the
national catalogues a förbund made before them lacks (`katalog_kopiera`,
`enkatkatalog_kopiera`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from registrering import converters  # noqa: F401  (registers <ar:…>)
from registrering.checklista import checklista
from registrering.models import Forbund
from registrering.permissions import administrerar, inloggad
from registrering.services.enkat_hantering import enkatkatalog_kopiera
from registrering.services.katalog import katalog_kopiera

TEXTER = {"bakgrund_text": "Bakgrund", "metod_text": "Metod"}


@require_GET
@administrerar
def kom_igang(request: HttpRequest, forbund: Forbund, ar: int | None = None) -> HttpResponse:
    """The checklist for `ar` (this year unless given)."""
    innevarande = timezone.localdate().year
    ar = ar or innevarande
    lista = checklista(forbund=forbund, ar=ar)
    return render(
        request,
        "registrering/kom_igang.html",
        {
            "forbund": forbund,
            "lista": lista,
            # (heading, points, the status's class, its word)
            "grupper": [
                ("Saknas", lista.saknas_vasentligt, "nar-inte-malet", "Saknas"),
                ("Rekommenderas", lista.saknas_rekommenderat, "risk", "Rekommenderas"),
                ("Klart", lista.klara, "nar-malet", "Klart"),
            ],
            "foregaende_ar": ar - 1,
            "nasta_ar": ar + 1,
        },
    )


@require_POST
@administrerar
def hamta_kataloger(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Give the förbund what it lacks of the national catalogues; what it has stays as it is."""
    user = inloggad(request)
    kopia = katalog_kopiera(user=user, forbund=forbund)
    enkater = enkatkatalog_kopiera(user=user, forbund=forbund)
    texter = " och ".join(TEXTER[falt] for falt in kopia.texter)
    delar = [
        f"{len(kopia.huvudman)} huvudmän" if kopia.huvudman else "",
        f"{len(kopia.avslutsanledningar)} avslutsanledningar" if kopia.avslutsanledningar else "",
        f"texten för {texter}" if texter else "",
        f"{enkater.nya_fragor} enkätfrågor" if enkater.nya_fragor else "",
    ]
    if tillagda := [d for d in delar if d]:
        text = ", ".join(tillagda[:-1]) + (" och " if len(tillagda) > 1 else "") + tillagda[-1]
        messages.success(request, f"Hämtat från de nationella katalogerna: {text}.")
    else:
        messages.info(request, "Förbundet har redan allt i de nationella katalogerna.")
    return redirect("kom_igang")


urlpatterns = [
    path("", kom_igang, name="kom_igang"),
    path("<ar:ar>/", kom_igang, name="kom_igang_ar"),
    path("kataloger/", hamta_kataloger, name="kom_igang_kataloger"),
]
