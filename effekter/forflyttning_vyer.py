"""The transition model in the browser: an insats's matrix for a year (the kansli's form grid),
the year's result for the förbund and per insats with its charts, and what-if (a GET form that
saves nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from effekter import berakning, modell
from effekter import diagram as d
from effekter.formular import ForflyttningForm, OmForm
from rapporter.diagram import Diagram, rendera
from rapporter.views import svg_policy
from registrering import permissions, regler, services
from registrering.forms import service_fel_pa_falt
from registrering.models import Forbund, Forflyttning, Insats

HORISONT_FEL = (
    f"Tidshorisonten ska vara ett helt antal år mellan 1 och {modell.STORSTA_HORISONT}; "
    f"sidan visar {modell.STANDARDHORISONT} år."
)


def las_horisont(text: str | None) -> tuple[int, str]:
    """The horizon of `?horisont=` and a message when it was not one (the default is used)."""
    if not text:
        return modell.STANDARDHORISONT, ""
    try:
        horisont = regler.las_heltal(text)
    except ValueError:
        return modell.STANDARDHORISONT, HORISONT_FEL
    if not 1 <= horisont <= modell.STORSTA_HORISONT:
        return modell.STANDARDHORISONT, HORISONT_FEL
    return horisont, ""


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def matris(request: HttpRequest, forbund: Forbund, ar: int, insats_id: int) -> HttpResponse:
    """The insats's transition matrix for the year: one count per cell, all saved or none."""
    # The matrix is for the insatser the model counts (`regler.forflyttningar_for_insats`).
    insats = get_object_or_404(Insats.objects.deltagarflode(), pk=insats_id, forbund=forbund)
    ersattningar = services.arets_ersattningar(forbund, ar)
    status = 200
    if request.method == "POST" and ersattningar:
        form = ForflyttningForm(request.POST, ersattningar=ersattningar)
        if form.is_valid():
            try:
                services.forflyttningar_spara(
                    user=permissions.inloggad(request), insats=insats, ar=ar, matris=form.matris()
                )
            except ValidationError as exc:
                service_fel_pa_falt(form, exc)
            else:
                messages.success(request, f"Förflyttningarna för {insats.namn} {ar} är sparade.")
                adress = reverse("effekter:forflyttningar", args=[ar])
                return redirect(f"{adress}#insats-{insats.pk}")
        status = 400
    else:
        befintliga = {
            f"{f.fran}-{f.till}": f.antal for f in Forflyttning.objects.filter(insats=insats, ar=ar)
        }
        form = ForflyttningForm(initial=befintliga, ersattningar=ersattningar)
        status = 400 if request.method == "POST" else 200
    return render(
        request,
        "effekter/forflyttning_matris.html",
        {"forbund": forbund, "ar": ar, "insats": insats, "form": form},
        status=status,
    )


def _om(
    request: HttpRequest, resultat: berakning.Forflyttningsresultat
) -> tuple[OmForm, str, modell.OmEffekt | None]:
    """The what-if form (bound when asked) and its answer."""
    fragat = "antal" in request.GET
    form = OmForm(request.GET if fragat else None, nyckeltal=resultat.nyckeltal)
    if not fragat or resultat.effekt is None or not form.is_valid():
        return form, "", None
    data = form.cleaned_data
    svar = berakning.om(resultat, fran=data["fran"], till=data["till"], antal=data["antal"])
    if svar is None:
        form.add_error(None, "Modellen kan inte räkna på det antagandet med årets nyckeltal.")
        return form, "", None
    return form, form.text(), svar


def _diagramadress(ar: int, horisont: int, dg: Diagram) -> str:
    adress = reverse("effekter:forflyttningar_diagram", args=[ar, dg.nummer])
    return f"{adress}?horisont={horisont}&v={dg.version}"


@require_GET
@permissions.ser_rapporter
def resultat(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The year's effect of the transitions, for the förbund (every insats's matrix summed)
    and per insats, over `?horisont=` years; what-if beside it."""
    horisont, horisont_fel = las_horisont(request.GET.get("horisont"))
    res = berakning.forflyttningsresultat(forbund=forbund, ar=ar, horisont=horisont)
    om_form, om_text, om_svar = _om(request, res)
    diagram = d.diagram_for(res)
    med_matris = {i.insats_id for i in res.insatser}
    return render(
        request,
        "effekter/forflyttning_resultat.html",
        {
            "forbund": forbund,
            "ar": ar,
            "r": res,
            "horisont_fel": horisont_fel,
            "horisonter": range(1, modell.STORSTA_HORISONT + 1),
            "om_form": om_form,
            "om_text": om_text,
            "om": om_svar,
            "diagram_lista": diagram,
            "uri": {dg.nummer: _diagramadress(ar, horisont, dg) for dg in diagram},
            "redigera": permissions.kan_administrera(request.user, forbund),
            "utan_matris": [(pk, namn) for pk, namn in res.arets_insatser if pk not in med_matris],
            "betalarnas_namn": d.BETALARNAS_NAMN,
        },
    )


@require_GET
@permissions.ser_rapporter
@svg_policy
def diagram_svg(request: HttpRequest, forbund: Forbund, ar: int, nummer: int) -> HttpResponse:
    """One chart of the result page as SVG; its URL carries a hash of its data (`v`), so that
    the browser may keep it."""
    horisont, _fel = las_horisont(request.GET.get("horisont"))
    res = berakning.forflyttningsresultat(forbund=forbund, ar=ar, horisont=horisont)
    valt = next((dg for dg in d.diagram_for(res) if dg.nummer == nummer), None)
    if valt is None:
        raise Http404("Diagrammet finns inte.")
    response = HttpResponse(rendera(valt, "svg"), content_type="image/svg+xml")
    if request.GET.get("v") == valt.version:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response
