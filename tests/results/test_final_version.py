"""Results link the 決定版 and state the 差異 from the draft (#15, 行政手続法43条1項4号):
publication needs the adopted version (URL or file) and what changed because of the
opinions, or 「修正なし」 said in so many words; the public results page shows both."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.models import Consultation
from core.models import AuditEvent
from opinions.models import OpinionGroup
from results.services.publication import results_publish

from .conftest import DECIDED_ON, FINAL_URL, REVISION_SUMMARY

pytestmark = pytest.mark.django_db


def _refused(consultation, people, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON, **kwargs)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED and consultation.published_at is None
    return exc.value


def test_publication_needs_the_final_version(approved_case, people):
    consultation, _groups = approved_case
    error = _refused(consultation, people, final_url="")
    assert error.message_dict["final_url"] == [
        "決定版（決定した計画・条例等）のURLを入力するか、ファイルを登録してください。"
    ]


def test_publication_needs_the_differences_or_unrevised(approved_case, people):
    consultation, _groups = approved_case
    error = _refused(consultation, people, revision_summary="", unrevised=False)
    assert error.message_dict["revision_summary"] == ["案からの修正内容を記載するか、「修正なし」を選んでください。"]


def test_unrevised_cannot_stand_beside_groups_marked_revised(approved_case, people):
    consultation, _groups = approved_case  # the campaign group is 修正あり
    error = _refused(consultation, people, revision_summary="", unrevised=True)
    assert error.message_dict["unrevised"] == [
        "意見の概要と市の考え方に「修正あり」が1件あるため、「修正なし」は選べません。修正内容を記載してください。"
    ]


def test_unrevised_and_a_summary_together_are_refused(approved_case, people):
    consultation, _groups = approved_case
    error = _refused(consultation, people, unrevised=True)
    assert error.message_dict["revision_summary"] == ["「修正なし」を選んだ場合は、修正内容を空にしてください。"]


def test_the_results_page_links_the_final_version_and_states_the_differences(client, published_case):
    consultation, _groups = published_case

    html = client.get(reverse("results:detail", args=[consultation.pk])).content.decode()

    assert "決定版" in html
    assert f'<a href="{FINAL_URL}">決定した「川口市道路整備計画（案）」の掲載ページ</a>' in html
    assert "案からの修正内容（差異）" in html and REVISION_SUMMARY in html
    document = client.get(reverse("results:json", args=[consultation.pk])).json()["consultation"]
    assert document["final_url"] == FINAL_URL
    assert document["revision_summary"] == REVISION_SUMMARY and document["unrevised"] is False


def test_unrevised_is_stated_explicitly_on_the_page(client, approved_case, people):
    consultation, groups = approved_case
    OpinionGroup.objects.filter(pk=groups["campaign"].pk).update(revised=False, revised_text="")
    results_publish(
        consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON, revision_summary="", unrevised=True
    )
    html = client.get(reverse("results:detail", args=[consultation.pk])).content.decode()
    assert "修正なし（案のとおり決定しました）" in html
    assert REVISION_SUMMARY not in html


def test_kouchou_uploads_the_final_version_on_the_publish_page(client, approved_case, people):
    consultation, _groups = approved_case
    client.force_login(people["kouchou"])
    page = client.get(reverse("staff:results_publish", args=[consultation.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'value="{FINAL_URL}"' in page  # what the admin holds is offered

    response = client.post(
        reverse("staff:results_publish", args=[consultation.pk]),
        {
            "decided_on": "2026-03-10",
            "final_url": "",
            "final_file": SimpleUploadedFile("doro-keikaku.pdf", b"%PDF-1.4 final"),
            "revision_summary": "「2-1 歩道の整備」に実施時期を追記しました。",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert consultation.final_file.name.endswith(".pdf") and consultation.final_url == ""
    event = AuditEvent.objects.get(action="consultation.publish_results")
    assert event.after["final_file"] == consultation.final_file.name
    assert event.after["revision_summary"] == "「2-1 歩道の整備」に実施時期を追記しました。"
    html = client.get(reverse("results:detail", args=[consultation.pk])).content.decode()
    assert f'href="{consultation.final_file.url}"' in html and "（ファイル）" in html
    assert "「2-1 歩道の整備」に実施時期を追記しました。" in html


def test_the_publish_page_shows_what_is_missing_beside_its_field(client, approved_case, people):
    consultation, _groups = approved_case
    client.force_login(people["kouchou"])
    response = client.post(
        reverse("staff:results_publish", args=[consultation.pk]),
        {"decided_on": "2026-03-10", "final_url": "", "revision_summary": ""},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    form = response.context["form"]
    assert form.errors["final_url"] == ["決定版（決定した計画・条例等）のURLを入力するか、ファイルを登録してください。"]
    assert form.errors["revision_summary"] == ["案からの修正内容を記載するか、「修正なし」を選んでください。"]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED


def test_the_final_version_cannot_be_removed_after_publication(published_case):
    from consultations.services import consultation_update

    consultation, _groups = published_case
    with pytest.raises(ValidationError) as exc:
        consultation_update(consultation=consultation, actor=None, changes={"final_url": ""})
    assert "final_url" in exc.value.message_dict
    consultation.refresh_from_db()
    assert consultation.final_url == FINAL_URL
