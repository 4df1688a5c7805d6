"""The staff page for statistic 目標指標: enter a value, or import a CSV file of them.

Survey-based indicators are computed from 市民意識調査 answers and are not
on this page. Both forms call plans.services.indicator_values, which audits
every value it stores.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES
from core.csv_files import FILE_LINE, CsvImportFailed
from core.views import form_action
from plans.forms import IndicatorComparisonForm, IndicatorValueForm, IndicatorValuesImportForm
from plans.selectors import plan_get_current, statistic_indicator_list
from plans.services.indicator_values import (
    indicator_comparison_record,
    indicator_value_record,
    indicator_values_import,
)

TEMPLATE = "plans/staff/indicator_values.html"
# The comparison form shares field names with the value form on one page;
# the prefix keeps their ids (and so their labels) apart.
COMPARISON_PREFIX = "comparison"


def _context(*, value_form=None, import_form=None, comparison_form=None) -> dict:
    return {
        "value_form": value_form or IndicatorValueForm(),
        "import_form": import_form or IndicatorValuesImportForm(),
        "comparison_form": comparison_form or IndicatorComparisonForm(prefix=COMPARISON_PREFIX),
        "indicators": statistic_indicator_list(),
    }


@staff_member_required(*CITYWIDE_ROLES)
def indicator_values(request):
    form = IndicatorValueForm(data=request.POST or None)

    def act(data) -> str:
        stored = indicator_value_record(
            indicator=data["indicator"],
            fiscal_year=data["fiscal_year"],
            value=data["value"],
            source=data["source"],
            source_detail=data["source_detail"],
            note=data["note"],
            actor=request.user,
        )
        return _("「%(name)s」の%(year)s年度の値 %(value)s を登録しました。") % {
            "name": stored.indicator.name,
            "year": stored.fiscal_year,
            "value": stored.value_display,
        }

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:indicator_values"),
        template=TEMPLATE,
        context=lambda: _context(value_form=form),
    )


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def indicator_values_upload(request):
    form = IndicatorValuesImportForm(data=request.POST or None, files=request.FILES or None)

    def act(data) -> str:
        plan = plan_get_current()
        if plan is None:
            raise ValidationError(_("総合計画が登録されていません。"))
        try:
            stored = indicator_values_import(plan=plan, raw=data["file"].read(), actor=request.user)
        except CsvImportFailed as failed:
            raise ValidationError(
                [
                    error.message
                    if error.line == FILE_LINE
                    else _("%(line)s行目「%(column)s」：%(message)s")
                    % {"line": error.line, "column": error.column, "message": error.message}
                    for error in failed.errors
                ]
                + [_("このファイルからは何も取り込んでいません。直して、もう一度取り込んでください。")]
            ) from None
        return _("%(count)s件の値を取り込みました。") % {"count": len(stored)}

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:indicator_values"),
        template=TEMPLATE,
        context=lambda: _context(import_form=form),
    )


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def indicator_comparisons(request):
    form = IndicatorComparisonForm(data=request.POST, prefix=COMPARISON_PREFIX)

    def act(data) -> str:
        stored = indicator_comparison_record(
            indicator=data["indicator"],
            fiscal_year=data["fiscal_year"],
            kind=data["kind"],
            value=data["value"],
            rank=data["rank"],
            group_size=data["group_size"],
            source_detail=data["source_detail"],
            actor=request.user,
        )
        return _("「%(name)s」の%(year)s年度の比較値を登録しました。") % {
            "name": stored.indicator.name,
            "year": stored.fiscal_year,
        }

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:indicator_values"),
        template=TEMPLATE,
        context=lambda: _context(comparison_form=form),
    )
