"""Common English given-name variants, so "Bill Smith" and "William Smith" are seen as alike.

Used by the duplicate check together with text folding (case, accents, hyphens).
"""

from __future__ import annotations

from wellbeing_desktop.domain.text import fold

_GROUPS: tuple[tuple[str, ...], ...] = (
    ("william", "bill", "billy", "will", "willy", "liam"),
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("richard", "rick", "ricky", "dick", "rich", "richie"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "bess"),
    ("margaret", "maggie", "meg", "peggy", "marge", "greta"),
    ("katherine", "catherine", "kathryn", "kate", "katie", "kath", "cathy", "kathy", "kat"),
    ("james", "jim", "jimmy", "jamie"),
    ("john", "jack", "johnny", "jon"),
    ("jonathan", "jon", "jonny"),
    ("michael", "mike", "mick", "mickey", "micky"),
    ("thomas", "tom", "tommy", "tomasz", "tomek"),
    ("anthony", "tony", "ant"),
    ("andrew", "andy", "drew"),
    ("alexander", "alex", "alec", "sandy", "alexandra", "alexa", "sasha"),
    ("christopher", "chris", "kit"),
    ("christine", "chris", "chrissie", "christina", "tina"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davey", "dai"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("joseph", "joe", "joey"),
    ("josephine", "jo", "josie"),
    ("matthew", "matt", "matty"),
    ("nicholas", "nick", "nicky"),
    ("patrick", "pat", "paddy"),
    ("patricia", "pat", "patty", "trish"),
    ("peter", "pete"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammy"),
    ("stephen", "steven", "steve", "stevie"),
    ("susan", "sue", "susie", "suzanne"),
    ("victoria", "vicky", "tori"),
    ("jennifer", "jenny", "jen"),
    ("rebecca", "becky", "becca"),
    ("deborah", "debbie", "deb"),
    ("amelia", "millie", "amy"),
    ("oliver", "ollie", "olly"),
    ("harry", "harold", "henry", "hal", "haz"),
    ("megan", "meg"),
    ("callum", "cal"),
    ("sophie", "sophia", "soph"),
    ("agnieszka", "aga"),
    ("mohammed", "muhammad", "mohammad", "mohamed", "mo"),
    ("olena", "lena", "olenka"),
    ("dmytro", "dima"),
    ("gwendolyn", "gwen"),
    ("zoe", "zoey"),
)

_VARIANTS: dict[str, frozenset[str]] = {}
for _group in _GROUPS:
    for _name in _group:
        _VARIANTS[_name] = _VARIANTS.get(_name, frozenset()) | frozenset(_group)


def variants(given: str) -> frozenset[str]:
    """Every folded form that may be the same given name, itself included."""
    key = fold(given)
    first = key.split(" ")[0] if key else ""
    return _VARIANTS.get(first, frozenset()) | {first} if first else frozenset()


def same_given_name(a: str, b: str) -> bool:
    """True when two given names are the same person's, allowing nicknames and small typos."""
    va, vb = variants(a), variants(b)
    if va & vb:
        return True
    fa, fb = fold(a).split(" ")[0] if a.strip() else "", fold(b).split(" ")[0] if b.strip() else ""
    return bool(fa and fb) and _close(fa, fb)


def same_family_name(a: str, b: str) -> bool:
    """Hyphenated and double-barrelled names match either part; small typos are allowed."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb or fa.replace(" ", "") == fb.replace(" ", ""):
        return True
    if set(fa.split(" ")) & set(fb.split(" ")):
        return True
    return _close(fa.replace(" ", ""), fb.replace(" ", ""))


def _close(a: str, b: str) -> bool:
    """Within one edit (insert, delete, substitute or swap) for names of 4+ letters."""
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
