"""Hand-written texts the corpus generator assembles into customer messages.

Slots (filled by ``corpus.generate``): ``{order}`` an order reference with its noun
("order #104512", "commande n° 104512", "Bestellung 104512", "pedido 104512"), ``{num}`` the
reference alone ("#104512" or "104512"), ``{n}`` the bare digits, ``{placed}`` the order date,
``{amount}`` the order total, ``{item}`` a product from the order (English only), ``{promo}`` a
promo code, ``{carrier}`` the customer's usual carrier, ``{phone}`` the customer's phone,
``{first}`` the customer's first name.
"""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "order_status",
    "delivery_info",
    "shipping_address",
    "order_change",
    "order_cancel",
    "return_exchange",
    "refund",
    "damaged_or_wrong_item",
    "payment_billing",
    "invoice",
    "product_question",
    "account",
    "complaint",
    "feedback",
    "human_agent",
    "other",
)

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es")

# The core of each message, by intent then language. Registers are mixed on purpose:
# polite, terse, angry, typo-ridden/colloquial.
CORES: dict[str, dict[str, list[str]]] = {
    "order_status": {
        "en": [
            "Hi, I placed {order} on {placed} and still haven't received a shipping "
            "confirmation. Could you tell me when it will ship?",
            "Where is my {order}? The tracking hasn't updated in 5 days.",
            "where's my order?? it's been 2 weeks",
            "Hello, could you give me an update on {order}? The tracking page has said "
            "'label created' since {placed}.",
            "ORDER {num} STILL NOT HERE. This is the third time I'm asking. Where is it???",
            "hey just checking on my {item}, havent got anything yet and it was supposed to "
            "arrive yesterday. order {num}",
            "Good morning, {carrier} says my parcel was delivered but there is nothing at my "
            "door or with the neighbours. {order}. Please help.",
            "Any news on {order}? I need it before the weekend, it's a birthday present.",
            "Status of {order} please",
            "Hi there, my {order} shows as shipped but the tracking number doesn't work on "
            "the {carrier} website. Can you double-check it?",
        ],
        "fr": [
            "Bonjour, j'ai passé la {order} le {placed} et je n'ai toujours reçu aucun e-mail "
            "d'expédition. Pouvez-vous me dire où elle en est ?",
            "Où en est ma {order} ? Le suivi n'a pas bougé depuis 4 jours.",
            "Toujours rien reçu pour la {order}, c'est normal ??",
            "Bonjour, le suivi {carrier} indique « livré » mais je n'ai rien reçu. {order}. "
            "Merci de vérifier.",
            "slt, vous savez quand mon colis arrive ? commande {num}",
            "Bonjour, ma commande devait arriver hier et toujours rien. Vous pouvez regarder ?",
        ],
        "de": [
            "Guten Tag, ich habe am {placed} die {order} aufgegeben und noch keine "
            "Versandbestätigung erhalten. Wann wird sie verschickt?",
            "Wo bleibt meine {order}? Die Sendungsverfolgung zeigt seit Tagen nichts Neues.",
            "Hallo, laut {carrier} wurde das Paket zugestellt, es ist aber nicht bei mir "
            "angekommen. {order}. Bitte um Klärung.",
            "Meine Bestellung ist immer noch nicht da!!! Über zwei Wochen jetzt. "
            "Bestellnr. {n}",
            "Status {order}?",
            "Hallo, wann kommt denn mein Paket? Die Lieferung war für gestern angekündigt.",
        ],
        "es": [
            "Hola, hice el {order} el {placed} y todavía no me ha llegado el correo de envío. "
            "¿Me podéis decir cuándo sale?",
            "¿Dónde está mi {order}? El seguimiento no se actualiza desde hace una semana.",
            "Buenas, según {carrier} el paquete está entregado pero yo no he recibido nada. "
            "{order}.",
            "Llevo dos semanas esperando y nada!!! {order}. Vaya servicio.",
            "hola q tal, cuando llega mi pedido? el {n}",
            "Hola, mi pedido tenía que llegar ayer y no ha llegado. ¿Podéis mirarlo?",
        ],
    },
    "delivery_info": {
        "en": [
            "Hi, how long does standard shipping take to Ireland? I need something by next "
            "Friday.",
            "Do you offer express delivery? And how much is it?",
            "what's the free shipping threshold?",
            "Hello, do you ship to PO boxes or APO addresses?",
            "If I order today, will it arrive before Thanksgiving?",
            "Can I pick up my order in store instead of having it shipped?",
            "Hi there! Which carrier do you use for UK deliveries, and can I choose a "
            "delivery day?",
            "how much is shipping to germany? my cart is about 80 euros",
            "For {order}, is it possible to get it delivered on a Saturday? I'm not home "
            "during the week.",
        ],
        "fr": [
            "Bonjour, quels sont les délais de livraison pour la Belgique ?",
            "Est-ce que la livraison est gratuite à partir d'un certain montant ?",
            "Vous livrez en point relais ? Je ne suis jamais chez moi en journée.",
            "Combien coûte la livraison express et en combien de jours j'aurais mon colis ?",
            "Si je commande aujourd'hui, est-ce que je serai livrée avant le 5 décembre ?",
        ],
        "de": [
            "Hallo, wie lange dauert der Versand nach Österreich?",
            "Ab welchem Bestellwert ist der Versand kostenlos?",
            "Kann ich an eine Packstation liefern lassen?",
            "Gibt es eine Expresslieferung? Was kostet die?",
            "Wenn ich heute bestelle, kommt das noch vor dem Nikolaustag an?",
        ],
        "es": [
            "Hola, ¿cuánto tarda el envío a Canarias?",
            "¿A partir de qué importe el envío es gratis?",
            "¿Hacéis envíos a punto de recogida o solo a domicilio?",
            "Buenas tardes, ¿tienen envío urgente? ¿Cuánto cuesta?",
            "si pido hoy me llega antes del puente de diciembre?",
        ],
    },
    "shipping_address": {
        "en": [
            "Hi, I just realised I put my old address on {order}. Can you change it to "
            "48 Alder Lane, Apt 3? I don't think it has shipped yet.",
            "I made a typo in the zip code on {order}: it should be 94110, not 94101. Can you "
            "fix it before it ships?",
            "Can I change the delivery address for {order}? I'll be at my parents' place for "
            "the holidays.",
            "wrong apartment number on my order {num}!! its 4B not 48. pls fix",
            "Hello, is it possible to redirect {order} to my office? It says it's already "
            "with {carrier}.",
            "Please update the shipping address on {order} to: 12 Kingfisher Road, Leeds "
            "LS6 2AB. Thank you.",
            "I moved last week and forgot to update my account. {order} is going to the old "
            "flat, can you stop it?",
            "need to change the adress on {order} ASAP",
        ],
        "fr": [
            "Bonjour, je me suis trompée d'adresse sur la {order}. La bonne adresse est 14 rue "
            "des Lilas, 69003 Lyon. Est-ce encore possible de la modifier ?",
            "Est-ce que je peux faire livrer la {order} à mon travail plutôt que chez moi ?",
            "Erreur dans le code postal sur ma {order} : c'est 33000 et pas 33800. Merci de "
            "corriger !",
            "j'ai déménagé et la commande part à l'ancienne adresse, vous pouvez changer ? {num}",
        ],
        "de": [
            "Guten Tag, ich habe bei der {order} eine falsche Hausnummer angegeben (17 statt "
            "71). Können Sie das noch ändern?",
            "Kann die {order} an meine Arbeitsadresse geliefert werden? Lindenstraße 5, "
            "10969 Berlin.",
            "Bitte Lieferadresse der {order} ändern, ich bin umgezogen!",
            "Hallo, bei der Adresse fehlt „c/o Weber“, sonst kommt das Paket nicht an. "
            "{order}.",
        ],
        "es": [
            "Hola, me equivoqué en la dirección del {order}. La correcta es Calle Mayor 23, "
            "3º B, 28013 Madrid. ¿Se puede cambiar?",
            "¿Puedo cambiar la dirección de entrega del {order}? Me mudo la semana que viene.",
            "He puesto mal el código postal en el {order}, es 08012. Porfa corregidlo",
            "Cambiar dirección {order} urgente, no voy a estar en casa.",
        ],
    },
    "order_change": {
        "en": [
            "Hi, can I still change the size on {order}? I ordered the {item} in M but I "
            "need an L.",
            "Could you add a second {item} to {order}? Happy to pay the difference.",
            "I'd like to swap the colour on {order} from navy to olive if it hasn't shipped.",
            "Is it possible to remove one item from {order}? I accidentally ordered two.",
            "change size on {num} to 9.5 pls",
            "Hello, I forgot to add gift wrapping to {order}. Can you still add it?",
            "Can you combine {order} with the order I placed this morning so they ship "
            "together?",
            "Hi! Quick one: I want to upgrade {order} to express shipping. Possible?",
        ],
        "fr": [
            "Bonjour, est-il encore possible de modifier la taille sur la {order} ? J'ai pris "
            "du 38 mais il me faudrait du 40.",
            "Je voudrais ajouter un article à ma {order}, c'est possible avant l'expédition ?",
            "Pouvez-vous changer la couleur sur ma {order} ? Noir au lieu de bleu marine. "
            "Merci !",
            "Est-ce que je peux ajouter un emballage cadeau à la {order} ?",
        ],
        "de": [
            "Hallo, kann ich bei der {order} noch die Größe ändern? Ich bräuchte 42 statt 41.",
            "Ist es möglich, der {order} noch einen Artikel hinzuzufügen?",
            "Bitte bei {order} die Farbe auf Schwarz ändern, falls noch nicht verschickt.",
            "Kann ich meine {order} noch auf Expressversand umstellen?",
        ],
        "es": [
            "Hola, ¿todavía puedo cambiar la talla del {order}? Pedí una M y necesito una L.",
            "¿Se puede añadir otro artículo al {order} antes de que salga?",
            "Quería cambiar el color en mi {order}, negro en vez de gris. ¡Gracias!",
            "Me gustaría añadir envoltorio de regalo al {order}, ¿es posible?",
        ],
    },
    "order_cancel": {
        "en": [
            "Please cancel {order}. I ordered the wrong item by mistake.",
            "Hi, I'd like to cancel {order}. I found it cheaper elsewhere, sorry!",
            "cancel my order {num} pls",
            "I need to cancel {order} IMMEDIATELY. I never authorised this purchase!!",
            "Hello, is it too late to cancel {order}? It still says 'processing' in my "
            "account.",
            "Can you cancel {order}? It's been 10 days and it hasn't even shipped, I don't "
            "want it anymore.",
            "Hey so I accidentally placed the same order twice, can you cancel {order}? thx",
        ],
        "fr": [
            "Bonjour, je souhaite annuler la {order}. Merci de me confirmer l'annulation.",
            "Annulez ma commande {num} svp, je me suis trompé d'article.",
            "Est-il encore temps d'annuler la {order} ? Elle n'est pas encore partie il me "
            "semble.",
            "J'ai passé la commande deux fois par erreur, pouvez-vous annuler la {order} ?",
        ],
        "de": [
            "Hiermit storniere ich meine {order}. Bitte bestätigen Sie die Stornierung.",
            "Bitte {order} stornieren, habe mich vertan.",
            "Kann ich die {order} noch stornieren? Laut Kundenkonto ist sie noch nicht "
            "versendet.",
            "Ich habe versehentlich doppelt bestellt, bitte die {order} stornieren.",
        ],
        "es": [
            "Hola, quiero cancelar el {order}. ¿Me confirmáis la cancelación?",
            "Cancelad el pedido {num} por favor, me he equivocado.",
            "¿Todavía estoy a tiempo de cancelar el {order}?",
            "He hecho el pedido dos veces sin querer, ¿podéis anular el {order}?",
        ],
    },
    "return_exchange": {
        "en": [
            "Hi, the {item} from {order} is too small. Can I exchange it for a larger size?",
            "How do I return an item? I can't find a return label in the parcel. {order}.",
            "I'd like to return the {item} from {order}, it doesn't look like the photos.",
            "Is it possible to exchange for a different colour instead of returning?",
            "return label pls for {num}",
            "Hello, I'm a couple of days outside the 30-day window. Can I still return "
            "{order}? It's unworn with the tags on.",
            "want to send back the {item}, whats the process? do i pay for return shipping?",
            "Hi there, I sent back part of {order} last week through the returns portal. "
            "How long until it's processed?",
        ],
        "fr": [
            "Bonjour, je voudrais échanger les chaussures de la {order} contre une pointure "
            "au-dessus. Comment faire ?",
            "Comment retourner un article ? Je n'ai pas trouvé d'étiquette de retour dans le "
            "colis.",
            "La robe ne me va pas, je souhaite la retourner. {order}.",
            "le retour est gratuit ou je dois payer l'envoi ?",
        ],
        "de": [
            "Hallo, ich möchte die Jacke aus der {order} umtauschen, eine Nummer größer bitte.",
            "Wie funktioniert die Rücksendung? Im Paket war kein Retourenschein.",
            "Ich möchte einen Artikel aus der {order} zurückschicken. Bitte um ein "
            "Retourenlabel.",
            "Ist die Rücksendung kostenlos?",
        ],
        "es": [
            "Hola, quiero cambiar las zapatillas del {order} por una talla más.",
            "¿Cómo hago una devolución? No venía etiqueta en el paquete.",
            "Quiero devolver el abrigo, no me queda bien. {order}.",
            "las devoluciones son gratis??",
        ],
    },
    "refund": {
        "en": [
            "Hi, I returned {order} two weeks ago and still haven't received my refund. Can "
            "you check?",
            "When will I get my money back for {order}? The return was delivered to you last "
            "week.",
            "You cancelled {order} but I was still charged {amount}. I want a refund.",
            "WHERE IS MY REFUND?? It's been 3 weeks since you received the return. I'll file "
            "a chargeback if I don't hear back by Friday.",
            "refund status {num}?",
            "Hello, my refund for {order} came through but it's less than what I paid. Was "
            "shipping deducted?",
            "Hey, got an email saying refund processed but nothing in my account yet. how "
            "long does it take?",
            "Could I get the refund as store credit instead of back on my card? {order}",
        ],
        "fr": [
            "Bonjour, j'ai renvoyé la {order} il y a deux semaines et je n'ai toujours pas été "
            "remboursée.",
            "Quand vais-je recevoir le remboursement de la {order} ?",
            "Vous avez annulé ma commande mais j'ai quand même été débitée de {amount}. Je "
            "veux être remboursée.",
            "TOUJOURS PAS REMBOURSÉ !!! 3 semaines que vous avez reçu le retour. Sans réponse "
            "je fais opposition auprès de ma banque.",
        ],
        "de": [
            "Guten Tag, ich habe die {order} vor zwei Wochen zurückgeschickt und noch keine "
            "Erstattung erhalten.",
            "Wann bekomme ich mein Geld für die {order} zurück?",
            "Die Bestellung wurde storniert, aber mir wurden trotzdem {amount} abgebucht. "
            "Bitte erstatten.",
            "Seit 3 Wochen warte ich auf mein Geld!!! Wenn nichts passiert, buche ich die "
            "Zahlung zurück.",
        ],
        "es": [
            "Hola, devolví el {order} hace dos semanas y todavía no me habéis devuelto el "
            "dinero.",
            "¿Cuándo recibiré el reembolso del {order}?",
            "Cancelasteis mi pedido pero me cobrasteis {amount} igualmente. Quiero el "
            "reembolso.",
            "TRES SEMANAS esperando el reembolso!!! Si no lo arregláis pongo una reclamación "
            "en el banco.",
        ],
    },
    "damaged_or_wrong_item": {
        "en": [
            "Hi, {order} arrived today but the {item} is damaged. The box was crushed and "
            "there's a crack in it. Photo attached.",
            "I received the wrong item in {order}. I ordered the {item} and got something "
            "completely different.",
            "The {item} from {order} arrived broken. What are my options?",
            "wrong size sent!! ordered L got S. {num}",
            "Package arrived soaking wet and the contents are ruined. {order}. Very "
            "disappointed.",
            "Hello, one item is missing from {order}. The packing slip lists it but it wasn't "
            "in the box.",
            "Got my order but the {item} has a big stain on it. Not ok.",
            "Hi, the {item} I got doesn't turn on at all. Brand new, straight out of the box. "
            "{order}",
        ],
        "fr": [
            "Bonjour, j'ai reçu la {order} aujourd'hui mais l'article est abîmé, le carton "
            "était écrasé. Je joins une photo.",
            "Ce n'est pas le bon article ! J'ai commandé un pull noir et j'ai reçu un gilet "
            "gris. {order}.",
            "Il manque un article dans ma {order}.",
            "Colis arrivé cassé. Vous faites quoi ?",
        ],
        "de": [
            "Guten Tag, die {order} kam heute an, aber die Tasse ist zerbrochen. Foto anbei.",
            "Falscher Artikel geliefert! Bestellt war Größe M, gekommen ist XL. {order}.",
            "In meiner {order} fehlt ein Artikel, obwohl er auf dem Lieferschein steht.",
            "Paket war nass und beschädigt. Was jetzt?",
        ],
        "es": [
            "Hola, me ha llegado el {order} pero la lámpara viene rota. Adjunto foto.",
            "Me habéis mandado un artículo equivocado, pedí la talla 38 y me llegó la 42. "
            "{order}.",
            "Falta un artículo en mi {order}.",
            "El paquete llegó todo aplastado y lo de dentro roto. ¿Qué hago?",
        ],
    },
    "payment_billing": {
        "en": [
            "Hi, my card keeps getting declined at checkout even though there's money on it. "
            "Is there a problem with your payment system?",
            "I was charged twice for {order}. Please refund the duplicate charge of {amount}.",
            "The promo code {promo} isn't working. It says 'invalid code' but it's from your "
            "newsletter.",
            "why was my card charged {amount} when the total said less?",
            "Do you accept PayPal or Apple Pay?",
            "Hi, I forgot to apply my {promo} discount on {order}. Can you apply it "
            "retroactively?",
            "DOUBLE CHARGED AGAIN. Fix it or I'm disputing with my bank.",
            "Can I pay in instalments with Klarna?",
        ],
        "fr": [
            "Bonjour, ma carte est refusée à chaque fois au moment de payer. Vous avez un "
            "souci ?",
            "J'ai été débité deux fois pour la {order}. Merci de rembourser le doublon.",
            "Le code promo {promo} ne fonctionne pas, il est indiqué comme invalide.",
            "Vous acceptez PayPal ?",
        ],
        "de": [
            "Hallo, meine Kreditkarte wird beim Bezahlen ständig abgelehnt. Liegt das an "
            "Ihnen?",
            "Mir wurde die {order} doppelt abgebucht. Bitte die doppelte Belastung erstatten.",
            "Der Gutscheincode {promo} funktioniert nicht.",
            "Kann ich auf Rechnung zahlen?",
        ],
        "es": [
            "Hola, me rechaza la tarjeta todo el rato al pagar. ¿Es cosa vuestra?",
            "Me habéis cobrado dos veces el {order}. Devolvedme el cargo duplicado por favor.",
            "El código {promo} no funciona, dice que no es válido.",
            "¿Se puede pagar con Bizum?",
        ],
    },
    "invoice": {
        "en": [
            "Hi, could you send me a VAT invoice for {order}? I need it for my company's "
            "expenses.",
            "I need an invoice with my company name on it for {order}: Northwind Traders Ltd.",
            "Where can I download the invoice for my order?",
            "invoice for {num} pls",
            "The invoice for {order} has the wrong billing address. Can you reissue it?",
            "Hello, my accountant needs itemised receipts for all my orders from October. Is "
            "that possible?",
        ],
        "fr": [
            "Bonjour, pourriez-vous m'envoyer la facture de la {order} ? J'en ai besoin pour "
            "ma comptabilité.",
            "Il me faudrait une facture au nom de ma société pour la {order}.",
            "Où puis-je télécharger ma facture ?",
        ],
        "de": [
            "Guten Tag, bitte senden Sie mir eine Rechnung mit ausgewiesener MwSt. für die "
            "{order}.",
            "Die Rechnung zur {order} hat die falsche Adresse. Bitte korrigieren.",
            "Wo finde ich die Rechnung zu meiner Bestellung?",
        ],
        "es": [
            "Hola, necesito factura del {order} con mis datos fiscales, ¿me la podéis enviar?",
            "¿Dónde descargo la factura de mi pedido?",
            "La factura del {order} tiene mal el NIF, ¿la podéis corregir?",
        ],
    },
    "product_question": {
        "en": [
            "Hi, does the merino sweater run true to size? I'm usually between M and L.",
            "Will the trail running shoes be back in stock in size 10 anytime soon?",
            "Are the wireless earbuds compatible with Android phones?",
            "what's the material of the linen duvet cover? is it 100% linen?",
            "Do you have the trail running shoes in a wide fit?",
            "Hello, is the ceramic pour-over set dishwasher safe?",
            "How long is the battery life on the wireless earbuds?",
            "Does the merino sweater shrink in the wash?",
            "any restock date for the canvas backpack in olive??",
        ],
        "fr": [
            "Bonjour, le pull en mérinos taille-t-il normalement ? J'hésite entre S et M.",
            "Les baskets de trail existent-elles en 39 ?",
            "La housse de couette en lin est-elle lavable à 60° ?",
            "Quand le sac à dos en toile sera-t-il de nouveau disponible ?",
        ],
        "de": [
            "Fällt der Merino-Pullover normal aus oder eher klein?",
            "Sind die kabellosen Kopfhörer mit Android kompatibel?",
            "Ist das Keramik-Set spülmaschinenfest?",
            "Wann ist der Rucksack in Oliv wieder lieferbar?",
        ],
        "es": [
            "Hola, ¿las zapatillas de trail tallan grande o pequeño?",
            "¿La funda nórdica de lino se puede meter en la secadora?",
            "¿Los auriculares inalámbricos son compatibles con Android?",
            "¿Cuándo vuelve a haber stock de la mochila en verde oliva?",
        ],
    },
    "account": {
        "en": [
            "Hi, I can't log in to my account. The password reset email never arrives.",
            "Please unsubscribe me from your marketing emails. I've clicked the link three "
            "times.",
            "How do I delete my account and all my data?",
            "locked out of my account after too many attempts, help",
            "I want to change the email address on my account to a new one.",
            "STOP sending me emails!!! I unsubscribed weeks ago.",
            "The reset link says it has expired even though I clicked it right away.",
        ],
        "fr": [
            "Bonjour, je n'arrive plus à me connecter à mon compte, le mail de "
            "réinitialisation n'arrive pas.",
            "Merci de me désinscrire de votre newsletter.",
            "Comment supprimer mon compte ?",
            "Je veux changer l'adresse e-mail de mon compte.",
        ],
        "de": [
            "Hallo, ich kann mich nicht mehr einloggen, die E-Mail zum Zurücksetzen kommt "
            "nicht an.",
            "Bitte melden Sie mich vom Newsletter ab.",
            "Bitte löschen Sie mein Kundenkonto und alle Daten (DSGVO).",
            "Passwort vergessen, Link funktioniert nicht.",
        ],
        "es": [
            "Hola, no puedo entrar en mi cuenta, no me llega el correo para restablecer la "
            "contraseña.",
            "Dadme de baja de la newsletter por favor.",
            "¿Cómo borro mi cuenta?",
            "Quiero cambiar el email de mi cuenta.",
        ],
    },
    "complaint": {
        "en": [
            "I'm really disappointed with how {order} was handled. Three emails, no answer, "
            "and the parcel is still missing.",
            "This is the worst customer service I've ever dealt with. I will be leaving a "
            "1-star review on Trustpilot.",
            "Your courier left my package in the rain on the doorstep. Everything inside was "
            "soaked. Unacceptable.",
            "I've been waiting 20 minutes for someone to answer and nobody does. Ridiculous.",
            "NEVER ordering from you again. Late, wrong, and rude staff on the phone.",
            "The quality of the {item} is terrible compared to what I bought last year. Very "
            "disappointed.",
            "Hi, I want to make a formal complaint about the delivery driver who was rude to "
            "my elderly mother.",
        ],
        "fr": [
            "Je suis très déçue du service. Trois mails sans réponse et toujours pas de colis.",
            "Service client inexistant. Je vais laisser un avis négatif partout.",
            "Le livreur a laissé mon colis sous la pluie devant la porte. Inadmissible.",
            "Qualité vraiment décevante par rapport au prix. Plus jamais.",
        ],
        "de": [
            "Ich bin sehr enttäuscht. Drei E-Mails, keine Antwort, und das Paket ist immer "
            "noch nicht da.",
            "Der schlechteste Kundenservice, den ich je erlebt habe. Dafür gibt es eine "
            "1-Sterne-Bewertung.",
            "Der Paketbote hat mein Paket einfach im Regen vor die Tür gestellt. Unmöglich!",
            "Die Qualität ist für den Preis eine Frechheit.",
        ],
        "es": [
            "Estoy muy decepcionada. Tres correos sin respuesta y el paquete sin aparecer.",
            "Pésimo servicio de atención al cliente. Voy a dejar una reseña de una estrella.",
            "El repartidor dejó el paquete en la calle bajo la lluvia. Inaceptable.",
            "La calidad deja mucho que desear para lo que cuesta. No vuelvo a comprar.",
        ],
    },
    "feedback": {
        "en": [
            "Just wanted to say thanks: {order} arrived a day early and the packaging was "
            "lovely.",
            "The {item} is amazing, best purchase this year! Keep it up.",
            "Shoutout to Sam on your chat team who sorted out my return in 5 minutes. Great "
            "service!",
            "love the new sweater!!! ❤️",
            "Really impressed with how quickly you handled my exchange. Will definitely order "
            "again.",
            "Hi team, no question, just a thank-you for the handwritten note in my parcel. "
            "Made my day.",
        ],
        "fr": [
            "Juste un petit mot pour vous remercier, colis reçu en avance et très bien "
            "emballé !",
            "Super qualité, je suis ravie de mon achat. Merci !",
            "Merci à la conseillère qui m'a aidée hier au téléphone, très efficace.",
        ],
        "de": [
            "Wollte nur Danke sagen: Paket kam einen Tag früher und war super verpackt.",
            "Tolle Qualität, bin total zufrieden. Weiter so!",
            "Vielen Dank an die nette Mitarbeiterin am Telefon, hat mir sehr geholfen.",
        ],
        "es": [
            "Solo quería daros las gracias, el pedido llegó antes de lo previsto y muy bien "
            "empaquetado.",
            "Me encanta la chaqueta, calidad top. ¡Gracias!",
            "Gracias a la chica del chat que me ayudó con la devolución, súper amable.",
        ],
    },
    "human_agent": {
        "en": [
            "Can I speak to a real person please? The bot isn't helping.",
            "agent",
            "I need to talk to a human about {order}, it's complicated.",
            "HUMAN. PLEASE.",
            "Is there a phone number I can call? I'd rather talk to someone.",
            "Please have someone call me back at {phone}, it's about my order.",
        ],
        "fr": [
            "Je voudrais parler à un conseiller, s'il vous plaît.",
            "Est-ce que quelqu'un peut me rappeler ? C'est au sujet de la {order}.",
            "un humain svp",
        ],
        "de": [
            "Ich möchte bitte mit einem Mitarbeiter sprechen.",
            "Kann mich jemand zurückrufen? Es geht um die {order}.",
            "Mitarbeiter bitte, kein Bot.",
        ],
        "es": [
            "Quiero hablar con una persona, por favor.",
            "¿Me puede llamar alguien? Es por el {order}.",
            "agente humano porfa",
        ],
    },
    "other": {
        "en": [
            "Hi, are you hiring for the holiday season? Where can I send my CV?",
            "Do you have a physical store in Chicago?",
            "Hello, I'm a content creator and would love to collaborate with your brand. Who "
            "should I contact?",
            "Do you sell gift cards?",
            "What are your customer service hours over Thanksgiving?",
            "is this shop legit? never heard of you before lol",
        ],
        "fr": [
            "Bonjour, vous avez une boutique physique à Paris ?",
            "Vous vendez des cartes cadeaux ?",
            "Je suis créatrice de contenu, à qui puis-je m'adresser pour une collaboration ?",
        ],
        "de": [
            "Haben Sie auch ein Ladengeschäft in München?",
            "Verkaufen Sie Geschenkgutscheine?",
            "Suchen Sie noch Aushilfen für das Weihnachtsgeschäft?",
        ],
        "es": [
            "¿Tenéis tienda física en Barcelona?",
            "¿Vendéis tarjetas regalo?",
            "Hola, ¿estáis buscando personal para la campaña de Navidad?",
        ],
    },
}

SUBJECTS: dict[str, dict[str, list[str]]] = {
    "order_status": {
        "en": ["Where is my order {num}?", "Order {num} status", "Still waiting for my order"],
        "fr": ["Où en est ma commande {num} ?", "Suivi de commande"],
        "de": ["Wo bleibt meine Bestellung {num}?", "Lieferstatus Bestellung {n}"],
        "es": ["¿Dónde está mi pedido {num}?", "Estado del pedido"],
    },
    "delivery_info": {
        "en": ["Shipping question", "Delivery times", "Question about delivery"],
        "fr": ["Question livraison", "Délais de livraison"],
        "de": ["Frage zum Versand", "Lieferzeit"],
        "es": ["Consulta sobre el envío", "Plazos de entrega"],
    },
    "shipping_address": {
        "en": ["Change of address for order {num}", "Wrong address!", "Delivery address"],
        "fr": ["Changement d'adresse commande {num}", "Erreur d'adresse"],
        "de": ["Adressänderung Bestellung {n}", "Falsche Lieferadresse"],
        "es": ["Cambio de dirección pedido {num}", "Dirección incorrecta"],
    },
    "order_change": {
        "en": ["Change to my order {num}", "Can I modify my order?", "Order {num}"],
        "fr": ["Modification de commande", "Commande {num}"],
        "de": ["Änderung meiner Bestellung", "Bestellung {n}"],
        "es": ["Modificar pedido {num}", "Cambio en mi pedido"],
    },
    "order_cancel": {
        "en": ["Cancel order {num}", "Cancellation request", "Please cancel my order"],
        "fr": ["Annulation commande {num}", "Annuler ma commande"],
        "de": ["Stornierung Bestellung {n}", "Stornierung"],
        "es": ["Cancelación pedido {num}", "Cancelar pedido"],
    },
    "return_exchange": {
        "en": ["Return request", "Exchange for order {num}", "How do I return this?"],
        "fr": ["Retour / échange", "Demande de retour commande {num}"],
        "de": ["Umtausch", "Rücksendung Bestellung {n}"],
        "es": ["Devolución", "Cambio de talla pedido {num}"],
    },
    "refund": {
        "en": ["Refund for order {num}", "Where is my refund?", "Refund not received"],
        "fr": ["Remboursement commande {num}", "Toujours pas remboursé"],
        "de": ["Erstattung Bestellung {n}", "Rückerstattung"],
        "es": ["Reembolso pedido {num}", "No he recibido el reembolso"],
    },
    "damaged_or_wrong_item": {
        "en": ["Damaged item - order {num}", "Wrong item received", "Problem with my order"],
        "fr": ["Article endommagé", "Mauvais article reçu - commande {num}"],
        "de": ["Beschädigte Ware", "Falscher Artikel geliefert"],
        "es": ["Artículo dañado", "Me ha llegado otro artículo"],
    },
    "payment_billing": {
        "en": ["Payment problem", "Charged twice??", "Promo code not working"],
        "fr": ["Problème de paiement", "Double débit"],
        "de": ["Problem mit der Zahlung", "Doppelte Abbuchung"],
        "es": ["Problema con el pago", "Cobro duplicado"],
    },
    "invoice": {
        "en": ["Invoice request", "Invoice for order {num}", "VAT invoice"],
        "fr": ["Demande de facture", "Facture commande {num}"],
        "de": ["Rechnung", "Rechnung zu Bestellung {n}"],
        "es": ["Solicitud de factura", "Factura pedido {num}"],
    },
    "product_question": {
        "en": ["Product question", "Sizing question", "Question"],
        "fr": ["Question sur un produit", "Question taille"],
        "de": ["Frage zu einem Artikel", "Produktfrage"],
        "es": ["Consulta sobre un producto", "Pregunta"],
    },
    "account": {
        "en": ["Can't log in", "Unsubscribe", "My account"],
        "fr": ["Problème de connexion", "Désinscription"],
        "de": ["Login funktioniert nicht", "Kundenkonto"],
        "es": ["No puedo acceder a mi cuenta", "Baja"],
    },
    "complaint": {
        "en": ["Complaint", "Very disappointed", "Formal complaint"],
        "fr": ["Réclamation", "Très déçue"],
        "de": ["Beschwerde", "Sehr enttäuscht"],
        "es": ["Reclamación", "Queja"],
    },
    "feedback": {
        "en": ["Thank you!", "Great service", "Just a thank-you"],
        "fr": ["Merci !", "Petit mot"],
        "de": ["Danke!", "Lob"],
        "es": ["¡Gracias!", "Enhorabuena"],
    },
    "human_agent": {
        "en": ["Please call me back", "Need to talk to someone", "Callback request"],
        "fr": ["Demande de rappel", "Parler à un conseiller"],
        "de": ["Bitte um Rückruf", "Rückruf"],
        "es": ["Quiero hablar con alguien", "Llamadme por favor"],
    },
    "other": {
        "en": ["Question", "Enquiry", "Hello"],
        "fr": ["Question", "Renseignement"],
        "de": ["Anfrage", "Frage"],
        "es": ["Consulta", "Información"],
    },
}

GENERIC_SUBJECTS: dict[str, list[str]] = {
    "en": ["Help", "Question", "Customer service", "Urgent"],
    "fr": ["Demande", "Question", "Service client"],
    "de": ["Anfrage", "Kundenservice", "Dringend"],
    "es": ["Consulta", "Ayuda", "Atención al cliente"],
}

GREETINGS: dict[str, list[str]] = {
    "en": ["Hi,", "Hello,", "Hi there,", "Dear Demo Shop team,", "Good morning,",
           "To whom it may concern,", "Hey,", "Hello Demo Shop,"],
    "fr": ["Bonjour,", "Bonjour Madame, Monsieur,", "Bonsoir,", "Madame, Monsieur,"],
    "de": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo zusammen,",
           "Liebes Demo-Shop-Team,"],
    "es": ["Hola,", "Buenos días,", "Buenas tardes,", "Estimados señores:", "Hola, buenas:"],
}

PRE_CLOSINGS: dict[str, list[str]] = {
    "en": ["Thanks in advance for your help.", "Looking forward to hearing from you.",
           "Please let me know asap.", "Any help would be appreciated.",
           "Let me know if you need anything else from me."],
    "fr": ["Merci d'avance pour votre retour.", "Dans l'attente de votre réponse.",
           "Merci de me tenir au courant."],
    "de": ["Vielen Dank im Voraus.", "Ich freue mich auf Ihre Rückmeldung.",
           "Bitte um kurze Rückmeldung."],
    "es": ["Gracias de antemano.", "Quedo a la espera de vuestra respuesta.",
           "Un saludo y gracias."],
}

SIGNOFFS: dict[str, list[str]] = {
    "en": ["Thanks,", "Best,", "Kind regards,", "Cheers,", "Regards,", "Many thanks,",
           "Best regards,"],
    "fr": ["Cordialement,", "Bien cordialement,", "Merci,", "Bonne journée,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "LG"],
    "es": ["Saludos,", "Un saludo,", "Atentamente,", "Gracias,"],
}

MOBILE_FOOTERS: dict[str, list[str]] = {
    "en": ["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for iOS",
           "Sent from Yahoo Mail for iPhone"],
    "fr": ["Envoyé de mon iPhone", "Envoyé depuis mon appareil Galaxy"],
    "de": ["Von meinem iPhone gesendet", "Gesendet von meinem Galaxy"],
    "es": ["Enviado desde mi iPhone", "Enviado desde mi smartphone Samsung Galaxy"],
}

# A follow-up after an earlier contact on another channel. {weekday} is that contact's day.
FOLLOWUPS: dict[str, dict[str, list[str]]] = {
    "en": {
        "email": ["I emailed you on {weekday} about this and haven't heard back.",
                  "Following up on my email from {weekday}.",
                  "Sent an email {weekday}, no reply yet."],
        "phone": ["I called on {weekday} and was told someone would get back to me.",
                  "Following up on my call from {weekday}."],
        "any": ["I already contacted you about this on {weekday}.",
                "Second time asking:", "Hi again,"],
    },
    "fr": {
        "email": ["Je vous ai envoyé un mail {weekday} à ce sujet, sans réponse.",
                  "Je relance mon mail de {weekday}."],
        "phone": ["J'ai appelé {weekday}, on m'avait dit qu'on me rappellerait."],
        "any": ["Je vous ai déjà contactés {weekday} pour ça.", "Je relance :",
                "Re-bonjour,"],
    },
    "de": {
        "email": ["Ich habe Ihnen am {weekday} deswegen eine E-Mail geschrieben, bisher ohne "
                  "Antwort.", "Ich komme auf meine E-Mail vom {weekday} zurück."],
        "phone": ["Ich hatte am {weekday} angerufen, man wollte sich melden."],
        "any": ["Ich habe mich am {weekday} schon deswegen gemeldet.", "Nochmal nachgefragt:",
                "Hallo nochmal,"],
    },
    "es": {
        "email": ["Os escribí un correo el {weekday} sobre esto y no he tenido respuesta.",
                  "Vuelvo a escribir por mi correo del {weekday}."],
        "phone": ["Llamé el {weekday} y me dijeron que me llamaríais."],
        "any": ["Ya os contacté el {weekday} por esto.", "Insisto:", "Hola de nuevo,"],
    },
}

WEEKDAYS: dict[str, list[str]] = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}
WEEKDAYS_SHORT: dict[str, list[str]] = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "de": ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
}
MONTHS: dict[str, list[str]] = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
MONTHS_SHORT: dict[str, list[str]] = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
           "oct.", "nov.", "déc."],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
           "Nov.", "Dez."],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov",
           "dic"],
}

# Quote attribution lines of mail clients. Fields: wd (short weekday), d, mon (short month),
# month_num, y, hh, mm, name, addr.
ATTRIBUTIONS: dict[str, list[str]] = {
    "en": ["On {wd}, {d} {mon} {y} at {hh}:{mm}, {name} <{addr}> wrote:",
           "On {mon} {d}, {y}, at {hh}:{mm}, {name} <{addr}> wrote:"],
    "fr": ["Le {wd} {d} {mon} {y} à {hh}:{mm}, {name} <{addr}> a écrit :"],
    "de": ["Am {wd}, {d}. {mon} {y} um {hh}:{mm} Uhr schrieb {name} <{addr}>:"],
    "es": ["El {wd}, {d} {mon} {y} a las {hh}:{mm}, {name} (<{addr}>) escribió:"],
}

# Outlook's header block for forwarded and quoted messages.
OUTLOOK_LABELS: dict[str, tuple[str, str, str, str]] = {
    "en": ("From:", "Sent:", "To:", "Subject:"),
    "fr": ("De :", "Envoyé :", "À :", "Objet :"),
    "de": ("Von:", "Gesendet:", "An:", "Betreff:"),
    "es": ("De:", "Enviado:", "Para:", "Asunto:"),
}

REPLY_PREFIX: dict[str, list[str]] = {
    "en": ["Re: "], "fr": ["RE : ", "Re: "], "de": ["AW: ", "Re: "], "es": ["RE: ", "Re: "],
}
FORWARD_PREFIX: dict[str, str] = {"en": "FW: ", "fr": "TR : ", "de": "WG: ", "es": "RV: "}

# The support agent's earlier answer, quoted in customer replies. {ref} is the order reference
# sentence part, {first} the customer's first name.
SUPPORT_REPLIES: dict[str, list[str]] = {
    "en": [
        "Hi {first},\n\nThank you for contacting Demo Shop. I've looked into {ref} and passed "
        "your request on to our fulfilment team. You'll hear back from us within 1-2 business "
        "days.\n\nKind regards,\nSam\nDemo Shop Customer Care",
        "Hello {first},\n\nThanks for reaching out! I'm sorry for the trouble with {ref}. I've "
        "opened a case with our warehouse and will update you as soon as I hear back.\n\n"
        "Best wishes,\nPriya | Demo Shop Support",
    ],
    "fr": [
        "Bonjour {first},\n\nMerci d'avoir contacté Demo Shop. J'ai transmis votre demande "
        "concernant {ref} à notre service logistique. Vous aurez un retour sous 48 h "
        "ouvrées.\n\nBien cordialement,\nLéa\nService client Demo Shop",
    ],
    "de": [
        "Hallo {first},\n\nvielen Dank für Ihre Nachricht. Ich habe Ihr Anliegen zu {ref} an "
        "unser Logistikteam weitergeleitet. Sie erhalten innerhalb von 1-2 Werktagen eine "
        "Rückmeldung.\n\nFreundliche Grüße\nJonas\nDemo Shop Kundenservice",
    ],
    "es": [
        "Hola {first}:\n\nGracias por contactar con Demo Shop. He trasladado tu consulta "
        "sobre {ref} a nuestro equipo de logística. Te responderemos en un plazo de 24-48 h "
        "laborables.\n\nUn saludo,\nNuria\nAtención al cliente de Demo Shop",
    ],
}
SUPPORT_REF: dict[str, tuple[str, str]] = {
    # (with an order, without one)
    "en": ("your order #{n}", "your request"),
    "fr": ("votre commande n° {n}", "votre demande"),
    "de": ("Ihrer Bestellung {n}", "Ihrer Anfrage"),
    "es": ("tu pedido {n}", "tu consulta"),
}

# The shop's own shipping notification, which customers reply to.
SHIP_NOTIFICATION: dict[str, tuple[str, str]] = {
    "en": ("Your order #{n} is on its way!",
           "Hi {first},\n\nGood news: your order #{n} is on its way!\n\nCarrier: {carrier}\n"
           "Tracking number: {tracking}\n\nTrack your parcel: "
           "https://demoshop.example/orders/{n}/tracking\n\nThe Demo Shop team"),
    "fr": ("Votre commande n° {n} a été expédiée",
           "Bonjour {first},\n\nBonne nouvelle : votre commande n° {n} est en route !\n\n"
           "Transporteur : {carrier}\nNuméro de suivi : {tracking}\n\nSuivre mon colis : "
           "https://demoshop.example/fr/orders/{n}/tracking\n\nL'équipe Demo Shop"),
    "de": ("Ihre Bestellung {n} wurde versandt",
           "Hallo {first},\n\nIhre Bestellung {n} ist unterwegs!\n\nVersanddienstleister: "
           "{carrier}\nSendungsnummer: {tracking}\n\nSendung verfolgen: "
           "https://demoshop.example/de/orders/{n}/tracking\n\nIhr Demo-Shop-Team"),
    "es": ("Tu pedido {n} ya está en camino",
           "Hola {first}:\n\n¡Tu pedido {n} ya está en camino!\n\nTransportista: {carrier}\n"
           "Número de seguimiento: {tracking}\n\nSigue tu envío: "
           "https://demoshop.example/es/orders/{n}/tracking\n\nEl equipo de Demo Shop"),
}

# A carrier's "we missed you" notice that customers forward.
CARRIER_NOTICE: dict[str, tuple[str, str, str]] = {
    # (intro the customer writes above the forward, subject, notice body)
    "en": ("See below. What am I supposed to do now?",
           "We missed you - delivery attempt failed",
           "We tried to deliver your parcel {tracking} today but nobody was available to "
           "receive it.\nYour parcel will be held at your local depot for 5 working days.\n"
           "Reschedule your delivery: https://parcelexpress.example/r/{code}\n\n"
           "Parcel Express Customer Services"),
    "fr": ("Voir ci-dessous. Je fais quoi maintenant ?",
           "Avis de passage - votre colis n'a pas pu être livré",
           "Nous avons tenté de livrer votre colis {tracking} aujourd'hui mais vous étiez "
           "absent.\nIl sera conservé 10 jours dans votre bureau de poste.\n"
           "Reprogrammer la livraison : https://parcelexpress.example/fr/r/{code}"),
    "de": ("Siehe unten. Was soll ich jetzt machen?",
           "Zustellversuch nicht erfolgreich",
           "Wir konnten Ihr Paket {tracking} heute leider nicht zustellen.\nDas Paket wird 7 "
           "Werktage in Ihrer Filiale aufbewahrt.\nNeuen Termin wählen: "
           "https://parcelexpress.example/de/r/{code}"),
    "es": ("Mirad esto. ¿Qué hago ahora?",
           "No hemos podido entregar tu envío",
           "Hoy hemos intentado entregar tu envío {tracking} pero no había nadie.\nLo "
           "guardaremos 7 días en tu oficina más cercana.\nReprograma la entrega: "
           "https://parcelexpress.example/es/r/{code}"),
}

# Order confirmation that customers forward (for invoices, payments, changes).
ORDER_CONFIRMATION: dict[str, tuple[str, str]] = {
    "en": ("Order #{n} confirmed",
           "Thank you for your order!\n\nOrder #{n}\nPlaced on {placed}\nTotal: {amount}\n\n"
           "We'll let you know when it ships.\nDemo Shop"),
    "fr": ("Confirmation de votre commande n° {n}",
           "Merci pour votre commande !\n\nCommande n° {n}\nPassée le {placed}\n"
           "Total : {amount}\n\nNous vous préviendrons dès son expédition.\nDemo Shop"),
    "de": ("Bestellbestätigung {n}",
           "Vielen Dank für Ihre Bestellung!\n\nBestellung {n}\nBestellt am {placed}\n"
           "Gesamt: {amount}\n\nWir informieren Sie, sobald sie versandt wird.\nDemo Shop"),
    "es": ("Confirmación de tu pedido {n}",
           "¡Gracias por tu pedido!\n\nPedido {n}\nRealizado el {placed}\nTotal: {amount}\n\n"
           "Te avisaremos cuando salga.\nDemo Shop"),
}
FORWARD_INTROS: dict[str, list[str]] = {
    "en": ["Forwarding my order confirmation below.", "See my order below:", "FYI"],
    "fr": ["Je vous transfère la confirmation de commande.", "Ci-dessous ma commande."],
    "de": ["Anbei die Bestellbestätigung.", "Siehe unten."],
    "es": ["Os reenvío la confirmación del pedido.", "Abajo tenéis el pedido."],
}

# Live chat.
CHAT_BOT_GREETING: dict[str, str] = {
    "en": "Hi there 👋 I'm the Demo Shop assistant. How can I help you today?",
    "fr": "Bonjour 👋 Je suis l'assistant Demo Shop. Comment puis-je vous aider ?",
    "de": "Hallo 👋 Ich bin der Demo-Shop-Assistent. Wie kann ich helfen?",
    "es": "¡Hola! 👋 Soy el asistente de Demo Shop. ¿En qué puedo ayudarte?",
}
CHAT_BOT_HANDOFF: dict[str, str] = {
    "en": "Thanks! Let me connect you with one of our team. Average wait: 2 minutes.",
    "fr": "Merci ! Je vous mets en relation avec un conseiller. Attente moyenne : 2 minutes.",
    "de": "Danke! Ich verbinde Sie mit unserem Team. Wartezeit ca. 2 Minuten.",
    "es": "¡Gracias! Te paso con un agente. Tiempo de espera: unos 2 minutos.",
}
CHAT_BOT_OFFLINE: dict[str, str] = {
    "en": "Our team is offline right now (Mon-Fri 8am-8pm). Leave a message and we'll reply "
          "by email.",
    "fr": "Notre équipe est absente pour le moment (lun.-ven. 8h-20h). Laissez un message, "
          "nous vous répondrons par e-mail.",
    "de": "Unser Team ist gerade nicht erreichbar (Mo-Fr 8-20 Uhr). Hinterlassen Sie eine "
          "Nachricht, wir antworten per E-Mail.",
    "es": "Nuestro equipo no está disponible ahora (lun-vie 8-20 h). Deja tu mensaje y te "
          "responderemos por email.",
}
CHAT_AGENT_JOINED: dict[str, str] = {
    "en": "{agent} joined the chat",
    "fr": "{agent} a rejoint la conversation",
    "de": "{agent} ist dem Chat beigetreten",
    "es": "{agent} se ha unido al chat",
}
CHAT_AGENT_HELLO: dict[str, list[str]] = {
    "en": ["Hi {first}, I'm {agent}. Sorry for the wait! Could you give me your order "
           "number?", "Hello {first}, {agent} here. Let me take a look at that for you."],
    "fr": ["Bonjour {first}, je suis {agent}. Pouvez-vous me donner votre numéro de "
           "commande ?", "Bonjour {first}, {agent} à votre écoute. Je regarde ça."],
    "de": ["Hallo {first}, hier ist {agent}. Können Sie mir Ihre Bestellnummer nennen?",
           "Hallo {first}, {agent} hier. Ich schaue mir das an."],
    "es": ["Hola {first}, soy {agent}. ¿Me das tu número de pedido?",
           "Hola {first}, te atiende {agent}. Lo miro ahora mismo."],
}
CHAT_AGENT_WRAPUP: dict[str, list[str]] = {
    "en": ["Thanks! I've added a note to your order and escalated it. You'll get an email "
           "update within 24 hours.", "All done, I've sent you an email with the details."],
    "fr": ["Merci ! J'ai ajouté une note et transmis votre demande. Vous recevrez un e-mail "
           "sous 24 h."],
    "de": ["Danke! Ich habe das weitergegeben, Sie bekommen innerhalb von 24 Stunden eine "
           "E-Mail."],
    "es": ["¡Gracias! Lo he pasado al equipo, te llegará un email en menos de 24 horas."],
}
CHAT_AGENT_THANKS: dict[str, list[str]] = {
    "en": ["Aw, thank you so much for letting us know! I'll pass it on to the team 😊"],
    "fr": ["Merci beaucoup pour votre message, je transmets à l'équipe 😊"],
    "de": ["Vielen Dank für das nette Feedback, ich gebe es ans Team weiter 😊"],
    "es": ["¡Muchas gracias por tu mensaje! Se lo paso al equipo 😊"],
}
CHAT_VISITOR_ORDER: dict[str, list[str]] = {
    "en": ["it's {num}", "Sure, {order}", "{n}"],
    "fr": ["c'est la {order}", "{num}"],
    "de": ["{order}", "Nummer {n}"],
    "es": ["es el {order}", "{num}"],
}
CHAT_VISITOR_THANKS: dict[str, list[str]] = {
    "en": ["ok thanks", "Thank you!", "great, thanks for your help", "ok"],
    "fr": ["Merci !", "ok merci", "Merci beaucoup, bonne journée"],
    "de": ["Danke!", "ok danke", "Vielen Dank, schönen Tag noch"],
    "es": ["¡Gracias!", "vale gracias", "Muchas gracias, buen día"],
}
CHAT_VISITOR_HI: dict[str, list[str]] = {
    "en": ["hi", "hello?", "Hi"],
    "fr": ["bonjour", "Bonjour"],
    "de": ["hallo", "Hallo"],
    "es": ["hola", "Hola"],
}
AGENTS: dict[str, list[str]] = {
    "en": ["Sam", "Priya", "Jordan", "Alex"],
    "fr": ["Léa", "Hugo"],
    "de": ["Jonas", "Miriam"],
    "es": ["Nuria", "Álvaro"],
}

# Phone calls. Transcripts mark speakers with "Agent:" and "Caller:" in every language.
PHONE_AGENT_GREETING: dict[str, str] = {
    "en": "Thank you for calling Demo Shop, this is {agent}. How can I help you today?",
    "fr": "Demo Shop bonjour, {agent} à l'appareil, que puis-je faire pour vous ?",
    "de": "Demo Shop, Sie sprechen mit {agent}. Was kann ich für Sie tun?",
    "es": "Demo Shop, le atiende {agent}. ¿En qué puedo ayudarle?",
}
PHONE_CALLER_INTRO: dict[str, list[str]] = {
    "en": ["Hi, yes, this is {full}.", "Hi. Um, yeah, my name is {full}.", "Hello."],
    "fr": ["Oui bonjour, c'est {full}.", "Bonjour, {full} à l'appareil."],
    "de": ["Ja, guten Tag, {full} hier.", "Hallo, mein Name ist {full}."],
    "es": ["Hola, buenas, soy {full}.", "Sí, hola, mi nombre es {full}."],
}
PHONE_AGENT_ASK_ORDER: dict[str, str] = {
    "en": "Okay. Can I have your order number, please?",
    "fr": "D'accord. Vous avez votre numéro de commande ?",
    "de": "Alles klar. Haben Sie die Bestellnummer zur Hand?",
    "es": "De acuerdo. ¿Me dice el número de pedido?",
}
PHONE_CALLER_ORDER: dict[str, list[str]] = {
    "en": ["Yes, it's {order}.", "Sure, um, {order}."],
    "fr": ["Oui, c'est la {order}."],
    "de": ["Ja, das ist die {order}."],
    "es": ["Sí, es el {order}."],
}
PHONE_AGENT_RESOLVE: dict[str, list[str]] = {
    "en": ["Okay, I can see that here. I've put a note on the order and our team will email "
           "you within a day.", "Let me check. Right, I've escalated this for you."],
    "fr": ["Je vois. J'ai ajouté une note, vous recevrez un e-mail d'ici demain."],
    "de": ["Ich sehe es. Ich habe das weitergeleitet, Sie bekommen morgen eine E-Mail."],
    "es": ["Ya lo veo. Lo he anotado y mañana le llegará un correo."],
}
PHONE_AGENT_INFO: dict[str, list[str]] = {
    "en": ["Good question, let me look that up. Okay, I'll send you the details by email.",
           "Sure. I'll email you a link with all the information."],
    "fr": ["Bonne question, je vérifie. Je vous envoie les détails par e-mail."],
    "de": ["Gute Frage, ich schaue nach. Ich schicke Ihnen die Infos per E-Mail."],
    "es": ["Buena pregunta, lo compruebo. Le envío los detalles por correo."],
}
PHONE_AGENT_THANKS: dict[str, list[str]] = {
    "en": ["Oh, that's lovely to hear, thank you! I'll pass it on to the team."],
    "fr": ["Ça fait plaisir, merci ! Je transmets à l'équipe."],
    "de": ["Das freut uns sehr, danke! Ich gebe das ans Team weiter."],
    "es": ["¡Qué bien, muchas gracias! Se lo paso al equipo."],
}
PHONE_CALLER_BYE: dict[str, list[str]] = {
    "en": ["Okay, thanks. Bye.", "Alright, thank you.", "Fine. Thanks."],
    "fr": ["D'accord, merci, au revoir.", "Très bien, merci."],
    "de": ["Okay, danke, tschüss.", "Gut, vielen Dank."],
    "es": ["Vale, gracias, adiós.", "Muy bien, gracias."],
}
VOICEMAIL_INTRO: dict[str, list[str]] = {
    "en": ["Hi, this is {full}.", "Hey, um, it's {full} calling.", "Hello, my name is {full}."],
    "fr": ["Bonjour, c'est {full}.", "Oui bonjour, {full} à l'appareil."],
    "de": ["Hallo, hier ist {full}.", "Guten Tag, {full} hier."],
    "es": ["Hola, soy {full}.", "Buenas, le llamo de parte de {full}."],
}
VOICEMAIL_OUTRO: dict[str, list[str]] = {
    "en": ["You can call me back on this number. Thanks, bye.", "Please call me back. Thanks.",
           "Okay, um, thanks. Bye."],
    "fr": ["Vous pouvez me rappeler sur ce numéro. Merci, au revoir."],
    "de": ["Bitte rufen Sie mich zurück. Danke, tschüss."],
    "es": ["Pueden llamarme a este número. Gracias, adiós."],
}

# Social and messaging extras.
PAGE_AUTO_REPLY: dict[str, str] = {
    "en": "Thanks for your message! Our team usually replies within a few hours.",
    "fr": "Merci pour votre message ! Notre équipe répond généralement en quelques heures.",
    "de": "Danke für Ihre Nachricht! Unser Team antwortet meist innerhalb weniger Stunden.",
    "es": "¡Gracias por tu mensaje! Nuestro equipo suele responder en unas horas.",
}
PHOTO_CAPTIONS: dict[str, list[str]] = {
    "en": ["this is what arrived", "See photo", "look at this 😡", "photo of the damage"],
    "fr": ["voilà ce que j'ai reçu", "photo du colis"],
    "de": ["So kam es an", "Foto anbei"],
    "es": ["así me llegó", "foto del paquete"],
}
ORDER_FOLLOWUP_LINE: dict[str, list[str]] = {
    "en": ["order number is {num}", "It's {order} btw", "{order}"],
    "fr": ["la commande c'est la {num}", "{order}"],
    "de": ["Bestellnummer: {n}", "{order}"],
    "es": ["el número de pedido es {n}", "{order}"],
}
SHOP_TEMPLATE_SHIPPED: dict[str, str] = {
    "en": "Your Demo Shop order #{n} has shipped! Track it here: "
          "https://demoshop.example/t/{n}",
    "fr": "Votre commande Demo Shop n° {n} a été expédiée ! Suivi : "
          "https://demoshop.example/t/{n}",
    "de": "Ihre Demo-Shop-Bestellung {n} wurde versandt! Sendungsverfolgung: "
          "https://demoshop.example/t/{n}",
    "es": "¡Tu pedido {n} de Demo Shop ha salido! Síguelo aquí: https://demoshop.example/t/{n}",
}

# Order references per language: {order} and {num} slots.
ORDER_REFS: dict[str, list[str]] = {
    "en": ["order #{n}", "order {n}", "order number {n}", "order no. {n}", "order #{n}"],
    "fr": ["commande n° {n}", "commande {n}", "commande #{n}", "commande n°{n}"],
    "de": ["Bestellung {n}", "Bestellung Nr. {n}", "Bestellung #{n}", "Bestellung {n}"],
    "es": ["pedido {n}", "pedido nº {n}", "pedido #{n}", "pedido n.º {n}", "pedido {n}"],
}
NUM_REFS: list[str] = ["#{n}", "{n}", "#{n}"]
# Phone transcripts: how speech-to-text renders an order reference.
SPOKEN_ORDER_REFS: dict[str, list[str]] = {
    "en": ["order {n}", "order number {n}", "order number {spaced}"],
    "fr": ["commande {n}", "commande numéro {n}"],
    "de": ["Bestellung {n}", "Bestellnummer {spaced}"],
    "es": ["pedido {n}", "pedido número {n}"],
}

PROMO_CODES: dict[str, list[str]] = {
    "en": ["WELCOME10", "BLACKFRIDAY25", "FREESHIP"],
    "fr": ["BIENVENUE10", "BLACKFRIDAY25"],
    "de": ["HERBST20", "BLACKFRIDAY25"],
    "es": ["OTONO15", "BLACKFRIDAY25"],
}
CARRIERS: dict[str, list[str]] = {
    "US": ["UPS", "USPS", "FedEx"],
    "GB": ["Royal Mail", "Evri", "DPD"],
    "FR": ["Colissimo", "Chronopost", "Mondial Relay"],
    "DE": ["DHL", "Hermes", "DPD"],
    "ES": ["Correos", "SEUR", "MRW"],
}

# Web form dropdown (values are stored in English whatever the page language).
WEBFORM_TOPICS: dict[str, str] = {
    "order_status": "Order status",
    "delivery_info": "Shipping & delivery",
    "shipping_address": "Order status",
    "order_change": "Order status",
    "order_cancel": "Order status",
    "return_exchange": "Returns",
    "refund": "Returns",
    "damaged_or_wrong_item": "Returns",
    "payment_billing": "Payment",
    "invoice": "Payment",
    "product_question": "Product question",
    "account": "My account",
    "complaint": "Other",
    "feedback": "Other",
    "human_agent": "Other",
    "other": "Other",
}

# The demo shop's catalogue: (name, how customers call it, price in USD cents).
PRODUCTS: list[tuple[str, str, int]] = [
    ("Merino Crew-Neck Sweater", "merino sweater", 8900),
    ("Trail Running Shoes", "trail running shoes", 12900),
    ("Wireless Earbuds Pro", "wireless earbuds", 7900),
    ("Linen Duvet Cover", "linen duvet cover", 14900),
    ("Ceramic Pour-Over Coffee Set", "pour-over coffee set", 4500),
    ("Canvas Backpack 22L", "canvas backpack", 6900),
    ("Waterproof Rain Jacket", "rain jacket", 11900),
    ("Stainless Steel Water Bottle", "water bottle", 2900),
    ("Organic Cotton T-Shirt 3-Pack", "t-shirts", 3900),
    ("Leather Card Wallet", "card wallet", 3500),
    ("Wool Beanie", "beanie", 2400),
    ("Bamboo Cutting Board Set", "cutting board set", 4200),
    ("Smart LED Desk Lamp", "desk lamp", 5900),
    ("Yoga Mat 6mm", "yoga mat", 4900),
    ("Cashmere Scarf", "cashmere scarf", 9500),
    ("Slim Chino Trousers", "chinos", 6500),
    ("Bluetooth Mini Speaker", "bluetooth speaker", 5500),
    ("Scented Candle Trio", "candle set", 3200),
]

# Roster names by country (fictional people).
NAMES: dict[str, list[str]] = {
    "US": ["Linda Park", "James Carter", "Emily Nguyen", "Michael Brooks", "Sarah Mitchell",
           "David Kim", "Jessica Alvarez", "Chris Johnson", "Ashley Reed", "Brian O'Connor",
           "Megan Foster", "Tyler Washington", "Rachel Goldberg", "Kevin Patel",
           "Lauren Hughes", "Marcus Bell", "Olivia Bennett", "Daniel Flores",
           "Hannah Schultz", "Jordan Lee"],
    "GB": ["Oliver Hughes", "Amelia Clarke", "Harry Wilson", "Sophie Marsh", "George Evans",
           "Charlotte Davies", "Jack Robinson", "Emily Shaw", "Thomas Wright",
           "Isla MacDonald", "Priya Sharma", "Callum Fraser", "Chloe Bennett", "Liam Doyle",
           "Ewan Campbell"],
    "FR": ["Marie Dupont", "Julien Moreau", "Camille Lefèvre", "Thomas Girard",
           "Élodie Bernard", "Nicolas Fontaine", "Sophie Laurent", "Lucas Mercier",
           "Chloé Rousseau"],
    "DE": ["Jürgen Weiß", "Anna Schmidt", "Lukas Becker", "Katharina Müller", "Felix Wagner",
           "Laura Hoffmann", "Maximilian Schäfer", "Sabine Krüger"],
    "ES": ["Lucía García", "Javier Martínez", "Carmen Rodríguez", "Pablo Fernández",
           "Marta López", "Alejandro Sánchez", "Elena Ruiz", "Sergio Navarro"],
}
# New shoppers who are not (yet) customers.
UNKNOWN_NAMES: dict[str, list[str]] = {
    "US": ["Noah Turner", "Grace Holloway", "Ethan Brooks-Hill", "Ava Martinez",
           "Logan Price", "Mia Sullivan", "Caleb Ward", "Zoe Chambers", "Isaac Romero"],
    "GB": ["Freya Lawson", "Alfie Moss", "Ruby Pearce", "Archie Lyons"],
    "FR": ["Inès Caron", "Hugo Perrin", "Manon Rolland"],
    "DE": ["Paul Hartmann", "Mia Vogel", "Jonas Brandt"],
    "ES": ["Diego Romero", "Laura Vidal", "Andrés Molina"],
}

# Openers of a customer's reply to support's answer in an email thread.
REPLY_OPENERS: dict[str, list[str]] = {
    "en": ["Thanks for getting back to me, but this still isn't sorted.", "Any update on this?",
           "Hi, I'm still waiting.", "That doesn't really answer my question.",
           "Thanks. One more thing:"],
    "fr": ["Merci pour votre réponse, mais le problème n'est toujours pas réglé.",
           "Des nouvelles ?", "J'attends toujours."],
    "de": ["Danke für die Antwort, aber das Problem besteht weiterhin.",
           "Gibt es schon Neuigkeiten?", "Ich warte immer noch."],
    "es": ["Gracias por la respuesta, pero sigue sin solucionarse.", "¿Alguna novedad?",
           "Sigo esperando."],
}
