"""The Celery application (README "Drift").

With `REDIS_URL` (or `CELERY_BROKER_URL`) set, tasks go to Redis and run in `celery -A finsam
worker`; `celery -A finsam beat` starts the scheduled ones (`CELERY_BEAT_SCHEDULE` in the
settings). Without a broker (the embedded default of `make run`) `finsam.uppgifter` runs the same
tasks in a small bounded pool in the web process instead.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

app = Celery("finsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
