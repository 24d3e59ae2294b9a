"""A task the leader issues to 铜梁村 and 杨球村, with one number to report (the issue's Must-show)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dispatch import services
from dispatch.models import Task


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos and attachments go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="scene.jpg"):
    """A small real JPEG, as a phone's camera upload."""
    buffer = BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


HAZARDS = (services.MeasureSpec("排查隐患", "处"),)


@pytest.fixture
def issue(town, users):
    """issue(**fields) → a task the leader issued to both villages, due in 10 days unless said, with one measure."""

    def issue_task(targets=None, measures=HAZARDS, by=None, **fields):
        today = timezone.localdate()
        fields = {"title": "安全隐患排查", "deadline": today + timedelta(days=10), **fields}
        task = Task(**fields)
        targets = targets if targets is not None else [town.tongliang.unit, town.yangqiu.unit]
        return services.task_issue(user=by or users.leader, task=task, targets=targets, measures=measures)

    return issue_task
