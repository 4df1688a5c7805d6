"""対応区分 labels are the city's own (KOE_DECISION_LABELS), everywhere they are shown."""

import csv
import io

import pytest
from django.core import checks

from opinions.forms import GroupForm
from opinions.models import OpinionGroup

pytestmark = pytest.mark.django_db

LABELS = {"reflected": "修正する", "reference": "今後の参考とする"}


def test_published_table_and_csv_use_the_city_labels(client, published_case, settings):
    consultation, groups = published_case
    settings.KOE_DECISION_LABELS = LABELS
    page = client.get(f"/consultations/{consultation.pk}/results/").content.decode()
    assert "（修正する）" in page and "（反映）" not in page
    raw = client.get(f"/consultations/{consultation.pk}/results.csv").content.decode("utf-8-sig")
    decisions = {row["対応区分"] for row in csv.DictReader(io.StringIO(raw))}
    assert {"修正する", "今後の参考とする"} <= decisions
    # The stored key does not change.
    assert OpinionGroup.objects.get(pk=groups["campaign"].pk).decision == "reflected"


def test_without_configuration_the_default_labels_are_used(client, published_case, settings):
    consultation, _groups = published_case
    settings.KOE_DECISION_LABELS = {}
    assert "（反映）" in client.get(f"/consultations/{consultation.pk}/results/").content.decode()


def test_the_workbench_form_offers_the_city_labels(settings):
    settings.KOE_DECISION_LABELS = LABELS
    labels = dict(GroupForm.base_fields["decision"].choices)
    assert labels["reflected"] == "修正する" and labels["partly"] == "一部反映"


def test_an_unknown_key_is_a_configuration_error(settings):
    settings.KOE_DECISION_LABELS = {"rejected": "反映しない"}
    errors = [e for e in checks.run_checks() if e.id == "feedback.E001"]
    assert errors and "rejected" in errors[0].msg
