"""The route × role × MFA × 課 matrix's machinery (tests/accounts/test_route_matrix.py).

- ``all_routes()`` walks the URL conf (config/urls.py and everything it
  includes) so a route added anywhere is seen by the test;
- ``build_world()`` creates one city with the same objects in 課A and 課B
  and one logged-in test client per subject (role × MFA state);
- ``Outcome`` and ``outcome_problem()`` say which responses a subject may
  get, so the test file holds only the table of who may use what.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from accounts.roles import (
    ADMIN,
    CITIZEN,
    COMMITTEE_SECRETARIAT,
    DEPARTMENT_APPROVER,
    DEPARTMENT_STAFF,
    KOUCHOU,
    MAYOR,
)
from tests.accounts.factories import DEFAULT_PASSWORD, DepartmentFactory, StaffUserFactory, UserFactory

# ---- Routes ----


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("staff:letter_detail"), path pattern and view."""

    key: str  # the URL name with namespaces; an unnamed pattern is keyed by its path pattern
    pattern: str  # e.g. "staff/letters/<int:pk>/"
    params: tuple[str, ...]  # the captured parameter names
    view: str  # dotted path of the view, for messages
    model: type | None = None  # the model of a Django admin ModelAdmin view

    @property
    def namespace(self) -> str:
        return self.key.split(":", 1)[0] if ":" in self.key else ""

    def url(self, kwargs: dict) -> str:
        """Fill the pattern with ``kwargs`` (works for unnamed and regex patterns too)."""
        url = "/" + self.pattern
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), url)
        return url.replace("^", "").replace("$", "")


def _view_name(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return f"{view.__module__}.{getattr(view, '__qualname__', type(view).__name__)}"


def _walk(resolver, prefix="", namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = ":".join(namespaces + (entry.name,)) if entry.name else ""
            if not name:
                name = ":".join(namespaces + (pattern,))
            model_admin = getattr(entry.callback, "model_admin", None)
            yield Route(
                key=name,
                pattern=pattern,
                params=tuple(_params(pattern)),
                view=_view_name(entry.callback),
                model=getattr(model_admin, "model", None),
            )


def _params(pattern: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", pattern) + re.findall(r"\(\?P<(\w+)>", pattern)


def all_routes() -> list[Route]:
    """Every URL pattern of the project, in URL-conf order, one per key."""
    seen, routes = set(), []
    for route in _walk(get_resolver()):
        if route.key not in seen:
            seen.add(route.key)
            routes.append(route)
    return routes


# ---- Subjects: who asks (role × second factor × how they signed in) ----


@dataclass(frozen=True)
class Subject:
    name: str
    roles: tuple[str, ...] = ()
    department: str = ""  # "A" (道路課), "kocho" or "" (none)
    totp: bool = True  # TOTP enrolled (staff); residents have none
    login: str = "session"  # "none", "session" (signed in fully), "password" (stopped at the TOTP prompt), "token"
    superuser: bool = False

    @property
    def signed_in(self) -> bool:
        """Django's request.user is this person on a page (not on the API)."""
        return self.login == "session"

    @property
    def is_staff_member(self) -> bool:
        return bool(set(self.roles) - {CITIZEN}) or self.superuser

    @property
    def has_second_factor(self) -> bool:
        return self.totp or self.login == "token"

    @property
    def role_set(self) -> set[str]:
        return set(self.roles) | ({ADMIN} if self.superuser else set())

    @property
    def is_django_staff(self) -> bool:
        """Django's is_staff flag (the admin site): the admin role or a superuser."""
        return ADMIN in self.roles or self.superuser


SUBJECTS = (
    Subject("anonymous", login="none"),
    Subject("resident", (CITIZEN,), totp=False),
    Subject("author", (CITIZEN,), totp=False),  # wrote 課A's submission and letters
    Subject("resident_token", (CITIZEN,), totp=False, login="token"),
    Subject("staff_a", (DEPARTMENT_STAFF,), "A"),
    Subject("staff_a_no_mfa", (DEPARTMENT_STAFF,), "A", totp=False),
    Subject("staff_a_token_no_mfa", (DEPARTMENT_STAFF,), "A", totp=False, login="token"),
    Subject("kacho_a", (DEPARTMENT_APPROVER,), "A"),
    Subject("kacho_a_no_mfa", (DEPARTMENT_APPROVER,), "A", totp=False),
    Subject("kouchou", (KOUCHOU,), "kocho"),
    Subject("kouchou_no_mfa", (KOUCHOU,), "kocho", totp=False),
    Subject("kouchou_password_only", (KOUCHOU,), "kocho", login="password"),
    Subject("kouchou_token_no_mfa", (KOUCHOU,), "kocho", totp=False, login="token"),
    Subject("secretariat", (COMMITTEE_SECRETARIAT,), "kocho"),
    Subject("secretariat_no_mfa", (COMMITTEE_SECRETARIAT,), "kocho", totp=False),
    # 市長・秘書課: sees the letters marked 市長確認が必要 — 課A's are, 課B's are not.
    Subject("mayor", (MAYOR,)),
    Subject("admin", (ADMIN,)),
    Subject("admin_no_mfa", (ADMIN,), totp=False),
    Subject("superuser", superuser=True),
)


# ---- The city: the same objects in 課A and 課B ----


@dataclass
class Dept:
    """One 課's objects; ``pii`` are the submitters' details that must not leak."""

    department: object
    case: object = None  # a パブリック・コメント of this 課
    submission: object = None
    group: object = None  # its 意見要旨
    survey: object = None
    matrix_item: object = None  # a 重要度×満足度 item of its survey
    letter: object = None  # routed to this 課 (status 回付済み); 課A's letters are marked 市長確認が必要
    letter_drafted: object = None  # its reply drafted, waiting for the 課長
    letter_sent: object = None  # routed, answered and sent
    csv_import: object = None  # a finished CSV import into its case
    pii: tuple[str, ...] = ()
    receipts: tuple[str, ...] = ()  # its 受付番号: another 課 must not even learn them
    committee: object = None  # a 附属機関 (課A's is run by 広聴課, where the secretariat subject sits)
    recruitment: object = None  # its open 公募
    application: object = None  # an application to it (課A's by the author)
    application_decided: object = None  # one of a decided 公募, notified by letter


@dataclass
class World:
    depts: dict  # "A" / "B" → Dept
    policy: object
    users: dict
    clients: dict = field(default_factory=dict)
    incident: object = None  # a 漏えい等事案 (citywide: no 課's)

    def pii(self) -> tuple[str, ...]:
        return tuple(s for dept in self.depts.values() for s in dept.pii)


def _identity(tag: str) -> dict:
    latin = {"東": "higashi", "西": "nishi"}[tag]
    return {
        "name": f"{tag}山 {tag}子",
        "address": f"川口市{tag}町九丁目9番9号",
        "postcode": "332-8601",
        "email": f"{latin}-secret@example.jp",
        "phone": "048-999-1234" if tag == "東" else "048-888-5678",
        "contact_method": "email",
    }


def _make_dept(tag, department, *, letter_consultation, kouchou, author):
    from feedback.models import SubmissionImport
    from letters.models import LetterCase
    from letters.services import letter_route
    from opinions.models import OpinionGroup
    from opinions.services.seeding import opinion_groups_seed
    from results.services.survey_matrix import survey_matrix_item_create
    from tests.consultations.factories import ConsultationFactory, DraftSectionFactory
    from tests.feedback.factories import submit
    from tests.letters.factories import letter_category
    from tests.support.analysis import analyse
    from tests.support.surveys import scale_question

    identity = _identity(tag)
    latin = identity["email"].split("-")[0]
    # As typed, and the phone as identity_clean stores it (digits only).
    pii = (
        identity["name"],
        identity["address"],
        identity["email"],
        identity["phone"],
        identity["phone"].replace("-", ""),
    )
    body = f"{identity['name']}です。電話は{identity['phone']}です。{tag}の歩道を広げてください。"
    masked = f"〇〇です。電話は XXX-XXXX-XXXX です。{tag}の歩道を広げてください。"
    dept = Dept(department=department, pii=pii)
    dept.case = ConsultationFactory(department=department, title=f"{department.name}の計画（案）")
    DraftSectionFactory(consultation=dept.case, number="1-1", heading="歩道", order=1)
    dept.submission = submit(dept.case, body=body, identity=identity, author=author if tag == "東" else None)
    analyse(dept.submission, masked_text=masked)
    opinion_groups_seed(actor=kouchou, consultation=dept.case)
    dept.group = OpinionGroup.objects.filter(consultation=dept.case).first()
    dept.survey = ConsultationFactory(department=department, survey=True, title=f"{department.name}の調査")
    dept.matrix_item = survey_matrix_item_create(
        consultation=dept.survey,
        actor=kouchou,
        label=f"{tag}の歩道",
        importance_question=scale_question(dept.survey, number=2),
        satisfaction_question=scale_question(dept.survey, number=1),
    )

    def letter(status=None):
        submission = submit(
            letter_consultation,
            body=body,
            identity=identity,
            reply_requested=True,
            publication_consent=True,
            author=author if tag == "東" else None,
        )
        analyse(submission, masked_text=masked)
        case = letter_route(
            actor=kouchou,
            case=submission.letter_case,
            department=department,
            category=letter_category(),
            routed_text=f"{tag}の歩道を広げてほしい。",
            # So the 市長 subject has "own" letters (課A's) and others' it may not see (課B's).
            mayor_review=tag == "東",
        )
        if status:
            LetterCase.objects.filter(pk=case.pk).update(status=status, reply_text="歩道を広げます。")
            case.refresh_from_db()
        return case

    dept.csv_import = SubmissionImport.objects.create(
        consultation=dept.case,
        uploaded_by=kouchou,
        file_name=f"{latin}.csv",
        content_sha256=hashlib.sha256(latin.encode()).hexdigest(),
        size=100,
        status=SubmissionImport.Status.DONE,
        row_count=1,
        processed_count=1,
        created_count=1,
    )
    dept.letter = letter()
    dept.letter_drafted = letter(LetterCase.Status.DRAFTED)
    dept.letter_sent = letter(LetterCase.Status.SENT)
    dept.receipts = tuple(
        obj.receipt_number
        for obj in (dept.submission, *(c.submission for c in (dept.letter, dept.letter_drafted, dept.letter_sent)))
    )
    return dept


def _make_committee(dept: Dept, secretariat, tag: str, *, applicant) -> None:
    """A committee per 課, one open 公募 with an application, and a decided one."""
    import datetime

    from django.utils import timezone

    from tests.committees.factories import ApplicationFactory, CommitteeFactory, RoundFactory

    dept.committee = CommitteeFactory(name=f"マトリクス審議会{tag}", secretariat=secretariat)
    dept.recruitment = RoundFactory(committee=dept.committee, title=f"マトリクス公募{tag}")
    dept.application = ApplicationFactory(round=dept.recruitment, applicant=applicant, name=f"応募{tag} 秘子")
    past = datetime.date.today() - datetime.timedelta(days=200)
    decided = RoundFactory(
        committee=dept.committee,
        notice_starts_on=past,
        notice_ends_on=past + datetime.timedelta(days=21),
        term_start=past + datetime.timedelta(days=60),
        term_end=past + datetime.timedelta(days=790),
        decided_at=timezone.now(),
    )
    dept.application_decided = ApplicationFactory(
        round=decided, email="", outcome="not_appointed", notice_method="letter", name=f"応募{tag} 郵子"
    )


def _user(subject: Subject, departments: dict):
    department = departments.get(subject.department)
    roles = list(subject.roles)
    if subject.superuser:
        user = StaffUserFactory(roles=[], department=department, with_totp=subject.totp)
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return user
    if set(roles) == {CITIZEN}:
        return UserFactory(roles=roles)
    return StaffUserFactory(roles=roles, department=department, with_totp=subject.totp)


def _client(subject: Subject, user) -> Client:
    if subject.login == "token":
        return Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})
    client = Client()
    if subject.login == "session":
        client.force_login(user)
    elif subject.login == "password":
        # The real sign-in: the password is right, the TOTP code is never typed.
        response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302 and "/2fa/" in response["Location"], response
    return client


def _make_incident(kouchou):
    import datetime

    from django.utils import timezone

    from core.incidents.services import IncidentFacts, incident_create

    return incident_create(
        actor=kouchou,
        facts=IncidentFacts(
            title="回答メールの誤送信",
            discovered_at=timezone.now() - datetime.timedelta(days=2),
            description="回答メールを別の市民に送った。",
            data_items="氏名、メールアドレス",
            persons=1,
            systems="市長への手紙の回答送付",
            containment="誤送信先に削除を依頼した。",
            sensitive=True,
        ),
    )


def build_world() -> World:
    """The city (two 部, 課A 道路課 and 課B 保育課, 広聴課), its objects and a client per subject."""
    from accounts.roles import ROLE_LABELS
    from tests.consultations.factories import ConsultationFactory
    from tests.plans.factories import PolicyFactory

    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)
    bu_a = DepartmentFactory(code="m-kensetsu", name="建設部")
    bu_b = DepartmentFactory(code="m-kodomo", name="子ども部")
    departments = {
        "A": DepartmentFactory(code="m-doro", name="道路課", parent=bu_a),
        "B": DepartmentFactory(code="m-hoiku", name="保育課", parent=bu_b),
        "kocho": DepartmentFactory(code="m-kocho", name="広聴課"),
    }
    users = {s.name: _user(s, departments) for s in SUBJECTS}
    letter_consultation = ConsultationFactory(letter=True)
    kouchou, author = users["kouchou"], users["author"]
    depts = {
        key: _make_dept(tag, departments[key], letter_consultation=letter_consultation, kouchou=kouchou, author=author)
        for key, tag in (("A", "東"), ("B", "西"))
    }
    _make_committee(depts["A"], departments["kocho"], "A", applicant=author)
    _make_committee(depts["B"], departments["B"], "B", applicant=None)
    world = World(depts=depts, policy=PolicyFactory(code="M-1"), users=users, incident=_make_incident(kouchou))
    world.clients = {s.name: _client(s, users[s.name]) for s in SUBJECTS}
    return world


# ---- Outcomes ----


class Outcome:
    """What a subject may get back. Each is a set of acceptable answers."""

    LOGIN = "login"  # not signed in: the login page (302) or 401/403 from the API
    MFA = "mfa"  # staff without a second factor: TOTP enrolment (302) or 403 from the API
    ADMIN_LOGIN = "admin_login"  # not allowed on the admin site: its login page
    REFUSED = "refused"  # signed in without the role: 403 (404 is as good)
    HIDDEN = "hidden"  # another 課's object: 404 (403 is as good)
    NOT_OWNER = "not_owner"  # someone else's receipt: 404
    METHOD = "method"  # GET on a POST-only page: 405, before anything else is looked at
    ALLOWED = "allowed"  # the page works: 200 (GET), or a write's 200/201/204/302/400 (never 5xx)
    ANSWERS = "answers"  # a public or account page: anything but a server error


def outcome_problem(response, outcome: str, *, api: bool, method: str, served: bool, answers_5xx=()) -> str:
    """Return "" when ``response`` is an acceptable ``outcome``, else what is wrong.

    ``served``: the route answers this method at all; one it does not may
    be refused with 405 before anything else is looked at. ``answers_5xx``:
    server-error statuses that are the route's answer (/healthz's 503).
    """
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500 and status not in answers_5xx:
        return f"server error {status}"
    if outcome == Outcome.ANSWERS:
        return ""
    login_url = reverse("account_login")
    checks = {
        Outcome.LOGIN: (status in (401, 403))
        if api
        else (status == 302 and location.startswith(login_url)) or status == 405,
        Outcome.MFA: status == 403 if api else status == 302 and location.startswith(reverse("mfa_activate_totp")),
        Outcome.ADMIN_LOGIN: status == 302
        and (location.startswith(reverse("admin:login")) or location.startswith(login_url)),
        Outcome.REFUSED: status in (403, 404) or (status == 405 and not served),
        Outcome.HIDDEN: status in (403, 404) or (status == 405 and not served),
        Outcome.NOT_OWNER: status in (404, 405),
        Outcome.METHOD: status == 405,
        Outcome.ALLOWED: (status == 200) if method == "GET" else status in (200, 201, 204, 302, 400),
    }
    if checks[outcome]:
        return ""
    return f"expected {outcome}, got {status}" + (f" → {location}" if location else "")


def leaked(response, pii: tuple[str, ...]) -> list[str]:
    """The personal details found in the body (UTF-8 or Shift_JIS)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found = []
    for value in pii:
        for encoding in ("utf-8", "cp932"):
            if value.encode(encoding) in content:
                found.append(value)
                break
    return found
