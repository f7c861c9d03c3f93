"""Invented people and places for the fictional town of Kingsmere (postcode area "KM", unused)."""

from __future__ import annotations

TOWN = "Kingsmere"
SERVICE_NAME = "Kingsmere Talking Therapies: Health and Wellbeing"

GIVEN = [
    "Amelia", "Oliver", "Grace", "Jack", "Sophie", "Harry", "Chloe", "George", "Ella", "Noah",
    "Ruby", "Leo", "Megan", "Callum", "Freya", "Liam", "Siobhan", "Rhys", "Bethan", "Dylan",
    "Aisha", "Mohammed", "Fatima", "Yusuf", "Priya", "Arjun", "Sunita", "Ravi", "Nadia", "Omar",
    "Agnieszka", "Tomasz", "Kasia", "Mihai", "Ioana", "Elif", "Mehmet", "Olena", "Dmytro",
    "Chen", "Mei", "Kwame", "Ama", "Chidi", "Ngozi", "Zoë", "Renée", "Seán", "Niamh", "Ffion",
]
FAMILY = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Patel", "Khan", "Begum", "Ahmed", "Hussain", "Singh", "Kaur", "Ali",
    "Kowalski", "Nowak", "Wiśniewska", "Popescu", "Ionescu", "Yılmaz", "Demir", "Kovalenko",
    "Shevchenko", "Wang", "Li", "Mensah", "Okafor", "Adeyemi", "O'Brien", "Murphy", "Byrne",
    "Hughes", "Morgan", "Lloyd-Jones", "Fitzgerald", "MacLeod",
]
NICKNAMES = {"Amelia": "Millie", "Oliver": "Ollie", "Harry": "Haz", "Megan": "Meg",
             "Agnieszka": "Aga", "Mohammed": "Mo", "Elizabeth": "Liz", "Callum": "Cal",
             "Tomasz": "Tomek", "Olena": "Lena", "Dmytro": "Dima", "Sophie": "Soph"}
PRONOUNS = ["she/her", "he/him", "they/them", "", "", ""]
STREETS = [
    "Mill Lane", "Station Road", "Church Street", "Orchard Close", "Canal Walk", "Victoria Road",
    "Heron Way", "Market Street", "Elm Grove", "Brook Terrace", "Kiln Row", "Weavers Court",
    "Ropewalk", "Castle View", "Foundry Street", "Meadow Rise",
]
DISTRICTS = ["KM1", "KM2", "KM3", "KM4", "KM5", "KM6", "KM7", "KM8"]
GP_PRACTICES = [
    "Riverside Medical Centre", "Kingsmere Health Centre", "Northgate Surgery",
    "Canal Street Practice", "Westfield Family Practice",
]
PRACTITIONERS = [
    ("Sam Okoye", "Health and Wellbeing Lead", "supervisor"),
    ("Hannah Price", "Health and Wellbeing Practitioner", "practitioner"),
    ("Imran Qureshi", "Health and Wellbeing Practitioner", "practitioner"),
    ("Beth Llewellyn", "Health and Wellbeing Practitioner", "practitioner"),
    ("Marta Zielińska", "Health and Wellbeing Practitioner", "practitioner"),
]
# (language code, interpreter) for clients whose first language is not English.
LANGUAGES = [("pl", True), ("ro", False), ("tr", True), ("uk", True), ("bn", True),
             ("ur", True), ("zh", True), ("ar", True), ("el", False)]
REFERRAL_REASONS = [
    "Low mood linked to rent arrears and worry about eviction.",
    "Anxiety about money since losing hours at work; not sleeping.",
    "Feels isolated since moving to the area; would like to meet people.",
    "Caring for her mum full time and exhausted; wants time for herself.",
    "Wants to stop smoking and be more active after a health scare.",
    "Stress at work and drinking more in the evenings than he would like.",
    "Struggling with benefit forms and a sanction; feels overwhelmed.",
    "Long-term back pain; low mood; would like help to get moving again.",
    "Sleep has been poor for months; tired and irritable at work.",
    "Recently unemployed; wants help with confidence and finding work or volunteering.",
]
REFERRAL_SOURCES = ["step2", "step3", "gp", "self", "community", "other"]
