"""Concurrent workbench writes on PostgreSQL keep 番号 unique and gapless."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.roles import ROLE_LABELS
from opinions.models import OpinionGroup, OpinionItem
from opinions.services.items import opinion_item_move
from opinions.services.seeding import opinion_groups_seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def roles(transactional_db):
    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)


def test_parallel_moves_into_new_groups_number_them_without_clashes(roles, case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    item_ids = list(OpinionItem.objects.filter(submission__consultation=consultation).values_list("pk", flat=True))
    errors = []

    def move(item_id):
        try:
            opinion_item_move(
                actor=people["kouchou"],
                item_ids=[item_id],
                group=None,
                consultation=consultation,
            )
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(pk,)) for pk in item_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(OpinionGroup.objects.filter(consultation=consultation).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == len(item_ids)  # every item alone in a new group; the old ones emptied and removed
