"""「市長への手紙のテーマ」 (#14): one 年度's letters of one 課 (or every 課), computed, shown, and renewed at night."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from core.models import AuditEvent
from core.wareki import fiscal_year
from feedback.models import Submission
from letters.services import letter_route
from letters.tasks import letter_themes_refresh_task
from nlp.models import ThemeRun
from nlp.services import theme_run_compute
from nlp.themes import STAGE_TOKENIZE
from tests.letters.factories import letter_category
from tests.opinions.test_themes import BUSES, PARKS
from tests.support.analysis import analyse

pytestmark = pytest.mark.django_db

THIS_YEAR = fiscal_year(timezone.localdate())
PAGE = "staff:letter_themes"


@pytest.fixture
def write(make_letter, people):
    """A letter with its analysis, routed to a 課 (or not), received in a 年度 (default: this one)."""

    def letter(text, *, department=None, year=THIS_YEAR):
        case = make_letter(body=text, identity={}, reply_requested=False)
        analyse(case.submission, masked_text=text)
        if department is not None:
            case = letter_route(
                actor=people["kouchou"], case=case, department=department, category=letter_category(), routed_text=text
            )
        if year != THIS_YEAR:
            at = timezone.make_aware(datetime.datetime(year, 6, 1, 10, 0))
            Submission.objects.filter(pk=case.submission_id).update(submitted_at=at)
        return case.submission

    return letter


def _covered(run) -> set[int]:
    """Every submission the run took in: the top-level themes' members and the unassigned."""
    result = run.result
    return set(result["unassigned"]) | {m for t in result["themes"] if t["parent"] is None for m in t["members"]}


def _page(client, **params):
    return client.get(reverse(PAGE), params)


def test_a_run_covers_only_the_letters_of_its_year_and_department(
    client, people, org, write, django_capture_on_commit_callbacks
):
    parks = [write(text, department=org["koen"]) for text in PARKS]
    buses = [write(text, department=org["kaigo"]) for text in BUSES]
    last_year = write(
        "公園の砂場をきれいにしてください。公園の遊具も古いです。", department=org["koen"], year=THIS_YEAR - 1
    )
    client.force_login(people["kouchou"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:letter_themes_compute"), {"fiscal_year": THIS_YEAR, "department": org["koen"].pk}
        )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(PAGE)}?fiscal_year={THIS_YEAR}&department={org['koen'].pk}"
    run = ThemeRun.objects.get()
    assert (run.fiscal_year, run.department, run.status) == (THIS_YEAR, org["koen"], ThemeRun.Status.DONE)
    assert _covered(run) == {s.pk for s in parks}
    assert run.item_count == 4

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:letter_themes_compute"), {"fiscal_year": THIS_YEAR, "department": "all"})
    citywide = ThemeRun.objects.get(department=None)
    assert _covered(citywide) == {s.pk for s in parks + buses}
    assert last_year.pk not in _covered(citywide)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:letter_themes_compute"), {"fiscal_year": THIS_YEAR - 1, "department": "all"})
    assert _covered(ThemeRun.objects.get(fiscal_year=THIS_YEAR - 1)) == {last_year.pk}
    audit = AuditEvent.objects.filter(action="themes.request").order_by("pk").first()
    assert audit.after["department"] == org["koen"].pk and audit.after["fiscal_year"] == THIS_YEAR


def test_the_page_shows_the_progress_and_then_the_themes(
    client, people, org, write, django_capture_on_commit_callbacks
):
    for text in PARKS:
        write(text, department=org["koen"])
    for text in BUSES:
        write(text, department=org["kaigo"])
    client.force_login(people["kouchou"])
    letters_list = client.get(reverse("staff:letter_list")).content.decode()
    assert reverse(PAGE) in letters_list and "市長への手紙のテーマ" in letters_list

    page = _page(client).content.decode()  # the current 年度, every 課
    assert "まだ計算していません。" in page and "テーマを計算する" in page
    assert f'<option value="{THIS_YEAR}" selected>{THIS_YEAR}年度' in page
    assert '<option value="all" selected>すべての課</option>' in page
    assert "テーマの散布図" not in page

    consultation = ThemeRun._meta.get_field("consultation").related_model.objects.get(kind="letter")
    ThemeRun.objects.create(
        consultation=consultation,
        fiscal_year=THIS_YEAR,
        status=ThemeRun.Status.RUNNING,
        stage=STAGE_TOKENIZE,
        progress=40,
        updated_at=timezone.now(),
    )
    page = _page(client).content.decode()
    assert '<progress max="100" value="40"' in page and "計算中：文章の解析（40%）" in page
    assert "js/job-progress.js" in page
    status_url = f"{reverse('staff:letter_themes_status')}?fiscal_year={THIS_YEAR}&amp;department=all"
    assert f'data-status-url="{status_url}"' in page
    status = client.get(reverse("staff:letter_themes_status"), {"fiscal_year": THIS_YEAR, "department": "all"})
    assert status.json()["done"] == 40 and status.json()["finished"] is False
    # Another 課's scope has its own state.
    other = client.get(reverse("staff:letter_themes_status"), {"fiscal_year": THIS_YEAR, "department": org["koen"].pk})
    assert other.json()["text"] == "まだ計算していません。"

    running = ThemeRun.objects.get()
    theme_run_compute(run_id=running.pk)
    page = _page(client, fiscal_year=THIS_YEAR, department="all").content.decode()
    assert "8件から計算しました" in page and "テーマの散布図" in page and "テーマの一覧" in page
    assert "公園" in page and "バス" in page
    assert "意見要旨にする" not in page  # letters have no 意見要旨
    assert "js/job-progress.js" not in page
    # The filters keep the scope.
    assert f'<input type="hidden" name="fiscal_year" value="{THIS_YEAR}">' in page


def test_department_staff_see_only_their_own_department_and_never_every_department(
    client, people, org, write, django_capture_on_commit_callbacks
):
    parks = [write(text, department=org["koen"]) for text in PARKS]
    buses = [write(text, department=org["kaigo"]) for text in BUSES]
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(people["kouchou"])
        client.post(reverse("staff:letter_themes_compute"), {"fiscal_year": THIS_YEAR, "department": "all"})
        client.post(reverse("staff:letter_themes_compute"), {"fiscal_year": THIS_YEAR, "department": org["koen"].pk})
    client.logout()
    client.force_login(people["staff"])  # 公園課

    page = _page(client).content.decode()
    assert f'<option value="{org["koen"].pk}" selected>' in page
    assert ">すべての課</option>" not in page and 'value="all"' not in page
    assert org["kaigo"].name not in page
    assert "4件から計算しました" in page and "テーマの散布図" in page
    park_theme = next(t for t in ThemeRun.objects.get(department=org["koen"]).result["themes"] if t["parent"] is None)
    opened = _page(client, theme=park_theme["id"]).content.decode()
    assert any(s.receipt_number in opened for s in parks)
    assert not any(s.receipt_number in opened for s in buses)

    assert _page(client, department=org["kaigo"].pk).status_code == 404
    assert _page(client, department="all").status_code == 403
    assert _page(client, fiscal_year=THIS_YEAR - 5).status_code == 404
    status = reverse("staff:letter_themes_status")
    assert client.get(status, {"department": org["kaigo"].pk}).status_code == 404
    assert client.get(status, {"department": "all"}).status_code == 403
    runs = ThemeRun.objects.count()
    compute = reverse("staff:letter_themes_compute")
    assert client.post(compute, {"fiscal_year": THIS_YEAR, "department": org["kaigo"].pk}).status_code == 404
    assert client.post(compute, {"fiscal_year": THIS_YEAR, "department": "all"}).status_code == 403
    assert ThemeRun.objects.count() == runs

    # A 部長 chooses among the 部 and its 課, still not every 課.
    client.logout()
    client.force_login(people["bucho"])
    page = _page(client, department=org["koen"].pk).content.decode()
    assert f'<option value="{org["toshi"].pk}">' in page and f'<option value="{org["koen"].pk}" selected>' in page
    assert 'value="all"' not in page and org["kaigo"].name not in page


def test_only_years_with_letters_and_this_year_are_offered(client, people, org, write):
    write(PARKS[0], department=org["koen"], year=THIS_YEAR - 2)
    write(BUSES[0], department=org["kaigo"], year=THIS_YEAR - 1)
    client.force_login(people["kouchou"])
    page = _page(client).content.decode()
    assert f'value="{THIS_YEAR}" selected' in page
    assert f'value="{THIS_YEAR - 1}"' in page and f'value="{THIS_YEAR - 2}"' in page
    assert f'value="{THIS_YEAR - 3}"' not in page
    # 公園課 has no letter of last 年度: the year is not offered to its staff.
    client.logout()
    client.force_login(people["staff"])
    page = _page(client).content.decode()
    assert f'value="{THIS_YEAR - 2}"' in page and f'value="{THIS_YEAR - 1}"' not in page
    assert _page(client, fiscal_year=THIS_YEAR - 1).status_code == 404


def _scopes(runs):
    return {(r.fiscal_year, r.department_id) for r in runs}


def _finish_all():
    ThemeRun.objects.filter(status__in=(ThemeRun.Status.QUEUED, ThemeRun.Status.RUNNING)).update(
        status=ThemeRun.Status.DONE, finished_at=timezone.now()
    )


def test_the_night_requests_runs_only_where_letters_arrived_since_the_last_run(
    people, org, write, settings, django_capture_on_commit_callbacks
):
    settings.KOE_LETTER_THEMES_MIN_LETTERS = 3
    for text in PARKS[:3]:
        write(text, department=org["koen"])
    write(BUSES[0], department=org["kaigo"])  # 介護保険課: fewer than the minimum, no run of its own
    unrouted = write(PARKS[3])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert letter_themes_refresh_task.delay().get() == 2
    first = ThemeRun.objects.all()
    assert _scopes(first) == {(THIS_YEAR, None), (THIS_YEAR, org["koen"].pk)}
    assert len(queued) == 2  # each run's computation, queued on commit
    audits = AuditEvent.objects.filter(action="themes.request")
    assert audits.count() == 2 and {a.actor_label for a in audits} == {"system"}
    # Again the same night, the runs still queued: nothing more is requested.
    assert letter_themes_refresh_task.delay().get() == 2
    assert ThemeRun.objects.count() == 2 and audits.count() == 2

    _finish_all()
    assert letter_themes_refresh_task.delay().get() == 0
    # A letter of last 年度 entered now is no letter of this 年度's scopes.
    write("公園の花壇に花を植えてください。", department=org["koen"], year=THIS_YEAR - 1)
    assert letter_themes_refresh_task.delay().get() == 0
    assert ThemeRun.objects.count() == 2

    # Routing a letter received earlier to 公園課 renews 公園課's themes only.
    letter_route(
        actor=people["kouchou"],
        case=unrouted.letter_case,
        department=org["koen"],
        category=letter_category(),
        routed_text=PARKS[3],
    )
    assert letter_themes_refresh_task.delay().get() == 1
    assert _scopes(ThemeRun.objects.filter(status=ThemeRun.Status.QUEUED)) == {(THIS_YEAR, org["koen"].pk)}

    _finish_all()
    write(BUSES[1], department=org["kaigo"])  # a new letter: every 課, not 介護保険課 (2 letters, under 3)
    assert letter_themes_refresh_task.delay().get() == 1
    assert _scopes(ThemeRun.objects.filter(status=ThemeRun.Status.QUEUED)) == {(THIS_YEAR, None)}

    _finish_all()
    write(BUSES[2], department=org["kaigo"])  # 介護保険課 reaches 3 letters, never computed: due too
    assert letter_themes_refresh_task.delay().get() == 2
    assert _scopes(ThemeRun.objects.filter(status=ThemeRun.Status.QUEUED)) == {
        (THIS_YEAR, None),
        (THIS_YEAR, org["kaigo"].pk),
    }


def test_the_nightly_task_is_scheduled_and_runs_on_the_themes_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["letters-refresh-themes"]
    assert entry["task"] == "letters.tasks.letter_themes_refresh_task"
    assert app.amqp.router.route({}, entry["task"])["queue"].name == settings.KOE_THEMES_QUEUE
    assert letter_themes_refresh_task.autoretry_for and letter_themes_refresh_task.max_retries
    assert settings.KOE_LETTER_THEMES_MIN_LETTERS == 20
