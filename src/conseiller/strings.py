"""Every French sentence the program itself writes (content text lives in content/)."""

from __future__ import annotations

# --- loading content -------------------------------------------------------------------
LOAD_TOO_BIG = "fichier trop gros (plus de 2 Mo) : il n'est pas lu"
LOAD_NOT_UTF8 = "le fichier n'est pas en UTF-8"
LOAD_UNREADABLE = "impossible de lire le fichier : {reason}"
LOAD_EMPTY = "le fichier est vide"
LOAD_ALIAS_BOMB = "trop d'éléments une fois les alias YAML dépliés : fichier refusé"
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
CHK_SUMMARY = "{errors} erreur(s), {warnings} avertissement(s)."
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
REP_OWN_WORDS = "Ses besoins, dans ses mots"
REP_NOTES = "Notes du conseiller (privées)"
REP_HANDOFF_TITLE = "Fiche de liaison"
REP_SCOPE = {"national": "France entière", "regional": "Votre région",
             "departemental": "Votre département"}

# --- terminal interface ----------------------------------------------------------------
UI_TITLE = "conseiller"
UI_SUBTITLE = "Trouver un appui pour votre projet d'ESS"
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
UI_ADD_NEED = "Ajouter un besoin"
UI_PROGRESS = "Question {n} sur environ {total}"
UI_UNDERSTOOD = "J'ai compris : {needs}. C'est bien ça ?"
UI_UNDERSTOOD_NONE = "Je n'ai pas bien compris. Choisissez ce qui vous parle dans la liste :"
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
SESSIONS_PURGED = "{n} session(s) supprimée(s)."
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
ADV_PURGED = "{n} session(s) de plus de {retention} effacée(s)."
ADV_QUIT_KEPT = (
    "Les réponses de cette session sont gardées : vous la retrouverez dans la liste des "
    "sessions."
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
STORE_GONE = ("La session {id} n'existe plus dans {path} (supprimée ailleurs ?) : "
              "rien n'a été écrit.")
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
SESSIONS_PURGE_WOULD = "{n} session(s) seraient supprimées :"
SESSIONS_PURGE_ALL_ASK = "Cela supprime TOUTES les sessions ({n}). Continuer ? [o/N] "
SESSIONS_PURGE_ALL_REFUSED = (
    "Cela supprimerait toutes les sessions ({n}) : relancez avec --yes pour confirmer, "
    "ou avec --dry-run pour voir la liste."
)
SESSIONS_PURGE_CANCELLED = "Rien n'a été supprimé."
SESSIONS_FILES_LEFT = (
    "Ces fichiers exportés n'ont pas pu être effacés ; supprimez-les à la main :\n{paths}"
)
SESSIONS_EXPIRED = "{n} session(s) de plus de {days} jours supprimée(s) (durée de conservation)."
CLI_RETENTION = (
    "durée de conservation des sessions, purgées au démarrage (par défaut : 1y ; "
    "aussi $CONSEILLER_RETENTION)"
)

# --- safety net (issue 18) -----------------------------------------------------------
WHAT_DISTRESS = "type de détresse"
CHK_DISTRESS_NO_LINE = "aucun numéro d'aide ne répond à la détresse « {id} » (lines: kinds)"
CHK_BAD_PATTERN = ("motif illisible : « {pattern} » (des mots, (a|b), mot*, ..., $ et > "
                   "seulement)")

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
CLI_SUGGEST = ("regrouper les phrases qui se ressemblent et proposer, pour chaque groupe, "
               "le besoin le plus proche")
SUGGEST_NEED = "{n} fois — besoin proposé : {need} (« {label} »)"
SUGGEST_NO_NEED = "{n} fois — aucun besoin proche : à lire (un besoin nouveau, ou hors sujet ?)"
SUGGEST_MORE = "    … et {n} autre(s)"
SUGGEST_PASTE = "    À ajouter dans content/needs.yaml, besoin {need}, sous « phrases » :"

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
CHK_PROFILE_COUNT = ("le champ public « {field} » du profil doit être rempli par une seule "
                     "question (profile: {field}) ; ce parcours en a {n}")
CHK_PROFILE_KIND = ("la question « {id} » ne peut pas remplir « {field} » : role et stade "
                    "sont des choix, departement un texte (match: departement), besoins "
                    "une confirmation")
CHK_PROFILE_UNDECLARED = ("la question « {id} » remplit la case publique « {slot} » sans le "
                          "déclarer : ajoutez profile: {slot}")
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
