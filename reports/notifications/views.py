"""The notification pages: mark one's notifications read (they are listed on the reports panel); one's own
notification channels (邮件 / 企业微信 / 钉钉群机器人): list, add, switch on or off, delete, send oneself a test."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.generic_views import add_errors
from branches.params import next_url

from ..models import NotificationChannel
from . import selectors, services


@login_required
@require_POST
def notifications_read(request):
    services.notification_mark_read(user=request.user, notification_ids=request.POST.getlist("notification"))
    return redirect(next_url(request, reverse("home")))


ADDRESS_HELP = gettext_lazy("邮件填邮箱地址；群机器人填群设置中“添加机器人”给出的 Webhook 地址。")


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("渠道"),
        choices=NotificationChannel.Kind.choices,
        error_messages={
            "required": gettext_lazy("请选择渠道。"),
            "invalid_choice": gettext_lazy("请选择列表中的渠道。"),
        },
    )
    address = forms.CharField(
        label=gettext_lazy("地址"),
        max_length=500,
        help_text=ADDRESS_HELP,
        error_messages={
            "required": gettext_lazy("请填写地址。"),
            "max_length": gettext_lazy("地址太长了（最多 500 个字符）。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["address"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})


@login_required
def notification_channels(request):
    """GET lists the user's channels with the add form (writing nothing); POST adds one."""
    form = ChannelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.channel_save(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已添加通知渠道。"))
                return redirect("reports:notification_channels")
        status = 400
    context = {"form": form, "channels": selectors.user_channels(request.user)}
    return render(request, "reports/notification_channels.html", context, status=status)


@login_required
@require_POST
def notification_channel_change(request):
    """Switch one of one's channels on or off (`op=switch`) or delete it (`op=delete`); the channel is named in the
    form, and anyone else's is a 404."""
    channel = selectors.user_channel(request.user, _int_or_404(request.POST.get("channel")))
    op = request.POST.get("op")
    if op == "delete":
        services.channel_delete(user=request.user, channel=channel)
        messages.success(request, _("已删除该渠道。"))
    elif op == "switch":
        try:
            channel = services.channel_switch(user=request.user, channel=channel, is_active=not channel.is_active)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已启用该渠道。") if channel.is_active else _("已停用该渠道。"))
    else:
        return HttpResponseBadRequest(_("未知的操作。"))
    return redirect("reports:notification_channels")


def _int_or_404(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**31:
        raise Http404
    return number


@login_required
@require_POST
def notification_channel_test(request):
    """A test message through notify: it shows in the portal and goes out after the response, never within it."""
    if not selectors.user_channels(request.user).filter(is_active=True).exists():
        messages.warning(request, _("还没有启用的通知渠道，测试消息只会出现在平台的提醒里。"))
    services.channel_test(user=request.user)
    messages.info(request, _("测试消息已提交发送，请稍后查看邮箱或群聊；发送结果见下表。"))
    return redirect("reports:notification_channels")
