"""People's data is declared once per model (`personal_fields`) and masked for every reader who may see the row but
not change it — on its detail page (fields and change history), in its list, its Excel export and the API — while the
village's own secretary sees it whole. Seeing it whole is a deliberate act with a reason, recorded once per look in a
log nobody can edit or delete through any page or the API.

Every model declaring personal fields is walked (a model declaring one later is covered without anyone listing it);
each personal field of village A's record is given a value (a phone, an ID number, a name, a narrative) through a
save, so that the history holds it too."""

from io import BytesIO

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from branches.ledgers import declared
from branches.masking import mask_value, personal_fields_of
from branches.models import PersonalDataAccess
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MODELS = sorted((m for m in apps.get_models() if personal_fields_of(m)), key=lambda m: m._meta.label)


def whole_value(model, field, kind, index):
    """A value as people's data looks: a mobile, an 18-digit ID number, a name, a narrative naming someone."""
    if kind == "number":
        return f"43132119{index:06d}{1000 + index:04d}" if "id" in field else f"139{index:04d}{4321 + index:04d}"
    if kind == "name":
        return f"欧阳秘{chr(0x4E00 + index)}"
    return f"病情与案情叙述SECRET{index:03d}"


@pytest.fixture(scope="module")
def people(world, django_db_blocker):
    """{model: (record, {field: whole value})}: village A's record of each model, its personal fields filled."""
    filled = {}
    with django_db_blocker.unblock():
        index = 0
        for model in MODELS:
            record = world.records[model]
            values = {}
            for field, kind in personal_fields_of(model).items():
                index += 1
                values[field] = whole_value(model, field, kind, index)
                setattr(record, field, values[field])
            record.save()
            filled[model] = (record, values)
    return filled


def api_list_urls():
    """{model: its API list URL} from the URL conf (every router's `-list` route)."""
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                serializer = getattr(getattr(pattern.callback, "cls", None), "serializer_class", None)
                model = getattr(getattr(serializer, "Meta", None), "model", None)
                if model is not None and not pattern.pattern.converters:
                    found.setdefault(model, reverse(f"{namespace}:{pattern.name}" if namespace else pattern.name))

    walk(get_resolver().url_patterns, None)
    return found


def page_urls(record):
    ledger = declared()[record._meta.label_lower]
    stem = f"{record._meta.app_label}:{ledger.url_name()}"
    return reverse(f"{stem}_detail", args=[record.pk]), reverse(f"{stem}_list")


def exported_text(response):
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)


def served(client, record):
    """Everything the record is served as to this client: its detail page, its list, its Excel export, the API."""
    detail, listing = page_urls(record)
    texts = {}
    response = client.get(detail)
    assert response.status_code == 200, detail
    texts["detail"] = response.content.decode()
    response = client.get(listing)
    assert response.status_code == 200, listing
    texts["list"] = response.content.decode()
    texts["export"] = exported_text(client.get(listing, {"export": "xlsx"}))
    api = api_list_urls().get(type(record))
    if api is not None:
        texts["api list"] = client.get(api, {"page_size": 500}).content.decode()
        response = client.get(f"{api}{record.pk}/")
        assert response.status_code == 200, api
        texts["api detail"] = response.content.decode()
    return texts


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_holding_personal_data_keeps_its_history(model):
    assert hasattr(model, "history"), f"{model.__name__} holds personal data but keeps no history"


def test_the_people_holding_models_declare_their_personal_data():
    labels = {model._meta.label for model in MODELS}
    assert {"branches.Household", "branches.PartyMember", "branches.Cadre", "branches.GridWorker",
            "governance.PassRecord", "governance.KeyPerson", "governance.PetitionCase"} <= labels  # fmt: skip
    for model in MODELS:
        assert model._meta.label_lower in declared(), f"{model.__name__}: personal data served by no ledger"


def cadre_of_another_village(world):
    """A town cadre whose 包村 is 杨球村: he may read 铜梁村's rows, not change them."""
    from branches.models import Assignment, Cadre

    user = make_user("yangqiu_cadre", "cadre", world.town.unit)
    card = Cadre.objects.create(unit=world.town.unit, name="杨球村联村干部", user=user)
    Assignment.objects.create(kind=Assignment.Kind.VILLAGE, unit=world.town.yangqiu.unit, cadre=card)
    return user


@pytest.mark.parametrize("reader", ["leader", "cadre of another village"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_a_reader_who_may_not_change_the_row_sees_it_masked_everywhere(world, people, login, model, reader):
    record, values = people[model]
    client = login(world.users.leader if reader == "leader" else cadre_of_another_village(world))
    texts = served(client, record)
    for field, whole in values.items():
        for where, text in texts.items():
            assert whole not in text, f"{model.__name__}.{field} served whole to the {reader} in the {where}"
    kinds = personal_fields_of(model)
    for field, whole in values.items():
        if kinds[field] == "number":
            assert mask_value("number", whole) in texts["detail"], f"{model.__name__}.{field}: no 139****… shown"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_one_who_may_change_it_sees_it_whole(world, people, login, model):
    """The village's own secretary for a village's record; for a town's record (no secretary changes it), the admin."""
    record, values = people[model]
    in_village = record.unit.path.startswith(world.village.path)
    texts = served(login(world.users.tongliang if in_village else world.users.admin), record)
    for field, whole in values.items():
        assert whole in texts["detail"], f"{model.__name__}.{field} masked for one who may change it"
        if field in listed_fields(model):
            assert whole in texts["export"], f"{model.__name__}.{field} masked in the export of one who may change it"


def listed_fields(model):
    table = declared()[model._meta.label_lower].table
    return {name for name, column in table.base_columns.items() if column.visible} | {
        str(column.accessor) for column in table.base_columns.values() if column.accessor}


# --- 查看完整信息: a deliberate, logged act ----------------------------------------------------------------------


def reveal(client, record, reason):
    detail, _listing = page_urls(record)
    return client.post(detail, {"reason": reason})


def test_the_leader_answering_for_a_case_unmasks_it_with_a_reason_and_one_look_is_logged(world, people, login):
    from governance.models import PetitionCase

    record, values = people[PetitionCase]
    client = login(world.users.leader)
    detail, _listing = page_urls(record)
    assert "查看完整信息" in client.get(detail).content.decode()
    response = reveal(client, record, "包案领导需电话联系信访人")
    assert response.status_code == 200
    page = response.content.decode()
    for whole in values.values():
        assert whole in page
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.record_id, log.record_type.model_class()) == (world.users.leader, record.pk, PetitionCase)
    assert log.record_repr == str(record) and log.reason == "包案领导需电话联系信访人"
    assert "信访人电话" in log.fields
    # this response only: the next look at the page is masked again, and writes nothing
    page = client.get(detail).content.decode()
    assert all(whole not in page for whole in values.values())
    assert PersonalDataAccess.objects.count() == 1


def test_no_reason_no_look_and_no_record_for_one_who_may_not_see_the_row(world, people, login):
    from governance.models import KeyPerson

    record, values = people[KeyPerson]
    response = reveal(login(world.users.leader), record, "   ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请说明查看完整信息的事由" in page and all(whole not in page for whole in values.values())
    assert reveal(login(world.users.yangqiu), record, "好奇").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_log_is_the_admins_to_read_and_export_and_nobodys_to_change(world, people, login, client):
    from branches.models import Household

    record, _values = people[Household]
    assert reveal(login(world.users.leader), record, "核实联系方式").status_code == 200
    log = PersonalDataAccess.objects.get()
    url = reverse("branches:personal_data_access")
    for user in (world.users.leader, world.users.cadre, world.users.tongliang):
        assert login(user).get(url).status_code == 403
    admin_client = login(world.users.admin)
    assert "核实联系方式" in admin_client.get(url).content.decode()
    exported = exported_text(admin_client.get(url, {"export": "xlsx"}))
    assert "核实联系方式" in exported and str(record) in exported
    # No page or API route of the portal writes to it; Django's admin shows it read only, to a superuser too.
    assert not [p for p in _all_patterns() if _model_of(p) is PersonalDataAccess]
    from branches.models import User

    root = User.objects.create_superuser("root", password="x-Pass-2026!", role=User.Role.ADMIN)
    client.force_login(root)
    change = reverse("admin:branches_personaldataaccess_change", args=[log.pk])
    assert client.post(change, {"reason": "改掉", "fields": "", "record_repr": ""}).status_code == 403
    delete = reverse("admin:branches_personaldataaccess_delete", args=[log.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:branches_personaldataaccess_changelist")
    assert client.post(changelist, {"action": "delete_selected", "_selected_action": [log.pk]}).status_code in (
        200, 302, 403)  # fmt: skip
    log.refresh_from_db()
    assert log.reason == "核实联系方式" and PersonalDataAccess.objects.count() == 1


def _all_patterns():
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            else:
                found.append(pattern)

    walk([p for p in get_resolver().url_patterns if not str(p.pattern).startswith("admin/")])
    return found


def _model_of(pattern):
    """The model a page's generic view or an API viewset serves (None for a function view)."""
    view_class = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
    serializer = getattr(view_class, "serializer_class", None)
    return getattr(view_class, "model", None) or getattr(getattr(serializer, "Meta", None), "model", None)


SEARCHED = [(m, f) for m in MODELS for f in personal_fields_of(m)
            if f in getattr(declared()[m._meta.label_lower].filterset, "search_fields", ())]  # fmt: skip


@pytest.mark.parametrize(("model", "field"), SEARCHED, ids=lambda x: getattr(x, "__name__", x))
def test_searching_for_a_phone_finds_nobody_for_one_who_sees_it_masked(world, people, login, model, field):
    """Else a leader would learn whose a number is by searching for it."""
    record, values = people[model]
    detail, listing = page_urls(record)
    assert detail not in login(world.users.leader).get(listing, {"q": values[field]}).content.decode()
    if record.unit.path.startswith(world.village.path):
        assert detail in login(world.users.tongliang).get(listing, {"q": values[field]}).content.decode()
