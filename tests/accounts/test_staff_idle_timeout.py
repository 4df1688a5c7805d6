"""Staff sessions end after KOE_STAFF_IDLE_TIMEOUT_MINUTES without a request (WCAG 2.2.1 warning)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import middleware
from accounts.roles import KOUCHOU

from .factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
STATUS_URL = reverse("staff:session_extend")


class Clock:
    """Time travel for the middleware: ``clock.now`` seconds since the epoch."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def advance(self, *, minutes: float = 0, seconds: float = 0):
        self.now += minutes * 60 + seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(middleware, "idle_clock", clock)
    return clock


@pytest.fixture(autouse=True)
def _thirty_minutes(settings):
    settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES = 30
    settings.KOE_STAFF_IDLE_WARNING_SECONDS = 120


@pytest.fixture
def staff_client(client, clock, roles):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    return client


def test_a_staff_request_within_the_period_is_served_and_extends_it(staff_client, clock):
    assert staff_client.get("/staff/").status_code == 200
    clock.advance(minutes=29, seconds=59)
    assert staff_client.get("/staff/").status_code == 200
    # Counted from the last request, not from the login.
    clock.advance(minutes=29, seconds=59)
    assert staff_client.get("/staff/").status_code == 200


def test_a_staff_request_after_the_period_logs_out_with_a_japanese_message(staff_client, clock):
    staff_client.get("/staff/")
    clock.advance(minutes=30, seconds=1)

    response = staff_client.get("/staff/queue/?status=received")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/staff/queue/%3Fstatus%3Dreceived" in response["Location"]
    login_page = staff_client.get(response["Location"])
    assert "操作がなかったため、安全のためログアウトしました" in login_page.content.decode()
    # The session is over: the staff page asks for a login again.
    assert staff_client.get("/staff/").status_code == 302


def test_the_idle_clock_starts_at_login(client, clock, roles):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    clock.advance(minutes=31)

    assert client.get("/staff/").status_code == 302


def test_residents_sessions_are_not_timed_out(client, clock):
    client.force_login(UserFactory())
    client.get(reverse("feedback:my_submissions"))
    clock.advance(minutes=600)

    assert client.get(reverse("feedback:my_submissions")).status_code == 200


def test_asking_how_long_is_left_does_not_count_as_activity(staff_client, clock):
    staff_client.get("/staff/")
    clock.advance(minutes=28)

    status = staff_client.get(STATUS_URL, HTTP_ACCEPT="application/json").json()
    assert status == {"seconds_left": 120, "timeout_seconds": 1800, "warning_seconds": 120}
    clock.advance(minutes=2, seconds=1)

    answer = staff_client.get(STATUS_URL, HTTP_ACCEPT="application/json").json()
    assert answer["logged_out"] is True and answer["login_url"] == reverse("account_login")


def test_extending_posts_and_restarts_the_period(staff_client, clock):
    staff_client.get("/staff/")
    clock.advance(minutes=29)

    extended = staff_client.post(STATUS_URL, HTTP_ACCEPT="application/json").json()
    clock.advance(minutes=29)

    assert extended["seconds_left"] == 1800
    assert staff_client.get("/staff/").status_code == 200


def test_without_the_script_the_dialogs_form_goes_back_to_the_page(staff_client, clock):
    response = staff_client.post(STATUS_URL, {"next": "/staff/letters/"})
    assert response.status_code == 302 and response["Location"] == "/staff/letters/"

    elsewhere = staff_client.post(STATUS_URL, {"next": "https://evil.example/"})
    assert elsewhere["Location"] == reverse("staff:home")


def test_the_status_url_is_for_staff_only(client, clock):
    client.force_login(UserFactory())
    assert client.get(STATUS_URL).status_code == 403


def test_staff_pages_carry_the_accessible_warning_dialog_and_its_script(staff_client, settings):
    settings.KOE_STAFF_IDLE_WARNING_SECONDS = 90
    page = staff_client.get("/staff/").content.decode()

    assert 'role="alertdialog"' in page and 'aria-labelledby="idle-warning-title"' in page
    assert 'data-timeout="1800"' in page and 'data-warning="90"' in page
    assert "/static/js/idle-timeout.js" in page
    assert "延長する" in page
    # CSP 'self' only: no inline script on the page.
    assert "<script>" not in page


def test_residents_pages_have_no_dialog(client):
    client.force_login(UserFactory())
    page = client.get(reverse("feedback:my_submissions")).content.decode()
    assert "idle-warning" not in page


def test_logging_out_after_the_period_just_logs_out(staff_client, clock):
    staff_client.get("/staff/")
    clock.advance(minutes=45)

    response = staff_client.post(reverse("account_logout"))

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("ログアウトしました" in m for m in messages)


def test_the_time_is_stored_at_most_every_half_minute_so_pages_cost_no_extra_queries(staff_client, clock):
    staff_client.get("/staff/")
    stored = staff_client.session[middleware.IDLE_SESSION_KEY]
    clock.advance(seconds=20)
    staff_client.get("/staff/")
    assert staff_client.session[middleware.IDLE_SESSION_KEY] == stored

    clock.advance(seconds=middleware.IDLE_WRITE_SECONDS)  # 30 s of a 30-minute timeout
    staff_client.get("/staff/")
    assert staff_client.session[middleware.IDLE_SESSION_KEY] == clock.now


def test_extending_always_stores_the_time(staff_client, clock):
    staff_client.get("/staff/")
    clock.advance(seconds=5)

    staff_client.post(STATUS_URL, HTTP_ACCEPT="application/json")

    assert staff_client.session[middleware.IDLE_SESSION_KEY] == clock.now
