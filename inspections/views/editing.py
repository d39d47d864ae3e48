"""Editors' pages: history of each council and event, restoring deletes (admins), and
recommendation status updates. Every view checks the role itself; templates only hide links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import audit, services
from ..forms import HistoryFilterForm, RecommendationUpdateForm
from ..models import Council, Event, Recommendation
from ..roles import ENTER, RESTORE, permission_required

HISTORY_PAGE_SIZE = 100


GROUPS_PER_PAGE = 10


def _filtered(request, history, kinds):
    """(filter form, entries) of a history page narrowed by the who/what in the query string."""
    form = HistoryFilterForm(
        request.GET or None,
        people=audit.people(history.entries),
        kinds=[(key, audit.KINDS[key].label.capitalize()) for key in kinds],
    )
    who, what = form.chosen
    return form, audit.filter_entries(history.entries, who=who, kind=what)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@permission_required(ENTER)
def council_history(request, slug):
    """Changes to a council and everything recorded for it, grouped by event, filtered by who and what."""
    council = get_object_or_404(Council.objects.with_region(), slug=slug)
    history = audit.council_history(council=council)
    form, entries = _filtered(request, history, audit.KINDS)
    groups = audit.group_by_event(entries)
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "editing/council_history.html",
        {
            "council": council,
            "history": history,
            "form": form,
            "entry_count": len(entries),
            "page": page,
            "query": _query_without_page(request),
        },
    )


@permission_required(ENTER)
def event_history(request, pk):
    try:
        title, council = audit.event_label(pk)
        history = audit.event_history(event_id=pk)
    except Event.DoesNotExist:
        raise Http404("No event has that number.") from None
    is_deleted = any(entry.kind == "event" and entry.restorable for entry in history.deleted)
    form, entries = _filtered(request, history, [k for k in audit.KINDS if k != "council"])
    return render(
        request,
        "editing/event_history.html",
        {
            "event_id": pk,
            "title": title,
            "council": council,
            "history": history,
            "is_deleted": is_deleted,
            "form": form,
            "entry_count": len(entries),
            "page": _page(request, entries),
            "query": _query_without_page(request),
        },
    )


@permission_required(RESTORE)
def deleted_records(request):
    return render(request, "editing/deleted_records.html", {"page": _page(request, audit.deleted_records())})


def _page(request, entries):
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required(RESTORE)
@require_POST
def record_restore(request, kind, pk):
    if kind not in audit.KINDS:
        raise Http404("There is no such kind of record.")
    try:
        restored = services.record_restore(kind=kind, object_id=pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = audit.KINDS[kind].label
        extra = len(restored) - 1
        messages.success(
            request,
            f"The {label} has been restored"
            + (f", with {extra} record{'s' if extra != 1 else ''} deleted along with it." if extra else "."),
        )
    return redirect(_safe_next(request, reverse("inspections:deleted_records")))


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@permission_required(ENTER)
def recommendation_update(request, pk):
    """A dated status change of one recommendation; refused (with the newer updates shown) when
    someone changed the recommendation or its event since the page was drawn."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("event__council", "event__framework"), pk=pk
    )
    event = recommendation.event
    form = RecommendationUpdateForm(request.POST if request.method == "POST" else None, recommendation=recommendation)
    if request.method == "POST" and form.save(user=request.user):
        recommendation.refresh_from_db()
        messages.success(
            request, f"Recommendation {recommendation.number} is now {recommendation.get_status_display()}."
        )
        return redirect(f"{event.get_absolute_url()}#recommendation-{recommendation.pk}")
    updates = recommendation.updates.select_related("created_by").order_by("-date", "-created_at")
    return render(
        request,
        "editing/recommendation_update.html",
        {
            "recommendation": recommendation,
            "event": event,
            "council": event.council,
            "form": form,
            "updates": updates,
        },
    )
