import time
from fnmatch import fnmatchcase

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise (the language cookie set by /i18n/setlang/).

    Django's own middleware follows the browser's Accept-Language, which would show an English page to a secretary
    whose phone happens to be set to English; here the choice is the user's, made once in the portal.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class RequestSizeLimitMiddleware:
    """A request whose body is larger than the portal ever takes is refused (413, in Chinese) before any of it is
    read: a form or JSON body above DATA_UPLOAD_MAX_MEMORY_SIZE (Django checks form bodies only when they are read,
    and DRF reads JSON with no limit at all), an upload above JINGZI_MAX_UPLOAD_BYTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = request.content_type == "multipart/form-data"
        limit = settings.JINGZI_MAX_UPLOAD_BYTES if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit):
        message = _("提交的内容太大（超过 %(mb).1f MB），没有保存。照片请分几次上传，或减少一次提交的内容。") % {
            "mb": limit / 1024 / 1024
        }
        if wants_json(request):
            return JsonResponse({"detail": message}, status=413)
        page = '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{title}</title><p>{message}</p>'
        return HttpResponse(page.format(title=_("内容太大"), message=message), status=413)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the Chinese lockout page, or for the API a JSON 429."""
    message = settings.AXES_COOLOFF_MESSAGE
    if wants_json(request):
        return JsonResponse({"detail": str(message)}, status=429)
    context = {"message": message, "minutes": settings.AXES_COOLOFF_MINUTES}
    return render(request, "axes/lockout.html", context, status=429)


class ReplicaMiddleware:
    """Lets jingzi.db_router.ReplicaRouter read from the replica during a request only when the request cannot be hurt
    by the replica's lag: a GET or HEAD of a view named in REPLICA_READ_VIEWS, from a browser not pinned to the primary.
    A request that wrote (any non-GET, or any ORM write during a GET) pins the browser to the primary for
    REPLICA_PIN_SECONDS by a cookie holding the moment the pin ends, so the page that follows a save shows it."""

    SAFE_METHODS = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request._routing.wrote or request.method not in self.SAFE_METHODS:
            self._pin(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = request._routing  # begun by jingzi.live.LiveVersionMiddleware, before this one
        state.may_use_replica = (
            request.method in self.SAFE_METHODS
            and not self._pinned(request)
            and is_read_only_view(request.resolver_match.view_name)
        )

    @staticmethod
    def _pinned(request):
        try:
            until = float(request.COOKIES.get(settings.REPLICA_PIN_COOKIE, "0"))
        except ValueError:
            return False
        return time.time() < until

    @staticmethod
    def _pin(response):
        seconds = settings.REPLICA_PIN_SECONDS
        response.set_cookie(
            settings.REPLICA_PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds, httponly=True,
            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip


def is_read_only_view(view_name):
    return any(fnmatchcase(view_name, pattern) for pattern in settings.REPLICA_READ_VIEWS)
