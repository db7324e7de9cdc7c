import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_manager_sees_their_partnership_on_my_partnerships(client, personas):
    client.force_login(personas.manager)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Riverton" in response.content.decode()
    assert "Partnership manager for Riverton Borough Council" in response.content.decode()
