"""Customer-service sentiment words and phrases, folded (no accents, lower case)."""

NEGATIVE: dict[str, float] = {
    # en
    "angry": -0.7, "furious": -0.9, "livid": -0.9, "upset": -0.6, "annoyed": -0.5,
    "frustrated": -0.6, "frustrating": -0.6, "disappointed": -0.6, "disappointing": -0.6,
    "unhappy": -0.6, "terrible": -0.8, "awful": -0.8, "horrible": -0.8, "worst": -0.9,
    "bad": -0.5, "poor": -0.5, "useless": -0.7, "ridiculous": -0.7, "unacceptable": -0.8,
    "disgusting": -0.8, "disgraceful": -0.8, "shocking": -0.6, "pathetic": -0.8,
    "scam": -0.9, "fraud": -0.9, "rip off": -0.8, "ripoff": -0.8, "joke": -0.4,
    "broken": -0.5, "damaged": -0.5, "defective": -0.5, "faulty": -0.5, "ruined": -0.6,
    "late": -0.3, "delayed": -0.3, "missing": -0.3, "wrong": -0.3, "lost": -0.3,
    "still waiting": -0.5, "never arrived": -0.6, "never received": -0.6, "no reply": -0.5,
    "no response": -0.5, "ignored": -0.6, "fed up": -0.7, "sick of": -0.7, "rude": -0.7,
    "waste": -0.6, "nightmare": -0.8, "hate": -0.8, "sucks": -0.7, "crap": -0.7,
    "wtf": -0.7, "damn": -0.4, "bloody": -0.4, "sadly": -0.3, "unfortunately": -0.3,
    "problem": -0.2, "issue": -0.15, "complaint": -0.4, "cheated": -0.8, "misleading": -0.6,
    # fr
    "decu": -0.6, "decue": -0.6, "decevant": -0.6, "furieux": -0.9, "furieuse": -0.9,
    "enerve": -0.6, "enervee": -0.6, "mecontent": -0.6, "mecontente": -0.6,
    "inadmissible": -0.8, "inacceptable": -0.8, "honteux": -0.8, "scandaleux": -0.8,
    "nul": -0.6, "nulle": -0.6, "arnaque": -0.9, "abime": -0.5, "abimee": -0.5,
    "casse": -0.5, "cassee": -0.5, "endommage": -0.5, "defectueux": -0.5, "retard": -0.3,
    "toujours pas": -0.4, "jamais recu": -0.6, "ras le bol": -0.8, "n'importe quoi": -0.6,
    "lamentable": -0.8, "pire": -0.8, "malheureusement": -0.3,
    "probleme": -0.2, "aucune reponse": -0.5,
    # de
    "enttauscht": -0.6, "wutend": -0.9, "verargert": -0.6, "sauer": -0.6,
    "unzufrieden": -0.6, "unverschamt": -0.8, "frechheit": -0.8, "inakzeptabel": -0.8,
    "katastrophe": -0.8, "katastrophal": -0.8, "schlecht": -0.5, "schlechteste": -0.9,
    "betrug": -0.9, "saftladen": -0.8, "kaputt": -0.5, "beschadigt": -0.5, "defekt": -0.5,
    "verspatet": -0.3, "immer noch nicht": -0.5, "nie angekommen": -0.6, "argerlich": -0.6,
    "leider": -0.3, "keine antwort": -0.5, "zumutung": -0.8,
    # es
    "decepcionado": -0.6, "decepcionada": -0.6, "enfadado": -0.7, "enfadada": -0.7,
    "furioso": -0.9, "furiosa": -0.9, "molesto": -0.5, "molesta": -0.5, "harto": -0.7,
    "harta": -0.7, "indignado": -0.8, "indignada": -0.8, "inaceptable": -0.8,
    "vergonzoso": -0.8, "verguenza": -0.8, "estafa": -0.9, "fatal": -0.7, "pesimo": -0.9,
    "malo": -0.5, "mala": -0.5, "roto": -0.5, "rota": -0.5, "danado": -0.5, "danada": -0.5,
    "defectuoso": -0.5, "retraso": -0.3, "todavia no": -0.4, "nunca llego": -0.6,
    "sin respuesta": -0.5, "lamentablemente": -0.3, "desastre": -0.8,
    # emoji
    "😡": -0.8, "🤬": -0.9, "😠": -0.7, "😤": -0.6, "😞": -0.5, "😢": -0.5, "👎": -0.6,
}

POSITIVE: dict[str, float] = {
    # en
    "thanks": 0.3, "thank you": 0.35, "thx": 0.2, "appreciate": 0.4, "appreciated": 0.4,
    "great": 0.6, "excellent": 0.8, "amazing": 0.8, "awesome": 0.8, "fantastic": 0.8,
    "perfect": 0.7, "love": 0.7, "lovely": 0.6, "happy": 0.6, "pleased": 0.6,
    "delighted": 0.8, "satisfied": 0.5, "good": 0.4, "nice": 0.4, "wonderful": 0.8,
    "brilliant": 0.8, "helpful": 0.6, "quick": 0.3, "fast": 0.3, "recommend": 0.6,
    "impressed": 0.7, "best": 0.6, "glad": 0.5, "kind": 0.4, "superb": 0.8,
    # fr
    "merci": 0.3, "parfait": 0.7, "parfaite": 0.7, "super": 0.6, "genial": 0.7,
    "ravi": 0.8, "ravie": 0.8, "content": 0.5, "contente": 0.5,
    "satisfait": 0.5, "satisfaite": 0.5, "bravo": 0.7, "top": 0.5, "rapide": 0.3,
    "magnifique": 0.8, "adore": 0.7,
    # de
    "danke": 0.3, "vielen dank": 0.4, "toll": 0.6, "prima": 0.6, "klasse": 0.6,
    "perfekt": 0.7, "zufrieden": 0.5, "begeistert": 0.8, "schnell": 0.3, "freue": 0.5,
    "gut": 0.4, "wunderbar": 0.8, "hervorragend": 0.8,
    # es
    "gracias": 0.3, "muchas gracias": 0.4, "genial_es": 0.7, "perfecto": 0.7,
    "perfecta": 0.7, "encantado": 0.8, "encantada": 0.8, "contento": 0.5, "contenta": 0.5,
    "satisfecho": 0.5, "satisfecha": 0.5, "estupendo": 0.8, "maravilloso": 0.8,
    "rapido": 0.3, "excelente": 0.8, "bueno": 0.4, "buena": 0.4,
    # emoji
    "😊": 0.6, "🙂": 0.4, "😀": 0.6, "😍": 0.8, "❤": 0.7, "❤️": 0.7, "👍": 0.5, "🙏": 0.3,
    "🥰": 0.8,
}

NEGATORS = frozenset({
    "not", "no", "never", "don't", "dont", "didn't", "didnt", "isn't", "isnt", "wasn't",
    "wasnt", "hardly", "ne", "pas", "jamais", "nicht", "kein", "keine", "nie", "nunca",
    "nada", "ni",
})
INTENSIFIERS = frozenset({
    "very", "so", "really", "extremely", "totally", "absolutely", "completely", "super",
    "tres", "vraiment", "trop", "sehr", "total", "echt", "muy", "tan", "realmente", "bien",
})
