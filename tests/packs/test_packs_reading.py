"""What a reader meets: who a letter speaks to, how boxes and addresses are set, no jargon."""

from __future__ import annotations

import re
from dataclasses import replace

import packs_samples as samples
import pytest
from packs_readback import read_pdf

from wellbeing_desktop.packs.documents import render


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_referrer_copy_speaks_about_the_person_not_to_them(variant: str) -> None:
    text = squash(read_pdf(render(samples.discharged(recipient="referrer",
                                                     variant=variant))).text)
    assert "Jo came to 5 of the 6 sessions offered" in text
    assert "Goals Jo set" in text and "At the last review Jo rated this goal" in text
    assert "We contacted them for Jo" in text and "Jo can contact them when ready" in text
    assert "We will phone Jo on Tuesday 12 January 2027" in text
    # None of the person's own wording ("you", "My goals") reaches the referrer.
    for personal in ("Your goals", "You came to", "My goals", "Your plan", "for you",
                     "If you need help now"):
        assert personal not in text, personal
    # No fixed sentence speaks to "you" (what the practitioner typed is theirs to word).
    snap = samples.discharged(recipient="referrer", variant=variant)
    typed = [g.title for g in snap.goals] + [x for g in snap.goals for x in g.steps]
    typed += list(snap.next_steps.continued_care)
    typed += [v for svc in snap.services for v in (svc.description, svc.reason, svc.contact_note,
                                                   svc.what_to_expect)]
    fixed = text
    for words in sorted(typed, key=len, reverse=True):
        fixed = fixed.replace(squash(words), "")
    assert not re.search(r"\b(you|your)\b", fixed, re.IGNORECASE), re.findall(
        r".{30}\byour?\b.{30}", fixed, re.IGNORECASE)
    # The signature says who wrote and how to reach them.
    assert re.search(r"Priya Shah Kingsmere Health and Wellbeing Phone: 01632 960 101", text)


def test_letter_to_the_person_explains_which_way_is_better() -> None:
    text = squash(read_pdf(render(samples.discharged())).text)
    assert "Lower scores mean you felt better" in text
    assert "Phone: 01632 960 101" in text  # under the signature


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_long_website_breaks_before_its_path_never_inside_a_word(variant: str) -> None:
    url = "https://www.kingsmerecommunitypantryandcafe.example.org/services/food"
    snap = samples.plan(variant=variant, services=(replace(samples.FOODBANK, website=url),))
    pages = read_pdf(render(snap)).pages
    lines = [line.strip() for page in pages for line in page.splitlines()]
    domain = "kingsmerecommunitypantryandcafe.example.org"
    whole = f"{domain}/services/food"
    # Either the whole address on one line, or the domain, then its path on the next line.
    assert (any(line.endswith(whole) for line in lines)
            or (any(line.endswith(domain) for line in lines) and "/services/food" in lines)), lines


def test_easy_read_service_boxes_use_the_full_width_so_two_share_a_page() -> None:
    services = tuple(replace(samples.ADVICE, name=f"Kingsmere Money Advice {n}")
                     for n in (1, 2, 3))
    pages = read_pdf(render(samples.plan(variant="easy-read", services=services))).pages
    per_page = [sum(svc.name in page for svc in services) for page in pages]
    assert max(per_page) >= 2, per_page


@pytest.mark.safety
def test_crisis_numbers_come_first_in_their_own_column() -> None:
    text = read_pdf(render(samples.plan())).text.replace("\u00a0", " ")
    assert "111\nNHS 111: choose option 2 for mental health" in text
    assert "116 123\nSamaritans, any time" in text


@pytest.mark.safety
def test_easy_read_leaflet_lists_only_what_we_do_not_do_under_that_heading() -> None:
    text = squash(read_pdf(render(samples.plan(kind="leaflet", variant="easy-read"))).text)
    not_do = text[text.index("What we do not do"):text.index("How many meetings")]
    assert "We do not fix problems for you" in not_do
    assert "We work on problems with you" not in not_do
    assert "We work on problems with you" in text[:text.index("What we do not do")]


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
@pytest.mark.safety
def test_letter_says_the_end_date_once_and_signs_before_the_crisis_box(variant: str) -> None:
    pages = [squash(p) for p in read_pdf(render(samples.discharged(variant=variant))).pages]
    text = " ".join(pages)
    assert text.count("Tuesday 24 November 2026") == 1
    assert text.index("With best wishes") < text.index(
        "Help right now" if variant == "easy-read" else "If you need help now")
    if variant != "easy-read":
        # Kept with the letter's last lines: never alone at the top of a page.
        [page] = [p for p in pages if "With best wishes" in p]
        assert "come back" in page
