"""The claims the test provider gives: e-mail and username, and the user's groups under the
scope `groups` (as Keycloak's group mapper or Entra ID's group claim would)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["email"] = user.email
    # "obekraftad" stands for an account whose address the provider has not verified.
    claims["email_verified"] = user.username != "obekraftad"
    claims["preferred_username"] = user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["name"] = f"{user.first_name} {user.last_name}".strip()
    return claims


class GrupperClaims(ScopeClaims):
    info_groups = (_("Grupper"), _("Vilka grupper du tillhör."))

    def scope_groups(self) -> dict[str, Any]:
        return {"groups": sorted(self.user.groups.values_list("name", flat=True))}
