"""Two grids in 铜梁村 (each with its grid worker and households), one in 杨球村, the town's 综治中心 staff."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from branches.models import Cadre, Household, Unit, User
from grid.models import GridEvent
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="scene.jpg", size=(32, 24)):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def grids(town, users):
    tongliang = town.tongliang
    second = Unit.objects.add_child(Unit.objects.get(pk=tongliang.group.pk), {"name": "铜梁村第2网格", "kind": "grid"})
    neighbour = Household.objects.create(unit=second, head_name="邻网格户主", house_number="21", phone="13800001111")
    centre_user = make_user("centre", User.Role.CADRE, town.unit)
    Cadre.objects.create(unit=town.unit, name="综治中心主任", in_centre=True, user=centre_user)
    return SimpleNamespace(
        first=tongliang.grid, second=second, yangqiu=town.yangqiu.grid, neighbour=neighbour,
        worker=make_user("tl-grid1", User.Role.GRID_WORKER, tongliang.grid),
        worker2=make_user("tl-grid2", User.Role.GRID_WORKER, second),
        yq_worker=make_user("yq-grid1", User.Role.GRID_WORKER, town.yangqiu.grid),
        centre=centre_user,
    )  # fmt: skip


@pytest.fixture
def report(grids):
    """report(worker=…, **fields) → an event reported through the service (a hazard in the first grid by default)."""
    from grid import services

    def make(worker=None, **fields):
        worker = worker or grids.worker
        fields = {"unit": worker.unit, "kind": "hazard", "description": "山塘坝体渗水", "place": "三组山塘", **fields}
        return services.event_report(user=worker, event=GridEvent(**fields))

    return make
