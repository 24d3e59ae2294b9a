"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings); with it, a worker and one beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzi.settings")

app = Celery("jingzi", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
