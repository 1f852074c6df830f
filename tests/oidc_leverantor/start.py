"""Start the test provider: `python -m tests.oidc_leverantor.start <port> <setup.json>`.

The JSON file holds the RP client (`client_id`, `client_secret`, `redirect_uris`,
`post_logout_redirect_uris`) and the users (`username`, `password`, `email`, `groups`). The
database (LEVERANTOR_DB) is migrated and filled, a signing key made, and the provider served
with Django's threaded development server until the process is stopped.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def _fyll(setup: dict[str, Any]) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0, interactive=False)
    if not RSAKey.objects.exists():
        with open(os.devnull, "w") as tyst:
            call_command("creatersakey", stdout=tyst)
    for data in setup["users"]:
        user, _ = User.objects.update_or_create(
            username=data["username"],
            defaults={
                "email": data["email"],
                "first_name": data.get("first_name", ""),
                "last_name": data.get("last_name", ""),
            },
        )
        user.set_password(data["password"])
        user.save()
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in data.get("groups", [])])
    rp = setup["client"]
    client, _ = Client.objects.update_or_create(
        client_id=rp["client_id"],
        defaults={
            "name": "Finsam uppföljning (test)",
            "client_type": "confidential",
            "client_secret": rp["client_secret"],
            "jwt_alg": "RS256",
            "require_consent": True,
            "reuse_consent": False,
            "_redirect_uris": "\n".join(rp["redirect_uris"]),
            "_post_logout_redirect_uris": "\n".join(rp.get("post_logout_redirect_uris", [])),
        },
    )
    client.response_types.set([ResponseType.objects.get(value="code")])


def main() -> None:
    port = int(sys.argv[1])
    setup = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_leverantor.settings")
    os.environ.setdefault("LEVERANTOR_URL", f"http://127.0.0.1:{port}")

    import django

    django.setup()
    _fyll(setup)

    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    run(
        "127.0.0.1", port, get_wsgi_application(), ipv6=False, threading=True, server_cls=WSGIServer
    )


if __name__ == "__main__":
    main()
