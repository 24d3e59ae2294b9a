"""The portal's own answers when a request fails outside any view's control (Django's handler400 and handler500)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from branches.params import BadQuery

from .middleware import wants_json

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def database_unreachable(error):
    """A database that is restarting, overloaded or locked: the request may simply be tried again."""
    return isinstance(error, (OperationalError, InterfaceError))


def bad_request(request, exception):
    """A 400: a query parameter out of range (branches.params.BadQuery) says what was wrong; anything else (a
    request Django judged suspicious, a body too large) gets the page's general words, never the exception's."""
    if isinstance(exception, BadQuery):
        message = str(exception)
    else:
        message = _("提交的内容太大、项目太多或格式不对，没有保存。请减少一次提交的内容（照片请分几次上传）后重试。")
    return page_or_json(request, "400.html", message, status=400)


def server_error(request):
    """A database that cannot be reached is a 503 in Chinese that says to try again shortly and that what was saved
    before is safe; anything else is the plain 500 page. Neither page reads the database (it may be what failed):
    templates rendered without a request, so no context processor runs."""
    error = sys.exc_info()[1]  # Django calls this inside its `except` for the failed request
    if not database_unreachable(error):
        return page_or_json(request, "500.html", _("系统出了点问题，问题已记录。请稍后重试。"), status=500)
    logger.error("database unreachable: %s %s: %s", request.method, request.path, error)
    message = _("数据库暂时连不上（可能正在重启或维护），请 1 分钟后再试。之前已提示“已保存”的内容不会丢失；"
                "这次提交没有保存，请稍后重新提交。")  # fmt: skip
    response = page_or_json(request, "503.html", message, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_or_json(request, template, message, *, status):
    if wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    page = loader.get_template(template).render({"message": message})
    return HttpResponse(page, status=status)
