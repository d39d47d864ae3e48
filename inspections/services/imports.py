"""What every loader shares: the created/updated/unchanged outcome of one row, row errors, a
summary of a whole file, and running a load in one transaction (rolled back for a dry run)."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

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


def save_if_changed(instance, values):
    """Set `values` on `instance`; save (after full_clean) only if it is new or something differs.
    Returns CREATED, UPDATED or UNCHANGED. The one way every service applies field values."""
    changed = [name for name, value in values.items() if _current(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if instance.pk is None:
        instance.full_clean()
        instance.save()
        return CREATED
    if changed:
        instance.full_clean()
        instance.save()
        return UPDATED
    return UNCHANGED
