"""What a printed briefing leaves out so it prints faster: nothing a reader loses, each fact printed once."""

import gc
import io
import re
import threading
from types import SimpleNamespace

import pytest
from django.utils.html import escape
from pypdf import PdfReader

from briefings import area, document, printing
from briefings.council import council_briefing
from inspections.models import Council, Region

pytestmark = pytest.mark.django_db


def council_html(slug, *sections):
    return printing.render_html(council_briefing(slug=slug, options=document.BriefingOptions(sections=sections)))


def area_html(region, *sections):
    return printing.render_html(area.area_briefing(region=region, options=document.BriefingOptions(sections=sections)))


def test_sources_name_ofsteds_page_for_the_council_once_and_each_report_beside_its_record():
    wirral = Council.objects.get(slug="wirral")
    html = council_html("wirral", "sources")
    assert html.count(f'href="{escape(wirral.ofsted_url)}"') == 1
    assert "All Ofsted reports and letters for" not in html
    assert "Ofsted report (PDF), published 29 July 2019" in html
    # A record Ofsted lists without a date says where to find it rather than leaving its cell empty.
    assert "Listed on Ofsted’s page for Wirral" in html


def test_with_the_journey_each_report_is_linked_from_its_row_and_not_listed_again():
    wirral = Council.objects.get(slug="wirral")
    report_2019 = wirral.events.get(published_date="2019-07-29").ofsted_report_url
    assert report_2019.startswith("https://files.ofsted.gov.uk/")
    html = council_html("wirral", "journey", "sources")
    journey = html[html.index('id="briefing-journey"') : html.index('id="briefing-sources"')]
    row = journey[journey.index("17 to 28 June 2019") :].split("</tr>")[0]
    assert f'href="{escape(report_2019)}"' in row and "Ofsted report (PDF)" in row
    sources = html[html.index('id="briefing-sources"') :]
    assert "Each of them is linked from its row in the improvement journey above." in sources
    assert report_2019 not in sources and html.count(f'href="{escape(wirral.ofsted_url)}"') == 1
    # Without Sources chosen, the journey carries no links at all.
    assert "Ofsted report (PDF)" not in council_html("wirral", "journey")


def test_the_trajectory_figures_print_once_in_the_journey_or_else_as_the_charts_own_table():
    caption = "Wirral: overall effectiveness at each graded inspection</caption>"
    both = council_html("wirral", "journey", "trajectory")
    assert caption not in both
    assert "Each of these inspections, with its grade, is in the improvement journey above." in both
    assert "20 September 2016" in both and "Overall: Inadequate" in both  # the journey row the chart plots
    assert caption in council_html("wirral", "trajectory")


def test_the_trajectory_prints_no_key_since_its_rows_name_the_grades():
    html = council_html("wirral", "trajectory")
    section = html[html.index('id="briefing-trajectory"') :]
    assert 'aria-label="Key"' not in section
    assert "on the row of its overall grade" in section


def test_the_grade_mix_charts_of_an_area_share_one_key_with_every_grade_they_draw():
    html = area_html(None, "mix")
    assert html.count('aria-label="Key"') == 1
    key = re.search(r'aria-label="Key">(.*?)</ul>', html).group(1)
    labels = re.findall(r"</span> ([^<]+)</li>", key)
    drawn = {label for table in re.findall(r"<thead.*?</thead>", html) for label in re.findall(r">([^<]+)</th>", table)}
    assert labels and set(labels) <= drawn
    assert {"Outstanding", "Good", "Inadequate"} <= set(labels)


def test_a_change_says_how_it_was_compared_once_per_reason_in_a_numbered_note():
    briefing = area.area_briefing(region=None, options=document.BriefingOptions(sections=("changes",)))
    html = printing.render_html(briefing)
    changes = briefing.context["changes"]
    plain = [c for c in changes if c.direction.is_like_for_like]
    explained = [c for c in changes if not c.direction.is_like_for_like]
    assert plain and len(explained) > 1
    for change in plain:
        assert change.note is None and escape(change.direction.basis) not in html
    for change in explained:
        basis = escape(change.direction.basis)
        assert html.count(basis) == 1
        assert f"Note {change.note}: {basis}</p>" in html
        row = html[html.index(f">{escape(change.council.name)}</th>") :].split("</tr>")[0]
        assert f"{change.direction.label} (note {change.note})</td>" in row


def test_notes_are_numbered_by_reason_in_order_of_first_use():
    def change(basis, same=False):
        return area.Change(None, None, None, SimpleNamespace(is_like_for_like=same, basis=basis))

    changes = [change("B"), change("like", same=True), change("A"), change("B")]
    assert area._number_notes(changes) == ["B", "A"]
    assert [c.note for c in changes] == [1, None, 2, 1]


def test_a_print_holds_the_collector_off_and_leaves_it_as_it_found_it():
    seen = []
    fetcher = printing._print_resources()[2]
    original = fetcher.fetch

    def spy(url, headers=None):
        seen.append(gc.isenabled())
        return original(url, headers)

    fetcher.fetch = spy
    try:
        printing.html_to_pdf('<html lang="en-GB"><body><img src="css/briefing.css" alt=""><p>Hi</p></body></html>')
    finally:
        fetcher.fetch = original
    assert seen == [False]  # held off while WeasyPrint worked
    assert gc.isenabled()
    gc.disable()
    try:
        printing.html_to_pdf('<html lang="en-GB"><body><p>Hi</p></body></html>')
        assert not gc.isenabled()  # someone else's choice is kept
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), printing.collector_paused():
        raise RuntimeError("a print that fails")
    assert gc.isenabled()


def test_overlapping_prints_in_two_threads_enable_the_collector_only_when_both_are_done():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with printing.collector_paused():
            first_in.set()
            second_in.wait(5)
        states["after first"] = gc.isenabled()
        first_out.set()

    def second():
        first_in.wait(5)
        with printing.collector_paused():
            second_in.set()
            first_out.wait(5)
            states["second still printing"] = gc.isenabled()
        states["after both"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert states == {"after first": False, "second still printing": False, "after both": True}


def test_a_region_briefing_prints_every_section_tagged_with_one_key_for_its_charts():
    north_west = Region.objects.get(slug="north-west")
    reader = PdfReader(
        io.BytesIO(
            printing.render_pdf(area.area_briefing(region=north_west, options=document.default_options("region")))
        )
    )
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for heading in document.AREA_SECTIONS.values():
        assert heading.split(" ")[0] in text, heading
    assert "Grades in each judgement of the latest inspections, North West" in text


def test_englands_councils_are_listed_region_by_region_each_once():
    briefing = area.area_briefing(region=None, options=document.BriefingOptions(sections=("councils",)))
    html = printing.render_html(briefing)
    assert html.count("<table") == 1 and html.count("<thead") == 1  # one header, repeated on each page
    groups = re.findall(r'<th scope="rowgroup" colspan="3" class="govuk-table__header">([^<]+)</th>', html)
    regions = sorted({escape(c.region.name) for c in Council.objects.active().select_related("region")})
    assert groups == regions
    bodies = dict(zip(groups, re.findall(r"<tbody.*?</tbody>", html, flags=re.S), strict=True))
    for council in Council.objects.active().select_related("region"):
        assert html.count(f'<th scope="row" class="govuk-table__header">{escape(council.name)}</th>') == 1
        assert f">{escape(council.name)}</th>" in bodies[escape(council.region.name)]
    assert '<th scope="col" class="govuk-table__header">Region</th>' not in html


def test_an_area_judged_inadequate_is_named_under_the_overall_grade_not_in_a_column_of_nones():
    briefing = area.area_briefing(region=None, options=document.BriefingOptions(sections=("councils",)))
    html = printing.render_html(briefing)
    assert "Inadequate judgements</th>" not in html and ">None</td>" not in html
    standings = briefing.context["standings"]
    for s in standings:
        row = html[html.index(f'<th scope="row" class="govuk-table__header">{escape(s.council.name)}</th>') :]
        row = row.split("</tr>")[0]
        others = [a.short_name.lower() for a in s.inadequate_areas if a.pk != s.latest.framework.headline_area_id]
        if not others:
            assert "nadequate: " not in row
        else:
            lead = "Also inadequate" if s.bucket == "inadequate" else "Inadequate"
            assert f"{lead}: {escape(', '.join(others))}</span>" in row
    # The record holds both kinds: an inadequate council with other inadequate areas, and a better one.
    assert any(s.bucket == "inadequate" and s.inadequate_besides_headline for s in standings)
    assert any(s.bucket != "inadequate" and s.inadequate_besides_headline for s in standings)


@pytest.mark.parametrize("slug", ["north-west", "london"])
def test_a_regions_map_fits_on_one_page_with_its_heading_and_key(slug):
    region = Region.objects.get(slug=slug)
    pdf = printing.render_pdf(area.area_briefing(region=region, options=document.BriefingOptions(sections=("map",))))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # the North West is twice as tall as wide: it once ran off the page
    text = reader.pages[0].extract_text()
    assert "Map" in text and "Outstanding (" in text and "Inadequate (" in text


def test_a_recent_inspection_without_an_overall_judgement_says_not_judged_rather_than_nothing():
    briefing = area.area_briefing(region=None, options=document.BriefingOptions(sections=("recent",)))
    html = printing.render_html(briefing)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
    assert cells and all(len(c) == 4 and c[3].strip() for c in cells)  # no empty grade cell
    graded_without_overall = [e for e, headline in briefing.context["recent"] if e.is_graded and headline is None]
    assert graded_without_overall  # the ILACS 2026 inspections, which make no overall judgement
    for event in graded_without_overall:
        row = next(
            c
            for c in cells
            if escape(event.council.name) in c[1] and c[0] == event.published_date.strftime("%-d %b %Y")
        )
        assert row[3] == "Not judged"


def test_recent_publications_are_those_of_the_period_the_changes_cover_latest_first():
    north_west = Region.objects.get(slug="north-west")
    briefing = area.area_briefing(region=north_west, options=document.BriefingOptions(sections=("recent",)))
    since, as_at = briefing.context["since"], briefing.as_at
    recent = [e for e, _headline in briefing.context["recent"]]
    assert recent and all(since <= e.published_date <= as_at for e in recent)
    assert [e.published_date for e in recent] == sorted((e.published_date for e in recent), reverse=True)
    in_period = [
        e
        for c in Council.objects.active().filter(region=north_west)
        for e in c.events.all()
        if e.published_date and since <= e.published_date <= as_at
    ]
    assert briefing.context["recent_total"] == len(in_period)
    html = printing.render_html(briefing)
    assert f"published from {since.day} {since:%B %Y} to {as_at.day} {as_at:%B %Y}" in html
    # A chosen start widens the list to the whole period.
    start = since.replace(year=since.year - 3)
    wider = area.area_briefing(
        region=north_west, options=document.BriefingOptions(sections=("recent",), date_from=start)
    )
    assert wider.context["recent_total"] > briefing.context["recent_total"]
