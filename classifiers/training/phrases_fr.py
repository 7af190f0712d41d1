"""French phrase bank: idiomatic messages as French-speaking shoppers write them."""

from __future__ import annotations

from classifiers.training.bank import LanguageBank

CORE: dict[str, str] = {
    "order_status": """
où en est ma commande ?
où est {order} ?
je n'ai toujours pas reçu mon colis
ma commande a-t-elle été expédiée ?
je voudrais suivre {order}
quand vais-je recevoir ma commande ?
j'ai commandé {a_product} {when} et je n'ai toujours rien reçu
vous pouvez me donner le numéro de suivi ?
le suivi n'a pas bougé depuis {when}
le colis est indiqué comme livré mais je ne l'ai jamais reçu
mon colis est bloqué depuis {ndays} jours
suivi de commande
est-ce que ma commande est partie ?
ça fait {ndays} jours que j'attends mon colis
pouvez-vous vérifier où se trouve mon colis ?
toujours rien reçu, c'est normal ?
le lien de suivi ne fonctionne pas
ma commande est en préparation depuis une semaine
je voudrais connaître le statut de ma commande
le livreur n'est jamais passé
{person} a passé une commande {when}, où en est-elle ?
bonjour, des nouvelles de {order} ?
mon colis devait arriver {when}
le transporteur dit que le colis est en transit depuis {ndays} jours
je n'ai reçu aucun mail d'expédition
""",
    "delivery_info": """
quels sont les délais de livraison ?
combien coûte la livraison ?
livrez-vous {to_country} ?
la livraison est-elle gratuite ?
à partir de quel montant la livraison est offerte ?
combien de temps prend la livraison express ?
quels modes de livraison proposez-vous ?
est-il possible de se faire livrer en point relais ?
vous livrez le samedi ?
quels transporteurs utilisez-vous ?
combien de jours pour une livraison standard ?
y a-t-il une livraison en 24h ?
quels sont les frais de port {to_country} ?
puis-je retirer ma commande en magasin ?
vous livrez en Colissimo ou en Chronopost ?
est-ce que vous livrez les meubles à l'étage ?
si je commande aujourd'hui, je serai livré quand ?
les frais de douane sont-ils compris pour une livraison {to_country} ?
je voudrais des infos sur les options de livraison
c'est quoi le délai pour une livraison {to_country} ?
la livraison express coûte combien ?
est-ce que vous expédiez à l'international ?
""",
    "shipping_address": """
je voudrais modifier l'adresse de livraison de ma commande
je me suis trompé d'adresse de livraison
comment ajouter une nouvelle adresse de livraison ?
j'ai déménagé, je dois mettre à jour mon adresse
pouvez-vous changer l'adresse de {order} ?
j'ai fait une erreur dans le code postal
il manque le numéro d'appartement dans mon adresse
comment définir une adresse de livraison par défaut ?
je souhaite faire livrer mon colis à une autre adresse
est-il encore possible de changer l'adresse de livraison ?
mon adresse est fausse sur la commande
je voudrais enregistrer une deuxième adresse de livraison
pouvez-vous livrer à mon adresse professionnelle plutôt ?
l'adresse ne s'enregistre pas dans mon compte
changer adresse de livraison
je voudrais créer une nouvelle adresse de livraison
le nom de la rue est mal orthographié
ma commande part à mon ancienne adresse, aidez-moi
je me suis trompée de ville dans l'adresse
merci de corriger l'adresse : c'est le 12 rue des Lilas, pas le 21
""",
    "order_change": """
je voudrais ajouter {a_product} à ma commande d'hier
pouvez-vous remplacer la taille M par la taille L dans ma commande ?
la commande n'est pas encore partie, je peux encore la modifier ?
j'ai commandé deux fois le même article, pouvez-vous en retirer un avant l'envoi ?
je voudrais changer le modèle commandé
je voudrais modifier ma commande
est-ce que je peux ajouter un article à ma commande ?
je souhaite changer la taille avant l'expédition
pouvez-vous retirer un article de {order} ?
je me suis trompé de couleur, peut-on modifier la commande ?
je voudrais changer la quantité
comment modifier une commande déjà passée ?
est-il trop tard pour modifier ma commande ?
j'ai oublié d'ajouter un article
je voudrais remplacer un article de ma commande avant l'envoi
changer la taille de {order} en {size} svp
modifier ma commande
""",
    "order_cancel": """
je veux annuler ma commande
comment annuler une commande ?
pouvez-vous annuler {order} ?
y a-t-il des frais d'annulation ?
j'ai commandé par erreur, merci d'annuler
est-il encore possible d'annuler ?
je souhaite annuler ma commande passée {when}
annulation de commande
je n'en veux plus, annulez tout s'il vous plaît
combien coûte l'annulation ?
je n'arrive pas à annuler ma commande sur le site
j'ai passé deux fois la même commande, annulez-en une
je voudrais annuler ma commande et être remboursé
ma commande a-t-elle bien été annulée ?
quelle est votre politique d'annulation ?
puis-je annuler si le colis est déjà parti ?
annulez ma commande svp
j'ai changé d'avis, je veux annuler mon achat
""",
    "return_exchange": """
je voudrais retourner {the_product}
comment faire un retour ?
puis-je échanger contre une taille au-dessus ?
quelle est votre politique de retour ?
j'ai besoin d'une étiquette de retour
combien de jours ai-je pour retourner un article ?
le jean est trop petit, je voudrais l'échanger
je voudrais l'échanger contre une autre couleur
le retour est-il gratuit ?
où dois-je envoyer mon retour ?
puis-je retourner un article en magasin ?
j'ai perdu mon bordereau de retour
je souhaite renvoyer une partie de ma commande
comment échanger un article ?
l'article ne me plaît pas, je veux le renvoyer
les frais de retour sont à ma charge ?
je voudrais échanger la robe contre une taille {size}
retour produit
""",
    "refund": """
je veux être remboursé
où en est mon remboursement ?
quand vais-je être remboursée ?
je n'ai toujours pas reçu mon remboursement
quelle est votre politique de remboursement ?
j'ai renvoyé le colis {when} et toujours pas de remboursement
combien de temps prend un remboursement ?
je voudrais demander un remboursement pour {order}
le remboursement n'apparaît pas sur mon compte bancaire
vous ne m'avez remboursé qu'une partie
remboursez-moi s'il vous plaît
est-ce que le remboursement a été effectué ?
je veux récupérer mon argent
les frais de port sont-ils remboursés ?
suivi de mon remboursement
on m'a promis un remboursement il y a {ndays} jours
vous me devez encore {amount}
le remboursement se fait sur la carte ou sur PayPal ?
""",
    "damaged_or_wrong_item": """
mon colis est arrivé endommagé
l'article reçu est cassé
le chargeur a pris feu
mon chargeur s'est mis à fumer
la batterie externe a chauffé jusqu'à fondre
le chargeur a fait des étincelles quand je l'ai branché
la batterie a gonflé et fendu le boîtier
j'ai pris une décharge électrique en le branchant
vous m'avez envoyé le mauvais article
il manque un article dans mon colis
{the_product} ne fonctionne pas
j'ai reçu la mauvaise taille
le carton était écrasé et le produit est abîmé
il y a une rayure sur l'écran
le produit est défectueux
j'ai reçu la commande de quelqu'un d'autre
il manque des pièces pour le montage
la couleur reçue ne correspond pas à ma commande
l'emballage était ouvert et il manque des choses
l'appareil ne s'allume pas
il y a un trou dans le pull
le vase est arrivé en morceaux
j'ai reçu un produit usagé
article abîmé à la livraison
""",
    "payment_billing": """
quels moyens de paiement acceptez-vous ?
mon paiement a été refusé
j'ai été débité deux fois
mon code promo ne fonctionne pas
puis-je payer avec PayPal ?
le code de réduction n'est pas pris en compte
le paiement a échoué mais l'argent a été prélevé
peut-on payer en plusieurs fois ?
acceptez-vous la carte American Express ?
il y a un prélèvement que je ne reconnais pas
ma carte est refusée à chaque fois
problème de paiement
on m'a facturé plus que le prix affiché
la validation 3D Secure ne marche pas
je n'arrive pas à finaliser le paiement
ma carte cadeau ne fonctionne pas
je voudrais changer de moyen de paiement
le bon de réduction a expiré ?
""",
    "invoice": """
comment obtenir une facture ?
j'ai besoin d'une facture pour {order}
pouvez-vous m'envoyer la facture ?
où télécharger ma facture ?
il me faut une facture avec TVA
la facture comporte une erreur sur le nom
je n'ai pas reçu de facture avec ma commande
je voudrais une copie de ma facture
pouvez-vous mettre la facture au nom de ma société ?
le montant de la facture ne correspond pas
où trouver mes factures dans mon compte ?
facture svp
pouvez-vous ajouter mon numéro de TVA intracommunautaire sur la facture ?
j'ai besoin d'un justificatif d'achat pour la garantie
l'adresse sur la facture n'est pas la bonne
merci de me renvoyer la facture de {order}
je n'arrive pas à ouvrir le PDF de la facture
une facture pour mon comptable svp
""",
    "product_question": """
est-ce que vous avez encore du stock en taille {size} ?
comment acheter sans créer de compte ?
la lampe est-elle fournie avec l'ampoule ?
quelle taille me conseillez-vous, je fais du 38 ?
je voudrais passer commande mais je n'y arrive pas
le produit est-il garanti ?
est-ce que {the_product} est en stock ?
vous l'avez en taille {size} ?
comment passer une commande ?
je voudrais acheter {a_product}
en quelle matière est {the_product} ?
quand sera-t-il de nouveau disponible ?
ça taille grand ou petit ?
est-ce compatible avec l'iPhone 15 ?
ça existe en {colour} ?
comment commander sur votre site ?
quelles sont les dimensions du canapé ?
est-ce que le manteau est imperméable ?
""",
    "account": """
comment créer un compte ?
j'ai oublié mon mot de passe
je veux supprimer mon compte
mon compte a été piraté
je n'arrive pas à me connecter
comment modifier mon adresse e-mail ?
je voudrais me désabonner de la newsletter
je n'ai pas reçu l'e-mail de réinitialisation
comment changer mon mot de passe ?
mon compte est bloqué
je n'arrive pas à m'inscrire
comment modifier mes informations personnelles ?
je voudrais fermer mon compte
comment passer sur mon autre compte ?
arrêtez de m'envoyer des mails
je veux m'inscrire à la newsletter
réinitialiser mot de passe
à l'inscription on me dit que l'adresse e-mail est déjà utilisée
""",
    "complaint": """
ça fait trois fois que j'écris et personne ne répond
c'est une honte de traiter les clients comme ça
je veux faire une réclamation
je suis très mécontent de votre service
votre service client est nul
la personne au téléphone a été très désagréable
c'est inadmissible
je souhaite déposer une plainte
personne ne répond à mes mails depuis deux semaines
je ne commanderai plus jamais chez vous
je suis déçue de la façon dont mon problème a été traité
c'est la pire expérience d'achat de ma vie
le livreur a été impoli
comment faire une réclamation ?
j'en ai marre d'attendre des réponses
vous vous moquez de vos clients
je vais contacter une association de consommateurs
service déplorable
je veux me plaindre du comportement d'un vendeur
""",
    "feedback": """
super expérience, je reviendrai
le conseiller au téléphone a été très efficace, merci
je voulais juste vous remercier
où laisser un avis sur votre boutique ?
vous pourriez proposer plus de tailles, ce serait bien
produit conforme et bien emballé, merci
5 étoiles pour le service client
je voudrais laisser un avis
merci pour votre excellent service
le service client a été super, merci
où puis-je noter mon achat ?
j'ai une suggestion pour votre site
livraison rapide, je suis ravie
bravo à toute l'équipe
comment laisser un commentaire sur un produit ?
très satisfait de ma commande
je recommande votre boutique à tout le monde
merci à la conseillère qui m'a aidée
""",
    "human_agent": """
je voudrais parler à un conseiller
est-ce que je peux parler à un humain ?
quel est le numéro du service client ?
pouvez-vous me rappeler ?
je veux parler à une vraie personne
mettez-moi en relation avec un agent
comment contacter le service client ?
un conseiller svp
je ne veux pas parler à un robot
avez-vous un numéro de téléphone ?
quels sont les horaires du service client ?
je voudrais être rappelé au {phone}
passez-moi un responsable
il y a quelqu'un ?? je veux un humain
comment joindre votre service clientèle par téléphone ?
je préfère parler directement à quelqu'un
contacter le support
""",
    "other": """
je voudrais vendre mes produits sur votre site
c'est un test
vous êtes ouverts le dimanche à {city} ?
êtes-vous une entreprise française ?
je fais une enquête pour mes études
coucou
recrutez-vous en ce moment ?
je souhaite postuler chez vous
nous aimerions vous proposer un partenariat
vendez-vous en gros ?
bonjour ?
test
à quelle heure ouvre votre magasin de {city} ?
faites-vous les paquets cadeaux ?
je suis journaliste et j'écris un article sur le e-commerce
où se trouve votre siège social ?
proposez-vous des stages ?
quel temps fait-il aujourd'hui ?
""",
}

TEMPLATES: dict[str, str] = {
    "order_status": """
[où en est|où est|des nouvelles de|quel est le statut de] [ma commande|mon colis|{order}][ ?|]
[je n'ai pas reçu|toujours pas reçu|je n'ai toujours pas reçu] [ma commande|mon colis|{order}]\
[, pouvez-vous vérifier ?|]
""",
    "delivery_info": """
[quels sont les|pouvez-vous m'indiquer les|je voudrais connaître les] [délais|frais] de \
livraison[ {to_country}| en express| en point relais|]
""",
    "shipping_address": """
[je voudrais|je dois|comment|est-il possible de] [modifier|changer|corriger|mettre à jour] \
[l'adresse de livraison|mon adresse de livraison|l'adresse][ de {order}|]
""",
    "order_cancel": """
[je voudrais|je souhaite|je dois|comment|pouvez-vous] annuler [ma commande|{order}|mon achat]
""",
    "return_exchange": """
[je voudrais|je souhaite|comment] [retourner|renvoyer|échanger] [{the_product}|un article|ma \
commande]
""",
    "refund": """
[où en est|quand vais-je recevoir|je n'ai pas reçu] mon remboursement[ pour {order}|]
""",
    "damaged_or_wrong_item": """
[le colis|mon article|le produit|le canapé|mon téléphone] est arrivé [cassé|abîmé|endommagé|\
en morceaux]
""",
    "payment_billing": """
[mon paiement a été refusé|ma carte a été refusée|le paiement ne passe pas|le paiement a \
échoué][ pour {order}|]
""",
    "invoice": """
[pouvez-vous m'envoyer|où trouver|comment obtenir|je voudrais recevoir] [la facture|une \
facture|une copie de la facture][ de {order}| pour ma commande|]
""",
    "account": """
[j'ai oublié|je ne retrouve plus] mon [mot de passe|identifiant]
[comment|je voudrais] [supprimer|fermer|créer] [mon compte|un compte]
""",
    "human_agent": """
[je voudrais|je veux|est-il possible de] parler à [un conseiller|un humain|une vraie \
personne|quelqu'un du service client]
""",
    "complaint": """
[je suis|nous sommes] [très|vraiment|extrêmement] [mécontents|déçus|insatisfaits] de [votre \
service|la prise en charge de mon dossier|votre entreprise]
""",
}

SLOTS: dict[str, list[str]] = {
    "order": [
        "ma commande", "ma dernière commande", "la commande n°{n}", "ma commande #{n}",
        "la commande {n}", "ma commande n° {n}",
    ],
    "when": [
        "hier", "la semaine dernière", "lundi", "il y a trois jours", "il y a deux semaines",
        "vendredi dernier", "ce matin", "le 12", "il y a un mois", "ce week-end", "avant-hier",
    ],
    "a_product": [
        "une veste", "un canapé", "des baskets", "une coque de téléphone", "un manteau",
        "une robe", "un sac à dos", "un casque audio", "une lampe de bureau", "une cafetière",
        "un jean", "une montre", "un aspirateur", "une chaise de bureau", "un pull",
    ],
    "the_product": [
        "la veste", "le canapé", "le manteau", "la robe", "le sac à dos", "le casque",
        "la lampe", "la cafetière", "le jean", "la montre", "l'aspirateur", "la chaise de bureau",
        "le pull", "la coque",
    ],
    "to_country": [
        "en Belgique", "en Suisse", "au Canada", "au Luxembourg", "en Corse", "à Monaco",
        "en Guadeloupe", "à la Réunion", "en Espagne",
    ],
    "person": [
        "ma femme", "mon mari", "ma mère", "mon fils", "ma fille", "mon copain", "ma sœur",
        "un ami",
    ],
    "ndays": ["3", "4", "5", "6", "8", "10", "12", "15"],
    "amount": ["49,99 €", "120 €", "35 euros", "89,90 €"],
    "size": ["S", "M", "L", "38", "40", "42"],
    "colour": ["noir", "bleu marine", "rouge", "blanc", "gris", "vert"],
    "city": ["Lyon", "Paris", "Lille", "Bordeaux", "Marseille", "Nantes"],
    "phone": ["06 12 34 56 78", "07 98 76 54 32", "01 23 45 67 89"],
    "num": ["{n}", "#{n}", "n°{n}"],
}

BANK = LanguageBank(
    code="fr",
    core=CORE,
    templates=TEMPLATES,
    slots=SLOTS,
    openers=[
        "Bonjour,", "Bonjour", "Salut,", "Bonsoir,", "Excusez-moi,",
        "Bonjour, j'ai une question.", "Allô ?", "Re bonjour,", "Bonjour madame,", "Hello,",
    ],
    closers=[
        "Merci !", "merci d'avance", "Merci beaucoup.", "cordialement",
        "merci de me répondre vite", "svp", "merci bcp", "Bonne journée",
    ],
    greetings=[
        "Bonjour,", "Madame, Monsieur,", "Bonjour Madame, Monsieur,", "Bonsoir,",
        "Chère équipe,", "Bonjour à toute l'équipe,",
    ],
    order_contexts=[
        "J'ai passé commande sur votre site {when}.", "Je vous contacte au sujet de {order}.",
        "J'ai commandé {a_product} {when}.", "Mon numéro de commande est le {n}.",
    ],
    generic_contexts=[
        "J'espère que vous allez bien.", "Je suis cliente chez vous depuis plusieurs années.",
        "Je vous écris de la part de {person}.",
    ],
    followups={
        "_default": [
            "Merci de me tenir au courant.", "Pouvez-vous vérifier ?", "J'attends votre retour.",
            "Merci de me répondre rapidement.", "Merci pour votre aide.",
        ],
        "complaint": ["C'est inacceptable.", "J'attends une vraie réponse cette fois."],
        "feedback": ["Bonne continuation !", "Encore merci."],
        "other": ["Dans l'attente de votre retour.", ""],
        "human_agent": ["C'est urgent.", "Merci de me rappeler."],
    },
    closings=[
        "Cordialement,", "Bien cordialement,", "Merci d'avance,", "Bonne journée,", "Merci,",
        "Salutations,", "Bien à vous,",
    ],
    names=[
        "Claire Dubois", "Julien Martin", "Sophie L.", "Marc Lefèvre", "Nadia Benali", "Camille",
        "Thomas Girard", "Élodie",
    ],
    typos={
        "s'il vous plaît": ["svp", "s'il vous plait", "stp"], "j'ai": ["jai"],
        "c'est": ["cest", "c est"], "commande": ["comande", "commende"],
        "remboursement": ["rembourssement", "remboursemen"], "adresse": ["addresse", "adrese"],
        "reçu": ["recu"], "aujourd'hui": ["aujourdhui", "ajd"], "quelqu'un": ["qqn", "quelquun"],
        "beaucoup": ["bcp"], "problème": ["probleme", "pb"], "toujours": ["tjrs", "toujour"],
        "merci": ["mercii", "mrc"], "vous": ["vs"], "est-ce que": ["esque", "est ce que"],
        "je n'ai": ["j'ai", "jai"], "je n'arrive": ["j'arrive", "jarrive"],
        "je ne veux": ["je veux"], "il y a": ["y a", "ya"], "je suis": ["chui", "jsuis"],
        "livraison": ["livraisson"], "facture": ["facure"], "voudrais": ["voudrai", "voudré"],
    },
    question_starts=(
        "où", "ou", "quand", "comment", "pourquoi", "combien", "quel", "quelle", "quels",
        "quelles", "est-ce", "pouvez-vous", "puis-je", "peut-on", "avez-vous", "y", "vous",
        "livrez-vous", "acceptez-vous", "faites-vous", "recrutez-vous", "proposez-vous",
        "vendez-vous", "existe-t-il", "ça",
    ),
    email_rate=0.12,
    typo_rate=0.25,
    accent_strip_rate=0.15,
    extra={"signoffs": ["Envoyé de mon iPhone", "Envoyé depuis mon smartphone"]},
)
