"""What a printed briefing leaves out so it prints faster: nothing a reader loses, each fact printed once."""

import gc
import io
import re
import threading

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


def test_the_trajectory_figures_print_once_in_the_journey_or_else_as_the_charts_own_table():
    caption = "Wirral: overall effectiveness at each graded inspection</caption>"
    both = council_html("wirral", "journey", "trajectory")
    assert caption not in both
    assert "Each of these inspections, with its grade, is in the improvement journey above." in both
    assert "20 September 2016" in both and "Overall: Inadequate" in both  # the journey row the chart plots
    assert caption in council_html("wirral", "trajectory")


def test_the_grade_mix_charts_of_an_area_share_one_key_with_every_grade_they_draw():
    html = area_html(None, "mix")
    assert html.count('aria-label="Key"') == 1
    key = re.search(r'aria-label="Key">(.*?)</ul>', html).group(1)
    labels = re.findall(r"</span> ([^<]+)</li>", key)
    drawn = {label for table in re.findall(r"<thead.*?</thead>", html) for label in re.findall(r">([^<]+)</th>", table)}
    assert labels and set(labels) <= drawn
    assert {"Outstanding", "Good", "Inadequate"} <= set(labels)


def test_a_change_says_how_it_was_compared_only_when_before_and_now_do_not_say_it():
    briefing = area.area_briefing(region=None, options=document.BriefingOptions(sections=("changes",)))
    html = printing.render_html(briefing)
    changes = briefing.context["changes"]
    plain = [c for c in changes if c.direction.is_like_for_like]
    explained = [c for c in changes if not c.direction.is_like_for_like]
    assert plain and explained
    for change in plain:
        assert escape(change.direction.basis) not in html
    for change in explained:
        assert escape(change.direction.basis) in html


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
    captions = re.findall(r'<caption class="govuk-table__caption govuk-table__caption--s">([^<]+)</caption>', html)
    regions = sorted({escape(c.region.name) for c in Council.objects.active().select_related("region")})
    assert captions == regions
    tables = dict(zip(captions, re.findall(r"<tbody.*?</tbody>", html, flags=re.S), strict=True))
    for council in Council.objects.active().select_related("region"):
        assert html.count(f'<th scope="row" class="govuk-table__header">{escape(council.name)}</th>') == 1
        assert f">{escape(council.name)}</th>" in tables[escape(council.region.name)]
    assert '<th scope="col" class="govuk-table__header">Region</th>' not in html
