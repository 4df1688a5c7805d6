"""同趣旨 groups are per consultation and list only what the viewer may open."""

import pytest

from feedback.models import Submission
from nlp import services
from nlp.engine import engine_reset
from nlp.models import DuplicateGroup
from tests.accounts.factories import DepartmentFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db
TEXT = "駅前の駐輪場が不足しています。市営駐輪場の増設を強く求めます。"


@pytest.fixture(autouse=True)
def _fresh_engine():
    engine_reset()
    yield
    engine_reset()


@pytest.fixture
def cases(org):
    tax = DepartmentFactory(code="zeimu", name="税務課")
    road_case = ConsultationFactory(department=org["road"], title="道路整備計画（案）")
    tax_case = ConsultationFactory(department=tax, title="市税条例の改正（案）")
    road = [submit(road_case, body=TEXT) for _ in range(2)]
    taxed = [submit(tax_case, body=TEXT) for _ in range(2)]
    services.analysis_run_batch(submission_ids=[s.pk for s in road + taxed])
    for consultation in (road_case, tax_case):
        services.duplicate_groups_refresh(consultation_id=consultation.pk)
    return {"road": road, "tax": taxed, "road_case": road_case, "tax_case": tax_case}


def _page(client, user, submission) -> str:
    client.force_login(user)
    response = client.get(f"/staff/submissions/{submission.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_identical_text_in_two_consultations_forms_two_groups(cases):
    road_group = DuplicateGroup.objects.get(consultation=cases["road_case"])
    tax_group = DuplicateGroup.objects.get(consultation=cases["tax_case"])
    assert road_group.size == tax_group.size == 2
    assert road_group.key != tax_group.key
    keys = dict(Submission.objects.values_list("pk", "duplicate_group_key"))
    assert {keys[s.pk] for s in cases["road"]} == {road_group.key}
    assert {keys[s.pk] for s in cases["tax"]} == {tax_group.key}


def test_a_single_analysed_copy_already_has_a_consultation_key(org):
    a = submit(ConsultationFactory(department=org["road"]), body=TEXT)
    b = submit(ConsultationFactory(department=org["park"]), body=TEXT)
    services.analysis_run_batch(submission_ids=[a.pk, b.pk])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.duplicate_group_key and b.duplicate_group_key
    assert a.duplicate_group_key != b.duplicate_group_key


def test_road_staff_page_does_not_list_the_tax_receipt_number(client, people, cases):
    html = _page(client, people["staff"], cases["road"][0])
    assert "同趣旨の提出（2件）" in html
    assert cases["road"][1].receipt_number in html
    for other in cases["tax"]:
        assert other.receipt_number not in html


def test_kouchou_sees_only_same_consultation_members(client, people, cases):
    html = _page(client, people["kouchou"], cases["tax"][0])
    assert "同趣旨の提出（2件）" in html
    assert cases["tax"][1].receipt_number in html
    for other in cases["road"]:
        assert other.receipt_number not in html


def test_a_shared_legacy_key_still_lists_only_visible_same_case_members(client, org, people, cases):
    # given: keys stored before groups were per consultation, and one copy
    # of the road case reassigned to 保育課 (out of the road staff's sight)
    Submission.objects.update(duplicate_group_key="legacy-shared-key")
    hidden = submit(cases["road_case"], body=TEXT)
    Submission.objects.filter(pk=hidden.pk).update(duplicate_group_key="legacy-shared-key", department=org["child"])
    html = _page(client, people["staff"], cases["road"][0])
    assert cases["road"][1].receipt_number in html
    assert hidden.receipt_number not in html
    for other in cases["tax"]:
        assert other.receipt_number not in html
    kouchou = _page(client, people["kouchou"], cases["road"][0])
    assert hidden.receipt_number in kouchou
    for other in cases["tax"]:
        assert other.receipt_number not in kouchou
