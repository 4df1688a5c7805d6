"""schemathesis over the whole OpenAPI schema: no 5xx, no answer the schema does not describe.

Every operation of /api/v1/ is called with requests generated from the
schema (valid and invalid ones), once anonymously and once with a 広聴 staff
token (a token is the staff API's second factor, see accounts.access), and
each answer is checked: not a server error, a documented status code, the
documented content type and headers, a body matching the documented schema.

The data: an open パブリック・コメント with submissions and 意見要旨, an open
survey, the 市長への手紙 channel with one letter. Half of the generated ids in
a path are swapped for one of these (so the 200 answers are checked, not
only the 404s); the rest stay as generated.

Bounded and repeatable: Hypothesis is derandomized (the same cases on every
run) with a small max_examples; the run is the WSGI app in-process, on the
test database (SQLite or PostgreSQL).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from consultations.models import Consultation, Question
from opinions.models import OpinionGroup
from opinions.services.seeding import opinion_groups_seed
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

# The schema as the app serves it at /api/v1/schema/ (generated here, at
# import, so each operation is its own test).
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Small: 24 operations × 2 callers, with schemathesis's deterministic
# coverage cases on top of these; about a minute of CPU on SQLite.
BOUNDED = settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The app is called as WSGI, not through Django's test client, so do what
    that client does: a request must not close the database connection (on
    PostgreSQL it would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, people, case):
    """What the generated requests may find, by path parameter name."""
    consultation, sections = case
    survey = ConsultationFactory(survey=True, department=org["road"], title="市民意識調査")
    QuestionFactory(consultation=survey, kind=Question.Kind.SINGLE)
    QuestionFactory(consultation=survey, kind=Question.Kind.FREE_TEXT)
    letter = ConsultationFactory(letter=True, department=org["kocho"])
    submissions = [
        submit(consultation, body="歩道を広げてください。通学路が狭く危険です。", section=sections[0]),
        submit(consultation, body="自転車レーンを整備してほしい。", identity={"name": "川口 花子"}),
    ]
    letter_case = submit(
        letter,
        body="公園にベンチを増やしてください。",
        identity={"name": "川口 太郎", "email": "taro@example.jp"},
        reply_requested=True,
    ).letter_case
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    assert group is not None and letter_case is not None
    return {
        "/api/v1/consultations/{id}/": {"id": [consultation.pk, survey.pk]},
        "/api/v1/consultations/{id}/submissions/": {"id": [consultation.pk, survey.pk]},
        "/api/v1/staff/submissions/{id}/": {"id": [s.pk for s in submissions]},
        "/api/v1/staff/letters/{id}/": {"id": [letter_case.pk]},
        "/api/v1/staff/consultations/{id}/": {
            "id": [consultation.pk],
            "submission_pk": [s.pk for s in submissions],
        },
        "/api/v1/staff/opinion-groups/{group_pk}/": {"group_pk": [group.pk]},
        "consultation_kinds": sorted(Consultation.Kind.values),
    }


def _known_ids(world, path: str) -> dict:
    # The longest registered prefix of the path: /staff/letters/{id}/route/
    # uses the letters' ids.
    for prefix in sorted((key for key in world if key.startswith("/")), key=len, reverse=True):
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return world[prefix]
    return {}


def _aim_at_real_objects(case, world) -> None:
    """Swap every other generated integer id in the path for an existing object's."""
    known = _known_ids(world, case.path)
    for name, value in list((case.path_parameters or {}).items()):
        ids = known.get(name)
        if ids and isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
            case.path_parameters[name] = ids[(value // 2) % len(ids)]


@pytest.fixture
def staff_token(people):
    return Token.objects.create(user=people["kouchou"]).key


@SCHEMA.parametrize()
@BOUNDED
def test_anonymous_callers_get_only_documented_answers(case, world):
    _aim_at_real_objects(case, world)
    case.call_and_validate(checks=CHECKS)


@SCHEMA.parametrize()
@BOUNDED
def test_staff_with_a_token_get_only_documented_answers(case, world, staff_token):
    _aim_at_real_objects(case, world)
    response = case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {staff_token}"})
    # 401 is documented everywhere (a bad token), so the checks would let a
    # token that is never honoured pass: this run must be the staff member's.
    assert response.status_code != 401, response.text
