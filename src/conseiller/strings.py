"""Every French sentence the program itself writes (content text lives in content/)."""

from __future__ import annotations

# --- loading content -------------------------------------------------------------------
LOAD_TOO_BIG = "fichier trop gros (plus de 2 Mo) : il n'est pas lu"
LOAD_NOT_UTF8 = "le fichier n'est pas en UTF-8"
LOAD_UNREADABLE = "impossible de lire le fichier : {reason}"
LOAD_EMPTY = "le fichier est vide"
LOAD_ALIAS_BOMB = "trop d'éléments une fois les alias YAML dépliés : fichier refusé"
LOAD_DUPLICATE_KEY = "clé « {key} » écrite deux fois au même endroit : gardez-en une seule"
LOAD_SYNTAX = "YAML invalide : {reason}"
LOAD_NO_DIR = "dossier introuvable : {path}"
LOAD_NO_FLOW = "aucun parcours (*.yaml) dans {path}"
LOAD_MISSING_FILE = "fichier manquant : {name}"
YAML_PROBLEMS = {
    "mapping values are not allowed": "« : » inattendu (vérifiez l'indentation)",
    "could not find expected ':'": "il manque « : » après une clé",
    "found character that cannot start any token": "caractère inattendu (une tabulation ? "
    "indentez avec des espaces)",
    "could not determine a constructor": "étiquette YAML interdite (!!{detail})",
    "found undefined alias": "alias YAML inconnu",
    "expected <block end>": "indentation incohérente",
    "found unexpected end of stream": "guillemet non fermé",
    "did not find expected ',' or ']'": "liste [ ] mal fermée",
    "did not find expected ',' or '}'": "table { } mal fermée",
    "did not find expected node content": "valeur manquante ou liste mal fermée",
    "found duplicate anchor": "ancre YAML en double",
}
ROOT_FIELD = "(racine)"
DID_YOU_MEAN = " (vouliez-vous dire « {word} » ?)"
ERR_UNKNOWN_FIELD = "{field} : champ inconnu{hint}"
ERR_MISSING_FIELD = "{field} : champ obligatoire manquant"
ERR_BAD_KIND = "{field} : type de nœud inconnu « {got} » (message, choice, text, confirm, end)"
ERR_NO_KIND = "{field} : il manque le champ kind (message, choice, text, confirm, end)"
ERR_LITERAL = "{field} : valeur « {got} » inattendue (attendu : {expected})"
ERR_PATTERN = "{field} : « {got} » n'a pas la bonne forme"
ERR_TYPE = "{field} : {expected} attendu"
ERR_EMPTY = "{field} : ne doit pas être vide"
TYPE_NAMES = {
    "string_type": "un texte",
    "list_type": "une liste",
    "dict_type": "une table (clé: valeur)",
    "model_type": "une table (clé: valeur)",
    "bool_parsing": "vrai ou faux (true/false)",
    "bool_type": "vrai ou faux (true/false)",
    "date_parsing": "une date AAAA-MM-JJ",
    "date_type": "une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "une date AAAA-MM-JJ",
}

# --- checks ----------------------------------------------------------------------------
CHK_DUPLICATE = "identifiant « {id} » en double (déjà défini ligne {line})"
CHK_DUPLICATE_FLOW = "parcours « {id} » en double (déjà défini dans {path})"
CHK_UNKNOWN_REF = "{what} « {id} » inconnu{hint}"
CHK_UNREACHABLE = "nœud « {id} » jamais atteint depuis le début"
CHK_NO_END = "le chemin qui passe par « {id} » ne mène à aucune fin"
CHK_CYCLE = "boucle sans sortie autour de « {id} »"
CHK_DEAD_END = "nœud « {id} » sans suite (ajoutez next, ou kind: end)"
CHK_NEED_NO_FORMAT = "aucune règle ne propose de format pour le besoin « {id} »"
CHK_NO_REGIONAL = "aucune porte d'entrée régionale pour la région {code} ({name})"
CHK_STALE = "contact « {id} » vérifié le {date} : plus de 12 mois, à revérifier"
CHK_UNKNOWN_SLOT = "condition sur « {slot} », une case que ce parcours ne remplit pas{hint}"
CHK_UNKNOWN_VALUE = "condition {slot} = « {value} » : valeur impossible{hint}"
CHK_OPTIONAL = (
    "la question « {id} » remplit la case « {slot} », qui n'est pas publique : "
    "elle doit pouvoir être passée (optional: true)"
)
CHK_CONFIRM_SOURCE = (
    "la confirmation « {id} » vise « {source} », qui n'est pas un texte libre relié aux besoins"
)
CHK_SLOT_VALUES = "la case « {slot} » doit valoir {expected}"
CHK_NO_RESULT = "le parcours peut finir sans aucune recommandation (profil : {profile})"
CHK_CONTACT_REGION = "contact « {id} » : région « {code} » inconnue"
CHK_CONTACT_DEPT = "contact « {id} » : département « {code} » inconnu"
CHK_DEPT_REGION = "département {code} : région « {region} » inconnue"
CHK_UNKNOWN_DEPT = "département « {code} » inconnu"
CHK_OK = "{n} fichiers vérifiés : aucun problème."
CHK_SUMMARY = "{errors}, {warnings}."
CHK_ERRORS = ("{n} erreur", "{n} erreurs")
CHK_WARNINGS = ("{n} avertissement", "{n} avertissements")
WHAT_NODE = "nœud"
WHAT_NEED = "besoin"
WHAT_FORMAT = "format"
WHAT_CONTACT = "contact"

# --- territory -------------------------------------------------------------------------
TERR_EMPTY = "Indiquez un département : son nom ou son numéro (par exemple « Creuse » ou « 23 »)."
TERR_UNKNOWN = "Je ne connais pas le département « {text} »."
TERR_SUGGEST = " Vouliez-vous dire : {choices} ?"
TERR_PLACE_SEVERAL = "« {text} » couvre plusieurs départements. Lequel : {choices} ?"
TERR_AMBIGUOUS = (
    "« {text} » existe dans plusieurs départements : {choices}. "
    "Écrivez le nom ou le numéro du département."
)

# --- engine ----------------------------------------------------------------------------
ENG_FINISHED = "La conversation est terminée."
ENG_BAD_CHOICE = "Je n'ai pas compris « {text} ». Choisissez une des réponses : {choices}."
ENG_NOT_OPTIONAL = "Cette question est nécessaire pour vous orienter : merci d'y répondre."
ENG_EMPTY_TEXT = "Écrivez quelques mots, ou choisissez « Je ne sais pas »."
ENG_UNKNOWN_NEED = "Besoin inconnu : « {id} »."
ENG_NOT_ASKED = "La question « {id} » n'est pas sur votre chemin."
ENG_NO_BACK = "Nous sommes déjà au début."
ENG_BAD_STATE = "Session illisible : {reason}"

# --- recommendations -------------------------------------------------------------------
WHY_NATIONAL = "Structure nationale, joignable où que vous soyez."
WHY_REGION = "Porte d'entrée de l'ESS pour votre région ({region})."
WHY_DEPT = "Agit dans votre département ({departement})."
WHY_NEEDS = "Répond à : {needs}."
WHY_FORMATS = "Propose : {formats}."
WHY_RULE = "Mis en avant parce que : {why}"

# --- replay ----------------------------------------------------------------------------
REPLAY_MISSING = "{slot} : réponse manquante ({question})"
REPLAY_INVALID = "{slot} : {reason}"
REPLAY_UNUSED = "avertissement : {slot} : ce parcours ne pose pas cette question, réponse ignorée"
REPLAY_NOT_MAPPING = "{path} : le fichier doit être une table « case: réponse »"
REPLAY_LOOP = "le parcours ne se termine pas avec ces réponses"

# --- matcher CLI -----------------------------------------------------------------------
MATCH_NOTHING = "Rien de reconnu : je préfère ne pas deviner."
MATCH_URGENCE = "ALERTE : ce message parle de danger ou de détresse. Numéros d'aide :"
UNMATCHED_NONE = "Aucune phrase gardée (lancez avec --log-unmatched pour en garder)."
MATCH_UNSURE = "Hésitation entre les deux premiers : la question sera posée."

# --- CLI -------------------------------------------------------------------------------
CLI_DESCRIPTION = "conseiller : un conseiller guidé pour les projets d'ESS en milieu rural."
CLI_LOG_UNMATCHED = "garder les phrases non comprises (la phrase et le jour seulement)"
CLI_SCHEMA_WRITTEN = "Schémas JSON écrits dans {path}"
CLI_UNKNOWN_FLOW = "parcours inconnu : « {id} »{hint}"
CLI_CONTENT_BROKEN = "Le contenu a des erreurs ; lancez « conseiller check » pour les voir."

# --- answers -----------------------------------------------------------------------------
ANS_SKIPPED = "Je ne sais pas"
ANS_NO_NEED = "Rien de précis pour l'instant"

# --- take-away ---------------------------------------------------------------------------
REP_TITLE = "Mes pistes pour mon projet"
REP_DATE = "Fait le {date} avec conseiller."
REP_PROFILE = "Mes réponses"
REP_NEEDS = "Mes besoins"
REP_FORMATS = "Ce qui peut m'aider"
REP_CONTACTS = "Qui contacter"
REP_WHY = "Pourquoi ?"
REP_SITE = "Site"
REP_TO_CHECK = "à vérifier"
REP_NO_NEED = "Aucun besoin précis : les pistes ci-dessous aident à y voir clair."
REP_CHECKED = "Informations vérifiées le {date}. Source : {source}."
REP_FOOTER = "Les informations peuvent changer : vérifiez-les auprès des structures."
REP_EXPECT = "À quoi s'attendre"
REP_TEXT_TITLE = "Mes pistes (conseiller) :"
REP_TEXT_CONTACTS = "Contacts :"
REP_OWN_WORDS = "Mes besoins, dans mes mots"
REP_NOTES = "Notes du conseiller (privées)"
REP_HANDOFF_TITLE = "Fiche de liaison"
REP_SCOPE = {
    "national": "France entière",
    "regional": "Votre région",
    "departemental": "Votre département",
}

# --- terminal interface ----------------------------------------------------------------
UI_TITLE = "conseiller"
UI_SUBTITLE = "votre projet d'économie sociale et solidaire"
UI_WELCOME_TITLE = "Bienvenue !"
UI_WELCOME_TEXT = (
    "Vous avez un projet utile pour votre territoire ? Une association, une activité, un lieu ?\n\n"
    "Je vais vous poser quelques questions, une à la fois. Ensuite, je vous propose des pistes "
    "d'accompagnement et des contacts près de chez vous, avec la raison de chaque proposition.\n\n"
    "Cela prend environ 5 minutes. Vous pouvez répondre « Je ne sais pas » à tout moment."
)
UI_WELCOME_PRIVACY = (
    "Vos réponses restent sur cet ordinateur et sont oubliées à la fin, "
    "sauf si vous choisissez d'enregistrer vos résultats."
)
UI_START = "Commencer"
UI_ABOUT = "À propos"
UI_QUIT = "Quitter"
UI_BACK = "Retour"
UI_EDIT = "Modifier"
UI_SEND = "Valider"
UI_DONT_KNOW = "Je ne sais pas"
UI_CONFIRM = "C'est bien ça"
UI_CONFIRM_CHOICE = "Valider ce choix"
UI_ADD_NEED = "Ajouter un besoin"
UI_PROGRESS = "Question {n} sur environ {total}"
UI_UNDERSTOOD = "J'ai compris : {needs}."
UI_UNDERSTOOD_NONE = "Je n'ai pas bien compris. Choisissez ce qui vous parle dans la liste :"
UI_CHOOSE_NEEDS = "Voici les besoins que je connais :"
UI_UNSURE = "Vous pensez plutôt à « {a} » ou à « {b} » ?"
UI_BOTH = "Les deux"
UI_NEITHER = "Ni l'un ni l'autre"
UI_CHECK_HINT = "Cochez ou décochez avec la souris, ou avec Espace."
UI_ERROR_PREFIX = "⚠ "
UI_EMPTY_ANSWER = "Écrivez quelques mots, puis « Valider »."
UI_EMPTY_OR_SKIP = "Écrivez quelques mots, puis « Valider ». Ou choisissez « Je ne sais pas »."
UI_RESULTS_TITLE = "Vos pistes"
UI_RESULTS_INTRO = "Voici ce qui peut vous aider. Pour chaque piste, je vous dis pourquoi."
UI_RESULTS_PROFILE = "Ce que vous m'avez dit"
UI_RESULTS_FORMATS = "Ce qui peut vous aider"
UI_RESULTS_CONTACTS = "Qui contacter"
UI_RESULTS_FOR_NEED = "Pour « {need} »"
UI_RESULTS_REGIONAL = "Dans votre région"
UI_RESULTS_LOCAL = "Près de chez vous"
UI_RESULTS_OTHERS = "Autres contacts utiles"
UI_WHY = "Pourquoi ? "
UI_SITE = "Site : "
UI_TO_CHECK = " (à vérifier)"
UI_SAVE = "Enregistrer mes pistes"
UI_SAVED = "Enregistré ici :\n{md}\n{html} (page à imprimer)"
UI_SAVE_FAILED = "Impossible d'enregistrer : {reason}"
UI_SAVED_WEB = (
    "Votre navigateur télécharge la page « {name} » : "
    "ouvrez-la depuis vos téléchargements pour la lire ou l'imprimer."
)
UI_RESTART = "Recommencer"
UI_RESTART_QUESTION = "Recommencer depuis le début ? Vos réponses seront oubliées."
UI_RESTART_YES = "Oui, recommencer"
UI_QUIT_QUESTION = "Voulez-vous vraiment quitter ? Vos réponses seront oubliées."
UI_QUIT_YES = "Oui, quitter"
UI_QUIT_NO = "Non, rester"
UI_CONTINUE = "Continuer"
UI_CLOSE = "Fermer"
UI_HELP_TITLE = "Aide : les touches"
UI_HELP_KEYS = [
    ("Tab / Maj+Tab", "passer d'un élément à l'autre"),
    ("Flèches haut et bas", "choisir une réponse"),
    ("Entrée", "valider"),
    ("1 à 9", "choisir la réponse numérotée"),
    ("Échap", "revenir à la question précédente"),
    ("F1 ou ?", "afficher cette aide"),
    ("F2", "changer les couleurs (contraste élevé)"),
    ("Ctrl+Q", "quitter"),
]
UI_HELP_MOUSE = "Vous pouvez aussi cliquer ou toucher les boutons."
KEY_HELP = "Aide"
KEY_BACK = "Retour"
KEY_QUIT = "Quitter"
KEY_THEME = "Couleurs"
KEY_PICK = "Choisir"
KEY_PREVIOUS = "Réponse précédente"
KEY_NEXT = "Réponse suivante"

# --- sessions ----------------------------------------------------------------------------
STORE_NO_FOLDER = "Impossible de créer le dossier de données {path} : {reason}"
STORE_BROKEN = "Fichier {what} illisible ({path}) : {reason}"
STORE_TOO_NEW = (
    "Le fichier de sessions {path} vient d'une version plus récente de conseiller "
    "(format {found}, celui-ci connaît le format {known}). Mettez conseiller à jour ; "
    "le fichier n'a pas été modifié."
)
STORE_BAD_AGE = "Durée « {text} » incomprise : écrivez par exemple 90d (jours), 12w, 6m ou 1y."
SESSIONS_NONE = "Aucune session enregistrée."
SESSIONS_UNKNOWN = "Session inconnue : « {id} »."
SESSIONS_DELETED = "Session {id} supprimée."
SESSIONS_PURGED = ("{n} session supprimée.", "{n} sessions supprimées.")
SESSIONS_SAVED = "Session enregistrée : {id}"
SESSIONS_EXPORTED = "Fiche écrite :\n{md}\n{html}"
SESSIONS_DONE = "terminée"
SESSIONS_AT = "question : {question}"

# --- advisor mode ------------------------------------------------------------------------
ADV_TITLE = "Mode conseiller"
ADV_SAVED = "Session enregistrée (avec l'accord de la personne)."
ADV_NOT_SAVED = "Rien n'est enregistré : la personne n'a pas donné son accord."
ADV_PROFILE = "Profil"
ADV_EMPTY = "(encore rien)"
ADV_NEEDS = "Besoins compris (score sur 100)"
ADV_NEEDS_WAIT = "Modifiables une fois les besoins confirmés par la personne."
ADV_NEEDS_EDIT = "Cochez, décochez ou ajoutez : la conversation en tient compte."
ADV_ADD_NEED = "Ajouter un besoin…"
ADV_BY_HAND = "ajouté à la main"
ADV_RULES = "Recommandations et règles"
ADV_RULES_WAIT = "Les règles apparaîtront avec les besoins."
ADV_NOTES = "Notes privées du conseiller"
ADV_HANDOFF = "Fiche de liaison"
ADV_EXPORT_MINE = "Mon export, avec mes notes"
ADV_DELETE = "Supprimer la session"
ADV_DELETED = "Session supprimée. Rien n'est plus enregistré."
ADV_EXPORTED = "Écrit : {md}"
ADV_SESSIONS_TITLE = "Sessions enregistrées"
ADV_SESSIONS_HELP = (
    "Entrée pour reprendre une session. Les sessions ne sont gardées qu'avec l'accord "
    "de la personne."
)
ADV_NEW = "Nouvelle session"
ADV_RESUME = "Reprendre"
ADV_COLUMNS = ("Repère", "Mise à jour", "Où en est-on")
ADV_CONSENT_TITLE = "Avant de commencer"
ADV_CONSENT_TEXT = (
    "Demandez à la personne : « Acceptez-vous que vos réponses soient gardées sur cet "
    "ordinateur ? Elles servent seulement à suivre votre projet avec vous et à préparer "
    "une fiche pour la structure vers qui je vous oriente. Elles sont gardées {retention} "
    "après notre dernier échange, puis effacées ; vous pouvez les faire effacer à tout "
    "moment. »"
)
ADV_CONSENT_LABEL = "Un repère pour retrouver la session (facultatif, par exemple un prénom)"
ADV_CONSENT_YES = "Oui, garder"
ADV_CONSENT_NO = "Non, ne rien garder"
KEY_SESSIONS = "Sessions"

# --- kiosk -------------------------------------------------------------------------------
KIOSK_PIN_RULES = "Le code doit faire de {min} à {max} chiffres (de 0 à 9 seulement)."
KIOSK_PIN_ASK = "Nouveau code du personnel : "
KIOSK_PIN_AGAIN = "Le même code, encore une fois : "
KIOSK_PIN_MISMATCH = "Les deux codes sont différents : rien n'a changé."
KIOSK_PIN_SET = "Code enregistré (sous forme chiffrée) dans {path}"
KIOSK_NO_PIN = (
    "Aucun code du personnel n'est défini : la borne ne pourrait pas être quittée. "
    "Lancez d'abord : conseiller kiosk --set-pin"
)
KIOSK_END = "Terminer et effacer"
KIOSK_IDLE_TITLE = "Vous êtes toujours là ?"
KIOSK_IDLE_TEXT = "Sans réponse, tout sera effacé dans {n} s, pour la personne suivante."
KIOSK_IDLE_STAY = "Je suis là, je continue"
KIOSK_STAFF_TITLE = "Sortie réservée au personnel"
KIOSK_STAFF_PROMPT = "Code du personnel :"
KIOSK_STAFF_WRONG = "Code incorrect. Nouvel essai possible dans {n} s."
KIOSK_STAFF_WAIT = "Patientez encore {n} s."
KIOSK_STAFF_OK = "Quitter la borne"
KIOSK_STAFF_CANCEL = "Annuler"
KIOSK_QR_TITLE = "Emportez vos pistes : scannez ce code avec votre téléphone"
KIOSK_QR_TOO_LONG = "Le résumé est trop long pour un code : notez les sites ci-dessous."
KIOSK_TEXT_TITLE = "Le même résumé, à recopier"
KIOSK_QR_OPEN = "QR code en grand"
KIOSK_QR_AIM = "Visez ce code avec l'appareil photo de votre téléphone."
KIOSK_QR_SHORT = "Écran petit : ce code ne contient que les sites des contacts."
KIOSK_QR_NO_ROOM = (
    "L'écran est trop petit pour ce code. Agrandissez la fenêtre, ou réduisez la taille "
    "du texte (Ctrl et -). Les sites sont aussi écrits sur la page des résultats."
)
KIOSK_QR_CLOSE = "Fermer"
KEY_STAFF = "Personnel"
STATS_NONE = "Aucune statistique (lancez la borne avec --stats pour en collecter)."
STATS_SESSIONS = (
    "Visites terminées : {n}. Les nombres sont arrondis à {k} près ; ceux sous {k} sont "
    "cachés (« <{k} »)."
)
STATS_NEEDS = "Besoins :"
STATS_DEPTS = "Départements :"
SERVE_LISTENING = (
    "conseiller est servi sur http://{host}:{port} (au plus {n} sessions à la fois). "
    "Sans authentification : gardez l'adresse locale, ou placez un proxy "
    "qui authentifie devant (voir le README)."
)
SERVE_PUBLIC = (
    "Attention : {host} n'est pas une adresse locale ; conseiller serve n'authentifie personne. "
    "Seules les adresses locales, celle de --host et celle de --public-url sont acceptées."
)
SERVE_FULL = "Trop de sessions ouvertes : réessayez dans un moment."
SERVE_PAGE = {
    "title": "conseiller",
    "loading": "conseiller s'ouvre…",
    "start": "Commencer",
    "ended": (
        "La séance est terminée. Si elle vient juste de s'ouvrir, "
        "trop de personnes utilisent conseiller en ce moment : réessayez dans un moment."
    ),
    "restart": "Recommencer",
}

# --- advisor mode: saving, conflicts, deletion, markup safety (hardening §5, advisor TUI) ---
ADV_RETENTION_DEFAULT = "12 mois"
ADV_RETENTION_MONTHS = "{n} mois"
ADV_RETENTION_DAYS = "{n} jours"
ADV_DELETE_KEY = "Supprimer"
ADV_DELETE_QUESTION = (
    "Supprimer cette session ? Les réponses, les notes et les fiches écrites pour elle "
    "seront effacées. C'est définitif."
)
ADV_DELETE_YES = "Oui, supprimer"
ADV_DELETE_NO = "Non, garder"
ADV_DELETED_HEADER = "Session supprimée : plus rien n'est enregistré."
ADV_DELETED_LEFT = "Session supprimée, mais ces fichiers n'ont pas pu être effacés : {paths}"
ADV_DELETE_FAILED = "La session n'a pas pu être supprimée. {reason}"
ADV_LIST_DELETED = "Session « {label} » supprimée."
ADV_SAVE_FAILED = (
    "Dernière réponse NON enregistrée. {reason} Elle reste à l'écran ; "
    "ce qui était déjà enregistré est intact."
)
ADV_SAVE_FAILED_HEADER = "Attention : la dernière modification n'est pas enregistrée."
ADV_NOTES_FAILED = "Notes NON enregistrées. {reason} Elles restent dans le champ."
ADV_CONFLICT = (
    "Cette session a été modifiée dans une autre fenêtre : votre dernière modification "
    "n'est pas enregistrée (elle reste à l'écran, et vos notes dans leur champ). "
    "Copiez ce que vous voulez garder, puis rouvrez la session depuis la liste (F3)."
)
ADV_LEAVE_UNSAVED = (
    "Des modifications ne sont pas enregistrées. Appuyez encore sur F3 pour revenir "
    "à la liste sans elles."
)
ADV_EXPORT_FAILED = "Fiche non écrite. {reason}"
ADV_EXPORT_OS_FAILED = "Fiche non écrite dans {folder} : {reason}"
ADV_CREATE_FAILED = (
    "La session n'a pas pu être créée. {reason} La conversation continue sans rien garder."
)
ADV_OPEN_FAILED = "La session n'a pas pu être ouverte. {reason}"
ADV_UNREADABLE_OPEN = (
    "Session illisible : {reason}. Elle ne peut pas être ouverte, seulement supprimée."
)
SESSIONS_UNREADABLE = "illisible : {reason}"
ADV_PURGED = (
    "{n} session de plus de {retention} effacée.",
    "{n} sessions de plus de {retention} effacées.",
)
ADV_QUIT_KEPT = (
    "Les réponses de cette session sont gardées : vous la retrouverez dans la liste des sessions."
)
ADV_QUIT_NOT_KEPT = "Rien de cette session n'est gardé."
ADV_QUIT_QUESTION = "Voulez-vous vraiment quitter ?"
ADV_UNMATCHED_FAILED = (
    "La phrase non comprise n'a pas pu être gardée dans le journal ({reason}) ; "
    "la conversation continue."
)

# --- saved sessions: store and command line (hardening §5, store/CLI part) ----------------
STORE_READ_ONLY = (
    "Le fichier {what} {path} est en lecture seule : rien n'a été enregistré (ce qui "
    "l'était déjà est intact). Rendez-le modifiable (chmod 600 {path}) ou choisissez un "
    "autre dossier avec --data."
)
STORE_FULL = (
    "Le disque est plein : la dernière modification n'a pas été enregistrée dans {path} "
    "(ce qui l'était déjà est intact). Libérez de la place, puis recommencez."
)
STORE_DAMAGED = (
    "Fichier {what} illisible, il est abîmé ({path} : {reason}). Rien n'a été modifié. "
    "Remettez une copie de sauvegarde à sa place, ou essayez "
    "« sqlite3 {path} .recover > secours.sql »."
)
STORE_LOCKED = (
    "Le fichier {what} {path} est occupé par un autre programme depuis trop longtemps : "
    "rien n'a été enregistré. Fermez l'autre fenêtre du conseiller, puis réessayez."
)
STORE_CANNOT_OPEN = (
    "Impossible d'ouvrir le fichier {what} {path} : {reason}. Vérifiez le dossier et "
    "ses droits, ou choisissez-en un autre avec --data."
)
STORE_IO = (
    "Erreur d'écriture ou de lecture sur le disque pour {path} : {reason}. "
    "Ce qui était enregistré avant est intact ; vérifiez le disque, puis réessayez."
)
STORE_CONFLICT = (
    "La session {id} a été modifiée ailleurs (une autre fenêtre ?) depuis que vous l'avez "
    "ouverte : rien n'a été écrit. Rouvrez-la pour voir sa dernière version."
)
STORE_GONE = (
    "La session {id} n'existe plus dans {path} (supprimée ailleurs ?) : rien n'a été écrit."
)
STORE_ROW_BAD_TEXT = "le champ « {field} » contient des octets qui ne sont pas du texte"
STORE_ROW_MISSING = "le champ « {field} » est vide"
STORE_ROW_BAD_JSON = "ses réponses enregistrées sont abîmées (ce n'est pas du JSON valide)"
STORE_ROW_NOT_STATE = "ses réponses enregistrées ne sont pas dans le format attendu"
STORE_ID_SHORT = (
    "Identifiant « {id} » trop court : donnez au moins {n} caractères "
    "(voir « conseiller sessions list »)."
)
STORE_ID_AMBIGUOUS = (
    "Identifiant « {id} » ambigu : il désigne {n} sessions ({ids}…). Donnez plus de caractères."
)
STORE_AGE_TOO_BIG = "Durée « {text} » trop longue : donnez au plus {max} jours (ou {years}y)."
STORE_BAD_RETENTION = (
    "Durée de conservation « {text} » ({source}) incomprise : écrivez par exemple 365d, 52w, "
    "12m ou 1y (au moins un jour)."
)
SESSION_UNREADABLE = "Session {id} illisible : {reason}."
SESSION_NEWER = (
    "elle a été enregistrée par une version plus récente du conseiller (format {found}) ; "
    "mettez le conseiller à jour pour l'ouvrir"
)
SESSION_BAD_STATE = "ses réponses enregistrées ne sont pas valides ({reason})"
SESSION_NODE_GONE = "la question « {id} » où elle s'était arrêtée n'existe plus dans le parcours"
SESSION_NEED_GONE = "le besoin « {id} » n'existe plus dans le contenu"
SESSION_FLOW_BROKEN = "le parcours ne peut plus la relire ({reason})"
SESSIONS_PURGE_WOULD = ("{n} session serait supprimée :", "{n} sessions seraient supprimées :")
SESSIONS_PURGE_ALL_ASK = "Cela supprime TOUTES les sessions ({n}). Continuer ? [o/N] "
SESSIONS_PURGE_ALL_REFUSED = (
    "Cela supprimerait toutes les sessions ({n}) : relancez avec --yes pour confirmer, "
    "ou avec --dry-run pour voir la liste."
)
SESSIONS_PURGE_CANCELLED = "Rien n'a été supprimé."
SESSIONS_FILES_LEFT = (
    "Ces fichiers exportés n'ont pas pu être effacés ; supprimez-les à la main :\n{paths}"
)
SESSIONS_EXPIRED = (
    "{n} session de plus de {days} jours supprimée (durée de conservation).",
    "{n} sessions de plus de {days} jours supprimées (durée de conservation).",
)
CLI_RETENTION = (
    "durée de conservation des sessions, purgées au démarrage (par défaut : 1y ; "
    "aussi $CONSEILLER_RETENTION)"
)

# --- safety net (issue 18) -----------------------------------------------------------
WHAT_DISTRESS = "type de détresse"
CHK_DISTRESS_NO_LINE = "aucun numéro d'aide ne répond à la détresse « {id} » (lines: kinds)"
CHK_BAD_PATTERN = "motif illisible : « {pattern} » (des mots, (a|b), mot*, ..., $ et > seulement)"

# --- conseiller serve: hosts, proxies, kiosk options (hardening §2, served sessions) ---
SERVE_FORBIDDEN = (
    "Adresse non autorisée. Ouvrez conseiller par son adresse locale, ou par celle donnée "
    "avec --public-url."
)
SERVE_BAD_PUBLIC_URL = (
    "Adresse publique « {url} » incomprise : écrivez par exemple https://conseiller.example.org "
    "(http ou https, un nom et éventuellement un port, sans chemin)."
)
SERVE_KIOSK_ONLY = "Les options --stats, --idle et --countdown ne valent qu'avec --kiosk."
SERVE_BAD_PROXY = "Adresse de proxy « {value} » incomprise : écrivez par exemple 127.0.0.1."

# --- kiosk: errors, help and welcome (hardening §1 and §6) -----------------------------
KIOSK_GAVE_UP = (
    "La borne s'est arrêtée après plusieurs erreurs de suite. Le journal {log}, dans le "
    "dossier de données, dit lesquelles (sans rien de personnel)."
)
UI_WELCOME_PRIVACY_KIOSK = (
    "Rien n'est gardé : tout est effacé quand vous touchez « Terminer et effacer », ou après "
    "quelques minutes sans activité. Pour emporter vos pistes, scannez le QR code de la page "
    "des résultats avec votre téléphone (ou recopiez-les)."
)
UI_HELP_KEYS_KIOSK = [
    ("Tab / Maj+Tab", "passer d'un élément à l'autre"),
    ("Flèches haut et bas", "choisir une réponse"),
    ("Entrée", "valider"),
    ("1 à 9", "choisir la réponse numérotée"),
    ("« Modifier »", "changer une réponse déjà donnée"),
    ("« Terminer et effacer »", "tout effacer, pour la personne suivante"),
    ("F1 ou ?", "afficher cette aide"),
    ("F2", "changer les couleurs (contraste élevé)"),
    ("F12", "réservé au personnel"),
]
CLI_SUGGEST = (
    "regrouper les phrases qui se ressemblent et proposer, pour chaque groupe, "
    "le besoin le plus proche"
)
SUGGEST_NEED = "{n} fois — besoin proposé : {need} (« {label} »)"
SUGGEST_NO_NEED = "{n} fois — aucun besoin proche : à lire (un besoin nouveau, ou hors sujet ?)"
SUGGEST_MORE = ("    … et {n} autre", "    … et {n} autres")
SUGGEST_PASTE = "    À ajouter dans content/examples.yaml, sous « needs: » puis « {need}: » :"

# --- kiosk staff PIN and anonymous statistics (hardening §3, §4) ----------------------
KIOSK_PIN_BROKEN = (
    "Le fichier du code du personnel ({path}) est vide ou abîmé : la borne ne pourrait pas "
    "être quittée, elle ne démarre donc pas. Définissez un nouveau code : "
    "conseiller kiosk --set-pin"
)
STATS_FORMATS = "Formats :"
STATS_MONTH = "Mois : {month}"
STATS_BAD_MONTH = "Mois « {value} » incompris : écrivez-le AAAA-MM, par exemple 2026-11."
STATS_MONTHS = "Mois comptés : {months}"

# --- profile contract (issue 12) -----------------------------------------------------
CHK_PROFILE_COUNT = (
    "le champ public « {field} » du profil doit être rempli par une seule "
    "question (profile: {field}) ; ce parcours en a {n}"
)
CHK_PROFILE_KIND = (
    "la question « {id} » ne peut pas remplir « {field} » : role et stade "
    "sont des choix, departement un texte (match: departement), besoins "
    "une confirmation"
)
CHK_PROFILE_UNDECLARED = (
    "la question « {id} » remplit la case publique « {slot} » sans le "
    "déclarer : ajoutez profile: {slot}"
)
CHECKED_LINE = "vérifié le {date} — source : {source}"
UNCHECKED_LINE = "à vérifier — source : {source}"
# What each data file holds, in the messages of conseiller/db.py ("le fichier {what} …").
DB_SESSIONS = "de sessions"
DB_STATS = "de statistiques"
DB_UNMATCHED = "des phrases non comprises"

# --- command-line output and content validation ---------------------------------------
OUT_NEEDS = "Besoins : "
OUT_FORMATS = "Formats :"
OUT_CONTACTS = "Contacts :"
OUT_NOTES = "Notes : "
VAL_EMPTY_CONDITION = "une condition vide ne veut rien dire"
VAL_CONDITION_LIST = "« {key} » attend une liste de conditions"
VAL_NOT_ONE = "« not » attend une condition"
VAL_TEXT_OR_LIST = "« {key} » attend un texte ou une liste de textes"
VAL_NATIONAL_AREAS = "une structure nationale ne liste ni régions ni départements"
VAL_COVERAGE = "indiquez national: true, ou des régions, ou des départements"
VAL_RULE_EMPTY = "une règle doit proposer au moins un format ou un contact"

# --- plain text mode: conseiller plain / texte (issue 16, item 7) ------------------------
PLAIN_WELCOME = (
    "conseiller, en mode texte. Une question à la fois : répondez par un numéro ou par "
    "quelques mots, puis appuyez sur Entrée. Tapez « ? » pour l'aide."
)
PLAIN_HELP = (
    "Aide. À la place d'une réponse, vous pouvez taper :\n"
    "  ? : cette aide ;\n"
    "  retour : revenir à la question précédente (vos réponses sont gardées) ;\n"
    "  je ne sais pas : passer la question ;\n"
    "  quitter : arrêter (rien n'est enregistré).\n"
    "Pour une question à choix, tapez le numéro de la réponse.\n"
    "Pour vos besoins : ok pour accepter ce qui est coché [x], aucun pour n'en garder "
    "aucun, ou les numéros à garder, par exemple 1 3 ; autres pour voir tous les besoins."
)
PLAIN_SKIP_HINT = "Vous pouvez aussi répondre « je ne sais pas »."
PLAIN_REMIND_SKIP = ", ou « je ne sais pas »"
PLAIN_REMIND_CHOICE = "Répondez par un numéro de 1 à {n}{skip}. « ? » pour l'aide."
PLAIN_REMIND_TEXT = "Question : {question} Écrivez votre réponse{skip}. « ? » pour l'aide."
PLAIN_REMIND_CONFIRM = (
    "Tapez ok pour accepter, aucun pour n'en garder aucun, ou les numéros des besoins à "
    "garder, par exemple 1 3."
)
PLAIN_REMIND_CLARIFY = "Répondez par un numéro de 1 à 4. « ? » pour l'aide."
PLAIN_MORE_HINT = "Tapez autres pour voir tous les besoins."
PLAIN_BAD_NUMBERS = "Je n'ai pas compris « {text} » : tapez des numéros de 1 à {n}."
PLAIN_EMPTY = "Écrivez une réponse, puis appuyez sur Entrée."
PLAIN_NOTED = "Réponse notée : {answer}"
PLAIN_URGENCE_TITLE = "IMPORTANT : {title}"
PLAIN_SAVE_ASK = (
    "Enregistrer vos pistes dans {folder} (un fichier texte et une page à imprimer) ? "
    "Répondez oui ou non (non si vous appuyez seulement sur Entrée)."
)
PLAIN_YES_NO = "Répondez oui ou non."
PLAIN_NOT_SAVED = "Rien n'a été enregistré."
PLAIN_BYE = "Au revoir, et bonne route à votre projet !"
PLAIN_EOF = "Fin de la saisie. Au revoir ! Rien n'a été enregistré."
PLAIN_QUIT = "Au revoir ! Rien n'a été enregistré."
PLAIN_INTERRUPTED = "Interrompu. Au revoir ! Rien n'a été enregistré."
PLAIN_CMD_HELP = "la conversation ligne à ligne, en texte seul (lecteur d'écran, SSH, script)"
PLAIN_SAVE_HELP = "écrire la fiche (Markdown et page à imprimer) dans ce dossier, sans le demander"

# --- conseiller web: pages in a browser, phone first (issue 16, web front) ---------------
WEB_SKIP = "Aller au contenu"
WEB_BRAND = "conseiller"
WEB_PRIVACY = (
    "Rien n'est enregistré sur le serveur. L'adresse de chaque page garde vos choix et les "
    "besoins compris, chiffrés ; ce que vous écrivez avec vos mots n'y est jamais mis."
)
WEB_QUESTION_LABEL = "Votre réponse"
WEB_ERROR_PREFIX = "Erreur : "
WEB_ERROR_SUMMARY = "Il y a un problème"
WEB_CHOOSE_ONE = "Choisissez une réponse, ou « Je ne sais pas »."
WEB_TOO_LONG = "Votre texte est trop long : {n} caractères au plus."
WEB_KEEP = "Garder les besoins déjà compris"
WEB_WORDS_NOT_KEPT_FIELD = (
    "Ce que vous aviez écrit n'a pas été gardé. Écrivez à nouveau, ou gardez les besoins "
    "déjà compris."
)
WEB_CHECK_HINT = "Cochez ce qui vous concerne, décochez le reste."
WEB_MORE_NEEDS = "Ajouter un besoin"
WEB_EDIT_HIDDEN = " la réponse à « {question} »"
WEB_YOUR_ANSWERS = "Ce que vous m'avez dit"
WEB_DOWNLOAD = "Télécharger mes pistes (fichier texte)"
WEB_PRINT = "Pour imprimer ou garder un PDF : menu du navigateur, puis « Imprimer » (Ctrl+P)."
WEB_BOOKMARK = (
    "Ajoutez l'adresse de cette page à vos favoris : vous retrouverez vos pistes pendant 90 jours."
)
WEB_FINISH = "Terminer et effacer"
WEB_FINISH_TITLE = "C'est terminé"
WEB_FINISH_TEXT = [
    "Rien de ce que vous avez répondu n'est gardé sur le serveur.",
    "Sur un ordinateur partagé, effacez aussi l'historique du navigateur : Ctrl+Maj+Suppr "
    "dans Firefox, Chrome ou Edge (Cmd+Maj+Suppr sur un Mac), puis « Historique de "
    "navigation » ; dans Safari, menu « Historique », puis « Effacer l'historique ». "
    "Fermez ensuite toutes les fenêtres du navigateur.",
    "La prochaine fois, une fenêtre de navigation privée n'en garde rien.",
]
WEB_BAD_LINK_TITLE = "Ce lien ne fonctionne pas"
WEB_BAD_LINK = (
    "Ce lien a été modifié, il a plus de 90 jours, ou il ne correspond plus au contenu du "
    "conseiller. Vos réponses ne peuvent pas être relues : recommencez, cela prend quelques "
    "minutes."
)
WEB_NOT_FOUND_TITLE = "Page introuvable"
WEB_NOT_FOUND = "Cette page n'existe pas."
WEB_TOO_LARGE_TITLE = "Envoi trop long"
WEB_TOO_LARGE = (
    "Ce que vous avez envoyé est trop long. Revenez en arrière et raccourcissez votre texte "
    "({n} caractères au plus)."
)
WEB_HOME = "Retour à l'accueil"
WEB_MD_WORDS = (
    "Vos mots n'ont pas été gardés : seuls vos choix et les besoins compris figurent ici."
)
WEB_NOT_KEPT = "(vos mots ne sont pas gardés)"
WEB_LISTENING = (
    "conseiller web est servi sur http://{host}:{port} ({n} processus). Sans authentification : "
    "gardez l'adresse locale, ou placez devant un proxy (voir le README)."
)
WEB_PUBLIC = (
    "Attention : {host} n'est pas une adresse locale ; conseiller web n'authentifie personne. "
    "Seules les adresses locales, celle de --host et celle de --public-url sont acceptées."
)
WEB_WORKERS_POSIX = "Plusieurs processus (--workers) demandent Linux, macOS ou un autre Unix."
WEB_CANNOT_LISTEN = "Impossible d'écouter sur {host}:{port} : {reason}"

# --- territory packs: local contacts, CSV import and export (issue 14) -----------------
CLI_LOCAL_HELP = (
    "pack local de contacts (un dossier ; peut être répété ; par défaut : "
    "$CONSEILLER_LOCAL, des dossiers séparés par « : »)"
)
PACK_NO_DIR = "pack local introuvable : {path} (donné par --local ou CONSEILLER_LOCAL)"
PACK_NO_CONTACTS = "le pack local {path} n'a pas de contacts.yaml"
PACK_WHAT = {"contact": "le contact", "format": "le format", "rule": "la règle"}
CHK_PACK_REPLACES = "« {id} » remplace {what} du même identifiant, défini dans {previous}"
CHK_PACK_IGNORED = (
    "ce fichier n'est pas lu : un pack local n'ajoute que des contacts, des formats et des "
    "règles ; le filet de sécurité, les besoins et les territoires restent ceux fournis"
)
COVERAGE_TITLE = "Couverture des contacts locaux, région {region} ({code}) :"
COVERAGE_FULL = "  {name} ({code}) : un contact local pour chaque besoin"
COVERAGE_GAP = "  {name} ({code}) : aucun contact local pour {needs}"
COVERAGE_EMPTY = "  {name} ({code}) : aucun contact local"
COVERAGE_NONE = "Couverture : aucun contact des packs locaux ne vise un département ou une région."
COVERAGE_SUMMARY = (
    "  {n} département sur {total} a au moins un besoin sans contact local.",
    "  {n} départements sur {total} ont au moins un besoin sans contact local.",
)
CSV_CMD_HELP = "contacts d'un pack local : importer un tableur (CSV), l'exporter"
CSV_IMPORT_HELP = "construire (ou mettre à jour) un pack local depuis un fichier CSV"
CSV_FILE_HELP = "le fichier CSV (UTF-8 ou Windows-1252, séparé par « ; » ou « , »)"
CSV_OUT_HELP = "dossier du pack (créé s'il n'existe pas ; son contacts.yaml est remplacé)"
CSV_DRY_RUN_HELP = "montrer ce qui serait écrit, sans rien écrire"
CSV_EXPORT_HELP = "écrire les contacts des packs locaux (--local) en CSV"
CSV_CSV_HELP = "sortie CSV (le seul format, pour l'instant)"
CSV_EXPORT_OUT_HELP = "fichier CSV à écrire (par défaut : la sortie standard)"
CSV_SEP_HELP = "séparateur des colonnes (par défaut « ; », comme un tableur en français)"
#: The column names written by `contacts export` (any of them is read back by `import`).
CSV_HEADERS = {
    "id": "id",
    "name": "nom",
    "kind": "type",
    "description": "description",
    "website": "site",
    "departements": "départements",
    "regions": "régions",
    "needs": "besoins",
    "formats": "formats",
    "delivers": "formats",
    "source": "source",
    "checked_on": "vérifié le",
    "verified": "vérifié",
    "phone": "téléphone",
    "email": "courriel",
}
REP_PHONE = "Téléphone"
REP_EMAIL = "Courriel"
CSV_YES = "oui"
CSV_NO = "non"
CSV_ENCODING = (
    "le fichier n'est ni en UTF-8 ni en Windows-1252 (caractère illisible) : "
    "enregistrez-le en « CSV UTF-8 »"
)
CSV_MIXED = (
    "le fichier mélange UTF-8 et Windows-1252 à partir de cette ligne : "
    "enregistrez-le de nouveau en « CSV UTF-8 »"
)
CSV_UTF16 = (
    "le fichier est en UTF-16 (« texte Unicode ») : enregistrez-le en "
    "« CSV UTF-8 » ou en CSV simple"
)
CSV_EMPTY = "le fichier est vide : la première ligne doit nommer les colonnes"
CSV_NO_SEPARATOR = (
    "séparateur introuvable sur la ligne des titres : séparez les colonnes par « ; » ou par « , »"
)
CSV_COLUMNS = (
    "{n} cellules au lieu de {expected} (un « {sep} » de trop dans une cellule ? "
    "mettez-la entre guillemets)"
)
CSV_UNKNOWN_HEADER = "colonne « {name} » inconnue{hint} ; colonnes possibles : {known}"
CSV_DUPLICATE_HEADER = "colonne « {name} » en double"
CSV_MISSING_COLUMN = "colonne « {name} » manquante"
CSV_EMPTY_CELL = "« {column} » est vide"
CSV_NO_AREA = "ni département ni région : remplissez « départements »"
CSV_BAD_DEPT = "département « {value} » inconnu{hint}"
CSV_CORSICA = " (la Corse : 2A pour la Corse-du-Sud, 2B pour la Haute-Corse)"
CSV_MORE = ("… et {n} autre problème.", "… et {n} autres problèmes.")
CSV_BAD_REGION = "région « {value} » inconnue{hint}"
CSV_BAD_DATE = "date « {value} » incomprise : écrivez-la 27/11/2026 ou 2026-11-27"
CSV_FUTURE_DATE = "date « {value} » dans le futur : il faut la date où l'information a été vérifiée"
CSV_BAD_FLAG = "« {column} » : « {value} » incompris : écrivez oui ou non"
CSV_UNKNOWN_NEED = "besoin « {value} » inconnu{hint}"
CSV_UNKNOWN_FORMAT = "format « {value} » inconnu{hint}"
CSV_UNKNOWN_KIND = "type « {value} » inconnu{hint} ; types possibles : {known}"
CSV_BAD_ID = (
    "identifiant « {value} » incorrect : des minuscules sans accent, des chiffres et des tirets"
)
CSV_NO_ID = "impossible de tirer un identifiant du nom « {value} » : ajoutez une colonne « id »"
CSV_DUPLICATE_ID = (
    "identifiant « {id} » déjà pris ligne {line} (deux lignes au même nom ? "
    "ajoutez une colonne « id »)"
)
CSV_BAD_SITE = "site « {value} » incorrect : écrivez une adresse en https://…"
CSV_BAD_EMAIL = "courriel « {value} » incorrect"
CSV_CONTROL = "« {column} » contient un caractère de contrôle"
CSV_FIELD = "« {column} » : {reason}"
CSV_NO_ROWS = "aucun contact : le fichier n'a que la ligne des titres"
CSV_UNREADABLE = "lecture impossible : {reason}"
CSV_NOTHING_WRITTEN = "Rien n'a été écrit."
CSV_REPLACES_SHIPPED = (
    "{path}:{line}: attention : « {id} » remplacera le contact fourni du même identifiant"
)
CSV_DRY_RUN = "Essai : rien n'est écrit. Voici {path} tel qu'il serait :"
CSV_WRITTEN = "{path} : {n} ; {added}, {updated} mis à jour, {same}, {removed}."
CSV_CONTACTS = ("{n} contact", "{n} contacts")
CSV_ADDED = ("{n} ajouté", "{n} ajoutés")
CSV_SAME = ("{n} inchangé", "{n} inchangés")
CSV_REMOVED = ("{n} retiré", "{n} retirés")
CSV_NEXT = "Pour vérifier le pack : conseiller check --local {dir}"
CSV_EXPORT_NO_LOCAL = (
    "Précisez le pack à exporter : conseiller contacts export --local DOSSIER --csv"
)
CSV_EXPORTED = ("{n} contact écrit dans {path}", "{n} contacts écrits dans {path}")
CSV_YAML_HEADER = (
    "# Contacts locaux, importés de {source} le {date} par « conseiller contacts import ».\n"
    "# Pour les changer : modifiez le tableur, puis importez-le de nouveau (les identifiants\n"
    "# restent les mêmes). N'inventez jamais un téléphone, un courriel, une adresse ou une\n"
    "# personne : laissez la cellule vide.\n"
)
ADV_NOTES_ALERT = (
    "Vos notes parlent peut-être d'une détresse. Si c'est le cas, vous pouvez "
    "proposer ces numéros à la personne : {lines}."
)

# --- the command line's own words (argparse), in French -------------------------------
CLI_THEME = "thème des couleurs : defaut ou contraste-eleve"
CLI_VERSION = "afficher la version de conseiller et quitter"
ARGPARSE: dict[str, str] = {
    "usage: ": "utilisation : ",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "options": "options",
    "optional arguments": "options",
    "positional arguments": "arguments",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix inconnu : %(value)r (choisissez parmi %(choices)s)"
    ),
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un de ces arguments est obligatoire : %s",
    "ignored explicit argument %r": "valeur ignorée : %r",
}
CLI_HOST = "adresse d'écoute (locale par défaut)"
CLI_PORT = "port d'écoute"
CLI_PUBLIC_URL = "adresse publique derrière un proxy, par exemple https://conseiller.example.org"
CLI_TRUSTED_PROXY = "adresse (ou réseau) du proxy dont on croit les en-têtes X-Forwarded-*"

# --- advice (issue 13: reasons as sentences, voices, glossary) --------------------------
ADV_WHY_REGION_ENTRY = "C'est la porte d'entrée de l'ESS dans votre région ({region})."
ADV_WHY_REGION = "Agit dans votre région ({region})."
ADV_WHY_DEPT = "Agit dans votre département ({departement})."
ADV_WHY_NEEDS = "À contacter pour : {needs}."
ADV_WHY_FORMATS = "Utile pour {formats}."
ADV_AND = " et "
ADV_WHY_ORIENT = (
    "Pour ce que vous avez décrit, un premier rendez-vous aide à trouver le bon appui "
    "près de chez vous."
)
ADV_CHK_ONE_VOICE = (
    "la règle « {id} » peut parler à plusieurs rôles ({roles}) : écrivez why avec une phrase "
    "par rôle (why: {{porteur: …, collectivite: …, accompagnateur: …}})"
)
ADV_CHK_MISSING_VOICE = "la règle « {id} » n'a pas de raison pour : {missing} (why)"
ADV_CHK_UNUSED_VOICE = (
    "la règle « {id} » ne parle jamais à « {role} » : cette voix n'est jamais dite"
)
ADV_CHK_HOLDER_WORDS = (
    "la règle « {id} » dit à « {role} » des mots de porteur de projet (« avant de vous lancer »…)"
)
ADV_CHK_FACT_UNTESTED = (
    "la règle « {id} » parle de « {fact} », mais sa condition ne teste pas {slots} : "
    "la personne ne l'a peut-être pas dit"
)
ADV_CHK_FACT_ASSUMED = (
    "la règle « {id} » affirme « {fact} » alors qu'elle s'applique aussi quand {slots} est "
    "inconnu : dites-le au conditionnel (« si … ») ou testez la réponse"
)
ADV_CHK_FORMAT_VOICE = (
    "le format « {id} » peut être montré à « {role} », mais ses textes parlent à « {voice} » : "
    "ajoutez voices: {{{role}: {{summary: …, description: …}}}}"
)
ADV_CHK_FORMAT_UNSHOWN = (
    "le format « {id} » est prévu pour « {role} », mais aucune règle ne le lui propose"
)
ADV_CHK_UNUSED_FORMAT_VOICE = "le format « {id} » a une voix « {role} » que roles n'autorise pas"
ADV_CHK_UNSURE_SLOT = "le format « {id} » : unsure nomme « {slot} », que sa condition ne teste pas"
ADV_CHK_UNSURE_NOT_CONDITIONAL = (
    "le format « {id} » : la phrase unsure pour « {slot} » doit être au conditionnel (« si … »)"
)
ADV_CHK_UNDEFINED_ACRONYM = (
    "le sigle « {acronym} » n'est pas expliqué dans glossary.yaml : ajoutez-le (term, full, "
    "definition) pour que la personne le comprenne"
)
ADV_CHK_DEFAULT = (
    "la question « {id} » remplit {field} avec « {value} » quand la personne ne sait pas : "
    "enlevez default, les règles traitent la réponse inconnue"
)
ADV_REP_GLOSSARY = "Les mots à connaître"

# --- PostgreSQL, sites, stats --by and --html (issue 17) ---------------------------------
DB_URL_UNKNOWN = (
    "Adresse de base « {url} » incomprise : donnez un chemin de fichier, "
    "sqlite:///chemin/relatif, sqlite:////chemin/absolu ou "
    "postgresql://utilisateur@serveur:port/base."
)
DB_URL_CREDENTIAL = (
    "L'adresse de la base contient un mot de passe : il serait visible de tous dans la liste "
    "des processus (ps). Enlevez-le de l'adresse et donnez-le à PostgreSQL autrement : le "
    "fichier ~/.pgpass (ou celui que nomme PGPASSFILE), la variable PGPASSWORD, ou un "
    "fichier de service (PGSERVICEFILE, puis postgresql:///?service=nom)."
)
SITE_BAD = (
    "Nom de site « {value} » refusé : de 1 à {max} caractères, lettres, chiffres, espaces "
    "et - _ . ' ( ) / seulement."
)
CLI_DB = (
    "base des sessions, des statistiques et des phrases non comprises : un fichier SQLite "
    "(chemin, sqlite:///relatif, sqlite:////absolu) ou postgresql://utilisateur@serveur/base, "
    "sans mot de passe (par défaut : $CONSEILLER_DB, sinon les fichiers du dossier de données)"
)
CLI_SITE = "nom de ce site (borne ou poste), gardé avec les sessions et les statistiques"
DB_PG_MISSING = (
    'Pour utiliser PostgreSQL ({where}), installez son pilote : pip install "conseiller[postgres]".'
)
DB_PG_UNREACHABLE = (
    "Le serveur PostgreSQL ({where}) ne répond pas : la base {what} n'est pas joignable et "
    "rien n'a été enregistré à ce moment-là. Réessayez quand le serveur est revenu (ou "
    "prévenez la personne qui s'en occupe)."
)
DB_PG_AUTH = (
    "PostgreSQL ({where}) refuse la connexion : utilisateur inconnu ou mot de passe refusé. "
    "Le mot de passe se donne par ~/.pgpass (ou PGPASSFILE), PGPASSWORD ou un fichier de "
    "service, jamais dans l'adresse."
)
DB_PG_RIGHTS = (
    "PostgreSQL ({where}) : cet utilisateur n'a pas le droit d'utiliser la base {what} ; "
    "rien n'a été enregistré. Demandez les droits à la personne qui gère le serveur."
)
DB_PG_FAILED = (
    "PostgreSQL ({where}) a refusé l'opération sur la base {what} (code {code}) : rien "
    "n'a été enregistré. Réessayez ; si cela revient, prévenez la personne qui gère le "
    "serveur."
)
DB_NOT_READY = (
    "La base {what} ({where}) n'est pas prête pour cette version de conseiller (format "
    "{found}, il faut le format {known}). Lancez une fois : conseiller db upgrade --db {where}"
)
DB_TOO_NEW = (
    "La base {what} ({where}) vient d'une version plus récente de conseiller (format {found}, "
    "lisible à partir de la version {oldest} ; celle-ci connaît le format {known}). Mettez "
    "conseiller à jour ; rien n'a été modifié."
)
DB_BAD_VERSION = "version de la base illisible ({reason})"
DB_UPGRADE_HELP = "créer ou mettre à jour les tables d'une base (PostgreSQL ou SQLite)"
DB_CMD_HELP = "la base des sessions et des statistiques (PostgreSQL ou SQLite)"
DB_UPGRADED = "Base {where} : {what}, format {old} → {new}."
DB_UP_TO_DATE = "Base {where} : {what}, déjà au format {new}."
DB_STATUS = (
    "Base {where} : {what}, format {found}, lisible à partir de la version {oldest} "
    "(cette version de conseiller : format {known})."
)
DB_STATUS_HELP = "dire à quel format sont les tables, sans rien changer"

# --- contacts: what an organisation does, who it serves, errors (issue 13) ---------------
# What a contact does for the person: it delivers, it points to its local members, it informs.
CONTACT_DELIVERS = "Vous accompagne"
CONTACT_POINTS_TO = "Trouvez la structure près de chez vous"
CONTACT_INFORMS = "Pour s'informer"
CONTACT_DIRECTORY = "la liste"
REPORT_ERROR = "Signaler une erreur"
REPORT_ERROR_LINE = "Signaler une erreur : {to}"
CHK_KIND_DELIVERS = (
    "« {id} » est {kind} : cette sorte de structure n'assure pas elle-même « {format} ». "
    "Écrivez-le dans points_to (ses membres locaux l'assurent) ou informs (elle informe "
    "seulement)"
)
CHK_KIND_UNKNOWN = "sorte de structure « {kind} » sans règle dans `kinds`"
CHK_LEGACY_FORMATS = (
    "« {id} » : `formats` est l'ancien nom de `delivers` (lu comme « vous accompagne »). "
    "Si la structure oriente vers ses membres ou informe seulement, écrivez points_to ou informs"
)
CHK_SOURCE_NOT_PAGE = (
    "« {id} » : la source « {part} » n'est pas l'adresse d'une page (https://…) ; "
    "donnez les pages lues, séparées par « ; »"
)
CHK_RULE_ROLE_NOT_SERVED = (
    "la règle « {rule} » propose « {contact} » quand {slot} = {wanted}, mais ce contact ne sert "
    "que : {served}"
)
CHK_RULE_ROLE_PARTLY = (
    "la règle « {rule} » propose « {contact} » quand {slot} = {wanted} ; ce contact ne sert "
    "pas : {missing} (il ne leur sera pas montré)"
)
CHK_ENTRY_NARROW = (
    "« {id} » est la porte d'entrée de sa région (regional_entry) mais ne sert que certains "
    "rôles ou stades : une commune ou une structure installée n'aurait alors aucune entrée "
    "régionale. Laissez roles et stages vides"
)
CHK_REPORT_TO_UNSET = (
    "report_to est vide : personne ne sait où signaler un contact faux. Mettez l'adresse "
    "d'une page (https://…) ou un courriel de la structure qui propose conseiller"
)
# conseiller check --links
LINKS_HELP = (
    "vérifier aussi que le site de chaque contact répond (il faut le réseau) ; code 3 sans réseau"
)
LINKS_CHECKING = "Vérification de {n} sites web (délai {timeout} s par site)…"
LINKS_OK = "Tous les sites répondent ({n})."
LINKS_DEAD_TITLE = ("{n} site ne répond pas :", "{n} sites ne répondent pas :")
LINKS_DEAD = "- {id} ({name}) : {url} — {reason}"
LINKS_STATUS = "réponse {status}"
LINKS_TIMEOUT = "pas de réponse en {timeout} s"
LINKS_UNREACHABLE = "injoignable ({reason})"
LINKS_REDIRECT = "trop de redirections"
LINKS_NO_NETWORK = (
    "Pas de réseau, semble-t-il : aucun serveur n'a répondu, les sites n'ont donc pas été "
    "vérifiés. Relancez « conseiller check --links » une fois connecté."
)

# --- tui (issue 15: states without colour, small screens, jargon, paged QR codes) -------
TUI_KEY_TICK = "Cocher"
TUI_HELP_TICK = ("Espace", "cocher ou décocher un besoin ([x] : coché, [\u00a0] : non coché)")
TUI_ACRONYM_HINT = "F1 ou ? : le sens des sigles"
TUI_GLOSSARY_TITLE = "Les mots et les sigles"
TUI_QR_PAGE = "{i}/{n} → {title}"
TUI_QR_SUMMARY = "Le résumé complet de vos pistes"
TUI_QR_SITE = "Visez le code : votre téléphone propose d'ouvrir ce site."
TUI_QR_PREVIOUS = "← Précédent"
TUI_QR_NEXT = "Suivant →"
TUI_QR_NONE = "Aucun contact n'a de site : le résumé est écrit sur la page des résultats."
TUI_QR_INLINE_SMALL = (
    "Le code du résumé est trop large pour cet écran : « QR code en grand » montre un code "
    "par site, à scanner l'un après l'autre."
)
STATS_BY_HELP = (
    "regrouper les visites par site ou par mois, ou compter par département ou par besoin "
    "(tous les sites réunis)"
)
STATS_HTML_HELP = "écrire le rapport territorial d'une page (HTML avec graphiques, à imprimer)"
STATS_BY_TITLE = {
    "site": "Visites terminées, par site :",
    "month": "Visites terminées, par mois :",
    "departement": "Visites terminées, par département :",
    "need": "Besoins choisis, par besoin :",
}
STATS_BY_RULE = "Nombres arrondis à {k} près ; ceux sous {k} sont cachés (« <{k} »)."
STATS_NO_SITE = "(sans nom de site)"
STATS_HTML_WRITTEN = "Rapport écrit : {path}"
REPORT_TITLE = "Les besoins exprimés sur le territoire"
REPORT_PERIOD = "Mois comptés : {months}."
REPORT_SITES = "Sites : {sites}."
REPORT_VISITS = "Visites terminées : {n}."
REPORT_MADE = "Rapport établi le {day} par conseiller, à partir de comptes anonymes."
REPORT_RULE = (
    "Seuls des compteurs sont gardés, jamais une ligne par personne. Les nombres sont "
    "arrondis à 5 près ; ceux sous {k} sont cachés (« <{k} »), pour que personne ne puisse "
    "être reconnu."
)
REPORT_H_MONTHS = "Mois par mois"
REPORT_F_VISITS = "Visites terminées, par mois"
REPORT_D_VISITS = "Nombre de visites arrivées jusqu'aux pistes proposées, pour chaque mois."
REPORT_F_NEEDS_MONTHS = "Besoins choisis, mois par mois"
REPORT_D_NEEDS_MONTHS = (
    "Pour chaque besoin (en lignes) et chaque mois (en colonnes), le nombre de visites qui "
    "l'ont choisi ; un point seul veut dire moins de 5."
)
REPORT_H_NEEDS = "Les besoins"
REPORT_F_NEEDS = "Besoins choisis, sur toute la période"
REPORT_D_NEEDS = (
    "Nombre de visites qui ont choisi chaque besoin, du plus fréquent au moins fréquent."
)
REPORT_H_DEPS = "Les départements"
REPORT_F_DEPS = "Visites par département du projet"
REPORT_D_DEPS = "Nombre de visites pour chaque département où se trouve le projet."
REPORT_NO_DEP = "Département non donné"
REPORT_H_FORMATS = "Les formats d'accompagnement proposés"
REPORT_F_FORMATS = "Formats proposés, sur toute la période"
REPORT_D_FORMATS = "Nombre de visites auxquelles chaque format d'accompagnement a été proposé."
REPORT_H_THEMES = "Ce que le conseiller n'a pas compris"
REPORT_THEMES_NOTE = (
    "Les phrases non comprises (gardées seulement là où le journal est activé) ne sont jamais "
    "montrées : elles sont regroupées par thème, le besoin le plus proche, et un thème n'apparaît "
    "que s'il revient au moins {k} fois. Depuis le début du journal."
)
REPORT_F_THEMES = "Thèmes des demandes non comprises"
REPORT_D_THEMES = "Nombre de phrases non comprises, regroupées par le besoin le plus proche."
REPORT_THEME_OTHER = "Sans besoin proche"
REPORT_NO_THEMES = "Aucun thème ne revient au moins {k} fois."
REPORT_TABLE = "Les mêmes nombres en tableau"
REPORT_COUNT = "Nombre"
REPORT_MONTH = "Mois"
REPORT_NEED = "Besoin"
REPORT_DEP = "Département"
REPORT_THEME = "Thème"
REPORT_NOTHING = "Aucun nombre n'atteint {k}."
REPORT_HIDDEN = "{n} autres : moins de {k} (ou aucun), non détaillés."
REPORT_HIDDEN_ONE = "1 autre : moins de {k} (ou aucun), non détaillé."
#: Month names for the territorial report (« juin 2026 »).
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
REPORT_FOOT = (
    "Document établi pour la feuille de route du territoire. Il ne contient aucune donnée "
    "personnelle : seulement des compteurs arrondis."
)
KIOSK_STATS_UNAVAILABLE = (
    "Attention : les statistiques ne peuvent pas être comptées pour l'instant ({reason}) "
    "La borne démarre quand même ; les visites ne seront comptées qu'une fois la base "
    "revenue."
)
DB_PG_NO_DATABASE = (
    "Le serveur PostgreSQL répond, mais la base de l'adresse {where} n'existe pas. Vérifiez "
    "son nom dans l'adresse, ou créez-la (createdb), puis lancez conseiller db upgrade."
)
REPORT_F_NEEDS_DEPS = "Besoins choisis, département par département"
REPORT_D_NEEDS_DEPS = (
    "Pour chaque besoin (en lignes) et chacun des départements qui comptent au moins 5 visites "
    "(en colonnes, par numéro), le nombre de visites qui l'ont choisi ; un point seul veut dire "
    "moins de 5."
)

# --- advice2 (issue 13 follow-ups: contacts that fit, reasons said once) -------------------
ADV_CHK_CONTACT_BY_LIST = (
    "le contact « {id} » est proposé pour {needs} par sa seule liste needs, quels que soient "
    "le rôle, le stade ou la situation, alors que des règles décident pour ce besoin : "
    "nommez-le dans les règles de ce besoin qui lui conviennent (contacts), ou retirez ce "
    "besoin de sa liste, ou donnez-lui une condition (when)"
)
ADV_WHY_SAME = "Pour la même raison que {titles}, plus haut."
ADV_WHY_SAME_MANY = "Pour les mêmes raisons que {titles}, plus haut."
DB_PG_BUSY = (
    "La base {what} ({where}) est occupée par un autre poste depuis trop longtemps : rien "
    "n'a été enregistré. Réessayez dans un instant."
)

# --- language (needs.yaml `language:`) ---------------------------------------------------

VAL_NOT_FOLDED = (
    "« {value} » : écrire sans accents, sans majuscules ni ponctuation, les mots séparés par "
    "une espace (comme « je sais pas »)"
)
VAL_NOT_ONE_WORD = "« {value} » : un seul mot ici"
CHK_DUPLICATE_WORD = "mot « {word} » en double (déjà écrit ligne {line})"

# --- review: small fixes found by using the fronts ----------------------------------------
REVIEW_KEY_SCROLL = "Faire défiler"
REVIEW_NO_SESSION = (
    "Aucune session enregistrée pour l'instant. « Nouvelle session » pour commencer."
)

# --- review5: more small fixes found by using the fronts ----------------------------------
#: The web results page speaks to the person (« Vos pistes », « Ce qui peut vous aider ») ;
#: REP_NEEDS (« Mes besoins ») is the take-away's first person.
REVIEW5_YOUR_NEEDS = "Vos besoins"
#: Under « Qui contacter » when the person did not give the département (« je ne sais pas »).
REVIEW5_NO_DEPARTEMENT = (
    "Le département n'a pas été indiqué : ces contacts sont nationaux. En l'indiquant, vous "
    "verrez aussi ceux de votre région et, s'il y en a, de votre département."
)
#: The kiosk's staff exit, once the wait after a wrong code is over.
REVIEW5_PIN_AGAIN = "Code incorrect. Vous pouvez réessayer."
#: Web: buttons under a département name not understood, one per close département.
REVIEW5_DEPT_PICK = "Ou choisissez ici :"
