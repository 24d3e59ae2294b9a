"""Sending one notification through one channel: email over SMTP (Django's email backend) or a WeCom/DingTalk group
robot's webhook. A failure raises `SendError` with a short reason that never holds the address (a webhook URL carries
the robot's token)."""

import json
import smtplib
import urllib.error
import urllib.request
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from ..models import NotificationChannel, webhook_host_allowed

SUBJECT = "井字镇党建工作平台提醒"


class SendError(Exception):
    """The channel refused or could not be reached; the message is short and safe to store and log."""


def text_of(notification):
    """The message, and the page it points to as an absolute link (the reader is outside the portal)."""
    if not notification.url:
        return notification.message
    return f"{notification.message}\n{urljoin(settings.PORTAL_BASE_URL, notification.url)}"


def send(channel, notification):
    text = text_of(notification)
    try:
        if channel.kind == NotificationChannel.Kind.EMAIL:
            send_email(channel.address, notification.message, text)
        elif not webhook_host_allowed(channel.address):
            raise SendError("机器人地址不在允许的域名内（NOTIFY_WEBHOOK_HOSTS）")
        else:
            send_webhook(channel.address, text)
    except SendError as error:
        raise SendError(_scrub(str(error), channel.address)) from None


def send_email(address, message, text):
    first_line = message.splitlines()[0] if message else ""
    subject = f"{SUBJECT}：{first_line}"[:120]
    try:
        send_mail(subject, text, None, [address], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"邮件发送失败：{type(error).__name__} {error}") from None


def send_webhook(url, text):
    """POST the robot's text message (the same JSON for WeCom and DingTalk); a reply with a non-zero errcode is a
    refusal (both answer HTTP 200 with {"errcode": …, "errmsg": …})."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:  # noqa: S310 — http(s) only, validated
            reply = response.read(4096)
    except urllib.error.HTTPError as error:
        raise SendError(f"机器人返回 HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise SendError(f"无法连接机器人：{error.reason}") from None
    except OSError as error:  # a timeout or reset while reading
        raise SendError(f"无法连接机器人：{type(error).__name__} {error}") from None
    errcode, errmsg = _reply_error(reply)
    if errcode:
        raise SendError(_("机器人拒绝：errcode %(code)s %(msg)s") % {"code": errcode, "msg": errmsg})


def _reply_error(reply):
    try:
        answer = json.loads(reply.decode("utf-8", errors="replace"))
    except ValueError:
        return 0, ""  # not JSON: the HTTP status (2xx) is all there is to go by
    if not isinstance(answer, dict):
        return 0, ""
    try:
        errcode = int(answer.get("errcode") or 0)
    except (TypeError, ValueError):
        errcode = -1
    return errcode, str(answer.get("errmsg", ""))[:80]


def _scrub(reason, address):
    """The reason, short, without the address (some libraries quote the URL they were given)."""
    return reason.replace(address, "***")[:200]
