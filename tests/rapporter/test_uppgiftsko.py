"""The bilaga's PDF in production: built by the task queue, stored where every process finds it,
warmed after an approval, and read by WeasyPrint only from the app's own static files.

- the built PDF is a file in the storage `bilagor`, served without a build by a process that has
  nothing in its cache; older versions go, a half-written file is never seen;
- the same with an S3-compatible store (django-storages against moto's S3);
- approving a month builds the year's bilaga in the background, once however many approvals;
- a real Celery worker, with Redis as broker, builds a PDF queued by a request;
- the URL fetcher reads `/static/…` and `data:` and refuses every other address.
"""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from finsam import celery_app, uppgifter
from rapporter import bygge, lagring, pdf, pdfa, tasks
from rapporter.selectors import arsrapport
from registrering import services
from registrering.models import Manadsrapport
from tests.rapporter.test_views import grund, lagg_till_insatser

pytestmark = pytest.mark.django_db

AR = 2025
PDF_URL = f"/rapporter/{AR}/pdf/"
FALSK_PDF = b"%PDF-1.7 uppgiftsko"


@pytest.fixture
def byggen(monkeypatch) -> list[str]:
    """Every WeasyPrint step, by förbund name; the cache starts empty."""
    cache.clear()
    anrop: list[str] = []

    def bygg(rapport):
        anrop.append(rapport.data.forbund_namn)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    return anrop


@pytest.fixture
def data(forbund):
    lagg_till_insatser(forbund, grund(forbund), 0, 2)


def _rapport(forbund):
    return arsrapport(forbund=forbund, ar=AR)


# --- The storage -----------------------------------------------------------------------------


def test_pdf_lagras_som_fil_och_lamnas_ut_utan_cache(client, data, forbund, forbundschef, byggen):
    """Another gunicorn process (an empty cache) serves the stored file and builds nothing."""
    client.force_login(forbundschef)
    assert client.get(PDF_URL).content == FALSK_PDF
    namn = pdf.lagringsnamn(_rapport(forbund))
    fil = Path(settings.FINSAM_BILAGOR_DIR) / namn
    assert fil.read_bytes() == FALSK_PDF
    assert namn.startswith(f"{forbund.pk}/{AR}/")

    cache.clear()
    assert client.get(PDF_URL).content == FALSK_PDF
    assert byggen == [forbund.namn]


def test_ny_data_ger_ny_fil_och_gamla_tas_bort_nar_de_ar_gamla(
    client, data, forbund, forbundschef, verksamhetsutvecklare, byggen, monkeypatch
):
    client.force_login(forbundschef)
    client.get(PDF_URL)
    forsta = pdf.lagringsnamn(_rapport(forbund))
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
    )
    client.get(PDF_URL)
    andra = pdf.lagringsnamn(_rapport(forbund))
    assert andra != forsta
    mapp = Path(settings.FINSAM_BILAGOR_DIR) / f"{forbund.pk}/{AR}"
    # A request that found the first one a moment ago can still read it …
    pdfer = lambda: sorted(p.name for p in mapp.iterdir() if p.is_file())  # noqa: E731
    assert pdfer() == sorted([Path(forsta).name, Path(andra).name])

    # … and once it is older than BEHALL_GAMLA, the next stored build removes it.
    senare = timezone.now() + lagring.BEHALL_GAMLA + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: senare)
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Nyare."
    )
    client.get(PDF_URL)
    tredje = pdf.lagringsnamn(_rapport(forbund))
    assert pdfer() == [Path(tredje).name]
    assert len(byggen) == 3


def test_en_fil_skrivs_hel_eller_inte_alls(tmp_path):
    """The file is written beside its name and renamed: a failed write leaves nothing behind."""
    store = lagring.BilageLagring(location=str(tmp_path))

    class Trasig:
        def chunks(self):
            yield b"%PDF-halv"
            raise OSError("disken tog slut")

    with pytest.raises(OSError, match="disken"):
        store._save("1/2025/abc.pdf", Trasig())
    assert list((tmp_path / "1" / "2025").iterdir()) == []
    store.save("1/2025/abc.pdf", _Fil(b"hel"))
    store.save("1/2025/abc.pdf", _Fil(b"hel"))  # the same name again: overwritten, not renamed
    assert [p.name for p in (tmp_path / "1" / "2025").iterdir()] == ["abc.pdf"]


class _Fil:
    def __init__(self, innehall: bytes) -> None:
        self.innehall = innehall

    def chunks(self):
        yield self.innehall


def test_s3_lagring_med_django_storages(client, data, forbund, forbundschef, byggen):
    """The same with an S3-compatible store (moto's S3 in the process, no network)."""
    import boto3
    from moto import mock_aws

    with (
        mock_aws(),
        override_settings(
            STORAGES={
                **settings.STORAGES,
                "bilagor": {
                    "BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {
                        "bucket_name": "finsam-test",
                        "region_name": "eu-north-1",
                        "location": "bilagor",
                        "file_overwrite": True,
                        "default_acl": None,
                        "access_key": "test",
                        "secret_key": "test",
                    },
                },
            }
        ),
    ):
        s3 = boto3.client(
            "s3", region_name="eu-north-1", aws_access_key_id="test", aws_secret_access_key="test"
        )
        s3.create_bucket(
            Bucket="finsam-test", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        client.force_login(forbundschef)
        assert client.get(PDF_URL).content == FALSK_PDF
        nyckel = f"bilagor/{pdf.lagringsnamn(_rapport(forbund))}"
        assert s3.get_object(Bucket="finsam-test", Key=nyckel)["Body"].read() == FALSK_PDF
        cache.clear()
        assert client.get(PDF_URL).content == FALSK_PDF
    assert byggen == [forbund.namn]
    assert not (Path(settings.FINSAM_BILAGOR_DIR) / str(forbund.pk)).exists()


# --- Warming after an approval -----------------------------------------------------------------


def _inskickad(forbund) -> Manadsrapport:
    rapport = (
        Manadsrapport.objects.filter(
            insats__forbund=forbund, ar=AR, status=Manadsrapport.Status.INSKICKAD
        )
        .select_related("insats")
        .first()
    )
    assert rapport is not None
    return rapport


def test_godkannande_bygger_bilagan_i_bakgrunden(
    data, forbund, verksamhetsutvecklare, byggen, settings, django_capture_on_commit_callbacks
):
    settings.FINSAM_FORBERED_PDF = True
    assert not pdf.finns(_rapport(forbund))
    with django_capture_on_commit_callbacks(execute=True):
        services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=_inskickad(forbund))
    assert pdf.finns(_rapport(forbund))
    # This year and last year are kept built: each once.
    assert byggen == [forbund.namn, forbund.namn]
    assert bygge.aktuellt(forbund.pk, AR).klart is not None


def test_ingen_varmning_nar_den_ar_avstangd(
    data, forbund, verksamhetsutvecklare, byggen, settings, django_capture_on_commit_callbacks
):
    settings.FINSAM_FORBERED_PDF = False
    with django_capture_on_commit_callbacks(execute=True):
        services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=_inskickad(forbund))
    assert not pdf.finns(_rapport(forbund))
    assert byggen == []


class Ko:
    """Stands in for the in-process pool: keeps what is submitted until the test runs it."""

    def __init__(self) -> None:
        self.jobb: list[tuple[object, tuple[object, ...]]] = []

    def submit(self, arbete, *args) -> None:
        self.jobb.append((arbete, args))

    def kor(self) -> None:
        while self.jobb:
            arbete, args = self.jobb.pop(0)
            arbete(*args)  # type: ignore[operator]


def test_manga_andringar_ger_en_varmning_som_vantar_tills_det_ar_tyst(
    data,
    forbund,
    verksamhetsutvecklare,
    byggen,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Changes while a rebuild waits join it. It runs once the writes have been quiet for
    `FORDROJNING` seconds (asked too early, it waits for the rest), and builds each kept year
    once, with all the changes."""
    settings.FINSAM_FORBERED_PDF = True
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    senare: list[tuple[object, float, tuple[object, ...]]] = []
    monkeypatch.setattr(
        uppgifter, "skicka_senare", lambda uppgift, sek, *args: senare.append((uppgift, sek, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        rapport = _inskickad(forbund)
        services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=rapport)
    with django_capture_on_commit_callbacks(execute=True):
        services.manadsrapport_las_upp(
            user=verksamhetsutvecklare, rapport=rapport, anledning="Rättning"
        )
    assert senare == [(tasks.varm_bilagor, bygge.FORDROJNING, (forbund.pk,))]

    # Asked 5 s after the last write, it waits about 10 s more and builds nothing yet.
    riktig_nu = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: riktig_nu() + dt.timedelta(seconds=5))
    assert bygge.varm(forbund.pk) == []
    assert senare[1][0] is tasks.varm_bilagor
    assert 9 < senare[1][1] <= 10.5
    assert byggen == []

    monkeypatch.setattr(timezone, "now", lambda: riktig_nu() + dt.timedelta(seconds=20))
    assert bygge.varm(forbund.pk) == [2026, 2025]
    assert byggen == [forbund.namn, forbund.namn]
    assert bygge.aktuellt(forbund.pk, AR).klart is not None
    assert bygge.varm(forbund.pk) == []  # nothing new: nothing built again


# --- A real worker -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_en_riktig_celery_arbetare_bygger_pdf_via_redis(
    client, data, forbund, forbundschef, byggen, settings, monkeypatch
):
    """A request queues the build on Redis and returns; a Celery worker (in this process, so
    that it sees the test database) takes it and stores the PDF; the next request serves it.
    No thread of the web process's own runs anything."""
    from celery.contrib.testing.worker import start_worker

    def ingen_pool():
        raise AssertionError("med en broker körs inget i webbprocessen")

    monkeypatch.setattr(uppgifter, "_traadpool", ingen_pool)

    broker = "redis://127.0.0.1:6379/15"
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    settings.CELERY_BROKER_URL = broker
    fore = (celery_app.conf.broker_url, celery_app.conf.result_backend)
    celery_app.conf.broker_url = broker
    celery_app.conf.result_backend = broker
    try:
        client.force_login(forbundschef)
        forsta = client.get(PDF_URL)  # queued on Redis
        assert "Bilagan byggs" in forsta.content.decode()
        # The worker starts after the request: SQLite's shared in-memory test database locks
        # whole tables, so the test itself only looks at files while the worker writes.
        mapp = Path(settings.FINSAM_BILAGOR_DIR) / f"{forbund.pk}/{AR}"
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            for _ in range(200):
                if mapp.is_dir() and any(mapp.glob("*.pdf")):
                    break
                threading.Event().wait(0.05)
        assert client.get(PDF_URL).content == FALSK_PDF
        assert byggen == [forbund.namn]
    finally:
        celery_app.conf.broker_url, celery_app.conf.result_backend = fore


# --- What WeasyPrint may read ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "tillats"),
    [
        (f"{pdfa.BAS}static/bilder/favicon-32.png", True),
        (f"{pdfa.BAS}static/css/tokens.css?v=1", True),
        (f"{pdfa.BAS}static/../finsam/settings.py", False),
        (f"{pdfa.BAS}static/%2e%2e/finsam/settings.py", False),
        (f"{pdfa.BAS}static/bilder/finns-inte.png", False),
        (f"{pdfa.BAS}media/logga.png", False),
        ("https://example.org/static/css/tokens.css", False),
        ("file:///etc/passwd", False),
        ("http://127.0.0.1:8000/static/css/tokens.css", False),
    ],
)
def test_bara_appens_statiska_filer(url, tillats):
    assert (pdfa.statisk_fil(url) is not None) is tillats


def test_weasyprint_laser_statiska_filer_men_fragar_inget_natverk(tmp_path):
    """A PDF with a static image gets it; a stylesheet on a server and a local file are never
    read (the server counts its requests)."""
    fragor: list[str] = []

    class Server(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fragor.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Server)
    traad = threading.Thread(target=server.serve_forever, daemon=True)
    traad.start()
    hemlig = tmp_path / "hemlig.png"
    hemlig.write_bytes(Path(settings.BASE_DIR, "static/bilder/favicon-32.png").read_bytes())
    try:
        html = (
            '<!doctype html><html lang="sv"><head><title>t</title>'
            f'<link rel="stylesheet" href="http://127.0.0.1:{server.server_port}/x.css">'
            "</head><body><h1>Bilaga</h1>"
            '<img src="/static/bilder/favicon-32.png" alt="Ikon">'
            f'<img src="{hemlig.as_uri()}" alt="Hemlig">'
            "</body></html>"
        )
        innehall = pdfa.skriv(html)
    finally:
        server.shutdown()
    assert fragor == []
    from io import BytesIO

    from pypdf import PdfReader

    bilder = [b for sida in PdfReader(BytesIO(innehall)).pages for b in sida.images]
    assert len(bilder) == 1


def test_import_med_godkannande_varmer_bilagan(
    insats, verksamhetsutvecklare, byggen, settings, django_capture_on_commit_callbacks
):
    """The largest approvals come by import: one warming per förbund and year of the file."""
    from registrering import resources
    from tests.registrering.importhjalp import MANAD_RUBRIK, fil, importera

    settings.FINSAM_FORBERED_PDF = True
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;4;1;1;0;0", "Försteg Testby;2025;5;2;0;0;0")
    with django_capture_on_commit_callbacks(execute=True):
        importera(resources.ManadsdataResource, data, verksamhetsutvecklare, godkand=True)
    assert byggen == [insats.forbund.namn] * 2  # this year and last year, once each
    assert pdf.finns(_rapport(insats.forbund))


def test_kontrollen_kraver_delad_cache_med_broker(settings):
    """A broker with each process's own cache would leave the worker's builds and import jobs
    unseen by the web: `manage.py check` says so."""
    from finsam.uppgifter import delad_cache

    settings.CELERY_BROKER_URL = ""
    assert delad_cache() == []
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/3"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [f.id for f in delad_cache()] == ["finsam.E201"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
        }
    }
    assert delad_cache() == []
