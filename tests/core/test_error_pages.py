"""400/403/404/500 and the CSRF failure are Japanese pages in the site's layout.

They used to be Django's English defaults ("Not Found", "Server Error (500)",
"Forbidden (403) CSRF verification failed"). Each page now has lang="ja", one
h1, what happened, what to do next and a link home; /api/ paths keep the
API's JSON shape. Test settings run with DEBUG = False, as production.
"""

import json
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path

from core import views
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _boom(request):
    raise RuntimeError("a bug in a view")


def _denied_with_reason(request):
    raise PermissionDenied("この操作は広聴担当だけが行えます。")


# A root URLconf for these tests: the site's own, plus two views that fail.
urlpatterns = [
    path("test-boom/", _boom),
    path("api/v1/test-boom/", _boom),
    path("test-denied/", _denied_with_reason),
    path("", include("config.urls")),
]
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert page.count("<h1") == 1 and f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page and 'href="#main"' in page  # the site's layout
    assert "次のことをお試しください" in page  # what to do next
    assert '<a href="/">トップページへ戻る</a>' in page
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request", "CSRF verification failed"):
        assert english not in page
    return page


def test_404_is_a_japanese_page(client):
    page = _page(client.get("/no-such-page/"), HTTPStatus.NOT_FOUND, "お探しのページが見つかりません")
    assert "<title>エラー：ページが見つかりません｜" in page


def test_404_of_a_missing_object_does_not_show_djangos_english_message(client):
    page = _page(client.get("/plan/policies/NO-SUCH/"), HTTPStatus.NOT_FOUND, "お探しのページが見つかりません")
    assert "matches the given query" not in page


def test_403_is_a_japanese_page(client):
    client.force_login(UserFactory())  # a resident on a staff page
    page = _page(client.get("/staff/queue/"), HTTPStatus.FORBIDDEN, "このページを表示する権限がありません")
    assert "ログアウトしてから" in page


@pytest.mark.urls(__name__)
def test_403_shows_the_services_japanese_reason(client):
    page = _page(client.get("/test-denied/"), HTTPStatus.FORBIDDEN, "このページを表示する権限がありません")
    assert "この操作は広聴担当だけが行えます。" in page
    assert "ログイン</a>" in page  # not logged in: how to log in


@pytest.mark.urls(__name__)
def test_500_is_a_japanese_page(client):
    page = _page(client.get("/test-boom/"), HTTPStatus.INTERNAL_SERVER_ERROR, "サーバーで問題が発生しました")
    assert "届いていない可能性があります" in page and "戻る" in page
    assert "RuntimeError" not in page and "a bug in a view" not in page


def test_500_renders_without_the_database_or_a_request_context(django_assert_num_queries):
    request = RequestFactory().get("/consultations/1/submit/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert '<html lang="ja">' in page and "<h1>サーバーで問題が発生しました</h1>" in page
    assert "川口市" in page  # SITE_TITLE / MUNICIPALITY_NAME from settings, not a context processor


def test_500_falls_back_to_plain_japanese_when_the_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views.loader, "get_template", broken)
    response = views.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert '<html lang="ja">' in page and "<h1>サーバーで問題が発生しました</h1>" in page


def test_400_is_a_japanese_page(client):
    # A Host header the site does not serve: SuspiciousOperation → handler400.
    page = _page(client.get("/", HTTP_HOST="evil.example"), HTTPStatus.BAD_REQUEST, "リクエストを処理できませんでした")
    assert "この画面が表示された送信は受け付けていません" in page


def test_csrf_failure_says_the_text_was_not_sent_and_how_to_keep_it():
    consultation = ConsultationFactory()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(f"/consultations/{consultation.pk}/submit/")  # the form page sets the CSRF cookie
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {"body": "歩道を広げてください。", "step": "confirm", "csrfmiddlewaretoken": "stale-token"},
    )
    page = _page(response, HTTPStatus.FORBIDDEN, "送信できませんでした")
    assert "入力した内容は、まだ送信されていません" in page
    assert "「戻る」ボタンで入力画面に戻ってください" in page and "コピー" in page
    assert "クッキー" not in page  # the cookie was there; that hint is only for a missing one


def test_csrf_failure_without_a_cookie_mentions_cookies():
    consultation = ConsultationFactory()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post(f"/consultations/{consultation.pk}/submit/", {"body": "意見", "step": "confirm"})
    page = _page(response, HTTPStatus.FORBIDDEN, "送信できませんでした")
    assert "クッキー（Cookie）が無効" in page


def test_csrf_failure_for_staff_too():
    staff = StaffUserFactory()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(staff)
    response = client.post("/accounts/logout/")
    _page(response, HTTPStatus.FORBIDDEN, "送信できませんでした")


# ---- /api/ keeps JSON ----


def _api_detail(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail"} and JAPANESE.search(body["detail"]), body
    return body["detail"]


def test_api_404_is_json(client):
    _api_detail(client.get("/api/v1/no-such-endpoint/"), HTTPStatus.NOT_FOUND)


@pytest.mark.urls(__name__)
def test_api_500_is_json(client):
    _api_detail(client.get("/api/v1/test-boom/"), HTTPStatus.INTERNAL_SERVER_ERROR)


def test_api_csrf_failure_is_json():
    request = RequestFactory().post("/api/v1/consultations/1/submissions/")
    assert "CSRF" in _api_detail(views.csrf_failure(request, reason="x"), HTTPStatus.FORBIDDEN)


def test_error_pages_are_registered(settings):
    from config import urls

    assert settings.CSRF_FAILURE_VIEW == "core.views.csrf_failure"
    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "core.views.bad_request",
        "core.views.permission_denied",
        "core.views.page_not_found",
        "core.views.server_error",
    )
