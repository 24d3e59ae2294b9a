"""Password rules (AUTH_PASSWORD_VALIDATORS): Django's, with every refusal in Chinese."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length. Django 5.2 changed this message's msgid and its zh_Hans catalogue has not caught up,
    so a short password was refused in English; the message is the portal's own here."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
