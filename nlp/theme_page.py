"""What a theme page shows (#14), read once for every page that shows themes.

The 作業台's theme page, the letters' theme page (per 年度/課) and the
public results page draw the same map and table from a finished
``ThemeRun``; this module builds them, so the three cannot drift apart.
Members are shown in the masked text of their latest analysis (the theme was
computed from it), so opening a theme writes no personal-data audit row.
"""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.models import District
from feedback.models import Submission
from nlp.models import ThemeRun
from nlp.screening import PublicText
from nlp.selectors import (
    latest_masked_texts,
    theme_run_is_stale,
    theme_run_latest,
    theme_run_latest_done,
    theme_run_submissions,
)

MEMBERS_PER_PAGE = 50
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 400, 24
# Eight colours that stay apart for the common colour-vision types (Okabe–Ito);
# each theme's number is also drawn at its centre, so colour is never the only cue.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
FILTERS = ("district", "age_band", "channel", "policy")
OUTSIDE_PLAN_SHARE = 0.5


def theme_filter_choices() -> dict:
    return {
        "districts": District.objects.order_by("order", "pk"),
        "age_bands": [(v, label) for v, label in Submission._meta.get_field("age_band").choices if v],
        "channels": Submission._meta.get_field("channel").choices,
    }


def _filtered(run: ThemeRun, params) -> dict[int, Submission]:
    rows = theme_run_submissions(run)
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
    fields = ("pk", "receipt_number", "channel", "age_band", "district", "policy", "suggested_policy")
    return {s.pk: s for s in rows.only(*fields)}


def _map(run: ThemeRun, top: list[dict], shown: dict) -> dict:
    index = {member: n for n, theme in enumerate(top) for member in theme["members"]}
    width, height = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN

    def place(x: float, y: float) -> tuple[float, float]:
        return round(MAP_MARGIN + x * width, 1), round(MAP_MARGIN + (1 - y) * height, 1)

    points, centres = [], []
    for key, (x, y) in run.coordinates.items():
        pk = int(key)
        if pk not in shown:
            continue
        n = index.get(pk)
        px, py = place(x, y)
        colour = PALETTE[n % len(PALETTE)] if n is not None else "#767676"
        points.append({"x": px, "y": py, "colour": colour, "theme": n})
    for n, theme in enumerate(top):
        coords = [run.coordinates[str(m)] for m in theme["members"] if str(m) in run.coordinates and m in shown]
        if coords:
            cx, cy = place(sum(c[0] for c in coords) / len(coords), sum(c[1] for c in coords) / len(coords))
            centres.append({"x": cx, "y": cy, "number": n + 1})
    return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "points": points, "centres": centres}


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


def _policy_matrix(top: list[dict], shown: dict) -> dict:
    """Theme × 施策 counts (confirmed 施策, else the suggestion): which themes the plan does not cover."""
    columns: dict[str, str] = {}
    counts: list[Counter] = []
    for theme in top:
        row: Counter = Counter()
        for pk in theme["members"]:
            submission = shown.get(pk)
            if submission is None:
                continue
            policy = submission.policy or submission.suggested_policy
            code = policy.code if policy else ""
            if policy:
                columns.setdefault(code, policy.title)
            row[code] += 1
        counts.append(row)
    codes = sorted(columns) + [""]
    return {
        "columns": [{"code": c, "name": columns.get(c, _("該当なし・未分類"))} for c in codes],
        "rows": [
            {"number": n + 1, "label": theme["label"], "cells": [row.get(c, 0) for c in codes]}
            for n, (theme, row) in enumerate(zip(top, counts, strict=True))
        ],
    }


def theme_page(run: ThemeRun, params, *, scope_params: dict | None = None) -> dict:
    """Rows (top-level themes with sub-themes), map, counts and the selected theme's members, filtered.

    ``scope_params`` (e.g. the letters' 年度 and 課) ride along in every link and form.
    """
    scope_params = scope_params or {}
    filters = {k: params.get(k, "") for k in FILTERS}
    scope_query = "".join(f"{urlencode({k: v})}&" for k, v in scope_params.items())
    shown = _filtered(run, params)
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
    context = {
        "rows": rows,
        "map": _map(run, top, shown),
        "policy_matrix": _policy_matrix(top, shown),
        "shown_count": len(shown),
        "unassigned": sum(1 for m in run.result.get("unassigned", []) if m in shown),
        "filters": filters,
        "scope_params": scope_params,
        # Query-string prefixes ending in "&", so a link adds theme= or page= after them.
        "scope_query": scope_query,
        "filter_query": scope_query + "".join(f"{urlencode({k: v})}&" for k, v in filters.items() if v),
    }
    selected = params.get("theme", "")
    theme = run.theme(int(selected)) if selected.isdigit() else None
    if theme is not None:
        members = [shown[m] for m in theme["members"] if m in shown]
        page = Paginator(members, MEMBERS_PER_PAGE).get_page(params.get("page"))
        texts = latest_masked_texts(submission_ids=[s.pk for s in page])
        context.update(
            selected=theme,
            members_page=page,
            member_texts=[(s, texts.get(s.pk, "")) for s in page],
            selected_number=next((r["number"] for r in rows if r["theme"]["id"] == theme["id"]), None),
        )
    return context


def theme_numbers(run: ThemeRun) -> dict[int, str]:
    """The number each theme is shown under, by theme id: "3" for the third theme, "3-2" for its second sub-theme.

    The top-level order is the table's (``theme_page`` numbers its rows the same way).
    """
    themes = run.result.get("themes", [])
    numbers = {t["id"]: str(n + 1) for n, t in enumerate(t for t in themes if t["parent"] is None)}
    subs: Counter = Counter()
    for theme in themes:
        parent = theme["parent"]
        if parent is not None and parent in numbers:
            subs[parent] += 1
            numbers[theme["id"]] = f"{numbers[parent]}-{subs[parent]}"
    return numbers


def theme_run_public_texts(run: ThemeRun) -> list[PublicText]:
    """What publishing a run puts before residents, named for the personal-data screen (nlp.screening).

    Each theme's (and sub-theme's) label and key phrases; the names say which
    theme, so a refusal tells 広聴 where to look.
    """
    numbers = theme_numbers(run)
    texts = []
    for theme in run.result.get("themes", []):
        params = {"number": numbers.get(theme["id"], "?"), "label": theme["label"]}
        texts.append(PublicText(_("テーマ%(number)s「%(label)s」の見出し") % params, theme["label"]))
        if theme.get("key_phrases"):
            texts.append(
                PublicText(_("テーマ%(number)s「%(label)s」のキーフレーズ") % params, "、".join(theme["key_phrases"]))
            )
    return texts


def theme_progress(run: ThemeRun | None) -> dict:
    """The progress block's words and numbers (the page and its polled JSON say the same)."""
    if run is None:
        return {"finished": True, "stalled": False, "text": _("まだ計算していません。"), "total": 100, "done": 0}
    if run.status == ThemeRun.Status.QUEUED:
        text = _("計算待ちです。まもなく始まります。")
    elif run.status == ThemeRun.Status.RUNNING:
        text = _("計算中：%(stage)s（%(percent)s%%）") % {"stage": run.stage or _("準備"), "percent": run.progress}
    elif run.status == ThemeRun.Status.DONE:
        text = _("%(n)s件から計算しました。") % {"n": f"{run.item_count:,}"}
    else:
        text = _("計算は失敗しました（%(error)s）。") % {"error": run.error}
    return {
        "status": run.status,
        "finished": run.status in (ThemeRun.Status.DONE, ThemeRun.Status.FAILED),
        "stalled": theme_run_is_stale(run),
        "text": text,
        "total": 100,
        "done": run.progress,
    }


def theme_page_context(params, *, scope_params: dict | None = None, **scope) -> dict:
    """Everything a theme page shows for one scope (``theme_run_latest``'s keywords).

    The newest run drives the progress block; while it computes, the last
    finished run (``shown_run``) stays on the page with its map and table.
    """
    run = theme_run_latest(**scope)
    shown = run if run is not None and run.status == ThemeRun.Status.DONE else theme_run_latest_done(**scope)
    context = {"run": run, "shown_run": shown, "progress": theme_progress(run), **theme_filter_choices()}
    if shown is not None:
        context.update(theme_page(shown, params, scope_params=scope_params))
    return context
