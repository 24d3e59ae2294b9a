import pytest

from tests.security.matrix import ask, client_for

pytestmark = pytest.mark.django_db
def test_dbg(world):
    c = client_for(world, "leader")
    hz = [r for m, r in world.records.items() if m.__name__ == "Hazard"][0]
    a = ask(c, "post", f"/governance/hazards/{hz.pk}/edit/")
    print(a.status, a.location, a.text()[:3000])
