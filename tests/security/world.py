"""One record of every scoped model in village A (铜梁村), made generically from the models' fields, so that a model
added later gets its record (and with it its place in the permission matrix) without anyone remembering it.

Every model whose default manager is a `ScopedQuerySet` (the rows `restrict()` decides on) gets one record: its unit is
铜梁村 itself, or the grid, group or town of 铜梁村 where the shared model's services ask for that kind
(`branches.services.UNIT_KINDS`, `UNIT_OVERRIDES` below); its required foreign keys point at the records already
made (dependencies first); every free-text field carries `text` (a marker to find leaks, or a hostile payload).
A few models are made through their service instead (a monthly report opens with its values, a photo is an image).
"""

import datetime
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from PIL import Image

from branches import services as branch_services
from branches.models import Assignment, Cadre, HouseholdLink, Photo, Unit, User
from branches.scoping import ScopedQuerySet
from branches.validators import PhoneNumber
from dispatch.models import Attachment, Task
from governance.models import VisitLog
from industry.models import Enterprise
from reports import periods
from reports.models import MonthlyReport, ReportValue, Rollup
from reports.monthly import services as report_services
from tests.conftest import build_town, build_users, make_grid_worker, make_user

MARK = "TLMARK"  # the text every free-text field of village A's records carries (a secretary of 杨球村 never sees it)
# Names of text fields the code reads as something else than free text: left to their defaults.
NOT_FREE_TEXT = {"path", "code", "period", "period_type"}
# Models that live on another unit than the village (by the design): model label → "town" | "grid" | "group".
UNIT_OVERRIDES = {"reports.Bulletin": "town", "grid.GridEvent": "grid"}


def scoped_models():
    return [m for m in apps.get_models() if isinstance(m._default_manager.all(), ScopedQuerySet) and m is not Unit]


def free_text_fields(model):
    """The CharFields and TextFields a person types freely (no choices), which pages show back."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NOT_FREE_TEXT
        and not isinstance(field, models.FileField)
        and not is_phone(field)
    ]


def is_phone(field):
    """A phone field takes a phone number only (branches.validators): a script there is refused, not stored."""
    return any(isinstance(validator, PhoneNumber) for validator in field.validators)


def _unit_for(model, town):
    village = town.tongliang
    where = UNIT_OVERRIDES.get(model._meta.label)
    kinds = branch_services.UNIT_KINDS.get(model)
    if where is None and kinds and village.unit.kind not in kinds:
        where = {Unit.Kind.GRID: "grid", Unit.Kind.GROUP: "group", Unit.Kind.TOWN: "town"}[kinds[0]]
    return {"grid": village.grid, "group": village.group, "town": town.unit}.get(where, village.unit)


def _value(field, text):
    today = timezone.localdate()
    if field.choices:
        return field.choices[0][0]
    if is_phone(field):
        return "13812345678"
    if isinstance(field, models.CharField | models.TextField):
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.DateTimeField):
        return timezone.now() - datetime.timedelta(days=3)
    if isinstance(field, models.DateField):
        return periods.last_complete_month() if field.name == "month" else today - datetime.timedelta(days=3)
    if isinstance(field, models.DecimalField):
        return _within(field, Decimal("1"))
    if isinstance(field, models.IntegerField | models.FloatField):
        return _within(field, 1)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.JSONField):
        return {}
    raise NotImplementedError(f"world.py: no value for {field.model.__name__}.{field.name} ({type(field).__name__})")


def _within(field, number):
    """`number`, raised to the field's MinValueValidator or lowered to its MaxValueValidator (an appraisal's year is
    2000 or later): the world's rows are valid rows, which the API's schema describes."""
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        limit = limit() if callable(limit) else limit
        if isinstance(validator, MinValueValidator) and number < limit:
            number = type(number)(limit)
        if isinstance(validator, MaxValueValidator) and number > limit:
            number = type(number)(limit)
    return number


def _other(model, text):
    """A row of a model outside the scoped ones (an indicator, an activity type, a keeper role …): the first there
    is, else one made from its required fields."""
    row = model._default_manager.first()
    if row is not None:
        return row
    kwargs = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or field.blank:
            continue
        if field.is_relation:
            kwargs[field.name] = _other(field.related_model, text)
        else:
            kwargs[field.name] = _value(field, text)
    return model._default_manager.create(**kwargs)


def png_upload(name="photo.png", size=(8, 8)):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _ordered(models_):
    """Dependencies first: a model after every scoped model its required foreign keys point at."""
    pending, done = list(models_), []
    while pending:
        for model in pending:
            needs = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and not f.null and f.related_model in models_ and f.related_model is not model
            }
            if needs <= set(done):
                done.append(model)
                pending.remove(model)
                break
        else:
            raise RuntimeError(f"world.py: cyclic required foreign keys among {pending}")
    return done


def make_records(town, users, text=MARK):
    """{model: its record} for every scoped model, in village A (铜梁村); `text` (or `text(model)`) in every
    free-text field."""
    village = town.tongliang
    records = {Unit: village.unit}
    for model in _ordered(scoped_models()):
        if model is Photo:
            continue  # needs a record that accepts photos: made last
        records[model] = _make(model, town, records, text)
    photo_owner = next(r for m, r in records.items() if getattr(m, "accepts_photos", False))
    records[Photo] = _photo(photo_owner, users.admin, text(Photo) if callable(text) else text)
    records[Attachment] = _attachment(records[Task])
    return records


def _attachment(task):
    """A task's file (not a scoped model itself: who may open it is its task's rule), for dispatch:attachment."""
    upload = SimpleUploadedFile("notice.pdf", b"%PDF-1.4 notice", content_type="application/pdf")
    return Attachment.objects.create(task=task, file=upload, name="notice.pdf", size=upload.size)


def _make(model, town, records, text):
    village = town.tongliang
    text = text(model) if callable(text) else text
    if model is MonthlyReport:
        return report_services.report_open(
            unit=village.unit, work_line="industry", month=periods.last_complete_month()
        )
    if model is ReportValue:
        return records[MonthlyReport].values.select_related("indicator").first()
    unit = _unit_for(model, town)
    kwargs = {}
    text_fields = {f.name for f in free_text_fields(model)}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ("unit",):
            continue
        if field.is_relation:
            if field.null:
                continue
            related = field.related_model
            if related is Unit:
                kwargs[field.name] = village.unit
            elif related in records:
                kwargs[field.name] = records[related]
            else:
                kwargs[field.name] = _other(related, MARK)
        elif field.name in text_fields:
            kwargs[field.name] = _value(field, text)
        elif not (field.null or field.has_default() or getattr(field, "auto_now", False)
                  or getattr(field, "auto_now_add", False)):  # fmt: skip
            kwargs[field.name] = _value(field, text)
    if any(f.name == "unit" for f in model._meta.concrete_fields):
        kwargs["unit"] = unit
    if model is Assignment:
        kwargs.update(kind=Assignment.Kind.VILLAGE, cadre=records[branch_services.Cadre], unit=village.unit)
    if model is HouseholdLink:
        kwargs["unit"] = kwargs["household"].unit
    if model is VisitLog:
        kwargs["member"] = records[branch_services.PartyMember]  # a visit has one author, a member or a grid worker
    if model is Rollup:
        kwargs.update(period=periods.month_key(periods.last_complete_month()), period_type="month")
    return model._default_manager.create(**kwargs)


def _photo(record, user, text):
    from branches import photos

    return photos.photos_attach(user=user, record=record, uploads=[png_upload()], caption=text[:200])[0]


def build_world(text=MARK):
    """The `town` and `users` of tests/conftest.py plus one record of every scoped model in 铜梁村, and a secretary,
    a cadre and a leader attached to no unit."""
    town = build_town()
    users = build_users(town)
    for role in (User.Role.SECRETARY, User.Role.CADRE, User.Role.LEADER):
        setattr(users, f"nounit_{role}", make_user(f"nounit_{role}", role, None))
    users.yq_grid = make_grid_worker(town.yangqiu, "yq_grid")
    records = make_records(town, users, text)
    # The cadre without a unit keeps his cadre card, a 包村 and a 包企 in 铜梁村: without a unit they give him nothing.
    card = Cadre.objects.create(unit=town.unit, name="无单位干部", user=users.nounit_cadre)
    Assignment.objects.create(kind=Assignment.Kind.VILLAGE, unit=town.tongliang.unit, cadre=card)
    enterprise = records[Enterprise]
    Assignment.objects.create(kind=Assignment.Kind.ENTERPRISE, unit=enterprise.unit, cadre=card, target=enterprise)
    return SimpleNamespace(town=town, users=users, records=records, village=town.tongliang.unit,
                           other_village=town.yangqiu.unit)  # fmt: skip
