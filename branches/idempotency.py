"""An unsafe API request sent with an `Idempotency-Key` header is done once per user and key.

A phone that queued a form offline resends it until it hears an answer; when the first answer was lost on the way
back, the resend must not save the form a second time. So the first request's answer is kept (IdempotentRequest) and
a retry with the same key gets it again, marked `Idempotent-Replayed: true`, writing nothing. The same key with another
method, path or body is a client bug: 422. A retry while the first is still running: 409. A 5xx, or a refusal that
depends on the session (401/403: expired login, stale CSRF token), is not kept, so the retry runs afresh.

Rows older than KEEP are purged whenever a new key is recorded: no periodic task to forget.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
KEY_MAX = 100
KEEP = timedelta(days=7)
# A row left without an answer this long belongs to a request that died with its process: it no longer blocks.
ABANDONED = timedelta(minutes=2)
NOT_KEPT = {401, 403}


def body_digest(request):
    """SHA-256 of method, path and body. A multipart body's boundary is random per send (the browser rebuilds the
    FormData on each retry), so it is left out of the digest."""
    body = request.body
    boundary = request.content_params.get("boundary") if request.content_type == "multipart/form-data" else None
    if boundary:
        body = body.replace(boundary.encode("latin-1"), b"")
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def idempotent_request_begin(*, user, key, method, path, digest):
    """Record the key as running; or the earlier row with this key (to replay, refuse, or wait for)."""
    now = timezone.now()
    IdempotentRequest.objects.filter(created__lt=now - KEEP).delete()
    IdempotentRequest.objects.filter(user=user, key=key, status__isnull=True, created__lt=now - ABANDONED).delete()
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(user=user, key=key, method=method, path=path, body_digest=digest,
                                             created=now)  # fmt: skip
    except IntegrityError:
        earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
        # Gone meanwhile (its request failed and was forgotten): answered as still running, the client retries.
        return earlier or IdempotentRequest(method=method, path=path, body_digest=digest, status=None)
    return None


def idempotent_request_finish(*, user, key, response):
    """Keep the answer to replay it; forget the key when the answer must not be replayed."""
    rows = IdempotentRequest.objects.filter(user=user, key=key, status__isnull=True)
    if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
        rows.delete()
        return
    rows.update(status=response.status_code, response_body=response.content,
                content_type=response.get("Content-Type", ""))  # fmt: skip


def idempotent_request_forget(*, user, key):
    IdempotentRequest.objects.filter(user=user, key=key, status__isnull=True).delete()


def _refusal(message, status, code):
    return JsonResponse({"detail": message, "code": code}, status=status)


def _answer_to_retry(earlier, method, path, digest):
    if earlier.status is None:
        return _refusal(_("请求正在处理，请稍后再试。"), 409, "request_in_progress")
    if (earlier.method, earlier.path, earlier.body_digest) != (method, path, digest):
        message = _("该幂等键（Idempotency-Key）已用于另一个请求，请为新的提交使用新的键。")
        return _refusal(message, 422, "idempotency_key_reused")
    response = HttpResponse(bytes(earlier.response_body), status=earlier.status, content_type=earlier.content_type)
    response[REPLAYED] = "true"
    return response


def _user_of(request):
    """The caller by session, or by API token (DRF authenticates tokens only in the view, after this middleware)."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=header[6:].strip()).first()
        if token is not None and token.user.is_active:
            return token.user
    return None


class IdempotencyMiddleware:
    """After AuthenticationMiddleware. Only API paths with the header; an anonymous caller passes through (the API
    refuses him anyway, and nothing is written)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if not key or request.method not in UNSAFE or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > KEY_MAX:
            message = _("幂等键（Idempotency-Key）太长，最多 %(n)s 个字符。") % {"n": KEY_MAX}
            return _refusal(message, 400, "idempotency_key")
        user = _user_of(request)
        if user is None:
            return self.get_response(request)
        digest = body_digest(request)
        earlier = idempotent_request_begin(user=user, key=key, method=request.method, path=request.path, digest=digest)
        if earlier is not None:
            return _answer_to_retry(earlier, request.method, request.path, digest)
        try:
            response = self.get_response(request)
        except BaseException:
            idempotent_request_forget(user=user, key=key)
            raise
        idempotent_request_finish(user=user, key=key, response=response)
        return response
