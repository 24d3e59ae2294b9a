"""The fifth line's demo: one 返乡人才 in each village, this month."""

from django.utils import timezone

from branches.models import Unit

from .models import Returnee


def load(*, password, reset_passwords=False):
    today = timezone.localdate()
    made = 0
    for village in Unit.objects.villages():
        _row, created = Returnee.objects.get_or_create(unit=village, name=f"{village.name}返乡青年",
                                                       defaults={"skill": "电商", "returned_on": today})
        made += created
    return f"返乡人才：新增 {made} 人。"
