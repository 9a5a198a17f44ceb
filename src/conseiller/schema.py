"""Pydantic models of every YAML file: the content format *is* these models."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

from conseiller import strings

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=60)]
SlotName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)]
Text = Annotated[str, Field(min_length=1)]
Stage = Literal["idee", "creation", "developpement"]
Role = Literal["porteur", "collectivite", "accompagnateur"]
Voice = Literal["porteur", "collectivite", "accompagnateur", "tous"]
ContactKind = Literal[
    "reseau",
    "tete-de-reseau",
    "entree-regionale",
    "annuaire",
    "financeur",
    "foncier",
    "service-public",
    "ressource",
]

ProfileField = Literal["role", "stade", "departement", "besoins"]

STAGES: tuple[str, ...] = get_args(Stage)
ROLES: tuple[str, ...] = get_args(Role)
PUBLIC_SLOTS: tuple[str, ...] = get_args(ProfileField)
COMBINATORS: tuple[str, ...] = ("any", "all", "not")


def _is_values(sub: object) -> bool:
    """A text, a boolean, or a list of texts."""
    if isinstance(sub, list):
        return all(isinstance(s, str) for s in sub)
    return isinstance(sub, bool | str)


def _check_condition(value: dict[str, Any]) -> dict[str, Any]:
    """Check the shape of a `when` condition; evaluation lives in conditions.py."""
    if not value:
        raise ValueError(strings.VAL_EMPTY_CONDITION)
    for key, sub in value.items():
        if key in ("any", "all"):
            if not isinstance(sub, list) or not all(isinstance(s, dict) for s in sub):
                raise ValueError(strings.VAL_CONDITION_LIST.format(key=key))
            for s in sub:
                _check_condition(s)
        elif key == "not":
            if not isinstance(sub, dict):
                raise ValueError(strings.VAL_NOT_ONE)
            _check_condition(sub)
        elif not _is_values(sub):
            raise ValueError(strings.VAL_TEXT_OR_LIST.format(key=key))
    return value


Condition = TypeAliasType(
    "Condition",
    "dict[str, str | bool | list[str] | Condition | list[Condition]]",
)
When = Annotated[Condition, AfterValidator(_check_condition)]


class Model(BaseModel):
    """Base of all content models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- needs -----------------------------------------------------------------------------


class Vocabulary(Model):
    """How people talk about a need; the matcher learns from these lists."""

    words: list[Text] = Field(description="Mots-clés forts, propres à ce besoin.")
    synonyms: list[Text] = Field(
        default_factory=list, description="Synonymes, formes familières et SMS."
    )
    phrases: list[Text] = Field(
        default_factory=list, description="Phrases d'exemple, comme les gens les disent."
    )
    english: list[Text] = Field(
        default_factory=list, description="Mots et phrases en anglais, pour qui écrit en anglais."
    )


class Need(Model):
    """A difficulty a project holder can have (ids are a stable public API)."""

    id: Id = Field(description="Identifiant stable (voir reference/needs.md).")
    label: Text = Field(description="Nom court montré à la personne.")
    description: Text = Field(description="Une phrase simple qui explique le besoin.")
    vocabulary: Vocabulary = Field(description="Les mots pour le reconnaître.")


def _folded(value: str) -> str:
    """One or more words as the normaliser writes them: lower case, no accents, one space."""
    if not _FOLDED_WORDS.fullmatch(value):
        raise ValueError(strings.VAL_NOT_FOLDED.format(value=value))
    return value


def _one_word(value: str) -> str:
    if " " in value:
        raise ValueError(strings.VAL_NOT_ONE_WORD.format(value=value))
    return value


_FOLDED_WORDS = re.compile(r"[a-z0-9]+( [a-z0-9]+)*")
FoldedWords = Annotated[str, AfterValidator(_folded)]
FoldedWord = Annotated[str, AfterValidator(_folded), AfterValidator(_one_word)]


class Language(Model):
    """Words that tell a request from small talk, for the matcher (folded: no accents)."""

    request_cues: list[str] = Field(
        default_factory=list,
        description=(
            "Mots d'une demande ou d'un problème (cherche, besoin, comment, manque…) ; "
            "« mot* » pour toutes les fins."
        ),
    )
    narrative_cues: list[str] = Field(
        default_factory=list,
        description=(
            "Mots d'un récit du quotidien (hier, samedi, ma fille, j'ai vu…) : sans demande, "
            "une phrase qui en contient n'est pas comprise comme un besoin."
        ),
    )
    difficulty_cues: list[str] = Field(
        default_factory=list,
        description=(
            "Mots d'une difficulté racontée sans demande (plus personne pour, on n'y arrive "
            "plus, trop de…) : un récit qui en contient est lu comme un besoin si ses mots "
            "en désignent un ; « mot* » pour toutes les fins."
        ),
    )
    sms: dict[FoldedWord, FoldedWords] | None = Field(
        default=None,
        description=(
            "Écritures SMS et familières : la forme, sans accents ni majuscules, et ce "
            "qu'elle veut dire, qui remplace le mot entier (jsp: je sais pas). Absent : les "
            "formes du contenu fourni ; {} : aucune."
        ),
    )
    stop_words: list[FoldedWord] | None = Field(
        default=None,
        description=(
            "Mots vides, qui ne disent aucun besoin à eux seuls (de, pour, projet…), sans "
            "accents ni majuscules, chacun une fois. Absent : ceux du contenu fourni ; [] : "
            "aucun (les mots de moins de trois lettres sont toujours laissés de côté)."
        ),
    )
    negation_words: list[FoldedWord] | None = Field(
        default=None,
        description=(
            "Mots qui, juste avant une phrase d'alerte du filet de sécurité, la nient (« je "
            "n'ai pas envie de… ») : l'alerte ne se déclenche pas. Sans accents ni majuscules, "
            "chacun une fois. Absent : ceux du contenu fourni ; [] : aucun."
        ),
    )
    everyday: list[Text] = Field(
        default_factory=list,
        description=(
            "Phrases du quotidien qui ne demandent rien (« mon voisin a repeint sa grange ») : "
            "la lecture apprise du conseiller y apprend ce qu'est « rien de demandé »."
        ),
    )


class NeedsFile(Model):
    """content/needs.yaml."""

    language: Language = Field(default_factory=Language)
    needs: list[Need] = Field(min_length=1)


# --- formats ---------------------------------------------------------------------------


class FormatVoice(Model):
    """A format's texts said to one role (an empty field keeps the base text)."""

    summary: Text = Field(description="Une phrase : ce que c'est, pour ce rôle.")
    description: Text = Field(description="Comment ça se passe, pour ce rôle.")
    suits: str = Field(default="", description="Pour qui c'est fait (vide : le texte de base).")
    expect: str = Field(default="", description="À quoi s'attendre (vide : le texte de base).")


class Format(Model):
    """A support format the advisor can recommend."""

    id: Id = Field(description="Identifiant stable du format.")
    title: Text = Field(description="Nom du format, en clair.")
    summary: Text = Field(description="Une phrase : ce que c'est.")
    description: Text = Field(description="Quelques phrases simples : comment ça se passe.")
    suits: Text = Field(description="Pour qui c'est fait.")
    expect: str = Field(default="", description="À quoi s'attendre : durée, coût si connu.")
    stages: list[Stage] = Field(min_length=1, description="Stades de projet concernés.")
    roles: list[Role] = Field(min_length=1, description="Rôles concernés.")
    when: When | None = Field(default=None, description="Condition supplémentaire sur le profil.")
    voice: Voice = Field(
        default="porteur",
        description=(
            "À qui parlent summary et description : un rôle, ou « tous » si les mêmes mots "
            "conviennent à chaque rôle de `roles`."
        ),
    )
    voices: dict[Role, FormatVoice] = Field(
        default_factory=dict,
        description=(
            "Les mêmes textes dits à un autre rôle (summary, description ; suits et expect si "
            "besoin). `conseiller check` demande une voix pour chaque rôle de `roles`."
        ),
    )
    unsure: dict[SlotName, Text] = Field(
        default_factory=dict,
        description=(
            "Quand la personne n'a pas répondu à une case testée par `when` : le format est "
            "quand même proposé, avec cette phrase au conditionnel (« si votre structure a au "
            "moins un salarié… »)."
        ),
    )

    def for_role(self, role: str | None) -> Format:
        """The format as shown to this role (its own voice, or the base texts)."""
        wanted = role if role in ROLES else "porteur"
        for key, voice in self.voices.items():
            if key == wanted:
                update = {k: v for k, v in voice.model_dump().items() if v}
                return self.model_copy(update=update)
        return self


class FormatsFile(Model):
    """content/formats.yaml."""

    formats: list[Format] = Field(min_length=1)


# --- contacts --------------------------------------------------------------------------


class Coverage(Model):
    """Where a contact works: the whole country, some régions or some départements."""

    national: bool = Field(
        default=False, description="Vrai si la structure couvre toute la France."
    )
    regions: list[str] = Field(default_factory=list, description="Codes INSEE des régions.")
    departements: list[str] = Field(
        default_factory=list, description="Codes INSEE des départements."
    )

    @model_validator(mode="after")
    def _one_scope(self) -> Coverage:
        if self.national and (self.regions or self.departements):
            raise ValueError(strings.VAL_NATIONAL_AREAS)
        if not self.national and not self.regions and not self.departements:
            raise ValueError(strings.VAL_COVERAGE)
        return self


class PointsTo(Model):
    """Formats the organisation's local members deliver, and the page that lists them."""

    formats: list[Id] = Field(
        min_length=1, description="Formats assurés par ses membres locaux, pas par elle-même."
    )
    directory: str | None = Field(
        default=None,
        pattern=r"^https://[^\s]+$",
        description=(
            "La page qui liste ses membres près de chez soi (https://…), si elle a été lue ; "
            "sinon le site de la structure est montré."
        ),
    )


class Contact(Model):
    """An organisation to contact; every fact carries its source and check date.

    What it does for a format is one of three: it *delivers* it itself (« vous accompagne »),
    it *points to* local members who deliver it (« trouvez la structure près de chez vous »,
    with the page that lists them), or it only *informs* on a need (« pour s'informer »).
    """

    id: Id = Field(description="Identifiant stable du contact (les packs remplacent par id).")
    name: Text = Field(description="Nom de la structure.")
    kind: ContactKind = Field(
        description=(
            "Type de structure. Une tête de réseau, un annuaire ou une ressource n'assure "
            "pas d'accompagnement elle-même (voir `kinds` en tête de contacts.yaml)."
        )
    )
    description: Text = Field(description="Ce qu'elle fait pour la personne, en clair.")
    website: str | None = Field(
        default=None,
        pattern=r"^https://[^\s]+$",
        description="Site web (https://…), s'il est vérifié.",
    )
    phone: str | None = Field(default=None, description="Téléphone, seulement s'il est vérifié.")
    email: str | None = Field(default=None, description="Courriel, seulement s'il est vérifié.")
    coverage: Coverage = Field(description="Territoire couvert (où elle agit vraiment).")
    regional_entry: bool = Field(
        default=False, description="Vrai si c'est la porte d'entrée ESS de sa région."
    )
    roles: list[Role] = Field(
        default_factory=list,
        description=(
            "Qui elle sert (porteur, collectivite, accompagnateur) ; vide : tout le monde. "
            "Elle n'est jamais proposée à un autre rôle."
        ),
    )
    stages: list[Stage] = Field(
        default_factory=list,
        description=(
            "À quels stades du projet elle sert (idee, creation, developpement) ; vide : tous. "
            "Elle n'est jamais proposée à un autre stade."
        ),
    )
    needs: list[Id] = Field(default_factory=list, description="Besoins auxquels elle répond.")
    delivers: list[Id] = Field(
        default_factory=list,
        description="Formats qu'elle assure elle-même (« vous accompagne »).",
    )
    points_to: PointsTo | None = Field(
        default=None,
        description=(
            "Formats assurés par ses membres locaux, et la page qui les liste "
            "(« trouvez la structure près de chez vous »)."
        ),
    )
    informs: list[Id] = Field(
        default_factory=list,
        description=(
            "Besoins sur lesquels elle informe seulement : ressources, guides, sans "
            "accompagnement (« pour s'informer »)."
        ),
    )
    formats: list[Id] = Field(
        default_factory=list,
        description=(
            "Ancien nom de `delivers` (packs d'avant) : lu comme « elle assure elle-même ». "
            "Écrivez plutôt delivers, points_to ou informs."
        ),
    )
    when: When | None = Field(default=None, description="Condition sur le profil.")
    source: Text = Field(
        description="Les adresses (https://…) des pages qui confirment ces informations."
    )
    checked_on: dt.date = Field(description="Date de la dernière vérification.")
    verified: bool = Field(description="Faux si l'information reste à vérifier.")

    @model_validator(mode="before")
    @classmethod
    def _legacy_formats(cls, data: Any) -> Any:
        """An old `formats:` list means « delivers » (territory packs keep working)."""
        if isinstance(data, dict) and data.get("formats"):
            legacy = data["formats"]
            if isinstance(legacy, list):
                delivers = data.get("delivers") or []
                if isinstance(delivers, list):
                    merged = list(dict.fromkeys([*delivers, *legacy]))
                    data = {**data, "delivers": merged}
        return data

    @property
    def pointed(self) -> list[str]:
        """Formats its local members deliver."""
        return list(self.points_to.formats) if self.points_to else []

    @property
    def offers(self) -> list[str]:
        """Every format it delivers or points to, delivered ones first."""
        return list(dict.fromkeys([*self.delivers, *self.pointed]))


class KindRule(Model):
    """What an organisation of one kind may deliver itself."""

    label: Text = Field(description="Le nom de cette sorte de structure, en clair.")
    may_deliver: list[Id] | None = Field(
        default=None,
        description=(
            "Les seuls formats qu'elle peut assurer elle-même ([] : aucun, elle oriente ou "
            "informe) ; absent : pas de limite."
        ),
    )


class ContactsFile(Model):
    """content/contacts.yaml."""

    kinds: dict[ContactKind, KindRule] = Field(
        default_factory=dict,
        description=(
            "Ce que chaque sorte de structure peut assurer elle-même ; `conseiller check` "
            "refuse un contact qui prétend assurer autre chose (lu dans le contenu fourni "
            "seulement, pas dans un pack)."
        ),
    )
    contacts: list[Contact] = Field(min_length=1)


# --- territories -----------------------------------------------------------------------


class Region(Model):
    """A French région (INSEE code)."""

    code: str = Field(pattern=r"^\d{2}$")
    name: Text


class Departement(Model):
    """A French département (INSEE code) and its région."""

    code: str = Field(pattern=r"^(\d{2}|2A|2B|97\d)$")
    name: Text
    region: str = Field(pattern=r"^\d{2}$")


class AmbiguousName(Model):
    """A place name found in several départements: the person is asked which one."""

    name: Text = Field(description="Le nom tel qu'on l'écrit (par exemple « Saint-Denis »).")
    departements: list[str] = Field(
        min_length=2, description="Codes des départements où ce nom se trouve."
    )


class Place(Model):
    """A place name that stands for one or several départements (préfecture, old région…)."""

    name: Text
    departements: list[str] = Field(min_length=1, description="Codes des départements.")


class TerritoriesFile(Model):
    """content/territories.yaml."""

    regions: list[Region] = Field(min_length=1)
    departements: list[Departement] = Field(min_length=1)
    ambiguous: list[AmbiguousName] = Field(
        default_factory=list,
        description="Noms à ne pas deviner : la personne choisit parmi ces départements.",
    )
    places: list[Place] = Field(
        default_factory=list,
        description="Autres noms de lieux : préfectures, anciennes régions, pays…",
    )


# --- rules -----------------------------------------------------------------------------


class Rule(Model):
    """Which formats (and contacts) answer which needs, for which profile."""

    id: Id = Field(description="Identifiant de la règle (montré au conseiller).")
    needs: list[Id] = Field(
        default_factory=list,
        description="La règle s'applique si la personne a confirmé l'un de ces besoins.",
    )
    when: When | None = Field(default=None, description="Condition sur le profil.")
    formats: list[Id] = Field(default_factory=list, description="Formats proposés.")
    contacts: list[Id] = Field(default_factory=list, description="Contacts mis en avant.")
    why: Text | dict[Voice, Text] = Field(
        description=(
            "La raison, dite à la personne : une phrase, ou une phrase par rôle "
            "({porteur: …, collectivite: …, accompagnateur: …} ; « tous » : les mêmes mots "
            "pour chaque rôle). Une phrase seule ne va qu'à une règle réservée à un rôle."
        )
    )
    fallback: bool = Field(
        default=False,
        description="Vrai : ne s'applique que si aucune règle liée à un besoin ne s'applique.",
    )

    @model_validator(mode="after")
    def _proposes(self) -> Rule:
        if not self.formats and not self.contacts:
            raise ValueError(strings.VAL_RULE_EMPTY)
        return self

    def reason(self, role: str | None) -> str:
        """The reason in this role's voice (unknown role: the project holder's)."""
        if isinstance(self.why, str):
            return self.why
        voices: dict[str, str] = {str(k): v for k, v in self.why.items()}
        for key in (role if role in ROLES else "porteur", "tous", "porteur"):
            if key in voices:
                return voices[key]
        return next(iter(voices.values()))


class RulesFile(Model):
    """content/rules.yaml."""

    rules: list[Rule] = Field(min_length=1)


# --- about and help lines --------------------------------------------------------------


class HelpLine(Model):
    """A national help line shown when a message speaks of danger or distress."""

    number: Text
    label: Text
    kinds: list[Id] = Field(
        default_factory=list,
        description="Les détresses auxquelles ce numéro répond (identifiants de `kinds`).",
    )
    source: Text | None = Field(default=None, description="La page qui confirme ce numéro.")
    checked_on: dt.date | None = None
    sms: bool = Field(
        default=False,
        description="Ce numéro se joint par SMS, pas par un appel (le lien des pages web).",
    )


class DistressKind(Model):
    """One kind of distress and the patterns that reveal it."""

    id: Id
    patterns: list[Text] = Field(
        min_length=1,
        description=(
            "Motifs : des mots ; (a|b) ; mot* ; ... (jusqu'à trois mots) ; ~ (jusqu'à huit) ;"
            " $ (fin de phrase)."
        ),
    )


class Urgence(Model):
    """What to show first when the safety net fires, and how the net reads a text."""

    title: Text
    intro: Text
    lines: list[HelpLine] = Field(min_length=1)
    kinds: list[DistressKind] = Field(min_length=1)
    spellings: dict[str, str] = Field(
        default_factory=dict, description="Écritures SMS ou fautes courantes, mot pour mot."
    )
    idioms: dict[str, str] = Field(
        default_factory=dict, description="Expressions du quotidien remplacées avant la lecture."
    )
    hold_back: list[Text] = Field(
        default_factory=list, description="Motifs dont le contenu ne déclenche pas l'alerte."
    )

    def lines_for(self, kinds: Sequence[str]) -> list[HelpLine]:
        """The help lines for these kinds first, then the others (all when kinds is empty)."""
        if not kinds:
            return list(self.lines)
        first = [line for line in self.lines if set(line.kinds) & set(kinds)]
        return first + [line for line in self.lines if line not in first]


class SafetyFile(Model):
    """content/safety.yaml: example sentences the safety net learns from at load time."""

    examples: dict[Id, list[Text]] = Field(
        description=("Phrases de détresse, par sorte (les identifiants de `urgence.kinds`).")
    )
    everyday: list[Text] = Field(
        default_factory=list,
        description=(
            "Phrases du quotidien ou de projets sur des sujets durs : elles n'alertent pas."
        ),
    )
    patterns: dict[Id, list[Text]] = Field(
        default_factory=dict,
        description="Motifs de plus, par sorte (ajoutés à ceux de `urgence.kinds`).",
    )
    idioms: dict[str, str] = Field(
        default_factory=dict,
        description="Expressions du quotidien de plus, remplacées avant la lecture.",
    )
    hold_back: list[Text] = Field(
        default_factory=list,
        description="Motifs de plus dont le contenu ne déclenche pas l'alerte.",
    )
    told: list[Text] = Field(
        default_factory=list,
        description=(
            "Motifs où quelqu'un rapporte ce qu'il vit (« une élève nous a dit que… ») : "
            "un motif retenu (`hold_back`) s'arrête là."
        ),
    )
    spellings: dict[str, str] = Field(
        default_factory=dict, description="Écritures SMS ou fautes courantes de plus, mot pour mot."
    )


class AboutFile(Model):
    """content/about.yaml: where the content comes from, and the help lines."""

    title: Text
    text: Text
    checked_on: dt.date
    report: Text = Field(description="Comment signaler une erreur.")
    report_to: str | None = Field(
        default=None,
        pattern=r"^(https://\S+|[^@\s]+@[^@\s]+\.[^@\s]+)$",
        description=(
            "« Signaler une erreur » : l'adresse d'une page (https://…) ou un courriel de la "
            "structure qui propose conseiller, montrée avec les résultats et sur la fiche. "
            "Vide : `conseiller check` le signale."
        ),
    )
    urgence: Urgence


# --- flows -----------------------------------------------------------------------------


class NodeBase(Model):
    """Fields shared by every node of a flow."""

    id: Id = Field(description="Identifiant du nœud, unique dans le parcours.")
    text: Text = Field(description="Ce que dit le conseiller.")
    when: When | None = Field(
        default=None, description="Le nœud n'est montré que si la condition est vraie."
    )
    next: Id | None = Field(default=None, description="Nœud suivant.")


class MessageNode(NodeBase):
    """The advisor says something; no answer is expected."""

    kind: Literal["message"]


class Option(Model):
    """One answer of a choice question."""

    id: Id = Field(description="Valeur enregistrée dans le profil.")
    label: Text = Field(description="Texte du bouton.")
    next: Id | None = Field(default=None, description="Nœud suivant si ce choix est fait.")


class QuestionBase(NodeBase):
    """A node that fills one slot of the profile."""

    slot: SlotName = Field(description="Case du profil remplie par la réponse.")
    profile: ProfileField | None = Field(
        default=None,
        description=(
            "Le champ public du profil que cette question remplit (role, stade, departement, "
            "besoins) : les recommandations, les statistiques et les exports le lisent sous ce "
            "nom, quel que soit le nom de la case. Une seule question par champ et par parcours."
        ),
    )
    help: str = Field(default="", description="Aide courte sous la question.")
    optional: bool = Field(default=False, description="Vrai si l'on peut passer la question.")


class ChoiceNode(QuestionBase):
    """A question answered by picking one option."""

    kind: Literal["choice"]
    options: list[Option] = Field(min_length=1)
    default: Id | None = Field(default=None, description="Valeur si la question est passée.")


class TextNode(QuestionBase):
    """A free-text question, matched to needs or to a département."""

    kind: Literal["text"]
    match: Literal["needs", "departement", "none"] = Field(
        description="Ce que l'on cherche dans la réponse."
    )
    placeholder: str = Field(default="", description="Exemple grisé dans la zone de saisie.")


class ConfirmNode(QuestionBase):
    """The person confirms, removes or adds the needs understood from a text answer."""

    kind: Literal["confirm"]
    source: SlotName = Field(description="Case du texte libre dont on confirme les besoins.")
    text_if_none: str = Field(
        default="",
        description=(
            "La question quand rien n'a été compris ou écrit (« Je ne sais pas ») : "
            "« Voici ce que j'ai compris » n'aurait pas de sens. Vide : la question habituelle."
        ),
    )
    help_if_none: str = Field(
        default="", description="L'aide sous cette question-là. Vide : l'aide habituelle."
    )


class EndNode(NodeBase):
    """End of the conversation: the recommendations follow."""

    kind: Literal["end"]


Node = Annotated[
    MessageNode | ChoiceNode | TextNode | ConfirmNode | EndNode, Field(discriminator="kind")
]
Question = ChoiceNode | TextNode | ConfirmNode


class Flow(Model):
    """A conversation: a small graph of nodes, authored in YAML."""

    id: Id = Field(description="Identifiant du parcours.")
    title: Text = Field(description="Titre du parcours.")
    description: str = Field(default="", description="À quoi sert ce parcours.")
    start: Id = Field(description="Premier nœud.")
    nodes: list[Node] = Field(min_length=1)

    @staticmethod
    def successors(node: Node) -> list[tuple[str, str | None]]:
        """The edges leaving a node, as (target id, option id or None), options first."""
        out: list[tuple[str, str | None]] = []
        if isinstance(node, ChoiceNode):
            out.extend((o.next, o.id) for o in node.options if o.next)
        if node.next:
            out.append((node.next, None))
        return out

    @staticmethod
    def next_for(node: Node, value: object = None) -> str | None:
        """Where the conversation goes after a node, given the answer's value."""
        edges = Flow.successors(node)
        for target, option in edges:
            if option is not None and option == value:
                return target
        return node.next


# --- glossary --------------------------------------------------------------------------


class Term(Model):
    """A word or an acronym of the field, explained in plain French."""

    term: Text = Field(description="Le mot tel qu'on l'écrit (« CAE », « tiers-lieu »).")
    full: str = Field(default="", description="Le nom en entier, pour un sigle.")
    definition: Text = Field(description="Une ou deux phrases simples : ce que c'est.")
    forms: list[Text] = Field(
        default_factory=list,
        description="Autres façons de l'écrire (pluriel, nom en entier…), pour le repérer.",
    )


class GlossaryFile(Model):
    """content/glossary.yaml: the words a person may not know, explained where they appear."""

    terms: list[Term] = Field(min_length=1)
    names: list[Text] = Field(
        default_factory=list,
        description="Noms propres écrits en capitales (programmes, structures), pas des sigles.",
    )


class ExamplesFile(Model):
    """content/examples.yaml: sentences people wrote, which only the matcher's learned reading
    learns from (the word lists of needs.yaml stay the matcher's vocabulary)."""

    needs: dict[Id, list[Text]] = Field(
        default_factory=dict,
        description=(
            "Pour chaque besoin (son identifiant), des phrases telles que les gens les "
            "écrivent, où ce besoin est celui qu'un accompagnateur entendrait."
        ),
    )
    everyday: list[Text] = Field(
        default_factory=list,
        description=(
            "Phrases du quotidien qui ne demandent rien, en plus de celles de needs.yaml "
            "(`language.everyday`)."
        ),
    )


#: Content files read when present (older content folders may not have them).
OPTIONAL_CONTENT_FILES: dict[str, type[Model]] = {
    "glossary.yaml": GlossaryFile,
    "examples.yaml": ExamplesFile,
}

CONTENT_FILES: dict[str, type[Model]] = {
    "needs.yaml": NeedsFile,
    "formats.yaml": FormatsFile,
    "contacts.yaml": ContactsFile,
    "territories.yaml": TerritoriesFile,
    "rules.yaml": RulesFile,
    "about.yaml": AboutFile,
    "safety.yaml": SafetyFile,
}
