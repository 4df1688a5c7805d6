"""「集計を更新」 while the broker is down: a Japanese notice, not a 500 or a false "requested"."""

from http import HTTPStatus

import pytest

from results.models.dashboard import StatsRefresh
from tests.support.outage import broker_unreachable

pytestmark = pytest.mark.django_db


def test_refresh_says_it_could_not_be_requested_while_the_broker_is_down(client, city):
    client.force_login(city["kouchou"])
    with broker_unreachable():
        response = client.post("/staff/dashboard/refresh/", follow=True)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "いまは集計の更新を依頼できません" in page
    assert "集計の更新を依頼しました" not in page
    assert not StatsRefresh.objects.exists()
