"""Themes of a case (#14): a map and a table of themes, a theme's members, filters, adoption as a 意見要旨.

Members are shown in the masked text of their latest analysis to everyone
(the theme was computed from it), so opening a theme writes no personal-data
audit row and a department reads what it may read.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import may_publish_flagged_text
from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES, STAFF_WORKING_ROLES, has_role
from core.http import client_ip
from nlp import screening
from nlp.models import ThemeRun
from nlp.selectors import theme_run_latest, theme_run_latest_done
from nlp.services import theme_run_publish, theme_run_request, theme_run_unpublish
from nlp.theme_page import theme_page_context, theme_progress, theme_run_public_texts
from opinions.services.themes import opinion_group_from_theme
from opinions.staff_views.base import _consultation


@staff_member_required(*STAFF_WORKING_ROLES)
def themes(request, pk):
    consultation = _consultation(request, pk)
    context = {
        "consultation": consultation,
        "status_url": f"{request.path}status/",
        "may_publish": has_role(request.user, *CITYWIDE_ROLES),
        **theme_page_context(request.GET, consultation=consultation),
    }
    shown = context["shown_run"]
    if shown is not None and context["may_publish"] and shown.published_at is None:
        # What the personal-data screen would refuse, shown before anyone presses the button.
        context.update(
            publish_findings=screening.public_text_screen(theme_run_public_texts(shown)),
            may_override=may_publish_flagged_text(user=request.user),
            override_label=screening.OVERRIDE_LABEL,
            override_reason_label=screening.OVERRIDE_REASON_LABEL,
        )
    return render(request, "opinions/themes.html", context)


@staff_member_required(*STAFF_WORKING_ROLES)
def themes_status(request, pk):
    """The progress block's JSON, polled by static/js/job-progress.js."""
    consultation = _consultation(request, pk)
    return JsonResponse(theme_progress(theme_run_latest(consultation=consultation)))


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def themes_compute(request, pk):
    consultation = _consultation(request, pk)
    theme_run_request(actor=request.user, consultation=consultation)
    messages.success(request, _("テーマの計算を依頼しました。終わると、このページに結果が表示されます。"))
    return redirect("staff:workbench_themes", pk=consultation.pk)


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def themes_adopt(request, pk):
    """POST ``theme`` (the theme's id in the latest run): the theme becomes a draft 意見要旨."""
    consultation = _consultation(request, pk)
    run = theme_run_latest_done(consultation=consultation)
    theme_id = int(request.POST["theme"]) if request.POST.get("theme", "").isdigit() else -1
    try:
        group = (
            opinion_group_from_theme(actor=request.user, consultation=consultation, run=run, theme_id=theme_id)
            if run
            else None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("staff:workbench_themes", pk=consultation.pk)
    if group is None:
        messages.error(request, _("テーマがまだ計算されていません。"))
        return redirect("staff:workbench_themes", pk=consultation.pk)
    messages.success(
        request,
        _("テーマを意見要旨 %(number)s にしました。意見の概要を書き直してください。") % {"number": group.number},
    )
    return redirect("staff:workbench_group", pk=consultation.pk, group_pk=group.pk)


def _run_of(request, consultation) -> ThemeRun | None:
    run_id = request.POST.get("run", "")
    return ThemeRun.objects.filter(pk=int(run_id) if run_id.isdigit() else None, consultation=consultation).first()


NO_RUN = gettext_lazy("このテーマの計算結果は見つかりません。ページを読み込み直してください。")


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def themes_publish(request, pk):
    """広聴 approves the themes for the consultation's public results page."""
    consultation = _consultation(request, pk)
    run = _run_of(request, consultation)
    try:
        if run is None:
            raise ValidationError(NO_RUN)
        theme_run_publish(
            actor=request.user,
            run=run,
            screen_override=bool(request.POST.get(screening.OVERRIDE_FIELD)),
            screen_override_reason=request.POST.get(screening.OVERRIDE_REASON_FIELD, ""),
            ip_address=client_ip(request),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("テーマの公表を承認しました。結果のページに載ります。"))
    return redirect("staff:workbench_themes", pk=consultation.pk)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def themes_unpublish(request, pk):
    consultation = _consultation(request, pk)
    run = _run_of(request, consultation)
    if run is None:
        messages.error(request, NO_RUN)
    else:
        theme_run_unpublish(actor=request.user, run=run)
        messages.success(request, _("テーマの公表をやめました。"))
    return redirect("staff:workbench_themes", pk=consultation.pk)
