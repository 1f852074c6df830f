from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistreringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrering"
    verbose_name = "Registrering"

    def ready(self) -> None:
        from registrering import (
            inloggning,  # noqa: F401  (the login audit's receivers)
            tvasteg,  # noqa: F401  (the step left after the password)
        )
        from registrering.roles import ensure_roles

        # Groups are configuration, not domain logic: every database gets them after migrate.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="registrering_roles")
