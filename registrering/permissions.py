"""Who may do what: the roles of DOMAIN.md as explicit capabilities, scoped to one förbund.

Every view and service asks one of these; every queryset a user sees starts from
`insatser_for_user` or filters on the user's förbund.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from registrering.models import Forbund, Insats

if TYPE_CHECKING:
    from registrering.models import User

P = ParamSpec("P")


class Roll(StrEnum):
    VERKSAMHETSUTVECKLARE = "verksamhetsutvecklare"
    INSATSANSVARIG = "insatsansvarig"
    FORBUNDSCHEF = "förbundschef"
    STYRELSE = "styrelse"


ADMINISTRERANDE = frozenset({Roll.VERKSAMHETSUTVECKLARE, Roll.FORBUNDSCHEF})


def roller(user: Any) -> frozenset[str]:
    """The user's roles (group names), read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_finsam_roller", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._finsam_roller = cached
    return cached


def _i_forbund(user: Any, forbund_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or (user.forbund_id and user.forbund_id == forbund_id))


def kan_se_forbund(user: Any, forbund: Forbund) -> bool:
    return _i_forbund(user, forbund.pk) and (user.is_superuser or bool(roller(user)))


def kan_administrera(user: Any, forbund: Forbund) -> bool:
    """Everything about the förbund's data: insatser, targets, approval, import, comments."""
    return _i_forbund(user, forbund.pk) and (
        user.is_superuser or bool(roller(user) & ADMINISTRERANDE)
    )


kan_godkanna = kan_administrera
kan_importera = kan_administrera


def kan_se_rapporter(user: Any, forbund: Forbund) -> bool:
    """The bilaga and the dashboards: every role but the insatsansvarig's own view."""
    return _i_forbund(user, forbund.pk) and (
        user.is_superuser or bool(roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE}))
    )


def ar_ansvarig(user: Any, insats: Insats) -> bool:
    if Roll.INSATSANSVARIG not in roller(user):
        return False
    ansvariga = getattr(insats, "_prefetched_objects_cache", {}).get("insatsansvariga")
    if ansvariga is not None:
        return any(u.pk == user.pk for u in ansvariga)
    return insats.insatsansvariga.filter(pk=user.pk).exists()


def kan_se_insats(user: Any, insats: Insats) -> bool:
    if not _i_forbund(user, insats.forbund_id):
        return False
    if user.is_superuser or roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return True
    return ar_ansvarig(user, insats)


def kan_rapportera(user: Any, insats: Insats) -> bool:
    """Enter and send in the insats's monthly figures."""
    if not _i_forbund(user, insats.forbund_id):
        return False
    return kan_administrera(user, insats.forbund) or ar_ansvarig(user, insats)


def insatser_for_user(user: Any, forbund: Forbund | None = None) -> QuerySet[Insats]:
    """The insatser the user may see, within their förbund (or `forbund` for a superuser)."""
    qs = Insats.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs.filter(forbund=forbund) if forbund is not None else qs
    if not user.forbund_id or (forbund is not None and forbund.pk != user.forbund_id):
        return qs.none()
    qs = qs.filter(forbund_id=user.forbund_id)
    if roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE}):
        return qs
    if Roll.INSATSANSVARIG in roller(user):
        return qs.filter(insatsansvariga=user)
    return qs.none()


def insats_for_user(user: Any, pk: int, *, skriva: bool = False) -> Insats:
    """The insats, or Http404 when it is not in the user's förbund, PermissionDenied when the
    user may not see it (or, with `skriva`, not report it)."""
    try:
        insats = Insats.objects.select_related("forbund", "grupp").get(pk=pk)
    except Insats.DoesNotExist as exc:
        raise Http404("Insatsen finns inte.") from exc
    if not _i_forbund(user, insats.forbund_id):
        raise Http404("Insatsen finns inte.")
    allowed = kan_rapportera(user, insats) if skriva else kan_se_insats(user, insats)
    if not allowed:
        raise PermissionDenied("Du har inte behörighet till den här insatsen.")
    return insats


def forbund_for_user(user: User) -> Forbund:
    """The user's own förbund; a superuser without one gets the only förbund there is."""
    if user.forbund_id:
        return user.forbund
    if user.is_superuser:
        forbund = Forbund.objects.order_by("pk").first()
        if forbund is not None:
            return forbund
    raise PermissionDenied("Ditt konto hör inte till något förbund.")


ForbundView = Callable[Concatenate[HttpRequest, Forbund, P], HttpResponse]


def forbund_kravs(
    kontroll: Callable[[Any, Forbund], bool], meddelande: str
) -> Callable[[ForbundView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """A view decorator for one role rule: the user is logged in and `kontroll(user, förbund)`
    holds for their förbund, which the view receives after the request."""

    def decorator(view: ForbundView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            forbund = forbund_for_user(request.user)  # type: ignore[arg-type]
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
