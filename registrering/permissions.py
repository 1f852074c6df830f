"""Who may do what: the roles of DOMAIN.md as explicit capabilities, scoped to one förbund.

Every view and service asks one of these; every queryset a user sees starts from
`insatser_for_user` or filters on the user's förbund.

The admin (Django's, at /admin/) is the kansli's tool: `kan_oppna_admin` lets in a superuser and
a verksamhetsutvecklare or förbundschef of a förbund, and only with `is_staff` set. The role
decides, not the flag alone: a styrelse member or an insatsansvarig never gets in, whatever
`is_staff` says. The förbundschef keeps the admin because DOMAIN.md gives the role everything
the verksamhetsutvecklare may (insatser, targets, users' overview, import and export).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from registrering.models import (
    Enkattillfalle,
    Forbund,
    Forbundsgrupp,
    Insats,
    InsatsQuerySet,
    User,
)

P = ParamSpec("P")
#: Whoever asks: a user, or nobody logged in (`request.user`).
Anvandare = User | AnonymousUser


class Roll(StrEnum):
    VERKSAMHETSUTVECKLARE = "verksamhetsutvecklare"
    INSATSANSVARIG = "insatsansvarig"
    FORBUNDSCHEF = "förbundschef"
    STYRELSE = "styrelse"
    #: Installation level, tied to no förbund: creates förbund and invites their first users,
    #: and sees no förbund's figures unless also given a role in one.
    SYSTEMADMINISTRATOR = "systemadministratör"
    #: Read-only, for a group of förbund (a county or a network): the group's aggregated,
    #: approved figures and never a single förbund's unapproved data.
    SAMORDNARE = "samordnare"


ADMINISTRERANDE = frozenset({Roll.VERKSAMHETSUTVECKLARE, Roll.FORBUNDSCHEF})
#: The roles a förbund gives its own users (the others are the installation's or a group's).
FORBUNDETS_ROLLER = frozenset(
    {Roll.VERKSAMHETSUTVECKLARE, Roll.FORBUNDSCHEF, Roll.STYRELSE, Roll.INSATSANSVARIG}
)


def aktiv(user: Anvandare) -> User | None:
    """The user, if logged in and active."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def inloggad(request: HttpRequest) -> User:
    """The logged-in user of a view behind `login_required` (or of the admin)."""
    user = aktiv(request.user)
    if user is None:
        raise PermissionDenied("Logga in för att fortsätta.")
    return user


def roller(user: Anvandare) -> frozenset[str]:
    """The user's roles (group names), read once per request and kept on the user object."""
    if (anvandare := aktiv(user)) is None:
        return frozenset()
    cached: frozenset[str] | None = getattr(anvandare, "_finsam_roller", None)
    if cached is None:
        cached = frozenset(anvandare.groups.values_list("name", flat=True))
        anvandare._finsam_roller = cached  # type: ignore[attr-defined]
    return cached


def _i_forbund(user: Anvandare, forbund_id: int | None) -> bool:
    if (anvandare := aktiv(user)) is None:
        return False
    return bool(
        anvandare.is_superuser or (anvandare.forbund_id and anvandare.forbund_id == forbund_id)
    )


def kan_oppna_admin(user: Anvandare) -> bool:
    """The door to the admin: a superuser, or a verksamhetsutvecklare or förbundschef of a
    förbund with `is_staff`; never the styrelse or an insatsansvarig (see the module's text)."""
    if (anvandare := aktiv(user)) is None or not anvandare.is_staff:
        return False
    return anvandare.is_superuser or bool(
        anvandare.forbund_id and roller(anvandare) & ADMINISTRERANDE
    )


def kan_se_forbund(user: Anvandare, forbund: Forbund) -> bool:
    return _i_forbund(user, forbund.pk) and (user.is_superuser or bool(roller(user)))


def kan_administrera(user: Anvandare, forbund: Forbund) -> bool:
    """Everything about the förbund's data: insatser, targets, approval, import, comments."""
    return _i_forbund(user, forbund.pk) and (
        user.is_superuser or bool(roller(user) & ADMINISTRERANDE)
    )


kan_godkanna = kan_administrera
kan_importera = kan_administrera


def kan_se_rapporter(user: Anvandare, forbund: Forbund) -> bool:
    """The bilaga and the dashboards: every role but the insatsansvarig's own view."""
    return _i_forbund(user, forbund.pk) and (
        user.is_superuser or bool(roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE}))
    )


def ar_ansvarig(user: Anvandare, insats: Insats) -> bool:
    anvandare = aktiv(user)
    if anvandare is None or Roll.INSATSANSVARIG not in roller(anvandare):
        return False
    # `insats_for_user` prefetches them for a user whose checks come here, so the view and the
    # service it calls read them once per request (a change through the manager empties it).
    ansvariga = getattr(insats, "_prefetched_objects_cache", {}).get("insatsansvariga")
    if ansvariga is not None:
        return any(u.pk == anvandare.pk for u in ansvariga)
    return insats.insatsansvariga.filter(pk=anvandare.pk).exists()


def _fragar_om_ansvaret(user: Anvandare) -> bool:
    """Whether the user's checks on an insats (`kan_se_insats`, `kan_rapportera`) may come to
    `ar_ansvarig`: an insatsansvarig who does not administer the förbund."""
    anvandare = aktiv(user)
    if anvandare is None or anvandare.is_superuser:
        return False
    mina = roller(anvandare)
    return Roll.INSATSANSVARIG in mina and not mina & ADMINISTRERANDE


def kan_se_insats(user: Anvandare, insats: Insats) -> bool:
    if not _i_forbund(user, insats.forbund_id):
        return False
    if user.is_superuser or roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return True
    return ar_ansvarig(user, insats)


def kan_rapportera(user: Anvandare, insats: Insats) -> bool:
    """Enter and send in the insats's monthly figures."""
    if not _i_forbund(user, insats.forbund_id):
        return False
    return kan_administrera(user, insats.forbund) or ar_ansvarig(user, insats)


def insatser_for_user(user: Anvandare, forbund: Forbund | None = None) -> InsatsQuerySet:
    """The insatser the user may see, within their förbund (or `forbund` for a superuser)."""
    qs = Insats.objects.all()
    anvandare = aktiv(user)
    if anvandare is None:
        return qs.none()
    if anvandare.is_superuser:
        return qs.filter(forbund=forbund) if forbund is not None else qs
    if not anvandare.forbund_id or (forbund is not None and forbund.pk != anvandare.forbund_id):
        return qs.none()
    qs = qs.filter(forbund_id=anvandare.forbund_id)
    if roller(anvandare) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return qs
    if Roll.INSATSANSVARIG in roller(anvandare):
        return qs.filter(insatsansvariga=anvandare)
    return qs.none()


def insats_for_user(user: Anvandare, pk: int, *, skriva: bool = False) -> Insats:
    """The insats, or Http404 when it is not in the user's förbund, PermissionDenied when the
    user may not see it (or, with `skriva`, not report it)."""
    qs = Insats.objects.select_related("forbund", "grupp")
    if _fragar_om_ansvaret(user):
        qs = qs.prefetch_related("insatsansvariga")  # for every `ar_ansvarig` of the request
    try:
        insats = qs.get(pk=pk)
    except Insats.DoesNotExist as exc:
        raise Http404("Insatsen finns inte.") from exc
    if not _i_forbund(user, insats.forbund_id):
        raise Http404("Insatsen finns inte.")
    allowed = kan_rapportera(user, insats) if skriva else kan_se_insats(user, insats)
    if not allowed:
        raise PermissionDenied("Du har inte behörighet till den här insatsen.")
    return insats


def kan_skriva_ut_enkat(user: Anvandare, tillfalle: Enkattillfalle) -> bool:
    """A survey round's QR code and poster: the kansli, and the insatsansvarig of the round's
    insats (who hands the poster out but does not manage rounds)."""
    if not _i_forbund(user, tillfalle.forbund_id):
        return False
    if kan_administrera(user, tillfalle.forbund):
        return True
    return tillfalle.insats is not None and ar_ansvarig(user, tillfalle.insats)


def enkattillfalle_for_user(user: Anvandare, pk: int, *, hantera: bool = True) -> Enkattillfalle:
    """The survey round, or Http404 when it is not in the user's förbund, PermissionDenied when
    the user may not manage it (or, without `hantera`, not print its QR code and poster)."""
    try:
        tillfalle = Enkattillfalle.objects.select_related("forbund", "insats", "enkat").get(pk=pk)
    except Enkattillfalle.DoesNotExist as exc:
        raise Http404("Enkättillfället finns inte.") from exc
    if not _i_forbund(user, tillfalle.forbund_id):
        raise Http404("Enkättillfället finns inte.")
    allowed = (
        kan_administrera(user, tillfalle.forbund)
        if hantera
        else kan_skriva_ut_enkat(user, tillfalle)
    )
    if not allowed:
        raise PermissionDenied("Du har inte behörighet till det här enkättillfället.")
    return tillfalle


def kan_hantera_forbund(user: Anvandare) -> bool:
    """The installation's pages (/system/): create förbund and invite their first
    verksamhetsutvecklare. A systemadministratör (or a superuser); neither sees any förbund's
    figures through them."""
    if (anvandare := aktiv(user)) is None:
        return False
    return anvandare.is_superuser or Roll.SYSTEMADMINISTRATOR in roller(anvandare)


def systemadministrator_kravs(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A view decorator: logged in (else to the login page) and `kan_hantera_forbund`."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not kan_hantera_forbund(request.user):
            raise PermissionDenied("Sidan är för systemadministratören.")
        return view(request, *args, **kwargs)

    return wrapper


def forbundets_konton(forbund: Forbund) -> QuerySet[User]:
    """The accounts the förbund's kansli manages: its own, but never a superuser nor an account
    that also holds the installation's or a group's role (a systemadministratör given a role in
    the förbund stays the installation's to manage)."""
    return User.objects.filter(forbund=forbund, is_superuser=False).exclude(
        groups__name__in=[str(Roll.SYSTEMADMINISTRATOR), str(Roll.SAMORDNARE)]
    )


def konto_for_user(user: Anvandare, forbund: Forbund, pk: int) -> User:
    """An account of `forbund` that the user may manage (`kan_administrera`, and one of
    `forbundets_konton`): Http404 when it is not (another förbund's accounts are "not found"),
    PermissionDenied when the user may not manage the förbund's accounts."""
    if not kan_administrera(user, forbund):
        raise PermissionDenied("Det här gör verksamhetsutvecklaren eller förbundschefen.")
    try:
        return forbundets_konton(forbund).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404("Kontot finns inte.") from exc


def forbund_for_user(user: Anvandare) -> Forbund:
    """The user's own förbund; a superuser without one gets the only förbund there is."""
    if (anvandare := aktiv(user)) is None:
        raise PermissionDenied("Logga in för att fortsätta.")
    if anvandare.forbund is not None:
        return anvandare.forbund
    user = anvandare
    if user.is_superuser:
        forbund = Forbund.objects.order_by("pk").first()
        if forbund is not None:
            return forbund
    raise PermissionDenied("Ditt konto hör inte till något förbund.")


ForbundView = Callable[Concatenate[HttpRequest, Forbund, P], HttpResponse]


def forbund_kravs(
    kontroll: Callable[[Anvandare, Forbund], bool], meddelande: str
) -> Callable[[ForbundView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """A view decorator for one role rule: the user is logged in and `kontroll(user, förbund)`
    holds for their förbund, which the view receives after the request."""

    def decorator(view: ForbundView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            forbund = forbund_for_user(request.user)
            if not kontroll(request.user, forbund):
                raise PermissionDenied(meddelande)
            return view(request, forbund, *args, **kwargs)

        return wrapper

    return decorator


#: The bilaga and the goal page: the kansli and the styrelse.
ser_rapporter = forbund_kravs(kan_se_rapporter, "Rapporterna är för kansliet och styrelsen.")
#: Writing the förbund's data: verksamhetsutvecklare and förbundschef.
administrerar = forbund_kravs(
    kan_administrera, "Det här gör verksamhetsutvecklaren eller förbundschefen."
)


def kan_se_enkatresultat(user: Anvandare, forbund: Forbund) -> bool:
    """The survey results page: the kansli and the styrelse see all of the förbund's, an
    insatsansvarig only their own insatser's rounds (`enkatresultat_insatser`)."""
    return kan_se_rapporter(user, forbund) or (
        _i_forbund(user, forbund.pk) and Roll.INSATSANSVARIG in roller(user)
    )


def enkatresultat_insatser(user: Anvandare, forbund: Forbund) -> frozenset[int] | None:
    """Whose rounds the user's survey results count: None for all of the förbund's (the
    kansli and the styrelse), else the ids of the insatser the user is responsible for."""
    if kan_se_rapporter(user, forbund):
        return None
    return frozenset(insatser_for_user(user, forbund).values_list("pk", flat=True))


#: The survey results: the kansli, the styrelse and (their own insatser's) the insatsansvarig.
ser_enkatresultat = forbund_kravs(
    kan_se_enkatresultat, "Enkätresultaten är för kansliet, styrelsen och insatsansvariga."
)


# --- Groups of förbund and their joint report (issue 14, point 4) ------------------------------
#
# Who reads a group's joint report: a samordnare linked to the group, a superuser, and the
# kansli and styrelse of a förbund in the group (the report holds only approved, aggregated
# figures, and seed 004's förbund present them together to their members). Not the
# systemadministratör, who manages groups but sees no figures, and not an insatsansvarig.


def kan_se_grupp(user: Anvandare, grupp: Forbundsgrupp) -> bool:
    """The group's joint report (see above)."""
    if (anvandare := aktiv(user)) is None:
        return False
    if anvandare.is_superuser:
        return True
    if Roll.SAMORDNARE in roller(anvandare) and anvandare.forbund_id is None:
        return grupp.samordnare.filter(pk=anvandare.pk).exists()
    if anvandare.forbund_id and roller(anvandare) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return grupp.forbund.filter(pk=anvandare.forbund_id).exists()
    return False


def grupper_for_user(user: Anvandare) -> QuerySet[Forbundsgrupp]:
    """The groups whose joint report the user may read (`kan_se_grupp`)."""
    qs = Forbundsgrupp.objects.order_by("namn")
    if (anvandare := aktiv(user)) is None:
        return qs.none()
    if anvandare.is_superuser:
        return qs
    if Roll.SAMORDNARE in roller(anvandare) and anvandare.forbund_id is None:
        return qs.filter(samordnare=anvandare)
    if anvandare.forbund_id and roller(anvandare) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return qs.filter(forbund=anvandare.forbund_id)
    return qs.none()


def grupp_for_user(user: Anvandare, kortnamn: str) -> Forbundsgrupp:
    """The group, or Http404 when it does not exist or the user has nothing to do with it;
    PermissionDenied for the systemadministratör (who manages it but sees no figures)."""
    grupp = Forbundsgrupp.objects.filter(kortnamn=kortnamn).first()
    if grupp is not None and kan_se_grupp(user, grupp):
        return grupp
    if grupp is not None and kan_hantera_forbund(user):
        raise PermissionDenied("Systemadministratören hanterar grupperna men ser inga siffror.")
    raise Http404("Gruppen finns inte.")
