"""Every write: councils, events with their judgements and recommendations, status changes, imports.

Services take keyword-only arguments, run in one transaction, call `full_clean()` before saving and
raise `ValidationError` with a sentence a council officer understands.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.text import slugify

from .models import (
    OFSTED_REPORT_LINK,
    REPORTED_KINDS,
    AddressedTo,
    Council,
    DatePrecision,
    Event,
    EventKind,
    Framework,
    FrameworkArea,
    Grade,
    Judgement,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
    Region,
    StatisticalNeighbour,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class RowError:
    """A problem with one row (or page) of an input file."""

    row: int
    message: str

    def __str__(self):
        return f"Row {self.row}: {self.message}"


class ImportFailed(Exception):
    """An import found errors; nothing was written. `errors` lists each row's problem."""

    def __init__(self, source, errors):
        self.source = source
        self.errors = list(errors)
        super().__init__(f"{source}: {len(self.errors)} error(s); nothing was changed.")


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    source: str
    rows: int = 0
    counts: dict = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
    dry_run: bool = False
    warnings: list = field(default_factory=list)

    def add(self, status):
        self.counts[status] += 1

    @property
    def changed(self):
        return self.counts[CREATED] + self.counts[UPDATED]

    def describe(self, noun="rows"):
        where = f"{self.rows} {noun} in {self.source}"
        if self.dry_run:
            if not self.changed:
                return f"Dry run, nothing saved: no changes, all {where} are already up to date."
            return (
                f"Dry run, nothing saved: would create {self.counts[CREATED]} and update {self.counts[UPDATED]}; "
                f"{self.counts[UNCHANGED]} unchanged ({where})."
            )
        if not self.changed:
            return f"No changes: all {where} are already up to date."
        return (
            f"Created {self.counts[CREATED]}, updated {self.counts[UPDATED]}, "
            f"{self.counts[UNCHANGED]} unchanged ({where})."
        )


class _DryRunRollback(Exception):
    pass


def run_import(*, source, dry_run, apply):
    """Run `apply(summary)` in one transaction; roll it back for a dry run. Returns the summary."""
    summary = ImportSummary(source=source, dry_run=dry_run)
    try:
        with transaction.atomic():
            apply(summary)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return summary


def _current(instance, name):
    """A field's value, or None for a relation not set yet."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _save_if_changed(instance, values):
    """Set `values` on `instance`; save (after full_clean) only if something differs."""
    changed = False
    for name, value in values.items():
        if _current(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if instance.pk is None:
        instance.full_clean()
        instance.save()
        return CREATED
    if changed:
        instance.full_clean()
        instance.save()
        return UPDATED
    return UNCHANGED


# Councils ------------------------------------------------------------------------------------


@dataclass
class CouncilRow:
    """One council as read from the lookup file, validated."""

    row: int
    urn: int
    name: str
    la_code: str
    gss_code: str
    region_code: str
    region_name: str
    council_type: str
    population_0_25: int | None
    neighbour_la_codes: list


def councils_load(*, rows, reorganisations):
    """Create or update councils, regions, neighbours and predecessors from validated rows.

    `rows`: list of CouncilRow; `reorganisations`: list of (predecessor GSS, successor GSS).
    Raises ImportFailed naming the rows whose neighbours or reorganisations cannot be resolved.
    Returns a dict of status counts (per council).
    """
    by_la = {r.la_code: r for r in rows}
    by_gss = {r.gss_code: r for r in rows}
    errors = []
    for r in rows:
        for code in r.neighbour_la_codes:
            if code not in by_la:
                errors.append(RowError(r.row, f"statistical neighbour LA code {code} is not a council in this file."))
            elif code == r.la_code:
                errors.append(RowError(r.row, "a council cannot be its own statistical neighbour."))
    for predecessor, successor in reorganisations:
        for code in (predecessor, successor):
            if code not in by_gss:
                errors.append(RowError(0, f"reorganisation names GSS code {code}, which is not in the file."))
    if errors:
        raise ImportFailed("council lookup", errors)

    abolished = {p for p, _ in reorganisations}
    statuses = {}
    regions = {}
    for r in rows:
        region = regions.get(r.region_code)
        if region is None:
            region = Region.objects.filter(code=r.region_code).first() or Region(code=r.region_code)
            _save_if_changed(region, {"name": r.region_name, "slug": slugify(r.region_name)})
            regions[r.region_code] = region
        council = Council.objects.filter(urn=r.urn).first() or Council(urn=r.urn)
        try:
            statuses[r.urn] = _save_council(council, r, region, abolished)
        except ValidationError as exc:
            raise ImportFailed("council lookup", [RowError(r.row, " ".join(exc.messages))]) from exc

    councils = {c.la_code: c for c in Council.objects.filter(la_code__in=by_la)}
    existing = {}
    for link in StatisticalNeighbour.objects.filter(council__la_code__in=by_la).select_related("council", "neighbour"):
        existing.setdefault(link.council.la_code, []).append(link.neighbour.la_code)
    for r in rows:
        current = [code for code in existing.get(r.la_code, [])]
        if current != r.neighbour_la_codes:
            council = councils[r.la_code]
            StatisticalNeighbour.objects.filter(council=council).delete()
            StatisticalNeighbour.objects.bulk_create(
                [
                    StatisticalNeighbour(council=council, neighbour=councils[code], rank=rank)
                    for rank, code in enumerate(r.neighbour_la_codes, start=1)
                ]
            )
            if statuses[r.urn] == UNCHANGED:
                statuses[r.urn] = UPDATED

    by_gss_council = {c.gss_code: c for c in councils.values()}
    wanted = {}
    for predecessor, successor in reorganisations:
        wanted.setdefault(successor, set()).add(by_gss_council[predecessor].pk)
    for gss, council in by_gss_council.items():
        want = wanted.get(gss, set())
        have = set(council.predecessors.values_list("pk", flat=True))
        if want != have:
            council.predecessors.set(want)
            if statuses[council.urn] == UNCHANGED:
                statuses[council.urn] = UPDATED
    return statuses


def _save_council(council, r, region, abolished):
    return _save_if_changed(
        council,
        {
            "name": r.name,
            "slug": council.slug or _unique_council_slug(r.name, r.urn),
            "la_code": r.la_code,
            "gss_code": r.gss_code,
            "region": region,
            "council_type": r.council_type,
            "is_active": r.gss_code not in abolished,
            "population_0_25": r.population_0_25,
        },
    )


def _unique_council_slug(name, urn):
    slug = slugify(name)
    if Council.objects.filter(slug=slug).exclude(urn=urn).exists():
        slug = f"{slug}-{urn}"
    return slug


# Events --------------------------------------------------------------------------------------


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
            period = events.filter(start_date__year=start_date.year)
            if date_precision == DatePrecision.MONTH:
                period = period.filter(start_date__month=start_date.month)
            found = list(period.order_by("start_date", "pk")[:2])
            return found[0] if len(found) == 1 else None
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
            period = events.filter(published_date__year=published_date.year)
            if date_precision == DatePrecision.MONTH:
                period = period.filter(published_date__month=published_date.month)
            found = list(period.order_by("published_date", "pk")[:2])
            return found[0] if len(found) == 1 else None
        return events.filter(published_date=published_date).first()
    return None


def _resolve_judgements(framework, judgements):
    """Map {area key: grade key} to (area, grade) pairs, checking both against the framework."""
    if not judgements:
        return []
    if framework is None:
        raise ValidationError("Record the inspection's framework before its judgements.")
    areas = {fa.area.key: fa.area for fa in FrameworkArea.objects.filter(framework=framework).select_related("area")}
    grades = {g.key: g for g in framework.scale.grades.all()}
    pairs = []
    for area_key, grade_key in judgements.items():
        if area_key not in areas:
            raise ValidationError(f"{framework.short_name} does not judge “{area_key}”.")
        if grade_key not in grades:
            known = ", ".join(grades)
            raise ValidationError(f"“{grade_key}” is not a grade under {framework.short_name} (use one of {known}).")
        pairs.append((areas[area_key], grades[grade_key]))
    return pairs


def event_save(
    *,
    council,
    kind,
    values,
    judgements=None,
    recommendations=None,
    fill_only=False,
    event=None,
    expected_version=None,
):
    """Create or update one timeline event with its judgements and recommendations.

    `values`: model field values (framework as a Framework or None, dates, lead_inspector, ...).
    `judgements`: {area key: grade key} or None to leave judgements alone.
    `recommendations`: list of {"text", "addressed_to", "priority"} in order (numbered per list), or None.
    `fill_only`: only fill empty fields and missing judgements (for lower-trust third-party data).
    `event`: the event a form edited; `expected_version` (required with it) is the version that
    form showed, and a different stored version is a conflict (code "conflict"). When `event` is
    None, a duplicate (same council, kind and start date) is looked up and updated (imports merge
    into what we hold) instead of creating a second one.
    Raises ValidationError (an event already held, from a concurrent save, says so). Returns
    (event, status); any change bumps the event's version.
    """
    try:
        with transaction.atomic():
            return _event_save(
                council=council,
                kind=kind,
                values=values,
                judgements=judgements,
                recommendations=recommendations,
                fill_only=fill_only,
                event=event,
                expected_version=expected_version,
            )
    except IntegrityError as exc:
        # Someone saved the same report or result a moment ago (a second confirm, a double post).
        if find_matching_event(
            council=council,
            kind=kind,
            start_date=values.get("start_date"),
            published_date=values.get("published_date"),
            source_url=values.get("source_url") or "",
            date_precision=values.get("date_precision") or DatePrecision.DAY,
        ):
            raise ValidationError(
                f"{council.name} already has this {EventKind(kind).label.lower()}: it was saved a moment ago. "
                "Open it from the council's page to check or change it.",
                code="already_held",
            ) from exc
        raise


def _event_save(*, council, kind, values, judgements, recommendations, fill_only, event, expected_version):
    if event is not None:
        event = event_lock(event_id=event.pk, expected_version=expected_version)
    else:
        event = find_matching_event(
            council=council,
            kind=kind,
            start_date=values.get("start_date"),
            published_date=values.get("published_date"),
            source_url=values.get("source_url") or "",
            date_precision=values.get("date_precision") or DatePrecision.DAY,
        )
        if event is not None:
            event = Event.objects.select_for_update().get(pk=event.pk)
        else:
            event = Event(council=council, kind=kind)
    if fill_only and event.pk:
        values = {k: v for k, v in values.items() if v not in (None, "") and getattr(event, k) in (None, "")}
    values = {"council": council, "kind": kind, **values}
    status = _apply_values(event, values)

    if judgements is not None:
        if _set_judgements(event, _resolve_judgements(event.framework, judgements), fill_only=fill_only):
            status = UPDATED if status == UNCHANGED else status
    if recommendations is not None:
        if _set_recommendations(event, recommendations):
            status = UPDATED if status == UNCHANGED else status
    if status == UPDATED:
        event.version = event_version_bump(event_id=event.pk)
    return event, status


# One locking scheme: Event.version --------------------------------------------------------------

CONFLICT_MESSAGE = (
    "Someone else changed this {what} while you were working on it. Your changes have not been saved: "
    "check what they changed below, then make your changes again."
)


def event_lock(*, event_id, expected_version, what="event"):
    """The event, locked for this transaction, if it still has `expected_version` (the version the
    form showed: required, a positive whole number). Every form that changes an event, its
    judgements, recommendations or their status updates holds its version, and every write bumps
    it (event_version_bump), so a stale or replayed form is refused, never silently applied.

    Raises Event.DoesNotExist; ValidationError with code "conflict" (changed since) or "stale_form"
    (no version: a form from before this check, or tampered with).
    """
    if not isinstance(expected_version, int) or isinstance(expected_version, bool) or expected_version < 1:
        raise ValidationError(
            "This page is out of date. Your changes have not been saved: open the page again and make them again.",
            code="stale_form",
        )
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.version != expected_version:
        raise ValidationError(CONFLICT_MESSAGE.format(what=what), code="conflict")
    return event


def event_version_bump(*, event_id):
    """Mark event `event_id` (or what belongs to it) changed: the next save of a form loaded before
    this is refused. Called by every write path: services, the Django admin, restores. Returns the
    new version."""
    Event.objects.filter(pk=event_id).update(version=F("version") + 1)
    return Event.objects.filter(pk=event_id).values_list("version", flat=True).first()


def _apply_values(event, values):
    changed = [name for name, value in values.items() if _current(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    if event.pk is None:
        event.full_clean()
        event.save()
        return CREATED
    if changed:
        event.full_clean()
        event.save()
        return UPDATED
    return UNCHANGED


def _set_judgements(event, pairs, *, fill_only):
    """Make the event's judgements equal `pairs` (or, with fill_only, add missing ones). True if changed."""
    current = {j.area_id: j for j in event.judgements.all()}
    wanted = {area.pk: (area, grade) for area, grade in pairs}
    changed = False
    new = []
    for area_id, (area, grade) in wanted.items():
        existing = current.get(area_id)
        if existing is None:
            # Area and grade were checked against the framework by _resolve_judgements; one insert for all.
            new.append(Judgement(event=event, area=area, grade=grade))
        elif existing.grade_id != grade.pk and not fill_only:
            existing.grade = grade
            existing.full_clean()
            existing.save()
            changed = True
    if not fill_only:
        for area_id, judgement in current.items():
            if area_id not in wanted:
                judgement.delete()
                changed = True
    if new:
        _create_with_history(Judgement, new)
        changed = True
    return changed


def _create_with_history(model, objects):
    """Insert new rows whose values the service has already checked, with their history rows, in a
    couple of queries (a report's dozen judgements or recommendations one by one, each validated by
    queries, made loading the shipped record of 743 reports take minutes). The database's own
    constraints still hold. The signed-in user, if any, is recorded as for a single save."""
    from simple_history.models import HistoricalRecords
    from simple_history.utils import bulk_create_with_history

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    user = user if getattr(user, "is_authenticated", False) else None
    bulk_create_with_history(objects, model, default_user=user)


def _set_recommendations(event, items):
    """Make the event's recommendation texts equal `items`, numbered within each list.

    A recommendation keeps its row (so its status and status history) when its text is still in
    the list, even if it moved (one above it was removed), or when its text was edited in place
    (same number). True if changed.
    """
    counters = {}
    wanted = {}
    priorities = {}
    for item in items:
        addressed_to = item.get("addressed_to") or AddressedTo.COUNCIL
        if addressed_to not in AddressedTo.values:
            raise ValidationError(
                f"A recommendation must be addressed to the council or the LSCB, not “{addressed_to}”."
            )
        text = (item.get("text") or "").strip()
        if not text:
            raise ValidationError("A recommendation cannot be empty.")
        counters[addressed_to] = counters.get(addressed_to, 0) + 1
        wanted[(addressed_to, counters[addressed_to])] = text
        priorities[(addressed_to, counters[addressed_to])] = bool(item.get("priority"))
    current = list(event.recommendations.all())
    by_text = {}
    for rec in current:
        by_text.setdefault((rec.addressed_to, rec.text), []).append(rec)
    rows = {}
    for key, text in wanted.items():
        same_text = by_text.get((key[0], text))
        if same_text:
            rows[key] = same_text.pop(0)
    used = {rec.pk for rec in rows.values()}
    by_number = {(rec.addressed_to, rec.number): rec for rec in current if rec.pk not in used}
    for key in wanted:
        if key not in rows and key in by_number:
            rows[key] = by_number.pop(key)
    changed = False
    kept = {rec.pk for rec in rows.values()}
    for rec in current:
        if rec.pk not in kept:
            rec.delete()
            changed = True
    # Rows that move are parked on free numbers first: (event, list, number) is unique.
    moving = [(key, rec) for key, rec in rows.items() if rec.number != key[1]]
    for offset, (_key, rec) in enumerate(moving, start=1):
        rec.number = 1000 + offset
        rec.save(update_fields=["number"])
    new = []
    for key, text in wanted.items():
        rec = rows.get(key)
        if rec is None:
            # List, number and text are checked above; numbers are unique within each list.
            new.append(
                Recommendation(event=event, addressed_to=key[0], number=key[1], text=text, priority=priorities[key])
            )
            continue
        if rec.number == key[1] and rec.text == text and rec.priority == priorities[key]:
            continue
        rec.number, rec.text, rec.priority = key[1], text, priorities[key]
        rec.full_clean()
        rec.save()
        changed = True
    if new:
        _create_with_history(Recommendation, new)
        changed = True
    return changed


def recommendation_status_change(
    *, recommendation, status, date, note="", evidence_url="", user=None, expected_version=None
):
    """Record a dated status change of a recommendation, with a note and optional evidence link.

    `expected_version`: the version of the recommendation's event the editor's form showed (see
    event_lock); None only for non-interactive callers (loaders), which never hold a form.
    Raises ValidationError for an unknown status, a date before the inspection, or (code
    "conflict"/"stale_form") a form overtaken by another change. Bumps the event's version.
    """
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": "Choose open, in progress, met or superseded."})
    if status == recommendation.status and not note.strip() and not evidence_url.strip():
        raise ValidationError({"status": "Choose a new status or add a note"})
    event = recommendation.event
    if event.date and date < event.date:
        raise ValidationError({"date": "The update cannot be dated before the inspection."})
    with transaction.atomic():
        if expected_version is not None:
            event_lock(event_id=recommendation.event_id, expected_version=expected_version, what="recommendation")
            recommendation = Recommendation.objects.select_related("event").get(pk=recommendation.pk)
        update = RecommendationUpdate(
            recommendation=recommendation,
            date=date,
            status=status,
            note=note.strip(),
            evidence_url=evidence_url.strip(),
            created_by=user,
        )
        update.full_clean()
        update.save()
        latest = recommendation.updates.order_by("-date", "-created_at").first()
        if recommendation.status != latest.status:
            recommendation.status = latest.status
            recommendation.full_clean()
            recommendation.save()
        event_version_bump(event_id=recommendation.event_id)
    return update


def framework_for_dates(*, start_date, published_date, frameworks, publication_lag_days=120):
    """The framework an undated-framework source belongs to, or None when its dates are ambiguous.

    With a start date: the inferable framework whose period contains it. With only a published
    date: the single framework that could have produced a report published then (allowing
    `publication_lag_days` after a framework ends); None if two could, never a guess.
    """
    from datetime import timedelta

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


def grade_lookup():
    """All grades by key (a helper for importers)."""
    return {g.key: g for g in Grade.objects.all()}


def frameworks_by_key():
    return {f.key: f for f in Framework.objects.select_related("scale").prefetch_related("scale__grades")}


__all__ = [
    "EventKind",
    "ImportFailed",
    "ImportSummary",
    "RowError",
    "councils_load",
    "event_lock",
    "event_save",
    "event_version_bump",
    "find_matching_event",
    "framework_for_dates",
    "recommendation_status_change",
    "run_import",
]
