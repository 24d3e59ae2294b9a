"""`makemessages` that also finds the strings marked `_lazy("…")`: the hooks' labels (declared at import time, so
lazily translated) are marked with that alias of gettext_lazy, which xgettext does not know by itself."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
