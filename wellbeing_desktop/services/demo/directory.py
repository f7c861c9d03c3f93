"""Demo directory: invented Kingsmere services across every needs domain (ORUK-shaped).

The standard set (80) is hand-written entries, each with its own name, realistic and varied
(some stale, some reported wrong, favourites, other languages). Large sets (benchmarks) repeat
them with branch names and shared locations so 20,000 services insert in about a second with
Core executemany.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, func, select

from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.oruk.documents import Derived
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.services.demo.names import DISTRICTS, STREETS, TOWN
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models.base import Base

# (name, organisation, needs, description, self-referral, free, modes, days, hours, how to refer)
ENTRIES: list[tuple[str, str, str, str, bool, bool, str, str, str, str]] = [
    ("Housing Options Team", "Kingsmere Borough Council", "housing",
     "Advice if you are homeless or at risk of losing your home: emergency housing, the housing "
     "register and help to stay where you are.", True, True, "pio", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Phone or call in; bring any letters from your landlord."),
    ("Tenancy Sustainment Service", "Canalside Housing Trust", "housing money_debt",
     "A support worker visits you at home to help with rent arrears, repairs and keeping your "
     "tenancy.", False, True, "ip", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Referral by a professional with the person's consent; use the online form."),
    ("Shelter Kingsmere Drop-in", "Kingsmere Housing Advice Centre", "housing legal",
     "Free, independent housing advice: eviction notices, disrepair, deposits and landlord "
     "disputes.", True, True, "ip", "TU,TH", "10:00-15:00", "Drop in, no appointment needed."),
    ("Home Energy Advice", "Warm Homes Kingsmere", "housing money_debt",
     "Help with energy bills, switching supplier, grants for insulation and the Warm Home "
     "Discount.", True, True, "po", "MO,WE,FR", "09:30-16:00", "Phone the advice line."),
    ("Debt Advice Line", "Kingsmere Citizens Advice", "money_debt",
     "Free, confidential debt advice: budgeting, priority debts, breathing space and debt relief "
     "orders.", True, True, "pio", "MO,TU,WE,TH,FR", "09:00-16:30",
     "Self-referral by phone; practitioners can book a call-back with consent."),
    ("Money Matters Workshop", "Kingsmere Adult Learning", "money_debt work",
     "A four-week group course on budgeting, banking and avoiding loan sharks.", True, True, "i",
     "WE", "13:00-15:00", "Book a place by phone."),
    ("Foodbank Kingsmere", "Kingsmere Community Pantry", "money_debt",
     "Emergency food parcels with a voucher from a referral partner, and a weekly community "
     "larder.", False, True, "i", "MO,WE,FR", "10:00-13:00",
     "Needs a foodbank voucher: we can issue one."),
    ("Community Pantry", "Kingsmere Community Pantry", "money_debt eating",
     "Membership food club: a weekly shop of 10 items for £3.50.", True, False, "i", "TU,SA",
     "10:00-14:00", "Just come along and join."),
    ("Welfare Rights Service", "Kingsmere Borough Council", "benefits money_debt",
     "Help to claim benefits, fill in forms (PIP, Universal Credit, Attendance Allowance) and "
     "challenge decisions.", True, True, "pi", "MO,TU,WE,TH", "09:00-17:00",
     "Phone the welfare rights line; appeals by appointment."),
    ("Universal Credit Help to Claim", "Kingsmere Citizens Advice", "benefits digital",
     "Support to make a Universal Credit claim online and get your first payment on time.",
     True, True, "po", "MO,TU,WE,TH,FR", "08:00-18:00", "Phone 0800 line or use web chat."),
    ("Jobcentre Work Coach Outreach", "Kingsmere Jobcentre", "work benefits",
     "Work coaches at the library every Tuesday: CVs, job search and training.", True, True, "i",
     "TU", "10:00-14:00", "Drop in at the library."),
    ("Working Well", "Kingsmere Employment Hub", "work",
     "Employment advisers for people with health conditions: keeping a job, returning to work or "
     "finding new work.", True, True, "pio", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Self-referral or professional referral online."),
    ("Volunteer Kingsmere", "Kingsmere Council for Voluntary Service", "work social",
     "Find a volunteering role that suits you, with a volunteer buddy for your first weeks.", True,
     True, "pio", "MO,WE,TH", "10:00-16:00", "Phone or fill in the online form."),
    ("Skills for Life", "Kingsmere Adult Learning", "work digital",
     "Free English, maths and computer courses for adults, day or evening.", True, True, "io",
     "MO,TU,WE,TH", "09:30-20:00", "Enrol online or at the college."),
    ("Men's Shed", "Kingsmere Men's Shed", "social",
     "A workshop where men (and anyone) meet to make, mend and chat over a cuppa.", True, True,
     "i", "TU,TH,SA", "10:00-15:00", "Just turn up."),
    ("Befriending Service", "Age Friendly Kingsmere", "social caring",
     "A volunteer phones or visits every week for people who feel lonely.", True, True, "pi",
     "MO,TU,WE,TH,FR", "09:00-17:00", "Phone to refer yourself or someone else."),
    ("Walk and Talk Group", "Kingsmere Parks Trust", "social physical_activity",
     "Gentle hour-long walks around Heron Park, finishing with tea.", True, True, "i", "WE,SA",
     "10:30-11:30", "Meet at the café; no need to book."),
    ("Kingsmere Community Choir", "Kingsmere Arts Collective", "social",
     "A friendly choir where nobody needs to read music.", True, False, "i", "TH", "19:00-21:00",
     "Come to any rehearsal."),
    ("Polish Community Centre", "Stowarzyszenie Polskie Kingsmere", "social benefits",
     "Advice, social events and Saturday school in Polish and English.", True, True, "ip",
     "TU,SA", "10:00-16:00", "Drop in or phone."),
    ("Carers' Centre", "Kingsmere Carers Trust", "caring",
     "Information, carers' assessments, breaks and support groups for unpaid carers.", True, True,
     "pio", "MO,TU,WE,TH,FR", "09:00-17:00", "Self-referral by phone or online."),
    ("Young Carers Project", "Kingsmere Carers Trust", "caring social",
     "Clubs, trips and school support for carers aged 8 to 18.", True, True, "ip", "WE",
     "16:00-18:00", "Referral by parent, school or professional."),
    ("Dementia Carers Café", "Memory Matters Kingsmere", "caring social",
     "A monthly café for people living with dementia and those who care for them.", True, True,
     "i", "FR", "14:00-16:00", "Just come along."),
    ("Parkrun Kingsmere", "Kingsmere Parks Trust", "physical_activity social",
     "A free, timed 5 km walk, jog or run every Saturday morning.", True, True, "i", "SA",
     "09:00-10:00", "Register online once, then turn up."),
    ("Active Kingsmere Exercise Referral", "Kingsmere Leisure", "physical_activity "
     "long_term_conditions", "Twelve weeks of supported exercise at reduced cost for people with "
     "health conditions.", False, False, "i", "MO,TU,WE,TH,FR,SA", "07:00-21:00",
     "Needs a referral from a GP or health professional."),
    ("Chair-based Exercise", "Age Friendly Kingsmere", "physical_activity long_term_conditions",
     "Seated exercise classes to build strength and balance.", True, False, "i", "MO,TH",
     "11:00-12:00", "Book by phone."),
    ("Healthy Eating Course", "Kingsmere Community Health", "eating",
     "Six sessions on cooking on a budget, portion sizes and reading labels.", True, True, "io",
     "TU", "18:00-20:00", "Self-referral online."),
    ("Weight Management Service", "Kingsmere Community Health", "eating long_term_conditions",
     "A 12-week programme with a dietitian and group support.", False, True, "io", "WE",
     "10:00-12:00", "Referral by GP or practitioner."),
    ("Sleep Well Programme", "Kingsmere Talking Therapies", "sleep",
     "A six-week online course on sleep habits, worry and routines.", True, True, "o",
     "MO,TU,WE,TH,FR", "09:00-17:00", "Self-refer online."),
    ("Stop Smoking Service", "Smokefree Kingsmere", "smoking",
     "Free medication and weekly support from an adviser to help you stop.", True, True, "pio",
     "MO,TU,WE,TH,FR", "09:00-19:00", "Phone, text or book online."),
    ("Pharmacy Stop Smoking Clinic", "Canal Street Pharmacy", "smoking",
     "Walk-in stop smoking support and nicotine replacement at the pharmacy.", True, True, "i",
     "MO,TU,WE,TH,FR,SA", "09:00-18:00", "Walk in."),
    ("Alcohol and Drug Service", "Turning Point Kingsmere", "alcohol",
     "Confidential support to cut down or stop drinking or using drugs.", True, True, "pio",
     "MO,TU,WE,TH,FR", "09:00-17:00", "Self-referral by phone or drop in."),
    ("Alcoholics Anonymous Kingsmere", "AA Kingsmere Group", "alcohol social",
     "Weekly mutual support meetings.", True, True, "io", "MO,TH", "19:30-21:00",
     "Just come along."),
    ("Diabetes Education (DESMOND)", "Kingsmere Community Health", "long_term_conditions eating",
     "A course for adults with type 2 diabetes.", False, True, "io", "TH", "09:30-15:30",
     "Referral by GP or practice nurse."),
    ("Breathe Easy Group", "Kingsmere Lung Health", "long_term_conditions social",
     "Support group for people living with lung conditions.", True, True, "i", "TU",
     "14:00-16:00", "Just come along."),
    ("Pain Management Programme", "Kingsmere Community Health", "long_term_conditions "
     "physical_activity", "Group programme for living well with long-term pain.", False, True,
     "io", "WE", "13:00-16:00", "Referral by GP or physiotherapist."),
    ("Digital Buddies", "Kingsmere Libraries", "digital",
     "One-to-one help with phones, tablets, email and online forms.", True, True, "i", "MO,WE,SA",
     "10:00-12:00", "Book at any library."),
    ("Free Devices and Data", "Kingsmere Digital Inclusion", "digital",
     "Free refurbished laptops and SIM cards with data for people on low incomes.", False, True,
     "ip", "TU,TH", "10:00-15:00", "Referral by a support worker."),
    ("Law Centre Advice", "Kingsmere Law Centre", "legal housing benefits",
     "Free legal advice on housing, employment, immigration and benefits.", True, True, "pi",
     "MO,WE,FR", "10:00-16:00", "Phone to book an appointment."),
    ("Immigration Advice Clinic", "Kingsmere Refugee Support", "legal",
     "Regulated immigration advice and help with asylum support.", True, True, "ip", "TH",
     "10:00-14:00", "Book by phone."),
    ("Domestic Abuse Service", "Kingsmere Women's Aid", "safety housing",
     "Confidential support, safety planning, refuge and the freedom programme.", True, True,
     "pio", "MO,TU,WE,TH,FR,SA,SU", "00:00-23:59", "Phone the helpline any time."),
    ("Men's Advice Service", "Kingsmere Safer Families", "safety",
     "Support for men experiencing domestic abuse.", True, True, "po", "MO,TU,WE,TH,FR",
     "10:00-17:00", "Phone the advice line."),
    # ---- more of the town: every demo service has its own name (the standard set is 80)
    ("Private Renters' Advice Surgery", "Kingsmere Housing Advice Centre", "housing legal",
     "Help with deposits, repairs, rent rises and eviction notices for private tenants.", True,
     True, "pi", "WE", "17:00-19:00", "Book an evening slot by phone."),
    ("Street Outreach Team", "St Aldhelm's Night Shelter", "housing safety",
     "Outreach workers meet people sleeping rough or sofa-surfing and find somewhere safe "
     "tonight.", True, True, "pi", "MO,TU,WE,TH,FR,SA,SU", "07:00-22:00",
     "Phone the outreach line; tell us where the person is sleeping."),
    ("Handyperson Scheme", "Care and Repair Kingsmere", "housing long_term_conditions",
     "Small repairs, grab rails and home safety checks for older and disabled people.", True,
     False, "p", "MO,TU,WE,TH,FR", "09:00-16:00", "Phone to book; small charge for materials."),
    ("Moneywise Drop-in", "Heron Park Credit Union", "money_debt",
     "Savings accounts and affordable loans instead of doorstep lenders; budgeting chats over "
     "tea.", True, True, "ip", "TU,FR", "10:00-14:00", "Drop in with photo ID."),
    ("Household Support Fund", "Kingsmere Borough Council", "money_debt benefits",
     "One-off help with food, energy and essentials for households in hardship.", True, True,
     "po", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Apply online or by phone; practitioners can apply with the client's consent."),
    ("Little Steps Baby Bank", "Canalside Family Hub", "money_debt caring",
     "Free clothes, prams, cots and nappies for families who need them.", False, True, "i",
     "WE,SA", "10:00-13:00", "Referral by a health visitor, social worker or practitioner."),
    ("Fuel Bank Vouchers", "Warm Homes Kingsmere", "money_debt housing",
     "Emergency top-ups for prepayment meters, given alongside a food parcel.", False, True, "p",
     "MO,WE,FR", "09:30-16:00", "Referral by the foodbank or a support worker."),
    ("PIP Form-Filling Sessions", "Kingsmere Disability Forum", "benefits long_term_conditions",
     "One-to-one help with PIP and ESA forms and gathering the evidence.", True, True, "ip", "TH",
     "10:00-15:00", "Book by phone; bring your letters."),
    ("Pension Credit Check", "Age Friendly Kingsmere", "benefits money_debt",
     "Benefit checks for people over state pension age, with home visits if needed.", True, True,
     "pi", "TU,TH", "10:00-15:00", "Phone the advice line."),
    ("Employment Advisers in Talking Therapies", "Kingsmere Talking Therapies", "work",
     "An employment adviser works alongside your therapy to help you stay in, return to or find "
     "work.", True, True, "pio", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Ask your practitioner: we refer within the service."),
    ("Return to Learn", "Kingsmere College", "work",
     "Short confidence-building courses for adults going back to study.", True, True, "i",
     "MO,WE", "13:00-15:30", "Enrol at the college reception."),
    ("Repair Café", "Transition Kingsmere", "work social",
     "Volunteer to fix toasters, bikes and clothes, or bring something to mend.", True, True, "i",
     "SA", "10:00-13:00", "Just turn up on the first Saturday of the month."),
    ("Heron Park Allotment Group", "Kingsmere Growing Together", "social physical_activity",
     "Shared allotment plots, seeds and tools; no experience needed.", True, True, "i", "WE,SA",
     "10:00-13:00", "Phone to arrange a first visit."),
    ("Silver Sunday Lunch Club", "Castle Ward Community Association", "social eating",
     "A hot two-course lunch and good company for over-60s.", True, False, "i", "TH",
     "12:00-14:00", "Book by Tuesday; £4 a meal."),
    ("Sight Loss Support Group", "Kingsmere Sight Support", "long_term_conditions social",
     "Peer support, equipment demonstrations and a talking newspaper for people with sight "
     "loss.", True, True, "ip", "MO", "10:00-12:00", "Phone or come along."),
    ("Women's Wellbeing Circle", "Northgate Women's Centre", "social safety",
     "A relaxed weekly group with crafts, walks and guest speakers; crèche available.", True,
     True, "i", "WE", "10:00-12:00", "Just come along."),
    ("New Neighbours Conversation Club", "Kingsmere Refugee Support", "social",
     "Conversation practice in English and friendship for people new to the town.", True, True,
     "i", "FR", "13:00-15:00", "Drop in."),
    ("Parent Carers Forum", "Kingsmere SEND Parents", "caring",
     "Support and information for parents of children with special educational needs.", True,
     True, "io", "TU", "19:00-20:30", "Join online or come to a meeting."),
    ("Carers Emergency Plan", "Kingsmere Carers Trust", "caring",
     "Make a plan, and carry a card, so the person you look after is cared for if something "
     "happens to you.", True, True, "po", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Phone or fill in the online form."),
    ("Dementia Adviser Service", "Memory Matters Kingsmere", "caring long_term_conditions",
     "A named adviser after a dementia diagnosis, for the person and their family.", True, True,
     "pi", "MO,TU,WE,TH,FR", "09:00-17:00", "Self-referral or GP referral by phone."),
    ("Couch to 5K Group", "Kingsmere Running Club", "physical_activity social",
     "Nine weeks from walking to running 5 km with friendly run leaders.", True, True, "i",
     "TU,SU", "18:30-19:30", "Sign up online; beginners welcome."),
    ("Quiet Swim Sessions", "Kingsmere Leisure", "physical_activity long_term_conditions",
     "Adult-only swimming with a slow lane and a lifeguard who knows your name.", True, False,
     "i", "MO,WE,FR", "07:00-09:00", "Pay at reception; concessions available."),
    ("Cycle Confidence", "Kingsmere Cycling Hub", "physical_activity",
     "Free bike loans and one-to-one cycle training on quiet routes.", True, True, "ip", "SA",
     "09:30-12:30", "Book a session by phone."),
    ("Tai Chi in Heron Park", "Kingsmere Parks Trust", "physical_activity long_term_conditions",
     "Gentle tai chi for balance and calm; indoors at the pavilion if wet.", True, True, "i",
     "TH", "10:00-11:00", "Just turn up."),
    ("Cook and Eat Club", "Canalside Family Hub", "eating money_debt",
     "Learn to cook cheap, healthy family meals and take one home.", True, True, "i", "TH",
     "10:00-12:30", "Book a place by phone."),
    ("Eating Difficulties Peer Support", "Nourish Kingsmere", "eating",
     "A peer support group for adults affected by eating difficulties, and their families.",
     True, True, "io", "MO", "18:30-20:00", "Phone or email the group leader first."),
    ("Better Sleep Talk", "Kingsmere Libraries", "sleep",
     "A one-off talk on sleep, screens and winding down, with a sleep diary to take home.", True,
     True, "i", "TU", "14:00-15:30", "Book at any library."),
    ("Shift Workers' Sleep Clinic", "Kingsmere Occupational Health", "sleep work",
     "Advice on sleep and tiredness for night and shift workers.", True, True, "po", "MO,TH",
     "08:00-10:00", "Self-refer online."),
    ("Smokefree Pregnancy Support", "Smokefree Kingsmere", "smoking",
     "A dedicated adviser and free nicotine replacement for pregnant women and their partners.",
     True, True, "pi", "MO,TU,WE,TH,FR", "09:00-17:00", "Midwife referral or phone."),
    ("Vape Swap Scheme", "Canal Street Pharmacy", "smoking",
     "A free starter vape kit with four weeks of support to stop smoking.", True, True, "i",
     "MO,TU,WE,TH,FR,SA", "09:00-18:00", "Walk in or ask your GP."),
    ("Drink Less Online", "Turning Point Kingsmere", "alcohol",
     "A six-week online course with a coach for people who want to cut down.", True, True, "o",
     "MO,TU,WE,TH,FR", "09:00-20:00", "Self-refer online."),
    ("Families Affected by Addiction", "Kingsmere Families Together", "alcohol caring",
     "Support for family members worried about someone's drinking or drug use.", True, True,
     "pi", "WE", "18:00-20:00", "Phone to join the group."),
    ("Gambling Support Service", "Kingsmere Citizens Advice", "money_debt",
     "Confidential help for people harmed by gambling, and their families.", True, True, "pio",
     "MO,TU,WE,TH,FR", "09:00-17:00", "Phone or use web chat."),
    ("Cardiac Rehabilitation", "Kingsmere Community Health",
     "long_term_conditions physical_activity",
     "Exercise and education after a heart attack or heart surgery.", False, True, "i", "TU,FR",
     "10:00-12:00", "Referral by the hospital or GP."),
    ("Long COVID Fatigue Group", "Kingsmere Community Health", "long_term_conditions sleep",
     "Online group sessions on fatigue, pacing and breathing.", False, True, "o", "WE",
     "14:00-15:30", "GP referral."),
    ("Arthritis Self-Help Group", "Kingsmere Joint Action", "long_term_conditions social",
     "Monthly meetings with talks on pain, exercise and aids for daily living.", True, True, "i",
     "SA", "10:30-12:30", "Just come along."),
    ("Tech Tea Mornings", "Northgate Community Association", "digital social",
     "Bring your phone or tablet and get help from volunteers over tea and cake.", True, True,
     "i", "TH", "10:00-12:00", "Drop in."),
    ("Online Banking Confidence", "Heron Park Credit Union", "digital money_debt",
     "Small-group lessons on safe online banking and spotting scams.", True, True, "i", "MO",
     "14:00-16:00", "Book by phone."),
    ("Employment Rights Clinic", "Kingsmere Law Centre", "legal work",
     "Free advice if you have been dismissed, not paid or treated unfairly at work.", True, True,
     "pi", "TU", "17:30-19:30", "Book by phone."),
    ("Family Mediation First Meeting", "Kingsmere Family Mediation", "legal caring",
     "A first meeting about separating, arrangements for children and whether mediation suits.",
     True, False, "pio", "TH", "17:00-20:00", "Book online."),
    ("Domestic Abuse Advocates (IDVA)", "Kingsmere Women's Aid", "safety legal",
     "Specialist advocates for people at high risk: courts, police and safety planning.", False,
     True, "pi", "MO,TU,WE,TH,FR", "09:00-17:00",
     "Referral by police or a professional, with the person's consent where safe."),
    ("Stalking Advocacy Service", "Kingsmere Safer Families", "safety legal",
     "Advice and advocacy for anyone being stalked or harassed, online or offline.", True, True,
     "po", "MO,TU,WE,TH,FR", "09:00-17:00", "Phone the advice line."),
    ("Scam Prevention Visits", "Kingsmere Neighbourhood Watch", "safety digital",
     "Home visits to block scam calls and stay safe online, for older people.", True, True, "pi",
     "TU,TH", "10:00-15:00", "Phone to book a visit."),
]
LANGUAGE_SETS = [(), (), ("pl",), ("ur", "pa"), ("ro",), ("ar",), ("bn",), ("uk", "ru"), ()]
LANG_NAMES = {"pl": "Polish", "ur": "Urdu", "pa": "Punjabi", "ro": "Romanian", "ar": "Arabic",
              "bn": "Bengali", "uk": "Ukrainian", "ru": "Russian", "en": "English"}
BRANCHES = ["North", "South", "East", "West", "Central", "Riverside", "Northgate", "Westfield",
            "Canalside", "Heron Park", "Old Town", "Castle"]
WRONG_REASONS = ["Phone number not in use", "Service has moved to the library",
                 "Group stopped meeting in the summer"]


def generate(ctx: DemoContext) -> None:
    count = ctx.services
    if count <= 0:
        return
    rng = ctx.rng
    # ORUK ids and search keys must not repeat when demo data is added to a store twice.
    run = ctx.uuid().hex[:6]
    key_base = int(ctx.conn.execute(select(func.coalesce(func.max(
        m.DirService.__table__.c.search_key), 0))).scalar_one())
    orgs: dict[str, uuid.UUID] = {}
    org_rows: list[dict[str, Any]] = []
    for entry in ENTRIES:
        if entry[1] not in orgs:
            oid = ctx.uuid()
            orgs[entry[1]] = oid
            slug = entry[1].lower().replace(" ", "").replace("'", "")[:24]
            org_rows.append({"id": oid, "oruk_id": f"km-{run}-org-{len(orgs):04d}", "name": entry[1],
                             "description": f"{entry[1]} works with people in {TOWN}.",
                             "email": f"hello@{slug}.example.org",
                             "website": f"https://{slug}.example.org", "extra_json": "{}"})
    ctx.insert(_t(m.DirOrganization), org_rows)
    # Shared locations: one per street and district pairing (large sets reuse them).
    locations: list[tuple[uuid.UUID, str, str, str]] = []
    loc_rows, addr_rows = [], []
    for n in range(min(count, 200)):
        lid = ctx.uuid()
        street = STREETS[n % len(STREETS)]
        district = DISTRICTS[n % len(DISTRICTS)]
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
                   f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        name = ["Community Centre", "Library", "Health Centre", "Methodist Hall", "Hub",
                "Civic Centre"][n % 6]
        loc_name = f"{street.split()[0]} {name}"
        loc_rows.append({"id": lid, "oruk_id": f"km-{run}-loc-{n:05d}", "location_type": "physical",
                         "name": loc_name})
        addr_rows.append({"oruk_id": f"km-{run}-addr-{n:05d}", "location_id": lid,
                          "address_1": f"{rng.randint(1, 120)} {street}", "city": TOWN,
                          "state_province": "Kingsmereshire", "postal_code": postcode,
                          "country": "GB", "address_type": "physical"})
        locations.append((lid, loc_name, postcode, district))
    ctx.insert(_t(m.DirLocation), loc_rows)
    ctx.insert(_t(m.DirAddress), addr_rows)

    services, sals, contacts, phones, schedules, langs, areas = [], [], [], [], [], [], []
    favourites = 0
    for n in range(count):
        entry = ENTRIES[n % len(ENTRIES)]
        name, org, needs, description, self_ref, free, modes, days, hours, how = entry
        if n >= len(ENTRIES):
            name = f"{name} ({BRANCHES[(n // len(ENTRIES) - 1) % len(BRANCHES)]}"
            name += f" {n // (len(ENTRIES) * len(BRANCHES)) + 1})" if n >= len(ENTRIES) * (
                len(BRANCHES) + 1) else ")"
        sid = ctx.uuid()
        ctx.service_ids.append(sid)
        lid, loc_name, postcode, district = locations[n % len(locations)]
        language_codes = LANGUAGE_SETS[n % len(LANGUAGE_SETS)]
        # Freshness varies: most checked this year, some stale, a few never.
        age = rng.choice([20, 60, 150, 250, 300, 420, 700, None]) if not ctx.large else 90
        verified = ctx.today - timedelta(days=age) if age is not None else None
        assured = ctx.today - timedelta(days=age + 30) if age is not None else None
        wrong = n % 23 == 7
        favourite = n % 9 == 2 and favourites < 12
        favourites += favourite
        opens, closes = hours.split("-")
        area_tokens = [district, TOWN.casefold()]
        derived = Derived(
            search_terms=f"{org} {' '.join(domain_label(c) for c in needs.split())}",
            free_of_charge=free, in_person="i" in modes, by_phone="p" in modes,
            online="o" in modes, open_days=" ".join(d for d in days.split(",")),
            languages=(" " + " | ".join(["en", "english", *[c for c in language_codes],
                                         *[LANG_NAMES[c].casefold() for c in language_codes]])
                       + " "),
            areas=" " + " | ".join(area_tokens) + " ",
        )
        services.append({
            "id": sid, "oruk_id": f"km-{run}-svc-{n:05d}", "organization_id": orgs[org], "name": name,
            "description": description, "description_text": description, "status": "active",
            "cost_state": "free" if free else "charged",
            "url": f"https://{org.lower().replace(' ', '').replace(chr(39), '')[:24]}"
                   ".example.org/services",
            "fees": None if free else "Small charge; ask about concessions",
            "assured_date": assured, "last_modified": None, "extra_json": "{}",
            "content_hash": "", "needs": needs, "self_referral": self_ref,
            "how_to_refer": how, "practitioner_notes": "Friendly team; ask for the duty worker."
            if n % 7 == 3 else "", "favourite": favourite, "reported_wrong": wrong,
            "reported_wrong_reason": WRONG_REASONS[n % len(WRONG_REASONS)] if wrong else "",
            "reported_wrong_on": ctx.today - timedelta(days=12) if wrong else None,
            "verified_on": verified, "verified_by": "Sam Okoye" if verified else "",
            "search_key": key_base + n + 1, **derived.__dict__,
        })
        if "i" in modes:
            sals.append({"oruk_id": f"km-{run}-sal-{n:05d}", "service_id": sid, "location_id": lid})
        cid = ctx.uuid()
        contacts.append({"id": cid, "oruk_id": f"km-{run}-con-{n:05d}", "service_id": sid,
                         "name": "Duty adviser" if n % 2 else "Reception", "title": None})
        phones.append({"oruk_id": f"km-{run}-tel-{n:05d}", "contact_id": cid, "service_id": sid,
                       "number": f"01632 960{n % 1000:03d}" if n % 5 else
                       f"07700 900{n % 1000:03d}", "description": "Main line"})
        schedules.append({"oruk_id": f"km-{run}-sch-{n:05d}", "service_id": sid, "freq": "WEEKLY",
                          "byday": days, "opens_at": opens + ":00", "closes_at": closes + ":00",
                          "attending_type": {"i": "In person", "p": "By phone", "o": "Online"}
                          .get(modes, "In person, by phone or online")})
        for k, code in enumerate(("en", *language_codes)):
            langs.append({"oruk_id": f"km-{run}-lang-{n:05d}-{k}", "service_id": sid, "code": code,
                          "name": LANG_NAMES[code]})
        areas.append({"oruk_id": f"km-{run}-area-{n:05d}", "service_id": sid,
                      "name": f"{TOWN} and surrounding villages"})
    ctx.insert(_t(m.DirService), services)
    ctx.insert(_t(m.DirServiceAtLocation), sals)
    ctx.insert(_t(m.DirContact), contacts)
    ctx.insert(_t(m.DirPhone), phones)
    ctx.insert(_t(m.DirSchedule), schedules)
    if not ctx.large:
        ctx.insert(_t(m.DirLanguage), langs)
        ctx.insert(_t(m.DirServiceArea), areas)
    ctx.extra["service_needs"] = {sid: row["needs"].split() for sid, row in
                                  zip(ctx.service_ids, services, strict=True)}


def _t(model: type[Base]) -> Table:
    return cast(Table, model.__table__)

