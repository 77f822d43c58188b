"""The word lists that decide where a speaker's noun phrase starts and ends.

Kept apart from the scanning code because they are data: adding a role ("regulators") or a
word an adverb may be skipped over ("reportedly") changes which names are found, not how.
"""

from __future__ import annotations

DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our"}
ROLES = set(
    "government officials official spokesman spokeswoman spokesperson spokespeople police "
    "ministry authorities statement president minister secretary reporters reporter sources "
    "source experts expert analysts analyst television tv agency company department office "
    "military army court judge prosecutors prosecutor lawyers lawyer attorney attorneys "
    "researchers scientists doctors residents witnesses leaders leader chief director "
    "commission committee council board officer officers investigators regulators media "
    "network newspaper report study survey team campaign administration embassy group union "
    "service ambassador governor mayor senator senators lawmakers executive executives chairman "
    "ceo founder manager coach player family relatives organizers activists protesters "
    "people spokesmen staff aides aide adviser advisers firm bank club league party records "
    "data figures estimates documents filings website chain retailer airline automaker maker "
    "carrier brand startup operator utility insurer lender economists observers monitor "
    "monitors commentators".split()
)
MODIFIERS = set(
    [
        "official",
        "state",
        "federal",
        "local",
        "senior",
        "top",
        "former",
        "foreign",
        "chief",
        "military",
        "national",
        "health",
        "security",
        "defense",
        "defence",
        "interior",
        "current",
        "deputy",
        "prime",
        "vice",
        "assistant",
        "general",
        "public",
        "private",
        "independent",
        "anonymous",
        "regional",
        "city",
        "county",
        "press",
        "news",
        "two",
        "three",
        "several",
        "many",
        "some",
        "other",
        "white",
        "communist",
        "ruling",
        "opposition",
        "emergency",
        "joint",
    ]
)
CONNECTORS = {"of", "for", "de", "and", "the", "at"}
FUNCTION_WORDS = set(
    "in on at to from with by as for of into onto over under about after before during since "
    "than that this these those which who whom whose while when where and or but if so".split()
)
TIME_WORDS = set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December week month year night morning "
    "afternoon evening weekend".split()
)
SKIPPABLE = set(
    [
        "also",
        "later",
        "previously",
        "earlier",
        "then",
        "has",
        "had",
        "have",
        "was",
        "were",
        "is",
        "are",
        "publicly",
        "reportedly",
        "repeatedly",
        "recently",
        "already",
        "formally",
        "officially",
        "quickly",
        "separately",
        "not",
        "never",
        "first",
        "once",
        "again",
        "further",
        "directly",
        "still",
        "subsequently",
        "initially",
        "privately",
        "ultimately",
        "has",
    ]
)
PRONOUNS = {"he", "she", "He", "She"}
STOP_CAPS = set(
    [
        "While",
        "But",
        "And",
        "Throughout",
        "In",
        "On",
        "At",
        "As",
        "After",
        "Before",
        "When",
        "However",
        "Meanwhile",
        "Earlier",
        "Later",
        "Also",
        "Yesterday",
        "Today",
        "Then",
        "Still",
        "So",
        "If",
        "Since",
        "Although",
        "Though",
        "Because",
        "Last",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "There",
        "Here",
        "Over",
        "Under",
        "From",
        "To",
        "For",
        "With",
        "Without",
        "By",
        "During",
        "Despite",
        "Instead",
        "Now",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
