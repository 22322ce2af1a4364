"""The demo health screening in French ("vous"): its texts only.

Keys follow the English source (questionnaire.py, questions.py, wording.py): items by id, with text, help,
the labels of a choice's options and every explanation by option value; yes/no labels once for all;
combined rules' explanations by code. The next-step sentences are said the same way every time, as in
wording.py.
"""

from __future__ import annotations

from typing import Any

BLOCK_NEXT = (
    "Pour le moment, la puncture sèche n'est pas sûre ou pas adaptée pour vous. "
    "Vous pouvez quand même réserver une évaluation sans puncture, ou appeler la clinique pour en parler."
)
REVIEW_NEXT = "Votre praticien vérifiera cette réponse avant que votre rendez-vous soit confirmé."
SITE_NEXT = (
    "Votre praticien vérifiera cette réponse avant que votre rendez-vous soit confirmé. "
    "Il examinera la zone et ne mettra pas d'aiguilles là où ce serait dangereux."
)
NOT_SURE_YES = "En cas de doute, répondez Oui."

ITEMS: dict[str, dict[str, Any]] = {
    "unwell_today": {
        "text": "Êtes-vous malade aujourd'hui ? Par exemple, avez-vous de la fièvre, une nouvelle infection, "
        "ou un nouveau problème de santé soudain ?",
        "help": "En cas d'urgence, appelez maintenant le numéro d'urgence local. "
        "Si vous tombez malade avant votre rendez-vous, prévenez la clinique.",
        "explanations": {
            "yes": "Vous nous avez dit que vous êtes malade aujourd'hui. "
            + BLOCK_NEXT
            + " Quand vous irez mieux, vous pourrez répondre à nouveau à ces questions.",
        },
    },
    "needle_feelings": {
        "text": "Que ressentez-vous à l'idée d'avoir des aiguilles pendant votre traitement ?",
        "help": "Il n'y a pas de mauvaise réponse. Soyez honnête, "
        "pour que nous puissions assurer votre sécurité et votre confort.",
        "options": {
            "fine": "Je suis d'accord pour avoir des aiguilles",
            "anxious": "Les aiguilles me causent de l'anxiété ou de la nervosité",
            "phobia": "J'ai une très grande peur des aiguilles (phobie des aiguilles)",
            "no_needles": "Je ne veux pas que des aiguilles soient utilisées",
        },
        "explanations": {
            "anxious": "Vous nous avez dit que les aiguilles vous causent de l'anxiété. "
            + REVIEW_NEXT
            + " Il pourra en parler avec vous.",
            "phobia": "Vous nous avez dit que vous avez une très grande peur des aiguilles. " + BLOCK_NEXT,
            "no_needles": "Vous nous avez dit que vous ne voulez pas d'aiguilles. C'est votre choix, "
            "et nous ne les utiliserons pas. Pour le moment, la puncture sèche n'est pas adaptée pour vous. "
            "Vous pouvez quand même réserver une évaluation sans puncture, ou appeler la clinique pour en parler.",
        },
    },
    "fainted_with_needles": {
        "text": "Avez-vous déjà perdu connaissance, ou presque, lors d'une piqûre, d'une injection "
        "ou d'une prise de sang ?",
        "help": "Perdre connaissance (s'évanouir), c'est ne plus être conscient pendant un court moment. "
        "Presque perdre connaissance, c'est avoir la tête qui tourne, la nausée ou la tête vide, "
        "comme si on allait s'évanouir.",
        "explanations": {
            "yes": "Vous nous avez dit que vous avez déjà perdu connaissance, ou presque, lors d'une piqûre. "
            + REVIEW_NEXT,
        },
    },
    "bad_reaction_before": {
        "text": "Avez-vous déjà eu une mauvaise réaction, ou une réaction inhabituelle, à la puncture sèche "
        "ou à une injection ?",
        "help": "Par exemple, une réaction allergique grave, ou une réaction qui a demandé l'aide d'un médecin. "
        "Une douleur, un petit bleu ou une sensation de malaise ne comptent pas ici : "
        "il y a une question à part sur les évanouissements.",
        "explanations": {
            "yes": "Vous nous avez dit que vous avez déjà eu une mauvaise réaction à la puncture sèche "
            "ou à une injection. " + BLOCK_NEXT,
        },
    },
    "decision_making": {
        "text": "Qui prend la décision pour ce traitement ?",
        "help": "Certaines personnes ont quelqu'un avec une autorité légale pour les aider à prendre leurs "
        "décisions de santé. Cela peut être un parent, un tuteur ou un autre représentant légal "
        "(une personne désignée par la loi ou par un tribunal pour décider à leur place).",
        "options": {
            "self": "Je prends cette décision moi-même",
            "with_decision_maker": "Un parent, un tuteur ou un autre représentant légal m'aide à décider",
            "hard_to_understand": "J'ai du mal à comprendre tout cela, et personne avec une autorité légale ne m'aide",
        },
        "explanations": {
            "with_decision_maker": "Une personne avec une autorité légale vous aide à décider. "
            + REVIEW_NEXT
            + " Il aura aussi besoin du consentement de cette personne.",
            "hard_to_understand": "Pour avoir une puncture sèche, vous devez la comprendre assez bien pour "
            "l'accepter, ou avoir quelqu'un avec une autorité légale qui décide avec vous. " + BLOCK_NEXT,
        },
    },
    "blood_thinners": {
        "text": "Prenez-vous un médicament qui fluidifie le sang ou qui l'empêche de coaguler ?",
        "help": "Par exemple la warfarine, l'apixaban, le rivaroxaban, le dabigatran, des injections d'héparine, "
        "le clopidogrel, ou de l'aspirine tous les jours. "
        "En cas de doute, répondez Oui, ou demandez à votre pharmacien.",
        "explanations": {
            "yes": "Les médicaments qui fluidifient le sang peuvent faire saigner ou faire apparaître des bleus "
            "plus facilement. " + REVIEW_NEXT,
        },
    },
    "bleeding_disorder": {
        "text": "Avez-vous un trouble des saignements ou de la coagulation, "
        "ou saignez-vous ou avez-vous des bleus très facilement ?",
        "help": "Un trouble des saignements ou de la coagulation est une maladie où le sang ne coagule pas "
        "(ne s'épaissit pas pour arrêter un saignement) normalement. L'hémophilie en est un exemple.",
        "explanations": {
            "yes": "Vous nous avez dit que vous saignez facilement ou que vous avez un trouble de la coagulation. "
            + REVIEW_NEXT,
        },
    },
    "medicines": {
        "text": "Indiquez les médicaments que vous prenez en ce moment.",
        "help": "Notez les comprimés, les injections, les inhalateurs et les crèmes, ainsi que les médicaments "
        "achetés sans ordonnance. Laissez vide si vous n'en prenez aucun.",
        "if_answered": "Vous nous avez parlé de médicaments que vous prenez. "
        "Votre praticien vérifiera votre liste avant que votre rendez-vous soit confirmé.",
    },
    "recent_surgery": {
        "text": "Avez-vous eu une opération (chirurgie) récemment ?",
        "help": "Si vous ne savez pas si cela compte comme récent, répondez Oui.",
        "explanations": {
            "yes": "Vous nous avez dit que vous avez eu une opération récemment. Selon la règle de notre clinique, "
            "votre praticien vérifiera cette réponse avant que votre rendez-vous soit confirmé.",
        },
    },
    "weak_immune_system": {
        "text": "Avez-vous une maladie, ou prenez-vous un médicament, qui affaiblit votre système immunitaire ?",
        "help": "Votre système immunitaire permet à votre corps de lutter contre les infections. Exemples : "
        "un cancer ou un traitement contre le cancer, le VIH, une hépatite (une infection du foie), "
        "ou des immunosuppresseurs (des médicaments qui calment le système immunitaire, "
        "par exemple après une greffe).",
        "explanations": {
            "yes": "Un système immunitaire plus faible peut rendre une infection plus probable. " + REVIEW_NEXT,
        },
    },
    "heart_valve": {
        "text": "Avez-vous déjà eu une endocardite, une maladie d'une valve du cœur, ou une valve du cœur remplacée ?",
        "help": "L'endocardite est une infection de la paroi intérieure du cœur. Les valves du cœur sont comme "
        "de petites portes qui font circuler le sang dans le bon sens dans le cœur.",
        "explanations": {
            "yes": "Vous nous avez parlé d'une endocardite ou d'un problème de valve du cœur. " + REVIEW_NEXT,
        },
    },
    "unstable_heart": {
        "text": "Avez-vous une maladie du cœur qui n'est pas stable : pas contrôlée, ou qui s'aggrave ?",
        "help": "Par exemple, une douleur dans la poitrine qui est nouvelle ou qui revient plus souvent, "
        "ou un problème de cœur que votre médecin essaie encore de contrôler. "
        "Si votre maladie du cœur est stable et bien soignée, répondez Non.",
        "explanations": {
            "yes": "Vous nous avez dit que votre maladie du cœur n'est pas stable. " + REVIEW_NEXT,
        },
    },
    "implanted_device": {
        "text": "Avez-vous un stimulateur cardiaque (pacemaker), un DAI ou un autre appareil électrique "
        "dans le corps ?",
        "help": "Un stimulateur cardiaque garde un rythme du cœur régulier. Un DAI (défibrillateur automatique "
        "implantable) peut donner un choc au cœur pour corriger un rythme dangereux. "
        "Un autre exemple est un stimulateur des nerfs.",
        "explanations": {
            "yes": "La stimulation électrique ne doit pas être utilisée près d'un appareil comme celui-ci. "
            + REVIEW_NEXT,
        },
    },
    "vascular_disease": {
        "text": "Avez-vous une maladie des vaisseaux sanguins (maladie vasculaire) ?",
        "help": "Les vaisseaux sanguins sont les tuyaux qui transportent le sang dans tout le corps. Exemples : "
        "une mauvaise circulation du sang dans les jambes ou les bras, un caillot de sang dans une veine, "
        "ou un anévrisme (un vaisseau sanguin fragile qui gonfle).",
        "explanations": {
            "yes": "Vous nous avez dit que vous avez une maladie des vaisseaux sanguins. " + REVIEW_NEXT,
        },
    },
    "lymphoedema": {
        "text": "Avez-vous un lymphœdème ?",
        "help": "Un lymphœdème est un gonflement qui dure longtemps, souvent dans un bras ou une jambe. "
        "Il apparaît quand un liquide (la lymphe) ne s'évacue pas correctement.",
        "explanations": {
            "yes": "Les aiguilles ne doivent pas être utilisées dans un bras, une jambe ou une zone "
            "avec un lymphœdème. " + BLOCK_NEXT,
        },
    },
    "lymph_nodes_removed": {
        "text": "Vous a-t-on retiré des ganglions lymphatiques, par exemple lors d'une opération pour un cancer ?",
        "help": "Les ganglions lymphatiques sont de petites glandes qui aident à évacuer les liquides et à lutter "
        "contre les infections. On les retire souvent sous le bras (l'aisselle) ou au pli de l'aine.",
        "explanations": {
            "yes": "Le bras, la jambe ou la zone proche de l'endroit où des ganglions lymphatiques ont été retirés "
            "peut être à risque. " + REVIEW_NEXT,
        },
    },
    "diabetes": {
        "text": "Avez-vous du diabète ?",
        "help": "Le diabète est une maladie où il y a trop de sucre dans le sang. "
        "Cela comprend le diabète de type 1 et le diabète de type 2.",
        "explanations": {"yes": "Vous nous avez dit que vous avez du diabète. " + REVIEW_NEXT},
    },
    "epilepsy": {
        "text": "Avez-vous de l'épilepsie (des crises ou des convulsions) ?",
        "help": "Une crise est une décharge soudaine d'activité dans le cerveau. Elle peut provoquer "
        "des secousses, un regard fixe ou une perte de connaissance.",
        "options": {
            "no": "Non",
            "controlled": "Oui, et mes crises sont bien contrôlées",
            "uncontrolled": "Oui, et mes crises ne sont pas bien contrôlées, ou je ne sais pas vraiment",
        },
        "explanations": {
            "controlled": "Vous nous avez dit que vous avez une épilepsie bien contrôlée. " + REVIEW_NEXT,
            "uncontrolled": "Vous nous avez dit que vos crises ne sont pas bien contrôlées. " + BLOCK_NEXT,
        },
    },
    "pregnant": {
        "text": "Êtes-vous enceinte, ou pourriez-vous l'être ?",
        "help": "Si cette question ne vous concerne pas, répondez Non.",
        "explanations": {
            "yes": "Vous nous avez dit que vous êtes enceinte ou que vous pourriez l'être. " + REVIEW_NEXT,
        },
    },
    "frailty": {
        "text": "Diriez-vous que vous êtes une personne fragile ?",
        "help": "Par exemple, vous vous sentez faible, vous vous fatiguez très vite, vous avez du mal à marcher, "
        "ou vous avez besoin d'aide pour les tâches de tous les jours.",
        "explanations": {"yes": "Vous nous avez dit que vous vous sentez fragile. " + REVIEW_NEXT},
    },
    "metal_allergy": {
        "text": "Êtes-vous allergique à un métal, comme le nickel, le chrome ou l'acier inoxydable ?",
        "help": "Par exemple, des bijoux, un bracelet de montre ou une boucle de ceinture vous donnent "
        "des plaques rouges qui grattent.",
        "explanations": {"yes": "Les aiguilles sont en métal. " + REVIEW_NEXT},
    },
    "area_near_chest": {
        "text": "La puncture pourrait-elle se faire près de votre poitrine, de vos côtes, du haut de votre dos, "
        "de votre cou ou de vos épaules ?",
        "help": "Pensez à l'endroit où vous avez mal ou que vous voulez faire soigner. " + NOT_SURE_YES,
    },
    "low_body_weight": {
        "text": "Êtes-vous très mince ou en sous-poids ?",
        "help": NOT_SURE_YES,
    },
    "skin_problem_at_area": {
        "text": "À l'endroit que vous voulez faire soigner, la peau est-elle infectée, abîmée, ou rouge et gonflée ?",
        "help": "Par exemple une coupure, une plaie, une éruption sur la peau, une brûlure, "
        "ou une zone rouge, chaude et gonflée.",
        "explanations": {
            "yes": "Les aiguilles ne doivent pas traverser une peau infectée, abîmée ou gonflée. " + SITE_NEXT,
        },
    },
    "varicose_veins_at_area": {
        "text": "À l'endroit que vous voulez faire soigner, avez-vous des varices ?",
        "help": "Les varices sont des veines gonflées et tordues que l'on voit sous la peau, souvent sur les jambes.",
        "explanations": {"yes": "Les aiguilles ne doivent pas entrer dans des varices. " + SITE_NEXT},
    },
}

COMBINED_RULES: dict[str, str] = {
    "chest_wall_low_body_weight": "Une puncture près de la paroi de la poitrine (les côtes et les muscles "
    "autour des poumons) chez une personne mince comporte un petit risque de poumon affaissé (pneumothorax). "
    "Votre praticien vérifiera ces réponses avant que votre rendez-vous soit confirmé. "
    "Il fera très attention près de votre poitrine.",
    "minor_needs_guardian": "Vous n'avez pas encore l'âge pour accepter un traitement par vous-même. "
    "Un parent ou un tuteur doit donner sa permission, et on vous demandera aussi si vous êtes d'accord. "
    "Votre praticien vérifiera cela avant que votre rendez-vous soit confirmé.",
    "bleeding_site_compression": "Votre praticien vérifiera cette réponse avant que votre rendez-vous soit "
    "confirmé. Il n'utilisera des aiguilles que là où il peut appuyer sur le muscle pour arrêter un saignement.",
}

QUESTIONNAIRE: dict[str, Any] = {
    "title": "Bilan de santé avant la puncture sèche",
    "items": ITEMS,
    "combined_rules": COMBINED_RULES,
    "yes_no": {"yes": "Oui", "no": "Non"},
}
