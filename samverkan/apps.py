from django.apps import AppConfig


class SamverkanConfig(AppConfig):
    """The joint report of a group of förbund (issue 14, point 4): read side only."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "samverkan"
    verbose_name = "Samverkan mellan förbund"
