"""Entering and correcting results: /inspections/new/ (two steps) and /events/<pk>/edit/. Editors only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.submissions import (
    TOKEN,
    AlreadySubmitted,
    submission_claim,
    submission_done,
    submission_result,
    submission_token,
)

from ..forms import EventDetailsForm, EventEntry, EventTypeForm, recommendation_initial
from ..models import Event
from ..roles import ENTER, permission_required
from ..services import UNCHANGED, event_save

STEP_1 = "inspections:event_new"
STEP_2 = "inspections:event_new_details"


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def event_new(request):
    """Step 1: the council, the kind of event and, for an inspection, its framework."""
    if request.method == "POST":
        form = EventTypeForm(request.POST)
        if form.is_valid():
            return redirect(f"{reverse(STEP_2)}?{urlencode(form.as_query())}")
    else:
        form = EventTypeForm(initial={k: request.GET.get(k) for k in ("council", "kind", "framework")})
    return render(request, "entry/type.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def event_new_details(request):
    """Step 2: dates, the framework's judgements and the recommendations; saved as a new event
    (an event we already hold is refused by the service and linked to instead)."""
    entry = EventEntry(request.POST if request.method == "POST" else None, type_data=request.GET)
    if not entry.type_form.is_valid():
        return redirect(f"{reverse(STEP_1)}?{request.GET.urlencode()}")
    token = request.POST.get("submit_token", "")
    try:
        if request.method == "POST":
            submission_result(token)  # a replayed or double-clicked post: show what the first made
        if request.method == "POST" and entry.is_valid():
            with transaction.atomic():  # the token is claimed only if the event is saved
                submission_claim(token=token, user=request.user)
                event, _status = event_save(**entry.save_arguments())
                submission_done(token=token, result_url=event.get_absolute_url())
            messages.success(request, f"{event.display_title} saved for {event.council.name}.")
            return redirect(event)
    except AlreadySubmitted as done:
        messages.success(request, "This was saved already, when the form was first sent: here it is.")
        return redirect(done.result_url or reverse("inspections:home"))
    except ValidationError as error:
        entry.add_service_errors(error)
    return _render_details(request, entry)


def _render_details(request, entry):
    token = request.POST.get("submit_token", "")
    return render(
        request,
        "entry/details.html",
        {
            "entry": entry,
            "duplicate": entry.duplicate,
            "change_url": f"{reverse(STEP_1)}?{request.GET.urlencode()}",
            # Kept while the page is corrected (nothing was saved with it); new on a fresh page.
            "submit_token": token if TOKEN.fullmatch(token) else submission_token(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def event_edit(request, pk):
    """Correct an event. The page carries the version it showed; a save over someone else's newer
    change is refused with their version shown and everything typed kept."""
    event = get_object_or_404(Event.objects.with_details(), pk=pk)
    data = request.POST if request.method == "POST" else None
    entry = EventEntry(
        data,
        type_data=data,
        type_initial={"council": event.council, "kind": event.kind, "framework": event.framework},
        initial=EventDetailsForm.initial_for(event),
        recommendations_initial=recommendation_initial(event),
        require_framework=False,
    )
    conflict = None
    if data is not None and entry.is_valid():
        expected = entry.details.cleaned_data.get("version")  # required: services.event_lock
        try:
            saved, status = event_save(event=event, expected_version=expected, **entry.save_arguments())
        except ValidationError as error:
            if getattr(error, "code", None) in ("conflict", "stale_form"):
                conflict = Event.objects.with_details().get(pk=event.pk)
                _show_version(entry, conflict.version)
            else:
                entry.add_service_errors(error)
        else:
            if status == UNCHANGED:
                messages.success(request, "No changes to save.")
            else:
                messages.success(request, f"{saved.display_title} updated.")
            return redirect(saved)
    return render(
        request,
        "entry/edit.html",
        {
            "event": event,
            "entry": entry,
            "conflict": conflict,
        },
    )


def _show_version(entry, version):
    """After a conflict, the page carries the newer version: saving again is a deliberate overwrite."""
    data = entry.details.data.copy()
    data["version"] = str(version)
    entry.details.data = data
