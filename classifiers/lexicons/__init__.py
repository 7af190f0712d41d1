"""Word lists for the lexicon-based sentiment and urgency passes (en, fr, de, es).

Keys are accent-free and case-folded (see ``classifiers.text.fold``); weights are in [-1, 1].
"""
