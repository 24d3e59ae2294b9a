from django.conf import settings


def navigation(request):
    """What the base layout needs on every page: the work lines for the navigation bar."""
    return {"work_lines": settings.WORK_LINES}
