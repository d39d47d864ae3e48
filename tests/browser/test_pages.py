"""A person's walk through the pages in Chromium: sign in, search, timeline, filters, export, keyboard, axe."""

import csv
import re

import pytest

from inspections.models import Council
from inspections.selectors import council_table


def shown_councils(page):
    return page.locator(".app-councils-table tbody th[scope=row] a").all_inner_texts()


def test_sign_in_find_wirral_by_search_and_see_its_inspections_on_the_timeline(page, sign_in):
    page.goto("/councils/wirral/")
    assert "/accounts/login/" in page.url  # every page needs sign-in
    sign_in(page, "viewer")
    page.get_by_role("link", name="Councils", exact=True).click()
    page.get_by_label("Name, URN or code").fill("Wirral")
    page.get_by_role("button", name="Apply filters").click()
    assert shown_councils(page) == ["Wirral"]
    page.get_by_role("link", name="Wirral", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wirral"

    timeline = page.locator(".app-timeline")
    sif = timeline.locator("li.app-timeline__item", has_text="4 July 2016")
    assert "Inadequate" in sif.inner_text()
    ilacs = timeline.locator("li.app-timeline__item", has_text="17 June 2019")
    assert "Requires improvement" in ilacs.inner_text()
    assert "Good" in ilacs.inner_text()  # impact of leaders
    # The recommendations open without JavaScript tricks: a details element.
    sif.locator("summary").click()
    assert sif.locator(".app-recommendation").count() > 10


def test_filter_the_table_to_inadequate_councils_in_a_region(page, sign_in):
    sign_in(page, "viewer")
    page.goto("/councils/")
    page.get_by_label("Region").select_option(label="North West")
    page.get_by_label("Latest overall effectiveness").select_option(label="Inadequate")
    page.get_by_role("button", name="Apply filters").click()
    rows = council_table(councils=Council.objects.active().filter(region__slug="north-west")).rows
    expected = [r.council.name for r in rows if r.headline and r.headline.key == "inadequate"]
    assert expected and shown_councils(page) == expected
    assert page.get_by_label("Region").input_value() == "north-west"  # the form keeps the choice
    # Sort worst first by a header link, still filtered.
    page.get_by_role("link", name=re.compile("^Published")).click()
    assert sorted(shown_councils(page)) == expected


def test_export_the_filtered_table_as_csv_and_open_it(page, sign_in, tmp_path):
    sign_in(page, "analyst")
    page.goto("/councils/?region=london")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these councils as CSV").click()
    path = tmp_path / "councils.csv"
    download.value.save_as(path)
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == Council.objects.active().filter(region__slug="london").count()
    assert {r["Region"] for r in rows} == {"London"}
    assert all(r["Overall effectiveness"] and "<" not in r["Overall effectiveness"] for r in rows)


def test_viewers_see_no_export_links(page, sign_in):
    sign_in(page, "viewer")
    page.goto("/councils/")
    assert page.get_by_role("link", name=re.compile("Download")).count() == 0


def test_the_table_filters_work_with_the_keyboard_alone(page, sign_in):
    sign_in(page, "viewer")
    page.goto("/councils/")
    search = page.get_by_label("Name, URN or code")
    for _ in range(40):  # skip link, navigation, sign out … then the filters
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("The search box cannot be reached with the Tab key")
    page.keyboard.type("north")
    page.keyboard.press("Tab")
    assert page.get_by_label("Region").evaluate("el => el === document.activeElement")
    page.keyboard.press("Tab")
    assert page.get_by_label("Type of council").evaluate("el => el === document.activeElement")
    for _ in range(5):  # the remaining selects, then the Apply button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Apply filters"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=north"))
    assert set(shown_councils(page)) == set(
        Council.objects.active().filter(name__icontains="north").values_list("name", flat=True)
    )
    # A sort link is a link: Enter follows it.
    page.get_by_role("link", name=re.compile("^Region")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=region"))
    assert page.locator("th[aria-sort]").count() == 1


def test_the_pages_work_without_javascript(browser, live_server, sign_in):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "viewer")
        page.goto("/councils/?grade=outstanding&sort=-published")
        assert len(shown_councils(page)) > 10
        page.goto("/councils/wirral/")
        assert page.locator(".app-timeline__item").count() > 10
        assert page.locator("svg").count() >= 1
    finally:
        context.close()


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor", "admin"])
def test_every_page_has_no_serious_accessibility_violations(page, sign_in, axe_violations, role_pages, role):
    found = {}
    if role == "viewer":
        page.goto("/accounts/login/")
        found["/accounts/login/"] = axe_violations(page)
    sign_in(page, role)
    for url in role_pages[role]:
        page.goto(url)
        found[url] = axe_violations(page)
    bad = {url: v for url, v in found.items() if v}
    assert not bad, "\n".join(f"{url}: {v}" for url, v in bad.items())
