"""Seed the inspection vocabulary: grades, scales, judgement areas and frameworks, as data."""

import datetime

from django.db import migrations

# key, label, short label, rank (1 best), colour, text colour, pattern
GRADES = [
    ("outstanding", "Outstanding", "Outstanding", 1, "#00703c", "#ffffff", "solid"),
    ("good", "Good", "Good", 2, "#1d70b8", "#ffffff", "hatch"),
    ("requires_improvement", "Requires improvement to be good", "Requires improvement", 3, "#f47738", "#0b0c0c", "dots"),
    ("adequate", "Adequate", "Adequate", 3, "#ffdd00", "#0b0c0c", "vertical"),
    ("inadequate", "Inadequate", "Inadequate", 4, "#d4351c", "#ffffff", "crosshatch"),
]

SCALES = [
    ("four_point_2009", "Outstanding, good, adequate, inadequate (2009 to 2013)", ["outstanding", "good", "adequate", "inadequate"]),
    (
        "four_point_2013",
        "Outstanding, good, requires improvement to be good, inadequate (from 2013)",
        ["outstanding", "good", "requires_improvement", "inadequate"],
    ),
]

# key, name, short name, theme, theme label, theme order
AREAS = [
    ("overall_effectiveness", "Overall effectiveness", "Overall", "overall", "Overall effectiveness", 10),
    ("impact_of_leaders", "The impact of leaders on social work practice with children and families", "Leaders", "leadership", "Leadership", 20),
    ("leadership_management_governance", "Leadership, management and governance", "Leadership", "leadership", "Leadership", 20),
    ("leadership_and_management", "Leadership and management", "Leadership", "leadership", "Leadership", 20),
    ("safeguarding_overall_effectiveness", "Overall effectiveness of safeguarding services", "Safeguarding", "help_and_protection", "Help and protection (safeguarding)", 30),
    ("help_and_protection", "The experiences and progress of children who need help and protection", "Help and protection", "help_and_protection", "Help and protection (safeguarding)", 30),
    ("looked_after_overall_effectiveness", "Overall effectiveness of services for looked after children", "Looked after children", "children_in_care", "Children in care (looked after)", 40),
    ("children_in_care_and_care_leavers", "The experiences and progress of children in care and care leavers", "In care and care leavers", "children_in_care", "Children in care (looked after)", 40),
    ("children_looked_after", "Children looked after and achieving permanence", "Looked after", "children_in_care", "Children in care (looked after)", 40),
    ("children_in_care", "The experiences and progress of children in care", "Children in care", "children_in_care", "Children in care (looked after)", 40),
    ("outcomes_for_looked_after_children", "Outcomes for looked after children and young people", "Outcomes", "outcomes", "Outcomes for looked after children", 45),
    ("quality_of_provision", "Quality of provision", "Provision", "quality_of_provision", "Quality of provision", 46),
    ("adoption_performance", "Adoption performance", "Adoption", "adoption", "Adoption performance", 50),
    ("care_leavers", "The experiences and progress of care leavers", "Care leavers", "care_leavers", "Care leavers", 60),
    ("lscb", "Effectiveness of the Local Safeguarding Children Board", "LSCB", "lscb", "Local Safeguarding Children Board", 70),
    ("capacity_to_improve", "Capacity to improve", "Capacity", "capacity", "Capacity to improve", 80),
    ("safeguarding_capacity_to_improve", "Capacity to improve of safeguarding services", "Safeguarding capacity", "safeguarding_capacity", "Capacity to improve (safeguarding)", 81),
    ("looked_after_capacity_to_improve", "Capacity to improve of services for looked after children", "Looked after capacity", "looked_after_capacity", "Capacity to improve (looked after children)", 82),
]

D = datetime.date
# key, name, short name, from, until, scale, headline area, inferable from dates alone, areas in report order
FRAMEWORKS = [
    (
        "safeguarding_lac_2009",
        "Inspection of safeguarding and looked after children services",
        "Safeguarding and looked after (2009)",
        D(2009, 6, 1), D(2013, 11, 3), "four_point_2009", None, False,
        ["safeguarding_overall_effectiveness", "safeguarding_capacity_to_improve", "looked_after_overall_effectiveness", "looked_after_capacity_to_improve"],
    ),
    (
        "looked_after_2009",
        "Inspection of looked after children services",
        "Looked after children (2009)",
        D(2009, 6, 1), D(2013, 11, 3), "four_point_2009", "overall_effectiveness", False,
        ["overall_effectiveness", "capacity_to_improve", "outcomes_for_looked_after_children", "quality_of_provision", "leadership_and_management"],
    ),
    (
        "sif",
        "Inspection of services for children in need of help and protection, children looked after and care leavers (single inspection framework)",
        "SIF",
        D(2013, 11, 4), D(2017, 12, 31), "four_point_2013", "overall_effectiveness", True,
        ["overall_effectiveness", "help_and_protection", "children_looked_after", "adoption_performance", "care_leavers", "leadership_management_governance", "lscb"],
    ),
    (
        "ilacs_2018",
        "Inspecting local authority children's services (ILACS), 2018 to 2022",
        "ILACS 2018",
        D(2018, 1, 1), D(2022, 12, 31), "four_point_2013", "overall_effectiveness", True,
        ["overall_effectiveness", "impact_of_leaders", "help_and_protection", "children_in_care_and_care_leavers"],
    ),
    (
        "ilacs_2023",
        "Inspecting local authority children's services (ILACS), 2023 to March 2026",
        "ILACS 2023",
        D(2023, 1, 1), D(2026, 3, 31), "four_point_2013", "overall_effectiveness", True,
        ["overall_effectiveness", "impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers"],
    ),
    (
        "ilacs_2026",
        "Inspecting local authority children's services (ILACS), from April 2026",
        "ILACS 2026",
        D(2026, 4, 1), None, "four_point_2013", None, True,
        ["impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers"],
    ),
]


def seed(apps, schema_editor):
    Grade = apps.get_model("inspections", "Grade")
    GradeScale = apps.get_model("inspections", "GradeScale")
    JudgementArea = apps.get_model("inspections", "JudgementArea")
    Framework = apps.get_model("inspections", "Framework")
    FrameworkArea = apps.get_model("inspections", "FrameworkArea")

    grades = {}
    for key, label, short, rank, colour, text_colour, pattern in GRADES:
        grades[key] = Grade.objects.create(
            key=key, label=label, short_label=short, rank=rank, colour=colour, text_colour=text_colour, pattern=pattern
        )
    scales = {}
    for key, name, members in SCALES:
        scale = GradeScale.objects.create(key=key, name=name)
        scale.grades.set([grades[m] for m in members])
        scales[key] = scale
    areas = {}
    for key, name, short, theme, theme_label, order in AREAS:
        areas[key] = JudgementArea.objects.create(
            key=key, name=name, short_name=short, theme=theme, theme_label=theme_label, theme_order=order
        )
    for key, name, short, start, until, scale, headline, inferable, area_keys in FRAMEWORKS:
        framework = Framework.objects.create(
            key=key,
            name=name,
            short_name=short,
            applies_from=start,
            applies_until=until,
            scale=scales[scale],
            headline_area=areas[headline] if headline else None,
            infer_from_dates=inferable,
        )
        for order, area_key in enumerate(area_keys, start=1):
            FrameworkArea.objects.create(framework=framework, area=areas[area_key], order=order)


def unseed(apps, schema_editor):
    for model in ["FrameworkArea", "Framework", "JudgementArea", "GradeScale", "Grade"]:
        apps.get_model("inspections", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
