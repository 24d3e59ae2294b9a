from . import worklines


def navigation(request):
    """What the base layout needs on every page: the declared work lines for the navigation bar."""
    return {"work_lines": worklines.choices()}
