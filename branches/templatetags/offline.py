"""{% offline_config %}: what static/js/offline.js needs from the server — its Chinese texts (translatable here,
zh-hans first) and the URLs and cache names it works with — as a JSON script element on every page."""

from django import template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _

from ..offline import PAGES_CACHE

register = template.Library()


def offline_texts():
    return {
        "pending": _("未同步"),
        "sending": _("正在发送"),
        "rejected": _("被退回"),
        "conflict": _("有冲突"),
        "waiting-login": _("等待登录"),
        "queued": _("已保存在手机上，联网后自动发送。"),
        "sent": _("已同步：%s"),
        "form": _("表单"),
        "loginExpired": _("登录已过期，请重新登录，登录后将自动发送。"),
        "login": _("重新登录"),
        "otherUserLogin": _("由 %s 录入，需该用户登录后才会发送。"),
        "sendNow": _("立即发送"),
        "restore": _("放回表单修改"),
        "delete": _("删除"),
        "deleteConfirm": _("确定删除这条未发送的内容吗？删除后无法恢复。"),
        "overwrite": _("用我的值覆盖"),
        "discard": _("放弃我的修改"),
        "discardConfirm": _("确定放弃您的修改、保留对方保存的值吗？"),
        "indicator": _("项目"),
        "mine": _("我的值"),
        "theirs": _("%s 保存的值"),
        "someone": _("其他人"),
        "noChange": _("没有修改，无需保存。"),
        "onlineOnly": _("离线时不能提交审核：请先“保存草稿”，联网后再提交。"),
        "nothingWaiting": _("没有未同步的内容。"),
        "queueTitle": _("未同步的内容"),
        "badgeTitle": _("未同步的条数"),
        "open": _("查看"),
        "rejectedHint": _("服务器未接受，请按提示修改后重新提交。"),
        "tooLarge": _("内容太大，服务器未接受。"),
    }


@register.simple_tag
def offline_config():
    config = {
        "texts": offline_texts(),
        "serviceWorker": reverse("service_worker"),
        "loginUrl": reverse("login"),
        "pagesCache": PAGES_CACHE,
    }
    return json_script(config, "offline-config")
