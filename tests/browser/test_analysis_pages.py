"""The analysts' pages in a real browser: axe clean, reflow at 320 px, a download opened."""

import csv

PATHS = [
    "/analysis/",
    "/changes/?since=2024-01-01",
    "/timing/",
    "/timing/?due=12&sort=-days",
    "/visits/themes/",
    "/downloads/",
    "/compare/?council=wirral",
    "/compare/?council=wirral&group=region",
]


def test_the_analysis_pages_have_no_serious_accessibility_violations_and_reflow_at_320px(page, sign_in, axe_violations):
    sign_in(page, "analyst")
    for path in PATHS:
        page.goto(path)
        assert axe_violations(page) == [], path
    page.set_viewport_size({"width": 320, "height": 800})
    for path in PATHS:
        page.goto(path)
        # tables scroll inside their own container; the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_download_every_inspection_as_csv_from_the_downloads_page(page, sign_in, tmp_path):
    sign_in(page, "analyst")
    page.goto("/downloads/")
    with page.expect_download() as info:
        page.locator('a[href="/downloads/inspections.csv"]').click()
    path = tmp_path / "inspections.csv"
    info.value.save_as(path)
    lines = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert lines[1][0] == "As at" and "overall" in lines[4]
    assert any(row[1] == "80581" for row in lines[5:])
