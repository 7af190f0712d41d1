"""German phrase bank: idiomatic messages as German-speaking shoppers write them."""

from __future__ import annotations

from classifiers.training.bank import LanguageBank

CORE: dict[str, str] = {
    "order_status": """
wo ist meine Bestellung?
wo bleibt mein Paket?
wann kommt meine Bestellung an?
ist {order} schon verschickt worden?
ich warte seit {ndays} Tagen auf mein Paket
ich habe {when} {a_product} bestellt und noch nichts bekommen
können Sie mir die Sendungsnummer schicken?
die Sendungsverfolgung zeigt seit {when} nichts Neues
laut Tracking wurde das Paket zugestellt, aber ich habe nichts erhalten
wie ist der Status meiner Bestellung?
Bestellstatus?
mein Paket hängt irgendwo fest
wurde meine Bestellung schon versendet?
der Trackinglink funktioniert nicht
ich möchte {order} verfolgen
gibt es Neuigkeiten zu meiner Bestellung?
das Paket sollte {when} ankommen, ist aber immer noch nicht da
{person} hat {when} bei euch bestellt, wo ist das Paket?
meine Bestellung steht seit einer Woche auf "in Bearbeitung"
hallo, wann wird meine Bestellung versandt?
der Zusteller war nie da
ich habe noch keine Versandbestätigung bekommen
""",
    "delivery_info": """
wie lange dauert der Versand?
was kostet der Versand?
liefern Sie auch {to_country}?
ab welchem Bestellwert ist der Versand kostenlos?
welche Versandarten gibt es?
wie lange dauert die Lieferung {to_country}?
bieten Sie Expressversand an?
kann ich an eine Packstation liefern lassen?
liefert ihr auch samstags?
mit welchem Versanddienstleister verschickt ihr?
was kostet die Expresslieferung?
gibt es eine Abholung im Laden?
wie hoch sind die Versandkosten {to_country}?
wie schnell wird geliefert, wenn ich heute bestelle?
kann ich einen Liefertermin auswählen?
fallen bei einer Lieferung in die Schweiz Zollgebühren an?
ist die Lieferung kostenlos?
wie sind eure Lieferzeiten gerade?
liefern Sie Möbel bis in die Wohnung?
Lieferoptionen?
versendet ihr auch mit DHL?
""",
    "shipping_address": """
ich möchte die Lieferadresse meiner Bestellung ändern
ich habe die falsche Adresse angegeben
wie füge ich eine neue Lieferadresse hinzu?
ich bin umgezogen und muss meine Adresse aktualisieren
können Sie die Adresse von {order} noch ändern?
die Postleitzahl ist falsch
in der Adresse fehlt die Hausnummer
wie lege ich eine Standard-Lieferadresse fest?
bitte an eine andere Adresse liefern
kann ich die Lieferadresse nach der Bestellung noch ändern?
ich möchte eine zweite Lieferadresse hinterlegen
die neue Adresse lässt sich im Kundenkonto nicht speichern
Lieferadresse ändern
bitte an meine Arbeitsadresse schicken statt nach Hause
der Straßenname ist falsch geschrieben
die Bestellung geht an meine alte Adresse, bitte korrigieren
wie richte ich eine neue Versandadresse ein?
ich habe mich bei der Adresse vertippt
""",
    "order_change": """
ich möchte noch {a_product} zu meiner Bestellung hinzufügen
können Sie in meiner Bestellung Größe M gegen L tauschen?
die Bestellung ist noch nicht raus, kann ich sie noch ändern?
ich habe versehentlich zwei Stück bestellt, bitte vor dem Versand auf eins reduzieren
ich möchte das bestellte Modell wechseln
ich möchte meine Bestellung ändern
kann ich noch einen Artikel zur Bestellung hinzufügen?
bitte einen Artikel aus {order} entfernen
ich möchte die Größe ändern, bevor verschickt wird
kann ich die Farbe noch ändern?
ich habe die falsche Menge bestellt, bitte anpassen
wie kann ich eine Bestellung bearbeiten?
ist es zu spät, die Bestellung zu ändern?
ich habe vergessen, etwas zur Bestellung hinzuzufügen
bitte die Größe auf {size} ändern, die Bestellung ist noch nicht raus
Bestellung ändern
kann ich einen Artikel in meiner Bestellung austauschen, bevor sie verschickt wird?
""",
    "order_cancel": """
ich möchte meine Bestellung stornieren
wie kann ich eine Bestellung stornieren?
bitte {order} stornieren
fallen Stornogebühren an?
ich habe aus Versehen bestellt, bitte stornieren
kann ich noch stornieren, wenn es schon verschickt ist?
Stornierung meiner Bestellung
ich will die Bestellung zurückziehen
bitte alles stornieren, ich brauche es nicht mehr
ich habe doppelt bestellt, bitte eine Bestellung stornieren
wo finde ich den Button zum Stornieren?
ist die Stornierung kostenlos?
wurde meine Stornierung bearbeitet?
Bestellung stornieren bitte
ich möchte die Bestellung, die ich {when} aufgegeben habe, stornieren
kann ich meine Bestellung stornieren und das Geld zurückbekommen?
was kostet eine Stornierung?
ich habe es mir anders überlegt, bitte stornieren
""",
    "return_exchange": """
ich möchte {a_product} zurückschicken
wie funktioniert die Rücksendung?
kann ich die Hose gegen eine größere Größe umtauschen?
wie lange habe ich Zeit für eine Rücksendung?
ich brauche ein Retourenetikett
ist die Rücksendung kostenlos?
wie sind Ihre Rückgabebedingungen?
die Jacke passt nicht, ich möchte sie umtauschen
kann ich in eine andere Farbe umtauschen?
wohin schicke ich die Retoure?
ich habe den Rücksendeschein verloren
kann ich die Ware im Laden zurückgeben?
ich möchte einen Teil der Bestellung retournieren
Umtausch gegen Größe {size} möglich?
das Kleid gefällt mir nicht, ich schicke es zurück
wie starte ich eine Retoure?
muss ich die Rücksendung selbst bezahlen?
Rückgabe
""",
    "refund": """
ich möchte mein Geld zurück
wo bleibt meine Rückerstattung?
wann bekomme ich mein Geld zurück?
ich habe die Ware {when} zurückgeschickt und noch keine Erstattung erhalten
wie lange dauert die Rückzahlung?
ich hätte gerne eine Rückerstattung für {order}
die Erstattung ist noch nicht auf meinem Konto
Sie haben mir nur einen Teil erstattet
wie sind Ihre Erstattungsrichtlinien?
wurde meine Rückerstattung schon bearbeitet?
Status meiner Rückerstattung?
bekomme ich auch die Versandkosten erstattet?
mir wurde eine Gutschrift versprochen, aber es kam nichts
Sie schulden mir noch {amount}
wird das Geld auf PayPal oder auf die Karte erstattet?
bitte erstatten Sie mir den Betrag
ich warte seit {ndays} Tagen auf mein Geld
""",
    "damaged_or_wrong_item": """
die Ware ist beschädigt angekommen
das Ladegerät hat Feuer gefangen
mein Ladegerät hat angefangen zu qualmen
die Powerbank wurde so heiß, dass sie geschmolzen ist
das Ladegerät hat beim Einstecken Funken gesprüht
der Akku hat sich aufgebläht und das Gehäuse gesprengt
ich habe einen Stromschlag bekommen
{the_product} ist kaputt angekommen
Sie haben mir den falschen Artikel geschickt
in meinem Paket fehlt ein Artikel
{the_product} funktioniert nicht
ich habe die falsche Größe bekommen
der Karton war eingedrückt und der Inhalt ist beschädigt
das Display hat einen Sprung
das Gerät ist defekt
ich habe die Bestellung von jemand anderem erhalten
es fehlen Teile für den Aufbau
die Farbe stimmt nicht mit meiner Bestellung überein
das Paket war offen und es fehlt etwas
das Gerät lässt sich nicht einschalten
{the_product} hat ein Loch
das Glas ist zerbrochen
ich habe gebrauchte Ware bekommen
falscher Artikel geliefert
""",
    "payment_billing": """
welche Zahlungsarten akzeptieren Sie?
meine Zahlung wurde abgelehnt
mir wurde doppelt abgebucht
mein Gutscheincode funktioniert nicht
kann ich mit PayPal bezahlen?
der Rabattcode wird nicht angenommen
die Zahlung ist fehlgeschlagen, aber das Geld wurde abgebucht
kann ich auf Rechnung bezahlen?
bieten Sie Ratenzahlung an?
ich sehe eine Abbuchung, die ich nicht zuordnen kann
meine Kreditkarte wird ständig abgelehnt
Problem mit der Bezahlung
mir wurde mehr berechnet als angezeigt
die 3D-Secure-Bestätigung klappt nicht
ich kann die Bezahlung nicht abschließen
mein Geschenkgutschein geht nicht
wie ändere ich die Zahlungsmethode?
geht Zahlung per Klarna?
""",
    "invoice": """
wie bekomme ich eine Rechnung?
ich brauche eine Rechnung für {order}
können Sie mir die Rechnung schicken?
wo kann ich meine Rechnung herunterladen?
ich benötige eine Rechnung mit ausgewiesener MwSt.
auf der Rechnung steht der falsche Name
ich habe keine Rechnung zu meiner Bestellung bekommen
ich hätte gerne eine Kopie der Rechnung
bitte die Rechnung auf meine Firma ausstellen
der Rechnungsbetrag stimmt nicht
wo finde ich meine Rechnungen im Kundenkonto?
Rechnung bitte
bitte meine USt-IdNr. auf der Rechnung ergänzen
ich brauche einen Kaufbeleg für die Garantie
die Rechnungsadresse auf der Rechnung ist falsch
bitte senden Sie mir die Rechnung erneut zu, Bestellnummer {n}
das PDF der Rechnung lässt sich nicht öffnen
kann ich eine korrigierte Rechnung bekommen?
""",
    "product_question": """
habt ihr das noch in Größe {size} auf Lager?
kann ich ohne Kundenkonto bestellen?
ist bei der Lampe ein Leuchtmittel dabei?
welche Größe empfehlen Sie bei 1,80 m?
ich möchte bestellen, weiß aber nicht wie
gibt es auf das Gerät Garantie?
ist {the_product} auf Lager?
gibt es das in Größe {size}?
wie kann ich eine Bestellung aufgeben?
ich möchte {a_product} kaufen
aus welchem Material ist {the_product}?
wann ist der Artikel wieder verfügbar?
fällt die Größe klein oder groß aus?
passt die Hülle zum iPhone 15?
gibt es das auch in {colour}?
wie bestelle ich bei Ihnen?
welche Maße hat das Sofa?
ist die Jacke wasserdicht?
""",
    "account": """
wie erstelle ich ein Konto?
ich habe mein Passwort vergessen
ich möchte mein Kundenkonto löschen
mein Konto wurde gehackt
ich kann mich nicht einloggen
wie ändere ich meine E-Mail-Adresse?
bitte melden Sie mich vom Newsletter ab
die E-Mail zum Zurücksetzen des Passworts kommt nicht an
wie ändere ich mein Passwort?
mein Konto ist gesperrt
die Registrierung funktioniert nicht
wie kann ich meine persönlichen Daten ändern?
ich möchte mein Konto schließen
wie wechsle ich zu meinem anderen Konto?
hört auf, mir Werbemails zu schicken
ich möchte den Newsletter abonnieren
Passwort zurücksetzen
bei der Anmeldung steht, dass die E-Mail schon verwendet wird
""",
    "complaint": """
ich schreibe jetzt zum dritten Mal und niemand antwortet
eine Unverschämtheit, wie Sie mit Kunden umgehen
ich möchte mich beschweren
ich bin sehr unzufrieden mit Ihrem Service
Ihr Kundenservice ist eine Katastrophe
der Mitarbeiter am Telefon war sehr unfreundlich
das ist eine Frechheit
ich möchte eine offizielle Beschwerde einreichen
seit zwei Wochen antwortet niemand auf meine Mails
bei Ihnen bestelle ich nie wieder
ich bin enttäuscht, wie mein Anliegen behandelt wurde
der schlechteste Service, den ich je erlebt habe
der Paketbote war unverschämt
wo kann ich eine Beschwerde einreichen?
ich habe die Nase voll
das ist absolut inakzeptabel
ich werde mich an die Verbraucherzentrale wenden
Beschwerde
unmöglicher Service
""",
    "feedback": """
super Erfahrung, gerne wieder
die Beraterin am Telefon war sehr hilfsbereit, danke
ich wollte mich einfach mal bedanken
wo kann ich eine Bewertung für den Shop schreiben?
schön wäre es, wenn ihr mehr Größen anbieten würdet
Ware gut verpackt und schnell da, top
5 Sterne für den Kundenservice
ich möchte eine Bewertung abgeben
danke für den tollen Service
der Kundenservice war super, vielen Dank
wo kann ich meinen Einkauf bewerten?
ich habe einen Verbesserungsvorschlag für Ihre Website
schnelle Lieferung, bin begeistert
großes Lob an das ganze Team
wie schreibe ich eine Produktbewertung?
sehr zufrieden mit meiner Bestellung
ich empfehle euch gerne weiter
vielen Dank an die nette Mitarbeiterin im Chat
""",
    "human_agent": """
ich möchte mit einem Mitarbeiter sprechen
kann ich mit einem Menschen reden?
wie lautet die Telefonnummer des Kundenservice?
können Sie mich zurückrufen?
bitte verbinden Sie mich mit einem echten Menschen
ich will mit einem Berater sprechen
wie erreiche ich den Kundenservice?
Mitarbeiter bitte
ich will nicht mit einem Bot schreiben
haben Sie eine Hotline?
wann ist der Kundenservice erreichbar?
bitte rufen Sie mich unter {phone} an
ich möchte mit einem Vorgesetzten sprechen
hallo?? ich brauche einen echten Menschen
wie kann ich Sie telefonisch erreichen?
ich würde lieber direkt mit jemandem sprechen
Kundenservice kontaktieren
""",
    "other": """
ich würde gerne meine Produkte bei Ihnen verkaufen
das ist nur ein Test
hat die Filiale in {city} sonntags offen?
sind Sie ein deutsches Unternehmen?
ich mache eine Umfrage für mein Studium
moin
stellen Sie gerade ein?
ich möchte mich bei Ihnen bewerben
wir würden gerne über eine Kooperation sprechen
verkaufen Sie auch an Großhändler?
hallo?
test
wann hat Ihre Filiale in {city} geöffnet?
bieten Sie Geschenkverpackung an?
ich bin Journalistin und schreibe über den Onlinehandel
wo ist Ihr Firmensitz?
bieten Sie Praktika an?
wie wird das Wetter morgen?
""",
}

TEMPLATES: dict[str, str] = {
    "order_status": """
[wo ist|wo bleibt] [meine Bestellung|mein Paket|{order}][?|]
[ich habe|wir haben] [meine Bestellung|mein Paket|{order}] [noch nicht|immer noch nicht] \
[erhalten|bekommen]
""",
    "delivery_info": """
[wie lange dauert|was kostet] [der Versand|die Lieferung|der Expressversand][ {to_country}|]?
""",
    "shipping_address": """
[ich möchte|ich muss|wie kann ich|kann ich] die [Lieferadresse|Versandadresse|Adresse] \
[ändern|korrigieren|aktualisieren]
""",
    "order_cancel": """
[ich möchte|ich will|bitte|wie kann ich|kann ich] [meine Bestellung|{order}|den Kauf] stornieren
""",
    "return_exchange": """
[ich möchte|ich will|wie kann ich] [{a_product}|meine Bestellung|den Artikel] \
[zurückschicken|umtauschen|zurückgeben]
""",
    "refund": """
[wo bleibt meine Rückerstattung|wann bekomme ich mein Geld zurück|ich warte noch auf meine \
Erstattung][ für {order}|]
""",
    "damaged_or_wrong_item": """
[{the_product}|das Paket|der Artikel|die Ware] [ist beschädigt angekommen|kam kaputt an|ist \
defekt|ist zerbrochen]
""",
    "payment_billing": """
[meine Zahlung|die Kartenzahlung|die PayPal-Zahlung] [wurde abgelehnt|ist fehlgeschlagen|geht \
nicht durch]
""",
    "invoice": """
[ich brauche|bitte schicken Sie mir|wo finde ich] [die Rechnung|eine Rechnung|eine Kopie der \
Rechnung][ für {order}| für meine Bestellung|]
""",
    "account": """
[ich habe mein Passwort vergessen|ich komme nicht in mein Konto|ich kann mich nicht anmelden]\
[ in der App| auf der Website|]
[wie kann ich|ich möchte|bitte] [mein Konto|mein Kundenkonto] [löschen|schließen|deaktivieren]
""",
    "human_agent": """
[ich möchte|ich will|kann ich] mit [einem Mitarbeiter|einem Menschen|einer echten Person|dem \
Kundenservice] [sprechen|reden|telefonieren]
""",
    "complaint": """
[ich bin|wir sind] [sehr|total|extrem] [unzufrieden|enttäuscht|verärgert] [mit Ihrem \
Service|über Ihren Kundenservice|über die Abwicklung]
""",
}

SLOTS: dict[str, list[str]] = {
    "order": [
        "meine Bestellung", "meine letzte Bestellung", "die Bestellung {n}",
        "Bestellung Nr. {n}", "meine Bestellung #{n}", "die Bestellung mit der Nummer {n}",
    ],
    "when": [
        "gestern", "letzte Woche", "am Montag", "vor drei Tagen", "vor zwei Wochen",
        "letzten Freitag", "heute Morgen", "am 12.", "vor einem Monat", "am Wochenende",
        "vorgestern",
    ],
    "a_product": [
        "eine Jacke", "ein Sofa", "Laufschuhe", "eine Handyhülle", "einen Wintermantel",
        "ein Kleid", "einen Rucksack", "Kopfhörer", "eine Schreibtischlampe",
        "eine Kaffeemaschine", "eine Jeans", "eine Uhr", "einen Staubsauger", "einen Bürostuhl",
        "einen Pullover",
    ],
    "the_product": [
        "die Jacke", "das Sofa", "die Handyhülle", "der Wintermantel", "das Kleid",
        "der Rucksack", "die Lampe", "die Kaffeemaschine", "die Jeans", "die Uhr",
        "der Staubsauger", "der Bürostuhl", "der Pullover", "der Wasserkocher",
    ],
    "to_country": [
        "nach Österreich", "in die Schweiz", "nach Italien", "nach Luxemburg", "nach Polen",
        "in die Niederlande", "nach Dänemark",
    ],
    "person": [
        "meine Frau", "mein Mann", "meine Mutter", "mein Sohn", "meine Tochter", "mein Freund",
        "meine Freundin", "meine Schwester",
    ],
    "ndays": ["3", "4", "5", "6", "8", "10", "12", "14"],
    "amount": ["49,99 €", "120 Euro", "35 €", "89,90 €"],
    "size": ["S", "M", "L", "38", "40", "42"],
    "colour": ["Schwarz", "Dunkelblau", "Rot", "Weiß", "Grau", "Grün"],
    "city": ["Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Leipzig"],
    "phone": ["0171 2345678", "030 12345678", "+49 160 9876543"],
    "num": ["{n}", "#{n}", "Nr. {n}"],
}

BANK = LanguageBank(
    code="de",
    core=CORE,
    templates=TEMPLATES,
    slots=SLOTS,
    openers=[
        "Hallo,", "Hallo", "Guten Tag,", "Hi,", "Moin,", "Servus,", "Guten Morgen,",
        "Hallo, kurze Frage:", "Entschuldigung,", "Hallo zusammen,",
    ],
    closers=[
        "Danke!", "danke im Voraus", "Vielen Dank.", "LG", "Gruß", "bitte um schnelle Antwort",
        "danke euch", "VG",
    ],
    greetings=[
        "Hallo,", "Sehr geehrte Damen und Herren,", "Guten Tag,", "Liebes Kundenservice-Team,",
        "Hallo zusammen,", "Moin,",
    ],
    order_contexts=[
        "Ich habe {when} bei Ihnen bestellt.", "Es geht um meine Bestellung {num}.",
        "Ich habe {when} {a_product} bei Ihnen gekauft.", "Meine Bestellnummer lautet {n}.",
    ],
    generic_contexts=[
        "Ich hoffe, Sie können mir helfen.", "Ich bin seit Jahren Kundin bei Ihnen.",
        "Ich schreibe für meine Mutter, die kein Internet hat.",
    ],
    followups={
        "_default": [
            "Können Sie das bitte prüfen?", "Ich bitte um eine kurze Rückmeldung.",
            "Vielen Dank für Ihre Hilfe.", "Ich freue mich auf Ihre Antwort.",
        ],
        "complaint": ["So geht das nicht.", "Ich erwarte eine Stellungnahme."],
        "feedback": ["Weiter so!", "Nochmals danke."],
        "other": ["Ich freue mich auf Ihre Rückmeldung.", ""],
        "human_agent": ["Es ist dringend.", "Bitte rufen Sie mich an."],
    },
    closings=[
        "Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Danke und Gruß", "LG",
        "Freundliche Grüße",
    ],
    names=[
        "Thomas Müller", "Anna Schmidt", "Jonas Weber", "Katrin H.", "Stefan Wagner", "Lena",
        "Michael Becker", "Sabine",
    ],
    typos={
        "habe": ["hab"], "nicht": ["nich", "net"], "bitte": ["bite", "bitt"],
        "bestellung": ["Bestelung", "bestellung"], "rechnung": ["Rechung"],
        "paket": ["Packet"], "immer noch": ["immernoch"], "eine": ["ne"], "einen": ["nen"],
        "gibt es": ["gibts"], "wieder": ["wider"], "adresse": ["Addresse", "Adrese"],
        "vielen dank": ["vielen dank", "danke"], "zurück": ["zurrück", "zurük"],
        "lieferung": ["Liferung"], "passwort": ["Pasword", "passwort"], "kann": ["kan"],
        "funktioniert": ["funktionirt", "funzt"], "standard": ["Standart"], "ist es": ["isses"],
    },
    question_starts=(
        "wo", "wann", "wie", "warum", "was", "welche", "welcher", "welches", "kann", "können",
        "könnten", "ist", "sind", "gibt", "gibts", "habt", "haben", "bieten", "liefern",
        "liefert", "fallen", "wurde", "muss", "verkaufen", "stellen", "passt", "fällt",
        "bekomme", "versendet", "geht",
    ),
    email_rate=0.12,
    typo_rate=0.25,
    accent_strip_rate=0.15,
    extra={"signoffs": ["Von meinem iPhone gesendet", "Gesendet von meinem Smartphone"]},
)
