"""Themes of a case (#14): a map and a table of themes, a theme's members, filters, adoption as a 意見要旨.

Members are shown in the masked text of their latest analysis to everyone
(the theme was computed from it), so opening a theme writes no personal-data
audit row and a department reads what it may read.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.models import District
from feedback.models import Submission
from nlp.models import ThemeRun
from nlp.selectors import latest_masked_texts, theme_run_latest
from nlp.services import theme_run_request
from opinions.services.themes import opinion_group_from_theme
from opinions.staff_views.base import _consultation

MEMBERS_PER_PAGE = 50
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 400, 24
# Eight colours that stay apart for the common colour-vision types (Okabe–Ito);
# each theme's number is also drawn at its centre, so colour is never the only cue.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
FILTERS = ("district", "age_band", "channel", "policy")


def _filtered(consultation, params) -> dict[int, Submission]:
    rows = Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)
    if params.get("district", "").isdigit():
        rows = rows.filter(district_id=int(params["district"]))
    if params.get("age_band"):
        rows = rows.filter(age_band=params["age_band"])
    if params.get("channel"):
        rows = rows.filter(channel=params["channel"])
    if params.get("policy"):
        code = params["policy"]
        rows = rows.filter(Q(policy__code=code) | Q(policy__isnull=True, suggested_policy__code=code))
    rows = rows.select_related("policy", "suggested_policy", "district")
    return {
        s.pk: s
        for s in rows.only("pk", "receipt_number", "channel", "age_band", "district", "policy", "suggested_policy")
    }


def _map(run: ThemeRun, top: list[dict], shown: dict) -> dict:
    index = {member: n for n, theme in enumerate(top) for member in theme["members"]}
    width, height = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    points, centres = [], []
    for key, (x, y) in run.coordinates.items():
        pk = int(key)
        if pk not in shown:
            continue
        n = index.get(pk)
        points.append(
            {
                "x": round(MAP_MARGIN + x * width, 1),
                "y": round(MAP_MARGIN + (1 - y) * height, 1),
                "colour": PALETTE[n % len(PALETTE)] if n is not None else "#767676",
                "theme": n,
            }
        )
    for n, theme in enumerate(top):
        coords = [run.coordinates[str(m)] for m in theme["members"] if str(m) in run.coordinates and m in shown]
        if coords:
            cx = sum(c[0] for c in coords) / len(coords)
            cy = sum(c[1] for c in coords) / len(coords)
            centres.append(
                {"x": round(MAP_MARGIN + cx * width, 1), "y": round(MAP_MARGIN + (1 - cy) * height, 1), "number": n + 1}
            )
    return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "points": points, "centres": centres}


OUTSIDE_PLAN_SHARE = 0.5


def _outside_plan(members, shown) -> bool:
    """Half or more of the theme's submissions fit no 施策 (none confirmed, none suggested): a 施策外 candidate."""
    seen = [shown[pk] for pk in members if pk in shown]
    unplaced = sum(1 for s in seen if s.policy is None and s.suggested_policy is None)
    return bool(seen) and unplaced / len(seen) >= OUTSIDE_PLAN_SHARE


def _policy_mix(members, shown) -> str:
    codes = Counter()
    for pk in members:
        submission = shown.get(pk)
        if submission is None:
            continue
        policy = submission.policy or submission.suggested_policy
        codes[policy.code if policy else _("該当なし・未分類")] += 1
    return "、".join(f"{code} {n}件" for code, n in codes.most_common(3))


@staff_member_required(*STAFF_WORKING_ROLES)
def themes(request, pk):
    consultation = _consultation(request, pk)
    run = theme_run_latest(consultation=consultation)
    context = {"consultation": consultation, "run": run, "filters": {k: request.GET.get(k, "") for k in FILTERS}}
    context["districts"] = District.objects.order_by("order", "pk")
    context["age_bands"] = Submission._meta.get_field("age_band").choices
    context["channels"] = Submission._meta.get_field("channel").choices
    if run is None or run.status != ThemeRun.Status.DONE:
        return render(request, "opinions/themes.html", context)
    shown = _filtered(consultation, request.GET)
    all_themes = run.result.get("themes", [])
    top = [t for t in all_themes if t["parent"] is None]
    rows = []
    for n, theme in enumerate(top):
        in_view = [m for m in theme["members"] if m in shown]
        rows.append(
            {
                "number": n + 1,
                "theme": theme,
                "count": len(in_view),
                "policy_mix": _policy_mix(in_view, shown),
                "outside_plan": _outside_plan(in_view, shown),
                "subthemes": [t for t in all_themes if t["parent"] == theme["id"]],
            }
        )
    context.update(
        rows=rows,
        map=_map(run, top, shown),
        shown_count=len(shown),
        unassigned=sum(1 for m in run.result.get("unassigned", []) if m in shown),
    )
    selected = request.GET.get("theme", "")
    theme = run.theme(int(selected)) if selected.isdigit() else None
    if theme is not None:
        members = [shown[m] for m in theme["members"] if m in shown]
        page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
        texts = latest_masked_texts(submission_ids=[s.pk for s in page])
        context.update(
            selected=theme,
            members_page=page,
            member_texts=[(s, texts.get(s.pk, "")) for s in page],
            selected_number=next((r["number"] for r in rows if r["theme"]["id"] == theme["id"]), None),
        )
    return render(request, "opinions/themes.html", context)


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
    run = theme_run_latest(consultation=consultation)
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
