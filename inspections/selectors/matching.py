"""Reads the writes and loaders share: which event we already hold that a new one would duplicate,
and which framework a source that does not name one belongs to. (Imported as
`inspections.selectors.matching`, not re-exported: the other selectors shape data for pages.)"""

from datetime import timedelta

from django.db.models import Q

from ..models import OFSTED_REPORT_LINK, REPORTED_KINDS, DatePrecision, Event, Framework


def find_matching_event(*, council, kind, start_date, published_date, source_url="", date_precision=DatePrecision.DAY):
    """The event this one would duplicate: the same Ofsted report link (`source_url`, when it is
    one); else same council, kind and start date, a date known only to the month or year matching
    the one event of that kind in that month or year (either side); or, when one side's start date
    is unknown, the same published date. Interventions and milestones are never matched this way:
    several can share a date."""
    if kind not in REPORTED_KINDS:
        return None
    events = Event.objects.filter(council=council, kind=kind)
    # One Ofsted report link, one report (other links, such as Ofsted's home page, identify nothing).
    if source_url and source_url.startswith(OFSTED_REPORT_LINK):
        match = events.filter(source_url=source_url).first()
        if match:
            return match
    if start_date is not None:
        if date_precision in (DatePrecision.MONTH, DatePrecision.YEAR):
            return _only_one_in_period(events, "start_date", start_date, date_precision)
        match = events.filter(start_date=start_date).first()
        if match:
            return match
        partial = events.filter(
            Q(date_precision=DatePrecision.YEAR, start_date__year=start_date.year)
            | Q(
                date_precision=DatePrecision.MONTH, start_date__year=start_date.year, start_date__month=start_date.month
            )
        )
        found = list(partial.order_by("start_date", "pk")[:2])
        if len(found) == 1:
            return found[0]
        if published_date is None:
            return None
        return events.filter(start_date__isnull=True, published_date=published_date).first()
    if published_date is not None:
        if date_precision in (DatePrecision.MONTH, DatePrecision.YEAR):
            return _only_one_in_period(events, "published_date", published_date, date_precision)
        return events.filter(published_date=published_date).first()
    return None


def _only_one_in_period(events, field, day, precision):
    """The one event whose `field` falls in the month (or year) of `day`; None for none or several."""
    period = events.filter(**{f"{field}__year": day.year})
    if precision == DatePrecision.MONTH:
        period = period.filter(**{f"{field}__month": day.month})
    found = list(period.order_by(field, "pk")[:2])
    return found[0] if len(found) == 1 else None


def framework_for_dates(*, start_date, published_date, frameworks, publication_lag_days=120):
    """The framework an undated-framework source belongs to, or None when its dates are ambiguous.

    With a start date: the inferable framework whose period contains it. With only a published
    date: the single framework that could have produced a report published then (allowing
    `publication_lag_days` after a framework ends); None if two could, never a guess.
    """
    if start_date is not None:
        for fw in frameworks:
            if fw.applies_from <= start_date and (fw.applies_until is None or start_date <= fw.applies_until):
                return fw if fw.infer_from_dates else None
        return None
    if published_date is None:
        return None
    lag = timedelta(days=publication_lag_days)
    candidates = [
        fw
        for fw in frameworks
        if fw.applies_from <= published_date and (fw.applies_until is None or published_date <= fw.applies_until + lag)
    ]
    if len(candidates) == 1 and candidates[0].infer_from_dates:
        return candidates[0]
    return None


def frameworks_by_key():
    """Every framework by key, with its scale and grades (two queries)."""
    return {f.key: f for f in Framework.objects.select_related("scale").prefetch_related("scale__grades")}


def event_matching_values(*, council, kind, values):
    """`find_matching_event` for an event's field values (a form's or a loader's), or None."""
    return find_matching_event(
        council=council,
        kind=kind,
        start_date=values.get("start_date"),
        published_date=values.get("published_date"),
        source_url=values.get("source_url") or "",
        date_precision=values.get("date_precision") or DatePrecision.DAY,
    )
