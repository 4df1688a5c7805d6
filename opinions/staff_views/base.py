"""What every workbench page shares.

The case and group lookups (404 outside the user's access), the page size,
and a service's ValidationError shown on the form.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from opinions.selectors.groups import consultation_get_for_workbench, opinion_group_get_for_workbench

ITEMS_PER_PAGE = 50


def _consultation(request, pk):
    consultation = consultation_get_for_workbench(user=request.user, pk=pk)
    if consultation is None:
        raise Http404
    return consultation


def _group(request, pk, group_pk):
    group = opinion_group_get_for_workbench(user=request.user, pk=group_pk, consultation_pk=pk)
    if group is None:
        raise Http404
    return group


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
