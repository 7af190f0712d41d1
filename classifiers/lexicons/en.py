"""English: sentiment lexicon and urgency-cue patterns.

``WORDS`` maps a word or phrase (written naturally; folded at load) to a weight in [-1, 1].
A phrase wins over its words ("thank you so much", "no problem"); a zero weight makes a phrase
a blocker, so a greeting such as "good morning" or a sign-off such as "best regards" adds nothing.
``NEGATED_ONLY`` words are neutral alone and take their (negative) weight only when negated:
"never arrived", "doesn't work".

``URGENCY`` patterns are regular expressions over folded text (lower case, accents stripped,
curly apostrophes straightened); each alternative is matched at word boundaries.
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    # --- anger, disgust, distrust
    "furious": -0.9, "livid": -0.9, "outraged": -0.8, "angry": -0.7, "mad": -0.5,
    "annoyed": -0.5, "annoying": -0.5, "irritated": -0.5, "frustrated": -0.6,
    "frustrating": -0.6, "upset": -0.6, "disgusted": -0.8, "disgusting": -0.8,
    "appalled": -0.8, "appalling": -0.8, "outrageous": -0.8, "unacceptable": -0.8,
    "not acceptable": -0.7, "ridiculous": -0.7, "absurd": -0.6, "pathetic": -0.7,
    "disgrace": -0.8, "disgraceful": -0.8, "shameful": -0.7, "shame on you": -0.8,
    "scam": -0.9, "scammed": -0.9, "scammers": -0.9, "fraud": -0.8, "fraudulent": -0.8,
    "rip off": -0.8, "ripoff": -0.8, "ripped off": -0.8, "liars": -0.8, "lied": -0.6,
    "cheated": -0.8, "misleading": -0.6, "fake": -0.6, "counterfeit": -0.6,
    "incompetent": -0.8, "unprofessional": -0.7, "rude": -0.7, "useless": -0.7,
    "hopeless": -0.6, "a joke": -0.5, "what a joke": -0.7, "hate": -0.7,
    "fed up": -0.7, "sick of": -0.6, "sick and tired": -0.8, "had enough": -0.6,
    "never again": -0.7, "waste of money": -0.8, "waste of time": -0.7, "waste": -0.5,
    "sucks": -0.7, "crap": -0.7, "shit": -0.8, "shitty": -0.8, "fuck": -0.9,
    "fucking": -0.8, "wtf": -0.7, "damn": -0.5, "bloody": -0.4, "ugh": -0.4,
    # --- disappointment, worry
    "disappointed": -0.7, "disappointing": -0.6, "disappointment": -0.6, "unhappy": -0.6,
    "dissatisfied": -0.6, "sad": -0.4, "worried": -0.4, "concerned": -0.3, "confused": -0.2,
    "unfortunately": -0.2, "sadly": -0.2, "regret": -0.5, "shocked": -0.5, "shocking": -0.6,
    # --- quality and service
    "terrible": -0.8, "horrible": -0.8, "awful": -0.8, "dreadful": -0.7, "worst": -0.9,
    "worse": -0.6, "bad": -0.5, "poor": -0.5, "poor quality": -0.6, "bad quality": -0.6,
    "cheap quality": -0.5, "rubbish": -0.6, "garbage": -0.6, "junk": -0.6, "nightmare": -0.7,
    "disaster": -0.7, "unreliable": -0.5, "unusable": -0.6, "dangerous": -0.6,
    "broken": -0.6, "damaged": -0.6, "defective": -0.6, "faulty": -0.6, "cracked": -0.5,
    "smashed": -0.6, "shattered": -0.6, "ruined": -0.6, "ripped": -0.5, "torn": -0.5,
    "stained": -0.4, "stain": -0.4, "stains": -0.4, "dirty": -0.4, "scratched": -0.4, "dented": -0.4, "leaking": -0.4,
    "mouldy": -0.6, "moldy": -0.6, "expired": -0.4, "missing": -0.4, "wrong": -0.4,
    "incorrect": -0.3, "late": -0.3, "delayed": -0.3, "delay": -0.3, "slow": -0.4,
    "lost": -0.4, "stolen": -0.5, "overcharged": -0.6, "charged twice": -0.5,
    "still waiting": -0.5, "no response": -0.5, "no reply": -0.5,
    "no answer": -0.4, "no update": -0.3, "no help": -0.5, "ignored": -0.5, "ignoring": -0.5,
    "refused": -0.4, "problem": -0.2, "problems": -0.2, "issue": -0.15, "issues": -0.15,
    "complaint": -0.3, "complain": -0.3, "hassle": -0.4, "poorly": -0.4,
    # --- thanks and praise (a plain "thanks" sign-off is faint on purpose)
    "thanks": 0.2, "thank": 0.2, "thx": 0.15, "cheers": 0.15, "thanks in advance": 0.15,
    "thank you so much": 0.6, "thanks so much": 0.6, "thank you very much": 0.5,
    "thanks a lot": 0.5, "many thanks": 0.4, "much appreciated": 0.4, "appreciate": 0.3,
    "appreciated": 0.3, "grateful": 0.6, "great": 0.6, "good": 0.4, "nice": 0.4,
    "excellent": 0.8, "amazing": 0.8, "awesome": 0.7, "fantastic": 0.8, "wonderful": 0.8,
    "brilliant": 0.7, "superb": 0.8, "outstanding": 0.8, "perfect": 0.8, "perfectly": 0.6,
    "love": 0.7, "loved": 0.7, "loving": 0.6, "lovely": 0.6, "beautiful": 0.6,
    "gorgeous": 0.6, "happy": 0.6, "pleased": 0.6, "delighted": 0.8, "satisfied": 0.5,
    "glad": 0.5, "impressed": 0.6, "excited": 0.5, "best": 0.6, "super": 0.5,
    "quick": 0.4, "quickly": 0.3, "fast": 0.4, "speedy": 0.4, "prompt": 0.4,
    "helpful": 0.5, "friendly": 0.5, "kind": 0.4, "easy": 0.3, "smooth": 0.3,
    "recommend": 0.5, "highly recommend": 0.8, "well done": 0.6, "great job": 0.7,
    "works perfectly": 0.8, "works great": 0.7, "as described": 0.4, "on time": 0.3,
    "resolved": 0.3, "fine": 0.1, "not ok": -0.4, "not okay": -0.4, "no problem": 0.2, "no worries": 0.2, "can't wait": 0.4,
    "cant wait": 0.4, "wow": 0.3,
    # --- blockers: greetings, sign-offs and set phrases that carry no sentiment
    "good morning": 0.0, "good afternoon": 0.0, "good evening": 0.0, "good day": 0.0,
    "best regards": 0.0, "kind regards": 0.0, "all the best": 0.0, "kind of": 0.0,
    "love to": 0.1, "would love": 0.1, "no longer": 0.0, "no matter": 0.0,
}

NEGATORS: frozenset[str] = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "cannot",
    "hardly", "barely", "can't", "cant", "don't", "dont", "doesn't", "doesnt", "didn't",
    "didnt", "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "weren't", "werent",
    "won't", "wont", "wouldn't", "wouldnt", "haven't", "havent", "hasn't", "hasnt", "hadn't",
    "hadnt", "couldn't", "couldnt", "shouldn't", "shouldnt", "ain't", "aint",
})

# Multiplier boost on the next sentiment word (negative: a dampener, "a bit late").
INTENSIFIERS: dict[str, float] = {
    "very": 0.3, "really": 0.3, "so": 0.3, "extremely": 0.5, "incredibly": 0.5,
    "absolutely": 0.4, "totally": 0.4, "completely": 0.4, "utterly": 0.5, "truly": 0.3,
    "highly": 0.3, "deeply": 0.4, "seriously": 0.3, "terribly": 0.4, "super": 0.3,
    "too": 0.2, "such": 0.2, "most": 0.2, "quite": 0.1, "bit": -0.4, "slightly": -0.4,
    "little": -0.3, "somewhat": -0.3, "kinda": -0.3,
}

NEGATED_ONLY: dict[str, float] = {
    "arrived": -0.5, "received": -0.5, "delivered": -0.5, "shipped": -0.4, "work": -0.5,
    "works": -0.5, "working": -0.5, "worked": -0.4, "answered": -0.4, "replied": -0.4,
    "responded": -0.4, "heard": -0.4, "refunded": -0.5, "fixed": -0.3, "helped": -0.4,
    "help": -0.3, "fit": -0.3, "fits": -0.3, "turn": -0.3,
}

CONTRAST: frozenset[str] = frozenset({"but", "however", "although", "though"})
POST_NEGATORS: frozenset[str] = frozenset()

_DAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow(?: morning)?"
    r"|tonight|the weekend|this weekend|end of (?:the )?(?:day|week|month))"
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"
_HOLIDAYS = r"(?:christmas|xmas|christmas eve|new year'?s?(?: eve)?|easter|thanksgiving|halloween)"
_EVENTS = (
    r"(?:flight|wedding|birthday|trip|holiday|vacation|party|event|exam|interview|funeral"
    r"|move|departure|daughter's \w+|son's \w+|anniversary|graduation|christening|baby shower)"
)
_NUMBER = r"(?:\d{1,2}|two|three|four|five|six|seven|a few|a couple of)"

URGENCY: dict[str, tuple[str, ...]] = {
    "safety_hazard": (
        r"caught (?:on )?fire", r"catch(?:es|ing)? fire", r"(?:was|is|went|set) on fire",
        r"burst into flames", r"(?:in|on) flames", r"flames? (?:came|coming|shot)",
        r"fire hazard", r"(?:started|starts|began|begins|kept|keeps|was|is) smoking",
        r"smoke (?:came|comes|coming|was coming|poured|pouring|everywhere|billowing|from|out)",
        r"(?:saw|see|seeing|smell(?:ed|s|ing)?(?: of)?|there was|there's|lots of|full of"
        r"|puff of|emit(?:s|ted|ting)?|giving off|gave off|gives off) smoke",
        r"(?:threw|throws|throwing|gave off|shooting|emit(?:s|ted|ting)?|saw|see) sparks",
        r"sparks (?:came|flew|flying|coming)", r"sparking", r"sparked",
        r"burnt? (?:my|his|her|their|our) \w+", r"burned (?:my|his|her|their|our) \w+",
        r"(?:got|get|was|were|been) burn(?:ed|t)", r"burn(?:s|ing)? (?:on|to) (?:my|his|her)",
        r"smell(?:s|ed|ing)? (?:of )?burn(?:ing|t)", r"burning smell",
        r"(?:plug|cable|charger|socket|wire|battery|adapter) (?:has |had )?melted",
        r"overheat(?:s|ed|ing)?", r"too hot to (?:touch|hold)",
        r"(?:gets?|got|getting|became|becomes) (?:very|extremely|really|so|dangerously) hot",
        r"explo(?:ded|sion)", r"blew up", r"electric(?:al)? shock", r"electrocut\w*",
        r"(?:gave|gives|giving) (?:me|him|her|us|my \w+) (?:a|an) (?:electric )?shock",
        r"choking hazard", r"chok(?:ed|ing) on", r"sharp edges?", r"cut (?:my|his|her) \w+",
        r"cut (?:myself|himself|herself)", r"allergic reaction", r"anaphyla\w*",
        r"food poisoning", r"made (?:me|us|him|her|my \w+) (?:sick|ill)",
        r"dangerous", r"unsafe", r"safety (?:hazard|issue|risk|concern)",
        r"mouldy", r"moldy", r"(?:mould|mold|fungus) (?:on|in|inside|growing)",
        r"covered in mou?ld",
        r"(?:battery|batteries) (?:swell\w*|swollen|leak\w*)", r"swollen battery",
        r"(?:went|taken|rushed) to (?:the )?(?:hospital|a&e|er)",
    ),
    "legal_threat": (
        r"lawyers?", r"attorneys?", r"solicitors?", r"lawsuit", r"legal (?:action|proceedings"
        r"|steps|advice|team|department)", r"small claims", r"(?:in|to|into) court",
        r"court (?:action|case|claim)", r"(?:will|going to|gonna|i'll|to|could|can|and) sue",
        r"sue (?:you|your|the company|them)", r"suing", r"trading standards",
        r"consumer (?:protection|rights|ombudsman|agency|council)", r"ombudsman",
        r"better business bureau", r"bbb", r"ftc", r"citizens advice",
        r"report (?:you|this|your company|it) to", r"take (?:this|it) further",
    ),
    "chargeback": (
        r"charge ?-?backs?", r"dispute (?:the |this |that |a |my )?(?:charge|payment|transaction)",
        r"dispute (?:it |this )?with (?:my|the) (?:bank|card|credit card company|card issuer)",
        r"(?:open|opened|opening|file|filed|filing|raise|raised|start|started) (?:a )?"
        r"(?:dispute|claim|case) (?:with|on|through|via) (?:paypal|my bank|the bank|my card"
        r"|visa|amex|mastercard|klarna)",
        r"paypal (?:dispute|claim|case)",
        r"(?:call|calling|called|contact|contacting|contacted|ring|ringing|rang|tell|telling"
        r"|told|ask|asking|asked|speak to|speaking to|spoke to|go to|going to|gone to|get)"
        r" my (?:bank|credit card company|card issuer|card company)",
        r"my bank (?:will|to) (?:reverse|refund|dispute|block|cancel)",
        r"reverse (?:the|this|that|my) (?:charge|payment|transaction)",
    ),
    "anger": (
        r"furious", r"angry", r"livid", r"outraged", r"disgust(?:ed|ing)", r"unacceptable",
        r"ridiculous", r"(?:a|what a|absolute|complete|total) joke", r"scam(?:med|mers?)?",
        r"fraud(?:ulent|sters?)?(?! (?:check|prevention|detection|protection|team|department))",
        r"worst(?! case)", r"fed up", r"sick (?:and tired|of (?:this|it|you|waiting))",
        r"pissed(?: off)?", r"damn", r"wtf", r"bloody", r"crap", r"shit\w*", r"fuck\w*",
        r"useless", r"incompetent", r"pathetic", r"disgrace(?:ful)?", r"shame on you",
        r"appalling", r"outrageous",
    ),
    "urgent": (
        r"urgent(?:ly)?", r"asap", r"a\.s\.a\.p", r"immediately", r"emergency",
        r"as soon as possible", r"time[- ]sensitive",
        # "right now" only as a demand: "I'm not home right now" is no cue
        r"(?:need|want|fix|send|sort|refund|call|answer|reply|respond|help|deal with)\w*"
        r" (?:[\w']+ ){0,4}?right (?:now|away)",
    ),
    "deadline": (
        rf"by {_DAYS}", rf"by (?:the )?{_ORDINAL}(?: of {_MONTHS})?",
        rf"by {_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?", rf"by {_HOLIDAYS}",
        rf"before {_HOLIDAYS}", rf"before {_DAYS}", rf"before (?:the )?{_ORDINAL}",
        rf"before (?:my|our|the|his|her|their) {_EVENTS}",
        r"need(?:ed|s)? (?:it|them|this|these|the \w+) (?:for|by|before) "
        rf"(?:(?:my|our|the|a|his|her|this|next) )?(?:{_EVENTS}|{_DAYS}|{_HOLIDAYS})",
        r"leaving (?:on|for|in) \w+", r"flying (?:out )?on \w+",
        r"(?:leav\w*|fly\w*|travel\w*|moving|wedding|birthday|party|flight|trip"
        r"|need (?:it|them|this)|must (?:arrive|have it)|has to arrive)\b[^.!?\n]{0,30}?"
        rf"\bin {_NUMBER} days",
    ),
}
