"""The survey pages. Each part has its own module of addresses:

- `urls_hantering`: the verksamhetsutvecklare's enkäter and rounds, QR codes and posters, paper
  counts (under /enkater/);
- `urls_resultat`: the results per question and round (under /enkater/);
- `urls_indikatorer`: the Indikatorer report, HTML and PDF, export and import (under /enkater/);
- `urls_svar`: the public answer page that respondents open without logging in (under /e/).
"""

from django.urls import include, path

app_name = "enkater"

urlpatterns = [
    path("enkater/", include("enkater.urls_hantering")),
    path("enkater/", include("enkater.urls_resultat")),
    path("enkater/", include("enkater.urls_indikatorer")),
    path("e/", include("enkater.urls_svar")),
]
