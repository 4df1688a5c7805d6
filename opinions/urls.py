from django.urls import path

from opinions.staff_views import groups, items, overview, table, themes

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
]
