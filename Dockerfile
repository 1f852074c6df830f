# Production image: gunicorn serving finsam.wsgi, static files through WhiteNoise.
# Run `python manage.py migrate` as a separate release step against the production database
# (compose.yaml's `migrate` service does). The same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; DejaVu gives the PDFs a font with Swedish characters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .

# Installed in place (-e) so that BASE_DIR is /app and templates/ and static/ are found;
# a regular install would put the packages in site-packages without them.
RUN pip install -e ".[prod]" \
    && DEBUG=0 SECRET_KEY=collectstatic-only-not-used-at-runtime \
        python manage.py collectstatic --noinput

# Folders for the volumes of compose.yaml: an empty named volume takes its owner from the
# image's folder, so the app can write its logos, bilagor and import previews there.
RUN useradd --create-home --uid 10001 finsam \
    && mkdir -p /data /var/lib/finsam-beat \
    && chown finsam:finsam /data /var/lib/finsam-beat
USER finsam

EXPOSE 8000
# --timeout 120: the admin's preview of a large import file (up to FINSAM_IMPORT_MAX_RADER rows)
# is checked in the request; the import itself runs in the worker.
# --logger-class: the access log leaves out the anonymous survey pages /e/ (finsam/gunicorn_logg.py).
# gthread, 2 processes × 4 threads: chosen with the load test (README "Drift", bench/last.py).
CMD ["gunicorn", "finsam.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--timeout", "120", "--access-logfile", "-", "--logger-class", "finsam.gunicorn_logg.Atkomstlogg"]
