from django.urls import path

from opinions.staff_views import groups, inspection, items, overview, table, themes

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
_CASE = "consultations/<int:pk>/workbench/"
staff_urlpatterns = [
    path(_CASE, overview.overview, name="workbench"),
    path(f"{_CASE}seed/", overview.seed, name="workbench_seed"),
    path(f"{_CASE}move/", items.items_move, name="workbench_move"),
    path(
        f"{_CASE}submissions/<int:submission_pk>/split/",
        items.split,
        name="workbench_split",
    ),
    path(f"{_CASE}groups/<int:group_pk>/", groups.group_detail, name="workbench_group"),
    path(
        f"{_CASE}groups/<int:group_pk>/merge/",
        groups.group_merge,
        name="workbench_merge",
    ),
    path(
        f"{_CASE}groups/<int:group_pk>/review/",
        groups.group_review,
        name="workbench_review",
    ),
    path(
        f"{_CASE}groups/<int:group_pk>/withhold/",
        groups.group_withhold,
        name="workbench_withhold",
    ),
    path(f"{_CASE}themes/", themes.themes, name="workbench_themes"),
    path(f"{_CASE}themes/compute/", themes.themes_compute, name="workbench_themes_compute"),
    path(f"{_CASE}themes/adopt/", themes.themes_adopt, name="workbench_themes_adopt"),
    path(f"{_CASE}themes/status/", themes.themes_status, name="workbench_themes_status"),
    path(f"{_CASE}themes/publish/", themes.themes_publish, name="workbench_themes_publish"),
    path(f"{_CASE}themes/unpublish/", themes.themes_unpublish, name="workbench_themes_unpublish"),
    path(f"{_CASE}table/", table.table, name="workbench_table"),
    path(f"{_CASE}table.csv", table.table_csv, name="workbench_table_csv"),
    # 閲覧用の写し (行政手続法43条2項) and its 墨塗り記録.
    path(f"{_CASE}inspection/", inspection.inspection, name="workbench_inspection"),
    path(f"{_CASE}inspection/redact/", inspection.inspection_redact, name="workbench_inspection_redact"),
    path(f"{_CASE}inspection/revoke/", inspection.inspection_revoke, name="workbench_inspection_revoke"),
    path(f"{_CASE}inspection/print/", inspection.inspection_print, name="workbench_inspection_print"),
    path(f"{_CASE}inspection.csv", inspection.inspection_csv, name="workbench_inspection_csv"),
    path(f"{_CASE}inspection-log.csv", inspection.inspection_log_csv, name="workbench_inspection_log_csv"),
]
