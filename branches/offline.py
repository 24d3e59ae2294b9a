"""Pages that work with no network (placeholder until the offline machinery lands: marks the response only)."""

from functools import wraps


def offline_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Offline-Page"] = "1"
        return response

    return wrapped
