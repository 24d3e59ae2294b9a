"""The declared read-only views (settings.REPLICA_READ_VIEWS) against the URL conf: the pages a leader reads match, and
no page that shows a form to fill in or changes something does, whatever app adds it later."""

from django.urls import URLResolver, get_resolver

from jingzi.middleware import is_read_only_view

FORM_OR_ACTION = (  # how the names of the pages that show a form or do something end
    "_add", "_edit", "_delete", "_new", "entry", "action", "upload", "_change", "_step", "_attach", "_keeper",
    "_size", "-submit", "-approve", "-return", "-unlock", "_assign", "_status", "review",
)  # fmt: skip


def view_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from view_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def test_dashboards_lists_exports_and_rollups_are_declared_read_only():
    for name in ("reports:dashboard", "reports:brief", "industry:enterprise_list", "branches:household_list",
                 "grid-api:event-list", "api-rollups", "dispatch:task_export"):  # fmt: skip
        assert is_read_only_view(name), name


def test_no_form_or_action_is_read_from_the_replica():
    names = set(view_names())
    assert len(names) > 200  # the walk found the whole URL conf
    wrong = sorted(name for name in names if is_read_only_view(name) and name.endswith(FORM_OR_ACTION))
    assert wrong == []
    assert not is_read_only_view("reports:entry")
