from django.utils import timezone

from branches.scoping import VIEW

from .models import Returnee


def returnee_list(user, action=VIEW):
    return Returnee.objects.restrict(user, action).select_related("unit").order_by("-returned_on", "-id")


def returned_this_month_count(user):
    today = timezone.localdate()
    return returnee_list(user).filter(returned_on__year=today.year, returned_on__month=today.month).count()
