"""View helpers shared by the staff pages."""

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (per field when it names the form's fields)."""
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= {*form.fields, "__all__"}:
        form.add_error(None, exc)
        return
    for message in exc.messages:
        form.add_error(None, message)


def form_action(
    request,
    form,
    act: Callable[[dict], str],
    *,
    success_url: str,
    template: str,
    context: Mapping | Callable[[], Mapping] | None = None,
) -> HttpResponse:
    """Run one form-backed action the same way on every staff page.

    form → ``act(form.cleaned_data)`` (one service call, returning the success
    message) → ``messages.success`` → redirect to ``success_url``.

    An invalid form, or a ValidationError raised by the service, re-renders
    ``template`` with the bound form as ``form`` (so what was typed is kept
    and each error shows beside its field and in the error summary) with
    status 400. A GET renders the unbound form. ``context`` may be a callable
    so a page that is costly to build is only built when it is shown.
    """
    if request.method == "POST" and form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if message:
                messages.success(request, message)
            return redirect(success_url)
    extra = context() if callable(context) else (context or {})
    return render(request, template, {"form": form, **extra}, status=400 if form.errors else 200)
