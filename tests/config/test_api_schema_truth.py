"""The OpenAPI schema says what the API really answers.

Nullable where a null comes back, every error status an operation can give
documented with its body, and the length limits the forms and services
enforce shown as maxLength. (schemathesis checks the answers against it:
test_api_schemathesis.py.)
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from feedback.forms.fields import IdentityFields
from feedback.forms.public_comment import PublicCommentForm
from feedback.forms.survey import FREE_TEXT_MAX_CHARS, SurveyForm
from letters.services.steps import REPLY_MAX_CHARS
from tests.consultations.factories import ConsultationFactory

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


@pytest.mark.parametrize(
    "component, field",
    [
        ("QueueItem", "department"),
        ("QueueItem", "policy"),
        ("QueueItem", "suggested_policy"),
        ("SubmissionDetail", "department"),
        ("LetterListItem", "department"),
        ("LetterDetail", "department"),
        ("LetterApproval", "approver"),
    ],
)
def test_fields_that_can_be_null_are_nullable(schema, component, field):
    # An unrouted submission has no 課, an unconfirmed one no 施策, a deleted
    # approver no name: the API answers null for each.
    assert _component(schema, component)[field].get("nullable") is True


def test_every_operation_documents_400_and_401_with_a_body(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        for code in ("400", "401"):
            assert code in responses, (method, path, code)
            assert "application/json" in responses[code].get("content", {}), (method, path, code)


def test_error_statuses_follow_what_the_operation_can_refuse(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        if "{" in path:
            assert "404" in responses, (method, path)
        if path.startswith("/api/v1/staff/") or method != "get":
            # A staff role, or (for a write) the CSRF check of a browser session.
            assert "403" in responses, (method, path)
        if "requestBody" in operation:
            assert {"413", "415"} <= set(responses), (method, path)


def test_a_paginated_list_documents_the_404_of_a_page_past_the_end(schema):
    for path in ("/api/v1/consultations/", "/api/v1/me/submissions/", "/api/v1/staff/queue/"):
        assert "404" in schema["paths"][path]["get"]["responses"], path


def test_an_error_body_is_the_detail_shape(schema):
    response = schema["paths"]["/api/v1/me/submissions/"]["get"]["responses"]["401"]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    name = ref.rsplit("/", 1)[1]
    assert schema["components"]["schemas"][name]["required"] == ["detail"]


@pytest.mark.parametrize("field", ["name", "name_kana", "postcode", "address", "phone", "email"])
def test_identity_limits_are_the_web_forms(schema, field):
    expected = IdentityFields.base_fields[field].max_length
    for component in ("IdentityInputRequest", "PublicCommentIdentityInputRequest"):
        assert _component(schema, component)[field]["maxLength"] == expected, component


def test_public_comment_and_survey_limits_are_the_web_forms(schema):
    assert _component(schema, "PublicCommentInputRequest")["section_text"]["maxLength"] == (
        PublicCommentForm.base_fields["section_text"].max_length
    )
    identity = _component(schema, "PublicCommentIdentityInputRequest")
    assert identity["organization"]["maxLength"] == PublicCommentForm.base_fields["organization"].max_length
    assert identity["eligibility_detail"]["maxLength"] == PublicCommentForm.base_fields["eligibility_detail"].max_length
    assert _component(schema, "AnswerInputRequest")["text"]["maxLength"] == FREE_TEXT_MAX_CHARS


@pytest.mark.django_db
def test_the_invitation_code_limit_is_the_survey_forms(schema):
    form = SurveyForm(consultation=ConsultationFactory(survey=True, invitation_required=True))
    limit = form.fields["invitation_code"].max_length
    assert _component(schema, "SurveyInputRequest")["invitation_code"]["maxLength"] == limit


def test_letter_texts_show_the_services_limit(schema):
    assert _component(schema, "LetterDraftInputRequest")["text"]["maxLength"] == REPLY_MAX_CHARS
    assert _component(schema, "LetterRouteInputRequest")["routed_text"]["maxLength"] == REPLY_MAX_CHARS
