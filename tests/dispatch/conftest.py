"""A task the leader issues to 铜梁村 and 杨球村, with one number to report (the issue's Must-show)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch import services
from dispatch.models import Task

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
