"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings); with it, a worker and one beat."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzi.settings")

app = Celery("jingzi", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# What a task writes renews the live tokens of the pages' cached live parts (jingzi/live.py); imported on the first
# task, once Django is set up.
@task_prerun.connect
def _task_started(**kwargs):
    from jingzi import live

    live.task_started(**kwargs)


@task_postrun.connect
def _task_finished(**kwargs):
    from jingzi import live

    live.task_finished(**kwargs)
