"""Every route × who asks × second factor × 課: the access matrix, from the URL conf.

The routes come from walking the URL conf (tests.support.route_matrix.all_routes),
so a route added anywhere is a test here; one whose name is not in ACCESS
below fails with "route X is not in the access matrix: add it". The table
says, per URL name, who may use it; ``expected`` turns a rule into the
answer each subject must get:

- anonymous (and a password typed without the TOTP code, and an API token
  on a page): the login page, or 401/403 from the API;
- a member of staff without TOTP enrolled: the TOTP enrolment page, or 403
  from the API (an API token is itself the second factor);
- signed in without the role: 403 (a resident on a staff page too);
- 所管課 staff on another 課's object: 404 (or 403);
- allowed: 200 for GET (405 on a POST-only page), and a write answers
  200/201/302/400, never 5xx.

Every refused answer writes no audit row, and no answer to someone who
may not see personal data (anyone but 広聴 and admins) carries the
submitters' names, addresses, e-mail addresses or phone numbers.

One city for the module (tests.support.route_matrix.build_world); each
request runs in a savepoint that is rolled back, so writes by allowed
subjects do not change what the next subject sees.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from accounts.roles import (
    CITYWIDE_ROLES,
    COMMITTEE_ROLES,
    DEPARTMENT_APPROVER,
    DEPARTMENT_ROLES,
    KOUCHOU,
    MAYOR_ROLES,
    STAFF_ROLES,
    STAFF_WORKING_ROLES,
)
from core.models import AuditEvent
from tests.support.route_matrix import SUBJECTS, Outcome, all_routes, build_world, leaked, outcome_problem

# ---- The table ----

PUBLIC, ACCOUNT, RESIDENT, OWNER, STAFF, API, ADMIN = (
    "public",
    "account",
    "resident",
    "owner",
    "staff",
    "api",
    "admin",
)
ANY_STAFF = frozenset(STAFF_ROLES)
WORKING = frozenset(STAFF_WORKING_ROLES)
CITYWIDE = frozenset(CITYWIDE_ROLES)
DEPARTMENT = frozenset(DEPARTMENT_ROLES)
ONLY_KOUCHOU = frozenset({KOUCHOU})
KACHO = frozenset({DEPARTMENT_APPROVER})
COMMITTEE = frozenset(COMMITTEE_ROLES)
# 市長への手紙 pages: who works on them, and 市長・秘書課 on the letters marked 市長確認が必要.
LETTER_READERS = WORKING | frozenset(MAYOR_ROLES)


@dataclass(frozen=True)
class Rule:
    area: str
    roles: frozenset = frozenset()  # STAFF / API: who may (on their own 課's objects)
    # The URL's parameters from one 課's objects (tests.support.route_matrix.Dept)
    # and the world; None: the URL has none.
    of: Callable | None = None
    scoped: bool = True  # the parameters are a 課's object: another 課's is hidden
    get: bool = True  # False: POST-only, GET answers 405
    writes: tuple[str, ...] = ()  # methods that change something, tried by allowed subjects too
    data: Callable | None = None  # (dept, world) → the body of those writes
    login: bool = True  # OWNER: the page asks non-signed-in people to sign in first
    # STAFF: what someone not signed in gets (a JSON endpoint for scripts refuses instead).
    anonymous: str = Outcome.LOGIN
    residents_only: bool = False  # RESIDENT: staff accounts are refused (403)
    also_answers: tuple[int, ...] = ()  # PUBLIC: 5xx statuses that are answers (/healthz's 503)


def page(roles, of=None, *, writes=False, post_only=False, data=None, scoped=True, anonymous=Outcome.LOGIN):
    return Rule(
        STAFF,
        frozenset(roles),
        of,
        scoped=scoped,
        get=not post_only,
        writes=("POST",) if writes or post_only else (),
        data=data,
        anonymous=anonymous,
    )


def api(roles, of=None, *, writes=(), post_only=False, data=None):
    writes = ("POST",) if post_only and not writes else tuple(writes)
    return Rule(API, frozenset(roles), of, get=not post_only, writes=writes, data=data)


def public(of=None):
    return Rule(PUBLIC, of=of, scoped=False)


def owner(of, *, post_only=False, login=True):
    return Rule(OWNER, of=of, scoped=False, get=not post_only, writes=("POST",) if post_only else (), login=login)


# Parameters from a 課's objects.
def CASE(d, w):
    return {"pk": d.case.pk}


def SUBMISSION(d, w):
    return {"pk": d.submission.pk}


def CASE_SUBMISSION(d, w):
    return {"pk": d.case.pk, "submission_pk": d.submission.pk}


def CASE_GROUP(d, w):
    return {"pk": d.case.pk, "group_pk": d.group.pk}


def GROUP(d, w):
    return {"group_pk": d.group.pk}


def SURVEY(d, w):
    return {"pk": d.survey.pk}


def SURVEY_MATRIX_ITEM(d, w):
    return {"pk": d.survey.pk, "item_pk": d.matrix_item.pk}


def LETTER(d, w):
    return {"pk": d.letter.pk}


def LETTER_DRAFTED(d, w):
    return {"pk": d.letter_drafted.pk}


def LETTER_SENT(d, w):
    return {"pk": d.letter_sent.pk}


def POLICY(d, w):
    return {"code": w.policy.code}


def RECEIPT(d, w):
    return {"receipt_number": d.submission.receipt_number}


def LETTER_RECEIPT(d, w):
    return {"receipt_number": d.letter_sent.submission.receipt_number}


def CASE_IMPORT(d, w):
    return {"pk": d.case.pk, "import_id": d.csv_import.pk}


def COMMITTEE_OF(d, w):
    return {"pk": d.committee.pk}


def ROUND(d, w):
    return {"pk": d.recruitment.pk}


def APPLICATION(d, w):
    return {"pk": d.application.pk}


def APPLICATION_DECIDED(d, w):
    return {"pk": d.application_decided.pk}


def APPLICATION_RECEIPT(d, w):
    return {"receipt_number": d.application.receipt_number}


def INCIDENT(d, w):
    return {"pk": w.incident.pk}


def _item_ids(d):
    return [d.group.items.first().pk]


ACCESS: dict[str, Rule] = {
    # ---- Residents' site ----
    "consultations:index": public(),
    "consultations:list": public(),
    "consultations:detail": public(CASE),
    "feedback:submit": public(CASE),
    "feedback:letter_submit": public(),
    "feedback:receipt": owner(RECEIPT, login=False),  # the author, or the session that just submitted
    "feedback:my_submissions": Rule(RESIDENT),
    "feedback:withdraw": owner(RECEIPT, post_only=True),
    # A resident deletes their own account; staff accounts are deleted by an admin (403 page).
    "feedback:account_delete": Rule(RESIDENT, residents_only=True, writes=("POST",)),
    "letters:index": public(),
    "letters:published": public(),
    "letters:published_csv": public(),
    "letters:published_xlsx": public(),
    "letters:reply": owner(LETTER_RECEIPT),
    "results:feed": public(),
    "results:detail": public(CASE),
    "results:csv": public(CASE),
    "results:xlsx": public(CASE),
    "results:json": public(CASE),
    # The approved theme report's 受付番号 → テーマ (404 until results and themes are both public).
    "results:themes_csv": public(CASE),
    "results:themes_xlsx": public(CASE),
    "results:index_json": public(),
    # A survey's published results (404 until 広聴 publishes them).
    "results:survey_detail": public(SURVEY),
    "results:survey_csv": public(SURVEY),
    "results:survey_matrix_csv": public(SURVEY),
    "results:survey_xlsx": public(SURVEY),
    "results:policy_detail": public(POLICY),
    "plans:index": public(),
    # 附属機関等の委員公募: notices, applying (signed in), one's own applications, 応募倍率.
    "committees:index": public(),
    "committees:round": public(ROUND),
    "committees:apply": Rule(RESIDENT, of=ROUND, scoped=False),
    "committees:my_applications": Rule(RESIDENT),
    "committees:application_receipt": owner(APPLICATION_RECEIPT),
    "committees:application_withdraw": owner(APPLICATION_RECEIPT, post_only=True),
    "committees:ratios": public(),
    "committees:ratios_csv": public(),
    "committees:ratios_xlsx": public(),
    "accessibility": public(),
    # Monitoring: statuses only, no login; 503 is its answer when a dependency is down.
    "healthz": Rule(PUBLIC, scoped=False, also_answers=(503,)),
    "privacy": public(),
    # The header's language switcher (Django's set_language, #15): anyone, a redirect.
    "set_language": public(),
    # ---- Staff pages: triage ----
    "staff:home": page(ANY_STAFF),
    "staff:queue": page(WORKING, writes=True),
    "staff:submission_detail": page(WORKING, SUBMISSION, writes=True),
    # Personal data: 広聴 and admins only (the view asks can_view_personal_data).
    "staff:personal_data": page(CITYWIDE, SUBMISSION),
    # ---- Staff pages: intake ----
    "staff:entry": page(WORKING, CASE, writes=True),
    "staff:csv_import": page(WORKING, CASE, writes=True),
    "staff:csv_import_detail": page(WORKING, CASE_IMPORT),
    "staff:csv_import_status": page(WORKING, CASE_IMPORT),  # GET only (require_GET)
    "staff:csv_import_resume": page(WORKING, CASE_IMPORT, post_only=True),
    # ---- Staff pages: 意見の概要 workbench ----
    "staff:workbench": page(WORKING, CASE),
    "staff:workbench_seed": page(WORKING, CASE, post_only=True),
    "staff:workbench_move": page(WORKING, CASE, post_only=True),
    "staff:workbench_split": page(WORKING, CASE_SUBMISSION, writes=True),
    "staff:workbench_group": page(WORKING, CASE_GROUP, writes=True),
    "staff:workbench_merge": page(WORKING, CASE_GROUP, post_only=True),
    "staff:workbench_review": page(WORKING, CASE_GROUP, post_only=True),
    "staff:workbench_withhold": page(WORKING, CASE_GROUP, post_only=True),
    "staff:workbench_themes": page(WORKING, CASE),
    "staff:workbench_themes_compute": page(WORKING, CASE, post_only=True),
    "staff:workbench_themes_adopt": page(WORKING, CASE, post_only=True, data=lambda d, w: {"theme": "0"}),
    "staff:workbench_themes_status": page(WORKING, CASE),
    "staff:workbench_themes_publish": page(CITYWIDE, CASE, post_only=True),
    "staff:workbench_themes_unpublish": page(CITYWIDE, CASE, post_only=True),
    "staff:workbench_table": page(WORKING, CASE),
    "staff:workbench_table_csv": page(WORKING, CASE),
    # 閲覧用の写し and its 墨塗り記録 (masked text only; the world's case is 課A's).
    "staff:workbench_inspection": page(WORKING, CASE),
    "staff:workbench_inspection_redact": page(WORKING, CASE, post_only=True),
    "staff:workbench_inspection_revoke": page(WORKING, CASE, post_only=True),
    "staff:workbench_inspection_print": page(WORKING, CASE),
    "staff:workbench_inspection_csv": page(WORKING, CASE),
    "staff:workbench_inspection_log_csv": page(WORKING, CASE),
    # ---- Staff pages: 市長への手紙 ----
    "staff:letter_list": page(LETTER_READERS),
    # Themes of a 年度 and 課 (query parameters, not the URL: a 課's members get their own
    # 課 by default; another 課 and every 課 are tested in tests/letters/test_themes.py).
    "staff:letter_themes": page(WORKING),
    "staff:letter_themes_status": page(WORKING),
    "staff:letter_themes_compute": page(WORKING, post_only=True),
    # 市長・秘書課 see 課A's letters (marked 市長確認が必要), not 課B's (tests.support.route_matrix).
    "staff:letter_detail": page(LETTER_READERS, LETTER),
    "staff:letter_personal_data": page(CITYWIDE, LETTER),
    "staff:letter_route": page(ONLY_KOUCHOU, LETTER, writes=True),
    "staff:letter_draft": page(DEPARTMENT, LETTER, writes=True),
    # At the 課長 stage only the 課長 of the 課 approves (letters.workflow);
    # with nothing posted every approver gets the form's error.
    "staff:letter_approve": page(
        KACHO, LETTER_DRAFTED, post_only=True, data=lambda d, w: {"stage": "kacho", "decision": "approve"}
    ),
    "staff:letter_send": page(ONLY_KOUCHOU, LETTER, post_only=True),
    # 市長確認が必要 on or off; with nothing posted, a message and back to the case.
    "staff:letter_mayor_review": page(ONLY_KOUCHOU, LETTER, post_only=True),
    "staff:letter_file": page(ONLY_KOUCHOU, LETTER, writes=True),
    "staff:letter_publish": page(ONLY_KOUCHOU, LETTER_SENT, writes=True),
    "staff:letter_print": page(ONLY_KOUCHOU, LETTER_SENT),
    # ---- Staff pages: survey results and dashboards ----
    # 結果の公表: 広聴 and admins (results.staff_views.publication).
    "staff:results_publish": page(CITYWIDE, CASE, writes=True),
    # 案の取り下げ: 広聴 and admins (consultations.staff_views); nothing posted → the form's error.
    "staff:consultation_withdraw": page(CITYWIDE, CASE, writes=True),
    "staff:survey_results": page(WORKING, SURVEY),
    "staff:survey_tallies_refresh": page(WORKING, SURVEY, post_only=True),
    "staff:survey_indicators_compute": page(CITYWIDE, SURVEY, post_only=True),
    # 調査結果の公表 and its withdrawal: 広聴 and admins (results.services.survey_publication).
    "staff:survey_results_publish": page(CITYWIDE, SURVEY, post_only=True),
    "staff:survey_results_unpublish": page(CITYWIDE, SURVEY, post_only=True, data=lambda d, w: {"reason": "誤り"}),
    # 重要度×満足度 items: whoever works on the survey (results.staff_views.survey_matrix).
    "staff:survey_matrix": page(WORKING, SURVEY, writes=True),
    "staff:survey_matrix_item": page(WORKING, SURVEY_MATRIX_ITEM, writes=True),
    "staff:survey_matrix_item_delete": page(WORKING, SURVEY_MATRIX_ITEM, post_only=True),
    # 調査の運営 (招待コード・依頼状・督促): 広聴 and admins (results.staff_views.survey_operations).
    "staff:survey_operations": page(CITYWIDE, SURVEY),
    "staff:survey_invitations_issue": page(CITYWIDE, SURVEY, post_only=True),
    "staff:survey_invitation_sheet": page(CITYWIDE, SURVEY),
    "staff:survey_invitation_csv": page(CITYWIDE, SURVEY),
    "staff:survey_invitation_forget": page(CITYWIDE, SURVEY, post_only=True),
    "staff:survey_invitation_void": page(CITYWIDE, SURVEY, post_only=True),
    "staff:survey_reminder_record": page(CITYWIDE, SURVEY, post_only=True),
    "staff:survey_reminder_delete": page(CITYWIDE, SURVEY, post_only=True),
    # Counts only, no text: every staff role (results.staff_views.dashboard).
    "staff:dashboard": page(ANY_STAFF),
    "staff:dashboard_policies": page(ANY_STAFF),
    "staff:dashboard_policy": page(ANY_STAFF, POLICY, scoped=False),
    "staff:dashboard_refresh": page(CITYWIDE, post_only=True),
    # 目標指標の実績値 (statistics): 広聴 and admins enter them (plans.staff_views).
    "staff:indicator_values": page(CITYWIDE, writes=True),
    "staff:indicator_values_import": page(CITYWIDE, post_only=True),
    "staff:indicator_comparisons": page(CITYWIDE, post_only=True),
    # ---- Staff pages: 附属機関 (the committee's secretariat and admins; committees.selectors) ----
    "staff:committee_list": page(COMMITTEE),
    "staff:committee_detail": page(COMMITTEE, COMMITTEE_OF, writes=True),
    "staff:committee_round": page(COMMITTEE, ROUND),
    "staff:committee_round_paper": page(COMMITTEE, ROUND, writes=True),
    "staff:committee_round_lottery": page(COMMITTEE, ROUND, post_only=True),
    "staff:committee_round_decide": page(COMMITTEE, ROUND, post_only=True),
    "staff:committee_application": page(COMMITTEE, APPLICATION, writes=True),
    "staff:committee_application_appoint": page(COMMITTEE, APPLICATION, post_only=True),
    "staff:committee_application_letter": page(COMMITTEE, APPLICATION_DECIDED, writes=True),
    # ---- Staff pages: accounts ----
    # The idle-timeout dialog's script asks and extends here: 403 JSON, not a login page.
    "staff:session_extend": page(ANY_STAFF, writes=True, anonymous=Outcome.REFUSED),
    # 個人情報ファイル簿: record kinds and who may see them, no personal data itself.
    "staff:personal_data_register": page(ANY_STAFF),
    # 漏えい等事案 (個人情報保護法68条): 広聴 and admins only (accounts.access.may_handle_incidents);
    # citywide, so no 課's. Posting nothing is the form's error (400).
    "staff:incident_list": page(CITYWIDE),
    "staff:incident_create": page(CITYWIDE, writes=True),
    "staff:incident_csv": page(CITYWIDE),
    "staff:incident_detail": page(CITYWIDE, INCIDENT, scoped=False),
    "staff:incident_edit": page(CITYWIDE, INCIDENT, scoped=False, writes=True),
    "staff:incident_report": page(CITYWIDE, INCIDENT, scoped=False, post_only=True),
    "staff:incident_notice": page(CITYWIDE, INCIDENT, scoped=False, post_only=True),
    "staff:incident_close": page(CITYWIDE, INCIDENT, scoped=False, post_only=True),
    # ---- Public API ----
    "api-consultation-list": public(),
    "api-consultation-detail": public(CASE),
    "api-consultation-submission-create": public(CASE),  # POST is intake (tested in tests/feedback)
    "api-letter-detail": public(),
    "api-letter-submission-create": public(),
    "api-committee-ratios": public(),
    "api-my-submission-list": Rule(RESIDENT),
    "api-schema": public(),
    "api-docs": public(),
    # ---- Staff API ----
    "api-staff-queue": api(WORKING),
    "api-staff-submission": api(WORKING, SUBMISSION),
    "api-staff-submission-topic": api(WORKING, SUBMISSION, post_only=True, data=lambda d, w: {"policy": w.policy.code}),
    "api-staff-submission-assign": api(
        WORKING, SUBMISSION, post_only=True, data=lambda d, w: {"department": d.department.code}
    ),
    "api-staff-opinion-group-list": api(WORKING, CASE),
    "api-staff-opinion-group-seed": api(WORKING, CASE, post_only=True),
    "api-staff-opinion-counts": api(WORKING, CASE),
    "api-staff-opinion-item-move": api(
        WORKING, CASE, post_only=True, data=lambda d, w: {"item_ids": _item_ids(d), "group_id": None}
    ),
    "api-staff-submission-split": api(
        WORKING, CASE_SUBMISSION, post_only=True, data=lambda d, w: {"parts": ["歩道を広げてください。"]}
    ),
    "api-staff-opinion-group-detail": api(
        WORKING, GROUP, writes=("PATCH",), data=lambda d, w: {"summary": "歩道の拡幅を求める意見"}
    ),
    # 課長承認 is the 課長's step (opinions.workflow).
    "api-staff-opinion-group-review": api(
        KACHO, GROUP, post_only=True, data=lambda d, w: {"action": "approve_department"}
    ),
    "api-staff-opinion-group-withhold": api(
        WORKING, GROUP, post_only=True, data=lambda d, w: {"reason": "第三者の利益を害するおそれがあるため"}
    ),
    "api-staff-letter-list": api(WORKING),
    "api-staff-letter-detail": api(WORKING, LETTER),
    "api-staff-letter-route": api(
        ONLY_KOUCHOU,
        LETTER,
        post_only=True,
        data=lambda d, w: {"department": d.department.pk, "category": "roads", "routed_text": "歩道を広げてほしい。"},
    ),
    "api-staff-letter-draft": api(DEPARTMENT, LETTER, post_only=True, data=lambda d, w: {"text": "歩道を広げます。"}),
    "api-staff-letter-approve": api(
        KACHO, LETTER_DRAFTED, post_only=True, data=lambda d, w: {"approved": True, "stage": "kacho"}
    ),
    # ---- Django admin: its own login and logout ----
    "admin:login": public(),
    "admin:logout": public(),
}

# Every other admin:* route (one per model and view, so new models are
# covered without a row here): the admin site's rule (accounts.access.
# admin_site_has_permission): is_staff with TOTP enrolled.
ADMIN_DEFAULT = Rule(ADMIN, scoped=False, writes=())
# allauth's pages (sign-in, sign-up, TOTP enrolment...): open, never a server error.
ACCOUNT_DEFAULT = Rule(ACCOUNT, scoped=False)


def rule_for(route):
    if route.key in ACCESS:
        return ACCESS[route.key]
    if route.namespace == "admin":
        return ADMIN_DEFAULT
    if route.view.startswith("allauth."):
        return ACCOUNT_DEFAULT
    return None


# ---- What each subject must get ----


def expected(rule: Rule, subject, *, whose: str, method: str, api: bool = False) -> str:
    """``whose``: "own" (課A's objects, the subjects' 課), "other" (課B's) or
    "mixed" (課A's case with 課B's item in the same URL: no one's)."""
    roles = subject.role_set
    own = whose == "own"
    citywide = bool(roles & CITYWIDE)
    no_second_factor = subject.signed_in and subject.is_staff_member and not subject.totp
    if rule.area in (PUBLIC, ACCOUNT):
        return Outcome.ANSWERS
    if rule.area == RESIDENT:
        signed_in = subject.login in ("session", "token") if api else subject.signed_in
        if not signed_in:
            return Outcome.LOGIN
        if rule.residents_only and subject.is_staff_member:
            return Outcome.REFUSED
        return Outcome.ALLOWED
    if rule.area == OWNER:
        if rule.login and not subject.signed_in:
            return Outcome.LOGIN
        if method == "GET" and not rule.get:
            return Outcome.METHOD
        return Outcome.ALLOWED if subject.name == "author" else Outcome.NOT_OWNER
    if rule.area == STAFF:
        if no_second_factor:  # StaffMFARequiredMiddleware, before the view
            return Outcome.MFA
        if method == "GET" and not rule.get:  # require_POST, before the login check
            return Outcome.METHOD
        if not subject.signed_in:
            return rule.anonymous
        if not roles & rule.roles:
            return Outcome.REFUSED
        if rule.scoped and not own and not citywide:
            return Outcome.HIDDEN
        return Outcome.HIDDEN if whose == "mixed" else Outcome.ALLOWED
    if rule.area == API:
        if subject.login in ("none", "password"):
            return Outcome.LOGIN
        if not roles & rule.roles:
            return Outcome.REFUSED
        if subject.login == "session" and not subject.totp:
            return Outcome.MFA
        if method == "GET" and not rule.get:
            return Outcome.METHOD
        if rule.scoped and rule.of and not own and not citywide:
            return Outcome.HIDDEN
        return Outcome.HIDDEN if whose == "mixed" else Outcome.ALLOWED
    if rule.area == ADMIN:
        if no_second_factor:
            return Outcome.MFA
        if not (subject.signed_in and subject.is_django_staff):
            return Outcome.ADMIN_LOGIN
        return Outcome.ANSWERS
    raise AssertionError(rule.area)


def may_see_personal_data(subject) -> bool:
    return bool(subject.role_set & CITYWIDE) and subject.has_second_factor and subject.login != "password"


# ---- The tests ----

ROUTES = all_routes()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_idle_logout(settings):
    # Each request is rolled back, so the sessions' last-activity time stays
    # at sign-in: a slow run must not see staff logged out for idleness.
    settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES = 24 * 60


def _admin_kwargs(route, world):
    """Fill an admin URL with a real object of its model (or a number that is none)."""
    kwargs = {}
    obj = route.model.objects.order_by("pk").first() if route.model is not None else None
    for name in route.params:
        if name == "object_id":
            kwargs[name] = obj.pk if obj is not None else 999999
        elif name == "content_type_id":
            kwargs[name] = 1
        elif name == "app_label":
            kwargs[name] = "feedback"
        elif name == "url":
            kwargs[name] = "no-such-page/"
        else:
            kwargs[name] = 1
    return kwargs


def _variants(route, rule, world):
    """(label, url, whose, dept): 課A's object; when scoped, 課B's; and when the
    URL names two objects, 課A's case with 課B's item (a URL that names no one's)."""
    a, b = world.depts["A"], world.depts["B"]
    if rule.area == ADMIN:
        return [("", route.url(_admin_kwargs(route, world)), "own", a)]
    if rule.area == ACCOUNT:
        kwargs = {name: "x" for name in route.params}
        if "uidb36" in route.params:
            kwargs.update(uidb36="1", key="set-password")
        return [("", route.url(kwargs), "own", a)]
    if rule.of is None:
        if route.params:
            raise AssertionError(f"route {route.key} takes {route.params}: give its rule an `of`")
        return [("", route.url({}), "own", a)]
    own, other = rule.of(a, world), rule.of(b, world)
    variants = [("課A", route.url(own), "own", a)]
    if rule.scoped:
        variants.append(("課B", route.url(other), "other", b))
        if len(own) > 1:
            first = next(iter(own))
            mixed = {**other, first: own[first]}
            variants.append(("課A+課B", route.url(mixed), "mixed", b))
    return variants


# Who is asked on each variant. On the admin site only these differ (the
# same admin_view guards every model's pages); on another 課's object only
# the people who could open their own 課's (and 広聴, who opens both).
ADMIN_SUBJECTS = ("anonymous", "kouchou_password_only", "staff_a", "admin_no_mfa", "admin", "superuser")
# On the admin site POST is asked of the signed-in who are refused (GET shows the rest).
ADMIN_POSTERS = ("anonymous", "staff_a", "admin_no_mfa")
OTHER_KA_SUBJECTS = ("staff_a", "kacho_a", "staff_a_token_no_mfa", "kouchou", "author")
# Public and account pages answer everyone alike; staff without TOTP must reach them too.
OPEN_SUBJECTS = ("anonymous", "author", "staff_a_no_mfa", "kouchou", "kouchou_password_only")
# On a page (not the API) a token is no sign-in at all: 広聴's token stands for every token.
TOKENS_ON_PAGES = ("kouchou_token_no_mfa",)


def _subjects(rule, whose, *, api):
    if rule.area in (PUBLIC, ACCOUNT):
        names = OPEN_SUBJECTS
    elif rule.area == ADMIN:
        names = ADMIN_SUBJECTS
    elif whose != "own":
        names = OTHER_KA_SUBJECTS
    else:
        names = [s.name for s in SUBJECTS]
    return [s for s in SUBJECTS if s.name in names and (api or s.login != "token" or s.name in TOKENS_ON_PAGES)]


def _methods(rule, subject, *, whose, api):
    """GET, the route's writes, and a POST from everyone who may not write."""
    if rule.area in (PUBLIC, ACCOUNT):
        return ["GET"]
    may_write = expected(rule, subject, whose=whose, method="POST", api=api) in (Outcome.ALLOWED, Outcome.ANSWERS)
    methods = ["GET", *rule.writes]
    if rule.area == ADMIN and subject.name not in ADMIN_POSTERS:
        return methods
    if not may_write and "POST" not in methods:
        methods.append("POST")
    return methods


def _request(client, method, url, data, *, api):
    kwargs = {}
    if method != "GET":
        kwargs = {"data": data or {}}
        if api:
            kwargs["content_type"] = "application/json"
    return getattr(client, method.lower())(url, **kwargs)


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_route_access(route, world, db):
    rule = rule_for(route)
    assert rule is not None, (
        f"route {route.key} (/{route.pattern}, {route.view}) is not in the access matrix: "
        "add it to ACCESS in tests/accounts/test_route_matrix.py"
    )
    api = rule.area == API or route.pattern.startswith("api/")
    problems = []
    for label, url, whose, dept in _variants(route, rule, world):
        for subject in _subjects(rule, whose, api=api):
            for method in _methods(rule, subject, whose=whose, api=api):
                outcome = expected(rule, subject, whose=whose, method=method, api=api)
                data = rule.data(dept, world) if (rule.data and method != "GET") else {}
                with transaction.atomic():
                    audit_before = AuditEvent.objects.count()
                    response = _request(world.clients[subject.name], method, url, data, api=api)
                    audit_written = AuditEvent.objects.count() - audit_before
                    transaction.set_rollback(True)
                where = f"{method} {url} {label} as {subject.name}"
                served = (method == "GET" and rule.get) or method in rule.writes
                problem = outcome_problem(
                    response, outcome, api=api, method=method, served=served, answers_5xx=rule.also_answers
                )
                if problem:
                    problems.append(f"{where}: {problem}")
                if outcome not in (Outcome.ALLOWED, Outcome.ANSWERS) and audit_written:
                    problems.append(f"{where}: refused ({outcome}) but wrote {audit_written} audit row(s)")
                if not may_see_personal_data(subject):
                    own_details = world.depts["A"].pii if subject.name == "author" else ()
                    found = [v for v in leaked(response, world.pii()) if v not in own_details]
                    if found:
                        problems.append(f"{where}: personal data in the answer: {found}")
                if rule.area in (STAFF, API) and not subject.role_set & CITYWIDE:
                    others = [n for key, d in world.depts.items() if key != "A" for n in d.receipts]
                    found = leaked(response, tuple(others))
                    if found:
                        problems.append(f"{where}: another 課's 受付番号 in the answer: {found}")
    assert not problems, f"{route.key}:\n  " + "\n  ".join(problems)


def test_every_rule_names_a_route():
    """A row for a route that no longer exists is a stale row (renamed routes too)."""
    keys = {r.key for r in ROUTES}
    assert not set(ACCESS) - keys, sorted(set(ACCESS) - keys)


def test_the_matrix_covers_staff_api_and_admin_routes():
    """The walk sees every staff, staff-API and admin route (so none escapes by not being walked)."""
    areas = {}
    for route in ROUTES:
        rule = rule_for(route)
        if rule is not None:
            areas.setdefault(rule.area, []).append(route.key)
    assert len(areas.get(STAFF, [])) >= 33
    assert len(areas.get(API, [])) >= 17
    assert len(areas.get(ADMIN, [])) >= 50
    for route in ROUTES:
        if route.pattern.startswith("staff/"):
            assert rule_for(route) is None or rule_for(route).area == STAFF, route.key
        if route.pattern.startswith("api/v1/staff/"):
            assert rule_for(route) is None or rule_for(route).area == API, route.key


WRITE_ROUTES = [r for r in ROUTES if (rule := rule_for(r)) is not None and rule.area in (STAFF, API) and rule.writes]


def test_staff_writes_need_the_csrf_token(world, db):
    """A hostile page in another tab of a signed-in member of staff cannot post.

    Each staff write, as someone who may make it (so a 403 is the CSRF
    check's), from a browser session that sends no CSRF token: 403 and
    nothing written. (The matrix above runs with the check off.)
    """
    from django.test import Client

    problems = []
    for route in WRITE_ROUTES:
        rule = rule_for(route)
        api = rule.area == API
        label, url, whose, dept = _variants(route, rule, world)[0]
        for method in rule.writes:
            allowed = [
                s
                for s in SUBJECTS
                if s.login == "session" and expected(rule, s, whose=whose, method=method, api=api) == Outcome.ALLOWED
            ]
            assert allowed, f"{route.key}: no subject may {method}"
            client = Client(enforce_csrf_checks=True)
            client.force_login(world.users[allowed[0].name])
            data = rule.data(dept, world) if rule.data else {}
            with transaction.atomic():
                audit_before = AuditEvent.objects.count()
                response = _request(client, method, url, data, api=api)
                audit_written = AuditEvent.objects.count() - audit_before
                transaction.set_rollback(True)
            if response.status_code != 403 or audit_written:
                problems.append(
                    f"{method} {url} as {allowed[0].name} without a CSRF token: "
                    f"{response.status_code}, {audit_written} audit row(s)"
                )
    assert len(WRITE_ROUTES) >= 25
    assert not problems, "\n".join(problems)
