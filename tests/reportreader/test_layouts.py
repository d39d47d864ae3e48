"""Layouts with no sample PDF (letters, the combined 2009 report), as page text in their real wording."""

from __future__ import annotations

import datetime

import pytest

from reportreader import ReportError
from reportreader.reader import read_pages

MONITORING_LETTER = """Ofsted
Piccadilly Gate
Store Street
Manchester M1 2WD
12 October 2018
Mr Paul Boyce
Director of Children's Services
Wirral Council
Dear Mr Boyce
Monitoring visit to Wirral children’s services
This letter summarises the findings of the monitoring visit to Wirral children’s
services on 4 and 5 September 2018. The visit was the fifth monitoring visit since
the local authority was judged inadequate in September 2016. The inspectors were
Sheena Doyle, Her Majesty’s Inspector (HMI), and Lisa Summers, HMI.
Areas covered by the visit
Inspectors reviewed the progress made in the area of help and protection,
specifically: the quality of assessments and plans.
"""
MONITORING_END = """Yours sincerely
Sheena Doyle
Her Majesty’s Inspector
"""

FOCUSED_LETTER = """13 August 2022
Dear Simone
Focused visit to Wirral local authority children’s services
This letter summarises the findings of the focused visit to Wirral local authority
children’s services on 13 and 14 July 2022. His Majesty’s Inspectors for this visit
were Teresa Godfrey and Jan Edwards.
Inspectors looked at the local authority’s arrangements for children in care,
including the quality of permanence planning.
Yours sincerely
Teresa Godfrey
His Majesty’s Inspector
"""

JTAI_LETTER = """17 May 2023
Joint targeted area inspection of the multi-agency response to children’s
mental health in Wirral
Between 6 and 10 March 2023, Ofsted, the Care Quality Commission (CQC) and His
Majesty’s Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) carried out
a joint inspection of the multi-agency response to children’s mental health in Wirral.
Yours sincerely
Yvette Stanley
National Director, Regulation and Social Care, Ofsted
"""

COMBINED_2009 = [
    """Inspection of safeguarding and looked after
children services
London Borough of Example
Inspection dates: 7 – 18 March 2011
Reporting inspector Jane Smith HMI
Age group: All
Published: 29 April 2011
""",
    """Areas for improvement
10. In order to improve the quality of provision and services for safeguarding
children and young people in Example, the local authority should take the following action.
Immediately:
• ensure all referrals are screened by a qualified social worker.
Within three months:
• improve the quality of child protection plans
so that outcomes are measurable.
Safeguarding outcomes for children and young people
""",
    """Record of main findings
Safeguarding services
Overall effectiveness Adequate
Capacity for improvement Good
Quality of provision Adequate
Services for looked after children
Overall effectiveness Good
Capacity for improvement Outstanding
Being healthy Good
""",
]


def test_monitoring_visit_letter_gives_kind_dates_signing_inspector_and_focus():
    result = read_pages([MONITORING_LETTER, MONITORING_END])
    assert result.kind == "monitoring_visit"
    assert result.council_name == "Wirral"
    assert result.start_date == datetime.date(2018, 9, 4)
    assert result.end_date == datetime.date(2018, 9, 5)
    assert result.lead_inspector == "Sheena Doyle"
    assert result.focus == "help and protection"
    assert result.framework is None and result.judgements == {} and result.recommendations == []
    assert result.published_date == datetime.date(2018, 10, 12)  # the letter's date
    assert result.inspectors == ["Sheena Doyle", "Lisa Summers"]


def test_focused_visit_letter_gives_kind_dates_and_focus():
    result = read_pages([FOCUSED_LETTER])
    assert result.kind == "focused_visit"
    assert result.council_name == "Wirral"
    assert (result.start_date, result.end_date) == (
        datetime.date(2022, 7, 13),
        datetime.date(2022, 7, 14),
    )
    assert result.lead_inspector == "Teresa Godfrey"
    assert result.focus == "children in care"
    assert result.focus_key == "children_in_care"
    assert result.published_date == datetime.date(2022, 8, 13)  # the letter's date is its publication date
    assert result.inspectors == ["Teresa Godfrey", "Jan Edwards"]
    assert result.judgements == {}


def test_jtai_letter_gives_focus_area_and_dates_but_no_lead_from_directors_signature():
    result = read_pages([JTAI_LETTER])
    assert result.kind == "jtai"
    assert result.council_name == "Wirral"
    assert result.focus == "children’s mental health"
    assert (result.start_date, result.end_date) == (
        datetime.date(2023, 3, 6),
        datetime.date(2023, 3, 10),
    )
    assert result.lead_inspector is None
    assert any("lead inspector" in warning for warning in result.warnings)


def test_combined_2009_report_uses_safeguarding_and_looked_after_keys():
    result = read_pages(COMBINED_2009)
    assert result.framework == "safeguarding_lac_2009"
    assert result.council_name == "London Borough of Example"
    assert result.start_date == datetime.date(2011, 3, 7)
    assert result.end_date == datetime.date(2011, 3, 18)
    assert result.published_date == datetime.date(2011, 4, 29)
    assert result.lead_inspector == "Jane Smith"
    assert result.judgements == {
        "safeguarding_overall_effectiveness": "adequate",
        "safeguarding_capacity_to_improve": "good",
        "looked_after_overall_effectiveness": "good",
        "looked_after_capacity_to_improve": "outstanding",
    }
    assert [(r.text, r.priority) for r in result.recommendations] == [
        ("ensure all referrals are screened by a qualified social worker.", True),
        ("improve the quality of child protection plans so that outcomes are measurable.", False),
    ]


def test_text_that_is_not_an_ofsted_report_is_refused():
    with pytest.raises(ReportError, match="menu.pdf: not recognised"):
        read_pages(["Lunch menu\nSoup of the day\nBread"], "menu.pdf")


SIF_LISTS = [
    """Example Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children
Board
Inspection date: 20 January 2015 to 11 February 2015
Report published: 27 March 2015
The overall judgement is that children’s services require
improvement
1. Children who need help and protection
Requires
Improvement
2. Children looked after and achieving
permanence
Good
2.1 Adoption performance
Good
2.2 Experiences and progress of care leavers
Requires
Improvement
3. Leadership, management and governance 1 Outstanding
""",
    """What does the local authority need to improve?
Priority and immediate action
1. Ensure that all children at risk are seen within 24 hours.
Areas for improvement
1. Ensure that:
• plans are specific
• reviews are timely.
2. Improve supervision.
The local authority’s strengths
3. Children are seen.
""",
    """The Local Safeguarding Children Board (LSCB)
The effectiveness of the LSCB requires improvement
What does the LSCB need to improve?
Areas for improvement
40. Evaluate training.
41. Publish the annual report on time.
Inspection judgements about the LSCB
""",
]


def test_sif_lists_restart_numbering_keep_sub_bullets_and_split_lscb():
    result = read_pages(SIF_LISTS)
    assert result.framework == "sif"
    assert result.judgements == {
        "overall_effectiveness": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_looked_after": "good",
        "adoption_performance": "good",
        "care_leavers": "requires_improvement",
        "leadership_management_governance": "outstanding",
        "lscb": "requires_improvement",
    }
    assert [(r.text, r.addressed_to) for r in result.recommendations] == [
        ("Ensure that all children at risk are seen within 24 hours.", "council"),
        ("Ensure that: plans are specific reviews are timely.", "council"),
        ("Improve supervision.", "council"),
        ("Evaluate training.", "lscb"),
        ("Publish the annual report on time.", "lscb"),
    ]


ILACS_WIDE_TABLE = """Inspection of Example local authority children’s services
Inspection dates: 3 to 7 March 2025
Lead inspector: Ann Other, His Majesty’s Inspector
Judgement Grade
The impact of leaders on social work practice with children and families Requires improvement to be good
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care Good
The experiences and progress of care leavers Inadequate
Overall effectiveness Requires improvement to be good
Children in Example receive services that are improving, although the help for care leavers is not yet good enough for them.
"""


def test_ilacs_table_rows_printed_on_one_line_are_read():
    result = read_pages([ILACS_WIDE_TABLE])
    assert result.framework == "ilacs_2023"
    assert result.inspection_type == "short"
    assert result.council_name == "Example"
    assert result.lead_inspector == "Ann Other"
    assert result.judgements == {
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "good",
        "children_in_care": "good",
        "care_leavers": "inadequate",
        "overall_effectiveness": "requires_improvement",
    }


def test_assurance_visit_letter_is_a_focused_visit_with_a_warning():
    text = FOCUSED_LETTER.replace("Focused visit", "Assurance visit").replace("focused visit", "assurance visit")
    result = read_pages([text])
    assert result.kind == "focused_visit"
    assert result.council_name == "Wirral"
    assert any("assurance visit" in warning for warning in result.warnings)


PRIORITY_LETTER = """10 May 2021
Dear Vicky
Focused visit to Example children’s services
Her Majesty’s Chief Inspector of Education, Children’s Services and Skills is leading
Ofsted’s work into how England’s social care system has delivered child-centred
practice and care within the context of the restrictions placed on society during the
COVID-19 (coronavirus) pandemic.
This letter summarises the findings of a focused visit to Example children’s services on
10 and 11 March 2021. Her Majesty’s Inspectors were Ann Lead, Bob Second
and Cat Third.
Ofsted
Piccadilly Gate
Store Street
Areas for priority action
• Timely use of the pre-proceedings stage of the Public Law Outline.
• The effectiveness of case supervision.
What needs to improve in this area of social work practice
• The quality assurance arrangements.
Findings
• The impact of the pandemic has been significant.
Yours sincerely
Ann Lead
Her Majesty’s Inspector
"""


def test_letter_points_are_recommendations_with_priority_actions_marked():
    result = read_pages([PRIORITY_LETTER])
    assert [(r.text, r.priority) for r in result.recommendations] == [
        ("Timely use of the pre-proceedings stage of the Public Law Outline.", True),
        ("The effectiveness of case supervision.", True),
        ("The quality assurance arrangements.", False),
    ]
    assert result.focus_key == "assurance_visit"  # a COVID-19 whole-service visit: no single focus
    assert result.inspectors == ["Ann Lead", "Bob Second", "Cat Third"]
    assert result.published_date == datetime.date(2021, 5, 10)


@pytest.mark.parametrize(
    ("focus", "key"),
    [
        ("the ‘front door’, the service that receives contacts and referrals", "front_door"),
        ("contacts and referrals in the MASH and thresholds for children in need", "front_door"),
        ("children in need and those subject to a child protection plan", "children_in_need"),
        (
            "children in need and children subject to a plan, with a specific focus on services for disabled children",
            "disabled_children",
        ),
        ("children in need, with a specific focus on children on the edge of care", "edge_of_care"),
        ("children in care, including disabled children", "children_in_care"),
        ("planning and achieving permanence for children in care", "permanence"),
        ("care leavers, including the preparation of relevant children in care for adulthood", "care_leavers"),
        ("the protection of vulnerable children from extra-familial risk", "extra_familial_harm"),
        ("protecting vulnerable adolescents", "extra_familial_harm"),
    ],
)
def test_focus_phrases_map_to_the_documented_keys(focus, key):
    from reportreader.letters import focus_key
    from reportreader.result import FOCUS_KEYS

    assert focus_key(focus) == key
    assert key in FOCUS_KEYS


def test_letter_dated_before_its_visit_reads_the_next_year_with_a_warning():
    text = FOCUSED_LETTER.replace("13 August 2022", "13 August 2021")
    result = read_pages([text])
    assert result.published_date == datetime.date(2022, 8, 13)
    assert any("before the visit" in warning for warning in result.warnings)


def test_a_paragraph_saying_there_is_no_priority_action_is_not_a_recommendation():
    pages = list(SIF_LISTS)
    pages[1] = pages[1].replace(
        "1. Ensure that all children at risk are seen within 24 hours.",
        "1. There are no areas for priority or immediate action.",
    )
    texts = [r.text for r in read_pages(pages).recommendations]
    assert "There are no areas for priority or immediate action." not in texts
    assert texts[0] == "Ensure that: plans are specific reviews are timely."


def test_what_a_visit_did_not_look_at_names_no_focus():
    from reportreader.letters import focus_key

    assert focus_key("children living at home, and did not include children in care or care leavers") is None


def test_a_later_focus_sentence_that_excludes_groups_does_not_override_the_focus():
    # Hertfordshire 2021: the second sentence says whom inspectors left out, naming care leavers.
    letter = FOCUSED_LETTER.replace(
        "Inspectors looked at the local authority’s arrangements for children in care,\nincluding the quality of "
        "permanence planning.",
        "Inspectors looked at the local authority’s arrangements for the protection of\nvulnerable children from "
        "extra-familial harm. Inspectors focused on children living at home with\ntheir families, and did not "
        "include the experience of children in care or care leavers.",
    )
    assert letter != FOCUSED_LETTER
    result = read_pages([letter])
    assert result.focus == "the protection of vulnerable children from extra-familial harm"
    assert result.focus_key == "extra_familial_harm"
