"""#15: the 分野 of a 市長への手紙 — a list the city edits, required when 広聴 routes, shown and filtered by."""

import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import ADMIN
from core.models import AuditEvent
from letters.models import LetterCase, LetterCategory
from letters.services import letter_category_save, letter_route
from tests.accounts.factories import StaffUserFactory
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
REQUIRED = "分野を選んでください。"
DEFAULTS = [
    "福祉・医療",
    "子育て・教育",
    "環境・ごみ",
    "道路・交通",
    "防災・防犯",
    "まちづくり",
    "産業・観光",
    "市政・行財政",
    "文化・スポーツ",
    "その他",
]


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _route_url(case):
    return reverse("staff:letter_route", args=[case.pk])


def test_the_default_list_is_seeded_in_order_and_every_one_is_offered_at_routing(client, letter, people):
    assert [c.name for c in LetterCategory.objects.all()] == DEFAULTS
    page = _as(client, people["kouchou"]).get(_route_url(letter)).content.decode()
    positions = [page.index(f">{name}</option>") for name in DEFAULTS]
    assert positions == sorted(positions)
    assert "分野" in page and "（必須）" in page


def test_routing_without_a_category_is_refused_in_japanese_and_the_form_keeps_what_was_typed(
    client, letter, people, org
):
    _as(client, people["kouchou"])
    typed = "青木町公園のベンチを増やしてほしいという手紙です（広聴で要約）。"
    response = client.post(
        _route_url(letter), {"department": org["koen"].pk, "routed_text": typed, "mayor_review": "on"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert REQUIRED in page
    assert typed in page  # the masked text as typed
    assert f'<option value="{org["koen"].pk}" selected>' in page  # the 課 chosen
    assert re.search(r'<input type="checkbox" name="mayor_review"[^>]*checked', page)  # 市長確認 ticked
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.RECEIVED and letter.category is None
    assert not AuditEvent.objects.filter(action="letter.route").exists()


def test_the_service_refuses_a_missing_or_inactive_category(letter, people, org):
    with pytest.raises(ValidationError) as exc:
        letter_route(actor=people["kouchou"], case=letter, department=org["koen"], category=None)
    assert exc.value.message_dict == {"category": [REQUIRED]}
    retired = letter_category("old-roads", "道路（旧）", active=False)
    with pytest.raises(ValidationError) as exc:
        letter_route(actor=people["kouchou"], case=letter, department=org["koen"], category=retired)
    assert exc.value.message_dict == {
        "category": ["分野「道路（旧）」は現在使われていません。別の分野を選んでください。"]
    }
    assert LetterCase.objects.get(pk=letter.pk).status == LetterCase.Status.RECEIVED


def test_a_category_made_inactive_stays_on_its_letters_and_can_be_kept_when_routing_again(client, letter, people, org):
    roads = letter_category("roads", "道路・交通")
    letter_route(actor=people["kouchou"], case=letter, department=org["koen"], category=roads)
    roads.active = False
    letter_category_save(actor=people["kouchou"], category=roads)
    page = _as(client, people["kouchou"]).get(_route_url(letter)).content.decode()
    assert ">道路・交通</option>" in page  # still offered for this letter
    other = letter_category("welfare", "福祉・医療")
    letter_route(actor=people["kouchou"], case=letter, department=org["kaigo"], category=roads)
    assert LetterCase.objects.get(pk=letter.pk).category == roads
    assert other.active


def test_the_category_is_stored_audited_and_shown_on_the_letters_page_and_list(client, letter, people, org):
    _as(client, people["kouchou"])
    welfare = letter_category("welfare", "福祉・医療")
    response = client.post(
        _route_url(letter),
        {"department": org["koen"].pk, "category": welfare.pk, "routed_text": "公園のベンチについての手紙です。"},
    )
    assert response.status_code == HTTPStatus.FOUND
    letter.refresh_from_db()
    assert letter.category == welfare and letter.status == LetterCase.Status.ROUTED
    event = AuditEvent.objects.get(action="letter.route", target_id=str(letter.pk))
    assert event.after["category"] == "welfare" and event.before["category"] is None
    # The 課 it was routed to reads it on the letter's page and in its list.
    _as(client, people["staff"])
    detail = client.get(reverse("staff:letter_detail", args=[letter.pk])).content.decode()
    assert "<dt>分野</dt><dd>福祉・医療</dd>" in detail
    listing = client.get(reverse("staff:letter_list")).content.decode()
    assert '<th scope="col">分野</th>' in listing and "<td>福祉・医療</td>" in listing


def test_the_list_filters_by_category_and_keeps_the_filter_across_tabs(client, make_letter, people, org):
    welfare, roads = letter_category("welfare", "福祉・医療"), letter_category("roads", "道路・交通")
    a, b, unrouted = make_letter(), make_letter(), make_letter()
    letter_route(actor=people["kouchou"], case=a, department=org["koen"], category=welfare)
    letter_route(actor=people["kouchou"], case=b, department=org["koen"], category=roads)
    _as(client, people["kouchou"])
    numbers = {case: case.submission.receipt_number for case in (a, b, unrouted)}

    def shown(**params):
        page = client.get(reverse("staff:letter_list"), params).content.decode()
        return {case for case, number in numbers.items() if number in page}, page

    assert shown()[0] == {a, b, unrouted}
    only, page = shown(category="welfare")
    assert only == {a}
    assert '<option value="welfare" selected>' in page
    assert "?closed=1&amp;category=welfare" in page  # the other tab keeps the 分野
    assert shown(category="roads")[0] == {b}
    assert shown(category="none")[0] == {unrouted}
    assert shown(category="no-such-code")[0] == {a, b, unrouted}  # an unknown 分野 filters nothing


def test_admin_edits_of_the_list_are_audited(client, people):
    admin = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:letters_lettercategory_add"),
        {"code": "housing", "name": "住宅", "order": 55, "active": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    housing = LetterCategory.objects.get(code="housing")
    names = [c.name for c in LetterCategory.objects.all()]
    assert names.index("住宅") == names.index("防災・防犯") + 1  # order 55: between 50 and 60
    event = AuditEvent.objects.get(action="letter_category.create", target_id=str(housing.pk))
    assert event.after["name"] == "住宅" and event.actor_id == admin.pk
