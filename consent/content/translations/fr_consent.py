"""The demo consent form in French ("vous"): its texts only.

Keys follow the English source: consent_form.py (title, acknowledgements by id, intent_statement,
e_records_disclosure), sections.py (by section id) and side_effects.py (in the same order). Figures,
authors and years are the source's; "not known" is "(fréquence) inconnue". The practitioner is
"votre praticien"; physiotherapy is "kinésithérapie (physiothérapie)".
"""

from __future__ import annotations

from typing import Any

SECTIONS: dict[str, dict[str, Any]] = {
    "what": {
        "heading": "Qu'est-ce que la puncture sèche ?",
        "paragraphs": [
            "La puncture sèche est un traitement pour les muscles douloureux et tendus. "
            "Votre praticien fait passer des aiguilles très fines à travers votre peau, "
            "jusqu'à des points tendus dans un muscle. "
            "Ces points tendus s'appellent des points gâchettes. "
            "On dit « sèche » parce que rien n'est injecté : il n'y a aucun médicament dans l'aiguille.",
            "Ce qui se passe pendant une séance : "
            "d'abord, vous parlez avec votre praticien de votre santé et de votre problème (une consultation). "
            "Ensuite, il vous examine et regarde comment vous bougez (une évaluation). "
            "Puis, si la puncture sèche vous convient, il place les aiguilles dans les points gâchettes.",
            "Quand une aiguille entre, le muscle a souvent une petite secousse rapide ou une crampe courte. "
            "C'est fréquent et cela passe vite.",
            "À la fin, votre praticien vous donne des conseils pour prendre soin de vous après la séance "
            "(conseils après le soin). "
            "Il note aussi l'intensité de votre douleur, pour que vous puissiez prévoir ensemble "
            "d'éventuelles autres séances.",
        ],
    },
    "benefits": {
        "heading": "En quoi cela peut-il vous aider ?",
        "paragraphs": [
            "La puncture sèche vise à soulager la douleur et la raideur des muscles, "
            "et à vous aider à bouger plus facilement.",
            "Les résultats sont différents pour chaque personne. "
            "Elle peut aider beaucoup, un peu, ou pas du tout. "
            "Nous ne pouvons pas vous promettre qu'elle fonctionnera pour vous.",
        ],
    },
    "risks": {
        "heading": "Risques et effets secondaires",
        "paragraphs": [
            "Comme tout traitement, la puncture sèche peut avoir des effets secondaires. "
            "Les effets secondaires légers sont fréquents. Ils disparaissent en général tout seuls. "
            "Les problèmes graves sont rares.",
            "Dans une étude portant sur 7629 traitements (Brady et ses collègues, 2014), "
            "des effets secondaires légers sont survenus dans environ 19 traitements sur 100 (19,18 %). "
            "Aucun problème grave n'a été trouvé dans cette étude.",
            "Dans une autre étude portant sur 20 464 séances (Boyce et ses collègues, 2020), "
            "des effets secondaires mineurs sont survenus dans environ 37 séances sur 100 (36,7 %). "
            "Des problèmes graves sont survenus dans moins de 1 séance sur 1000 (environ 1 sur 1024). "
            "Il s'agissait notamment de poumons affaissés, de saignements importants, et de symptômes "
            "qui se sont aggravés et le sont restés longtemps.",
            "Voici les effets secondaires et leur fréquence. "
            "« Fréquence inconnue » signifie qu'aucune étude n'a donné de chiffre fiable.",
        ],
    },
    "alternatives": {
        "heading": "Les autres choix",
        "paragraphs": [
            "La puncture sèche n'est pas votre seul choix. Il existe d'autres options :",
            "- un programme d'exercices pour rendre vos muscles plus forts et plus souples ;",
            "- un traitement avec les mains (thérapie manuelle), comme un massage "
            "ou des mouvements doux de vos articulations ;",
            "- d'autres soins de kinésithérapie (physiothérapie), comme des conseils sur la posture, "
            "l'activité et la façon de gérer votre douleur ;",
            "- des médicaments donnés par votre médecin ou votre pharmacien.",
            "Vous pouvez poser des questions à votre praticien sur chacune de ces options.",
        ],
    },
    "decline": {
        "heading": "Si vous dites non",
        "paragraphs": [
            "Rien ne vous oblige à recevoir une puncture sèche. C'est votre choix.",
            "Si vous dites non, vous pouvez quand même avoir une évaluation et d'autres traitements. "
            "Vos soins n'en souffriront pas.",
            "Sans traitement, votre problème peut s'améliorer tout seul, rester le même ou s'aggraver. "
            "Votre praticien peut parler avec vous de ce qui est le mieux pour vous.",
        ],
    },
    "withdraw": {
        "heading": "Vous pouvez arrêter à tout moment",
        "paragraphs": [
            "Vous pouvez changer d'avis à tout moment : avant une séance, ou pendant. "
            "Vous n'avez pas à donner de raison.",
            "Pour arrêter pendant une séance, dites-le simplement à votre praticien. "
            "Il arrêtera et retirera les aiguilles.",
            "Pour retirer votre consentement avant un rendez-vous, prévenez la clinique, "
            "ou retirez-le dans l'application.",
            "Arrêter ou retirer votre consentement n'aura aucun effet sur le reste de vos soins.",
        ],
    },
    "records": {
        "heading": "Documents et signature électroniques",
        "paragraphs": [
            "En signant, vous acceptez de signer ce formulaire et de recevoir vos documents sous forme "
            "électronique (sur votre téléphone ou votre ordinateur), au lieu de les recevoir sur papier.",
            "Vous avez droit à une copie papier. Pour l'obtenir, demandez-la à la clinique, "
            "ou appelez la clinique ou envoyez-lui un e-mail.",
            "Vous pouvez retirer à tout moment votre accord pour les documents électroniques. "
            "Pour cela, prévenez la clinique. Ensuite, la clinique vous donnera vos documents sur papier.",
            "Pour signer et garder vos documents, il vous faut : un téléphone, une tablette ou un ordinateur "
            "avec un navigateur web ; une adresse e-mail ; et un moyen d'ouvrir les fichiers PDF. "
            "Prévenez la clinique si votre adresse e-mail change.",
            "La clinique garde vos documents aussi longtemps que la loi l'exige (sa durée de conservation).",
        ],
    },
    "training": {
        "heading": "La formation de votre praticien",
        "paragraphs": [
            "{practitioner_disclosure}",
            "Votre praticien pour la puncture sèche chez {clinic_name} est {practitioner_name}. "
            "Vous pouvez lui poser des questions sur sa formation à tout moment.",
        ],
    },
    "ongoing": {
        "heading": "Votre consentement continue, et il est vérifié à nouveau",
        "paragraphs": [
            "Tout ne s'arrête pas à la signature de ce formulaire. "
            "Lors de votre séance, votre praticien vérifiera à nouveau avec vous que vous êtes d'accord "
            "pour continuer.",
            "Avant chaque rendez-vous, nous vous demanderons si votre santé a changé. "
            "Si c'est le cas, vous répondrez à nouveau aux questions de santé et vous signerez un nouveau "
            "consentement.",
            "Nous pouvons aussi vous demander de signer à nouveau si ce formulaire change de façon importante, "
            "ou après un certain temps.",
        ],
    },
}

SIDE_EFFECTS: list[dict[str, str]] = [
    {
        "effect": "Bleus (ecchymoses)",
        "how_often": "environ 8 traitements sur 100 (7,55 %, Brady 2014) ; "
        "environ 8 séances sur 100 (7,7 %, Boyce 2020)",
        "note": "Un bleu est une marque bleue ou violette à l'endroit où l'aiguille est entrée. "
        "Il disparaît tout seul.",
    },
    {
        "effect": "Saignement",
        "how_often": "environ 5 traitements sur 100 (4,65 %, Brady 2014) ; 16 séances sur 100 (16 %, Boyce 2020)",
        "note": "En général, un peu de sang à l'endroit où l'aiguille est entrée. "
        "Appuyer sur ce point arrête le saignement.",
    },
    {
        "effect": "Douleur pendant la puncture",
        "how_often": "environ 3 traitements sur 100 (3,01 %, Brady 2014) ; "
        "environ 6 séances sur 100 (5,9 %, Boyce 2020)",
        "note": "Dites à votre praticien si cela fait mal. Il peut arrêter.",
    },
    {
        "effect": "Douleur après le traitement",
        "how_often": "environ 2 traitements sur 100 (2,19 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Muscles endoloris après la puncture",
        "how_often": "c'est fréquent ; la fréquence exacte est inconnue",
        "note": "C'est comme des courbatures après le sport. "
        "En moyenne, cela disparaît en 72 heures environ (3 jours).",
    },
    {
        "effect": "Vos symptômes s'aggravent pendant un moment",
        "how_often": "un peu moins de 1 traitement sur 100 (0,88 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Envie de dormir (somnolence)",
        "how_often": "environ 3 traitements sur 1000 (0,26 %, Brady 2014)",
        "note": "Ne conduisez pas si vous avez envie de dormir.",
    },
    {
        "effect": "Mal de tête",
        "how_often": "environ 1 traitement sur 1000 (0,14 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Envie de vomir (nausée)",
        "how_often": "environ 1 traitement sur 1000 (0,13 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Sensation de fatigue",
        "how_often": "environ 4 traitements sur 10 000 (0,04 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Malaise ou évanouissement",
        "how_often": "fréquence inconnue",
        "note": "Prévenez tout de suite votre praticien si vous avez la tête qui tourne, si vous sentez que vous "
        "allez vous évanouir, ou si vous avez envie de vomir. Prendre un repas léger avant votre rendez-vous aide.",
    },
    {
        "effect": "Infection à l'endroit où une aiguille est entrée",
        "how_often": "fréquence inconnue — rare",
        "note": "Contactez la clinique si un point d'aiguille devient rouge, chaud ou gonflé, s'il y a du pus, "
        "ou si vous avez de la fièvre.",
    },
    {
        "effect": "Irritation d'un nerf",
        "how_often": "fréquence inconnue — rare",
        "note": "Cela peut donner des picotements, un engourdissement ou une faiblesse. "
        "Contactez la clinique si l'engourdissement ou la faiblesse ne disparaît pas.",
    },
    {
        "effect": "Poumon affaissé (pneumothorax), quand des aiguilles sont utilisées près de la paroi de la poitrine",
        "how_often": "rare mais grave ; pour l'acupuncture, environ 1 problème grave sur 200 000 traitements "
        "(White 2004) ; la fréquence pour la puncture sèche est inconnue",
        "note": "Ce risque existe quand des aiguilles sont utilisées près de la poitrine, des côtes, du haut du "
        "dos, du cou ou des épaules. Les symptômes peuvent commencer des heures, voire des jours plus tard : "
        "une nouvelle douleur dans la poitrine, une douleur quand vous inspirez, un essoufflement ou une toux "
        "sèche. Si cela arrive, faites-vous soigner en urgence tout de suite (appelez le numéro d'urgence "
        "local) et dites que vous avez eu une puncture sèche.",
    },
    {
        "effect": "Problèmes graves de toute sorte",
        "how_often": "moins de 1 séance sur 1000 (environ 1 sur 1024, Boyce 2020) ; "
        "aucun n'a été trouvé sur 7629 traitements (Brady 2014)",
        "note": "Il s'agissait notamment de poumons affaissés, de saignements importants, "
        "et de symptômes restés plus forts longtemps.",
    },
]

ACKNOWLEDGEMENTS: dict[str, str] = {
    "read_and_understood": "J'ai lu et compris ces informations, y compris les effets secondaires et leur fréquence.",
    "questions_answered": "J'ai pu poser des questions, et on a répondu à mes questions.",
    "voluntary_can_withdraw": "Je comprends que la puncture sèche est mon choix. "
    "Je peux dire non, arrêter une séance ou retirer mon consentement à tout moment.",
    "health_answers_true": "J'ai répondu honnêtement aux questions de santé. "
    "Je préviendrai la clinique si ma santé change.",
    "confirmed_in_person": "Je comprends que mon praticien vérifiera à nouveau mon consentement avec moi, "
    "en personne, lors de la séance.",
    "electronic_records": "J'accepte de signer ce formulaire et de recevoir mes documents sous forme électronique.",
}

CONSENT_FORM: dict[str, Any] = {
    "title": "Consentement à la puncture sèche",
    "sections": SECTIONS,
    "side_effects": SIDE_EFFECTS,
    "acknowledgements": ACKNOWLEDGEMENTS,
    "intent_statement": "Taper mon nom complet ci-dessous (et dessiner ma signature, si je le souhaite) "
    "constitue ma signature électronique. Je le fais volontairement, car j'ai l'intention de signer "
    "ce formulaire de consentement.",
    "e_records_disclosure": "{clinic_name} vous remettra ce formulaire et vos documents sous forme électronique, "
    "et vous les signez électroniquement. Vous pouvez demander une copie papier à tout moment : demandez-la à la "
    "clinique, ou appelez la clinique ou envoyez-lui un e-mail. Vous pouvez retirer à tout moment votre accord "
    "pour les documents électroniques en prévenant la clinique ; ensuite, vous recevrez vos documents sur papier. "
    "Il vous faut un téléphone, une tablette ou un ordinateur avec un navigateur web, une adresse e-mail et un "
    "moyen d'ouvrir les fichiers PDF. La clinique garde vos documents pendant sa durée de conservation "
    "(aussi longtemps que la loi l'exige).",
}
