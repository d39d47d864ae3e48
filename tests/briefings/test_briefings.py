"""PDF briefings: the facts a reader sees in the PDF text, who may have them, and bad requests."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from briefings import area, document, printing
from inspections import selectors
from inspections.models import Region

pytestmark = pytest.mark.django_db


def pdf_text(content):
    """All the text of a PDF, whitespace collapsed, as a reader would see it."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def wirral_pdf(analyst_client):
    response = analyst_client.get(reverse("briefings:council_pdf", args=["wirral"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_wirral_briefing_shows_the_2016_inadequate_and_the_2019_inspection(wirral_pdf):
    text = pdf_text(wirral_pdf)
    assert "Wirral: children's services briefing" in text
    assert "4 to 28 July 2016" in text
    assert "Overall: Inadequate" in text
    # The 2019 ILACS inspection, its lead inspector and "good" for the impact of leaders.
    assert "17 to 28 June 2019" in text
    assert "Paula Thomson-Jones" in text
    assert re.search(r"ILACS 2018 Jul 2019", text)
    grid_rows = re.search(r"Leadership Not judged Inadequate (\S+) Requires improvement", text)
    assert grid_rows and grid_rows.group(1) == "Good"
    # The latest inspection, all requires improvement to be good.
    assert "Teresa Godfrey" in text
    assert "Overall effectiveness: Requires improvement to be good" in text


def test_wirral_briefing_lists_the_latest_recommendations_and_none_superseded_as_still_open(wirral_pdf):
    text = pdf_text(wirral_pdf)
    assert "Latest inspection: Inspection of Wirral local authority children's services" in text
    assert "Escalation by IROs, to robustly challenge plans for children." in text
    assert " Open " in text
    # The 2016 and 2019 lists were superseded by the 2024 report; the LSCB's closed in 2019.
    assert "Still open from" not in text
    assert "The provision of direct work and life-story work" not in text
    assert "Urgently progress plans to recruit a permanent head of service" not in text


def test_wirral_briefing_names_its_neighbours_region_and_sources(wirral_pdf):
    text = pdf_text(wirral_pdf)
    for neighbour in ["Durham", "Sefton", "Halton", "Stockton-on-Tees", "South Tyneside"]:
        assert neighbour in text
    assert "North West councils" in text
    assert "Sources" in text and "linked from its row in the improvement journey" in text
    assert "lead inspector Paula Thomson-Jones; Ofsted report (PDF)" in text
    assert ".pdf" not in text and ".txt" not in text
    assert f"Data as at {date.today().day} " in text
    assert "Page 1 of" in text


def test_briefing_pdf_is_a4_tagged_with_metadata_and_embedded_fonts(wirral_pdf):
    reader = PdfReader(io.BytesIO(wirral_pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    meta = reader.metadata
    assert meta.title == "Wirral: children's services briefing"
    assert meta.author == "Ofsted judgement tracker"
    assert "Wirral" in meta.subject
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # identifies itself as PDF/UA-1
    fonts = set()
    for p in reader.pages:
        for font in p["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Sans" in f for f in fonts)


def test_period_limits_the_journey_and_sets_the_as_at_date(analyst_client):
    url = reverse("briefings:council_pdf", args=["wirral"])
    response = analyst_client.get(url, {"from": "2016-01-01", "to": "2019-12-31", "sections": ["headline", "journey"]})
    text = pdf_text(response.content)
    assert "Data as at 31 December 2019" in text
    assert "Period covered: 1 January 2016 to 31 December 2019" in text
    assert "Paula Thomson-Jones" in text  # the latest inspection as at the end of 2019
    assert "Teresa Godfrey" not in text
    assert "March 2011" not in text
    assert "Recommendations" not in text  # not a chosen section
    # The improvement notice was in force on 1 January 2016? No: it started in 2016; on 31 December 2019 it had ended.
    assert "No government intervention was in force on 31 December 2019" in text


def test_as_at_before_2019_shows_the_2016_inspection_and_intervention(analyst_client):
    url = reverse("briefings:council_pdf", args=["wirral"])
    text = pdf_text(analyst_client.get(url, {"to": "2018-06-30", "sections": "headline"}).content)
    assert "Overall effectiveness: Inadequate" in text
    assert "Department for Education improvement notice" in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2020-01-01", "to": "2019-01-01"}, "The end of the period must be on or after its start."),
        ({"from": "31/02/2019"}, "must be a real date"),
        ({"to": "next tuesday"}, "must be a real date"),
        ({"to": "2999-01-01"}, "must be today or in the past"),
        ({"sections": "horoscope"}, "is not a section of a council briefing"),
    ],
)
def test_bad_options_get_a_clear_error_not_a_pdf(analyst_client, params, message):
    response = analyst_client.get(reverse("briefings:council_pdf", args=["wirral"]), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_unknown_council_or_region_is_404(analyst_client):
    assert analyst_client.get(reverse("briefings:council_pdf", args=["atlantis"])).status_code == 404
    assert analyst_client.get(reverse("briefings:region_pdf", args=["atlantis"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/councils/wirral/briefing.pdf",
        "/regions/north-west/briefing.pdf",
        "/briefing.pdf",
        "/briefings/",
        "/briefings/?scope=council&council=wirral&council_sections=headline",
    ],
)
def test_viewers_may_not_have_briefings(viewer_client, url):
    assert viewer_client.get(url).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/councils/wirral/briefing.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_council_pdf_takes_a_fixed_number_of_queries(client_for, django_assert_num_queries):
    client = client_for("editor")
    # The user and their two kinds of permission (the session is cached at sign-in); council_page:
    # the council, its neighbours and predecessors, its events, their judgements, recommendations
    # and updates, neighbours' and region's latest grades (councils, judgements, grades); the
    # still-open rule's recommendations; the grades for the grade CSS.
    with django_assert_num_queries(3 + 12):
        assert client.get("/councils/kent/briefing.pdf").status_code == 200
    with django_assert_num_queries(0):  # cached until the data changes
        assert client.get("/councils/kent/briefing.pdf").status_code == 200


def test_region_briefing_names_concerns_and_every_council(analyst_client):
    response = analyst_client.get("/regions/north-west/briefing.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    region = Region.objects.get(slug="north-west")
    record = selectors.area_record(region=region)
    for council in record.councils:
        assert council.name in text
    assert "Councils judged inadequate or in intervention" in text
    standings = selectors.standings_as_at(record=record, as_at=date.today())
    for standing in standings:
        if standing.inadequate_areas:
            first = standing.inadequate_areas[0].short_name
            assert re.search(re.escape(standing.council.name) + r" .{0,80}" + re.escape(first), text)
    assert "Recent publications" in text


def test_national_briefing_counts_agree_with_the_national_picture(analyst_client, django_assert_num_queries):
    picture = selectors.national_picture()
    # The user and their two kinds of permission; the area record's councils, grades, judgement
    # areas, frameworks, events and judgements (these two sections need no more); the grades for
    # the grade CSS.
    with django_assert_num_queries(3 + 6 + 1):
        response = analyst_client.get("/briefing.pdf", {"sections": ["headline", "concerns"]})
    text = pdf_text(response.content)
    assert "England: Ofsted judgements of councils' children's services" in text
    for grade in picture.grades:
        count = picture.headline_counts.get(grade.key, 0)
        if count:
            assert re.search(rf"{re.escape(grade.label)} \d+ {count} ", text), grade.label
    for standing in picture.concerns:
        assert standing.council.name in text


def test_area_briefing_changes_compare_two_dates():
    options = document.BriefingOptions(sections=("changes",), date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    briefing = area.area_briefing(region=Region.objects.get(slug="north-west"), options=options)
    wirral = next(c for c in briefing.context["changes"] if c.council.name == "Wirral")
    assert wirral.before.headline.key == "inadequate"
    assert wirral.after.headline.key == "requires_improvement"
    assert wirral.direction.key == "improved"


def test_builder_previews_the_briefing_and_links_the_pdf(analyst_client):
    page = analyst_client.get("/briefings/")
    assert page.status_code == 200
    assert "What is the briefing about?" in page.content.decode()
    params = {
        "scope": "council",
        "council": "wirral",
        "council_sections": ["headline", "recommendations"],
        "date_from": "",
        "date_to": "31/12/2019",
    }
    response = analyst_client.get("/briefings/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wirral: children&#x27;s services briefing" in html
    assert "Paula Thomson-Jones" in html
    assert "/councils/wirral/briefing.pdf?sections=headline&amp;sections=recommendations&amp;to=2019-12-31" in html


def test_builder_keeps_what_was_typed_and_explains_errors(analyst_client):
    params = {"scope": "region", "region": "", "builder": "1", "date_from": "2020-05-01", "date_to": "2019-01-01"}
    response = analyst_client.get("/briefings/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Choose the region the briefing is about." in html
    assert "Choose at least one section to include." in html
    assert "The end of the period must be on or after its start." in html
    assert 'value="2020-05-01"' in html and 'value="2019-01-01"' in html
    assert "Download PDF" not in html


def test_briefings_never_fetch_from_the_network():
    html = '<html lang="en-GB"><body><img src="https://example.org/x.png" alt="x"><p>Hello</p></body></html>'
    fetched = []
    css, font_config, fetcher = printing._print_resources()
    original = fetcher.fetch

    def spy(url, headers=None):
        fetched.append(url)
        return original(url, headers)

    fetcher.fetch = spy
    try:
        pdf = printing.html_to_pdf(html)
    finally:
        fetcher.fetch = original
    assert fetched == ["https://example.org/x.png"]
    assert "Hello" in pdf_text(pdf)
    with pytest.raises(ValueError):
        original("https://example.org/x.png")
    with pytest.raises(ValueError):
        original("file:///etc/passwd")


def test_make_briefings_writes_a_zip_of_a_region_with_progress(tmp_path, capsys):
    out = tmp_path / "north-east.zip"
    call_command("make_briefings", "--region", "north-east", "--out", str(out))
    region = Region.objects.get(slug="north-east")
    names = zipfile.ZipFile(out).namelist()
    councils = selectors.area_record(region=region).councils
    assert len(names) == len(councils) + 1
    assert any(name.startswith("briefing-north-east") for name in names)
    output = capsys.readouterr().out
    assert f"{len(councils) + 1}/{len(councils) + 1}" in output
    assert "ETA" in output
    text = pdf_text(zipfile.ZipFile(out).read(next(n for n in names if "gateshead" in n)))
    assert "Gateshead: children's services briefing" in text


def test_make_briefings_refuses_an_unknown_region(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No region"):
        call_command("make_briefings", "--region", "atlantis", "--out", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


def test_builder_takes_a_fixed_number_of_queries(analyst_client, django_assert_num_queries):
    with django_assert_num_queries(3 + 1):  # the user and their permissions; the councils to choose from
        assert analyst_client.get("/briefings/").status_code == 200
    params = {"scope": "council", "council": "kent", "council_sections": list(document.COUNCIL_SECTIONS)}
    # The councils to choose from, then the council briefing's 11 (as the PDF, without the grade CSS).
    with django_assert_num_queries(1 + 11):
        assert analyst_client.get("/briefings/", params).status_code == 200
    params = {"scope": "national", "national_sections": list(document.AREA_SECTIONS)}
    # The councils to choose from; the area record's councils, grades, judgement areas, frameworks,
    # events and judgements; the map's themes, inspections public by then, councils, the chosen
    # inspections, their judgements.
    with django_assert_num_queries(1 + 6 + 5):
        assert analyst_client.get("/briefings/", params).status_code == 200


# --------------------------------------------------------------------------- the builder: one scope's fields


def _conditional(html, scope):
    """The markup revealed under one scope's radio."""
    start = html.index(f'id="scope-{scope}"')
    following = [html.find(f'id="scope-{other}"', start + 1) for other in ("national", "region", "council")]
    end = min(
        [i for i in following if i > start] + [html.index("</fieldset>", html.rindex("govuk-radios__conditional"))]
    )
    return html[start:end]


def test_builder_shows_each_scopes_fields_under_it_and_hides_the_others(analyst_client):
    html = analyst_client.get(
        "/briefings/", {"scope": "region", "region": "north-west", "builder": "1", "region_sections": ["headline"]}
    ).content.decode()
    region, council, england = (_conditional(html, s) for s in ("region", "council", "national"))
    assert 'name="region"' in region and 'name="region_sections"' in region
    assert 'name="council"' not in region and 'name="council_sections"' not in region
    assert 'name="council"' in council and 'name="region"' not in council
    assert 'name="national_sections"' in england and 'name="region"' not in england
    # Every scope's fields are in the page (all show without JavaScript); a script shows only the
    # chosen one's (tested in the browser).
    assert 'data-panel="scope-council"' in html and "js/briefing-builder" in html
    assert "hidden" not in region


def test_builder_reads_only_the_chosen_scopes_fields(analyst_client):
    params = {
        "scope": "national",
        "builder": "1",
        "national_sections": ["headline"],
        "council": "atlantis",
        "region_sections": ["horoscope"],
    }
    response = analyst_client.get("/briefings/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" not in html
    assert "/briefing.pdf?sections=headline" in html


def test_a_deep_link_to_a_region_means_every_section_as_the_pdf_address_does(analyst_client):
    response = analyst_client.get("/briefings/", {"scope": "region", "region": "north-west"})
    html = response.content.decode()
    assert response.status_code == 200
    query = "&amp;".join(f"sections={key}" for key in document.AREA_SECTIONS)
    assert f"/regions/north-west/briefing.pdf?{query}" in html
    for label in document.AREA_SECTIONS.values():
        assert label in html
    # A council link too.
    html = analyst_client.get("/briefings/", {"scope": "council", "council": "wirral"}).content.decode()
    assert "/councils/wirral/briefing.pdf?" + "&amp;".join(f"sections={k}" for k in document.COUNCIL_SECTIONS) in html


def test_the_form_with_every_section_unticked_asks_for_one(analyst_client):
    response = analyst_client.get("/briefings/", {"scope": "council", "council": "wirral", "builder": "1"})
    assert response.status_code == 400
    assert "Choose at least one section to include." in response.content.decode()


def test_builder_page_words_are_for_people_not_developers(analyst_client):
    html = analyst_client.get("/briefings/", {"scope": "council", "council": "wirral"}).content.decode()
    assert "manage.py" not in html and "make_briefings" not in html


def test_region_briefing_changes_use_the_shared_direction_of_travel():
    options = document.BriefingOptions(sections=("changes",), date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    briefing = area.area_briefing(region=Region.objects.get(slug="north-west"), options=options)
    for change in briefing.context["changes"]:
        expected = selectors.direction_of_travel(change.after.latest, change.before.latest)
        assert (change.direction.key, change.direction.label) == (expected.key, expected.label)


def test_the_lean_user_agent_stylesheet_keeps_the_outline_and_is_used(wirral_pdf):
    import weasyprint

    # The override in printing._briefing_html_class is WeasyPrint's private hook: if a new version
    # renames it, the briefing silently goes back to the full (slower) stylesheet.
    assert "_ua_stylesheets" in vars(weasyprint.HTML)
    from weasyprint.html import UA_STYLESHEET

    assert printing._briefing_html_class()(string="<p>x</p>")._ua_stylesheets() != [UA_STYLESHEET]

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    # The headings are still the PDF's bookmarks (the user-agent rules set their levels).
    outline = list(titles(PdfReader(io.BytesIO(wirral_pdf)).outline))
    assert outline[:3] == ["Wirral: children's services briefing", "Latest judgements", "Improvement journey"]
