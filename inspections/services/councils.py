"""Writes to councils, their regions, statistical neighbours and predecessors (the council lookup)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ..models import Council, Region, StatisticalNeighbour
from .imports import UNCHANGED, UPDATED, ImportFailed, RowError, save_if_changed


@dataclass
class CouncilLookupRow:
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

    `rows`: list of CouncilLookupRow; `reorganisations`: list of (predecessor GSS, successor GSS).
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
            save_if_changed(region, {"name": r.region_name, "slug": slugify(r.region_name)})
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
    return save_if_changed(
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
