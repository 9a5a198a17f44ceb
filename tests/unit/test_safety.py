"""The safety net: distress found by kind, with typos and SMS; everyday talk left alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from conseiller.catalog import Catalog
from conseiller.engine import Engine
from conseiller.matching import Matcher, safety_net_for
from conseiller.normalize import fold, stem
from conseiller.safety import TYPO_CUTOFF, PatternError, SafetyNet, compile_pattern
from conseiller.schema import EndNode

DEV = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "safety" / "dev.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def net(catalog: Catalog) -> SafetyNet:
    return safety_net_for(catalog)


@pytest.mark.parametrize("item", DEV["distress"], ids=lambda i: i["text"][:30])
def test_distress_is_found_with_its_kind(net: SafetyNet, item: dict[str, str]) -> None:
    assert item["kind"] in net.check(item["text"])


@pytest.mark.parametrize("text", DEV["everyday"])
def test_everyday_hyperbole_and_hard_subjects_raise_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_a_misspelt_word_is_corrected_only_towards_a_close_word() -> None:
    net = SafetyNet([("suicide", ["me pendre"])])
    assert net.check("je vais me pendr") == ("suicide",)  # one letter missing
    assert net.check("je vais me perdre en route") == ()  # one letter changed: another word


def test_a_negation_just_before_cancels_a_match() -> None:
    net = SafetyNet([("suicide", ["envie de mourir"])])
    assert net.check("j'ai envie de mourir") == ("suicide",)
    assert net.check("je n'ai pas envie de mourir") == ()


def test_hold_back_covers_a_project_about_a_hard_subject() -> None:
    net = SafetyNet([("suicide", ["suicid*"])], hold_back=["prevention ... suicid* >"])
    assert net.check("on fait de la prévention du suicide") == ()
    assert net.check("je pense au suicide") == ("suicide",)


def test_idioms_are_neutralised_before_reading() -> None:
    net = SafetyNet([("danger", ["me tuer"])], idioms={"me tuer a la tache": "trop travailler"})
    assert net.check("je vais me tuer à la tâche") == ()


@pytest.mark.parametrize("pattern", ["", "a ( b", "x [y]", "__import__('os')", "a{2}"])
def test_a_pattern_outside_the_small_language_is_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(pattern)


def test_the_pattern_language() -> None:
    assert compile_pattern("me (tuer|pendre)").search("je vais me pendre")
    assert compile_pattern("suicid*").search("suicidaire")
    assert compile_pattern("il ... frappe").search("il me frappe")
    assert not compile_pattern("il ... frappe").search("il a dit que le voisin frappe")
    assert compile_pattern("en finir $").search("je veux en finir")
    assert not compile_pattern("en finir $").search("je veux en finir avec ca")


def test_a_huge_text_is_read_quickly_and_only_in_part(net: SafetyNet) -> None:
    text = "on cherche un local " * 5000 + "je veux mourir"
    assert net.check(text) == ()  # beyond MAX_CHARS: not read, not slow


def test_matcher_gives_the_kinds_and_no_need(matcher: Matcher) -> None:
    result = matcher.match("mon mari me frappe et je cherche un local")
    # the same kinds as when the two clauses are two sentences ("et" ends a clause too)
    assert result.alerts[0] == "violences-conjugales"
    assert result.alerts == matcher.match("mon mari me frappe. je cherche un local").alerts
    assert result.matches == []


def test_distress_in_the_departement_field_shows_help_and_asks_again(engine: Engine) -> None:
    state = engine.start()
    view = engine.view(state)
    while not isinstance(view.current, EndNode) and view.current.slot != "departement":
        state = engine.answer(state, None if view.current.optional else "1")
        view = engine.view(state)
    state = engine.answer(state, "jai plu la force de vivr")
    view = engine.view(state)
    assert not isinstance(view.current, EndNode)
    assert view.current.slot == "departement"  # asked again
    assert view.urgence and view.alerts == ("suicide",)
    assert "departement" not in state.answers  # the words are not kept
    state = engine.answer(state, "Creuse")
    view = engine.view(state)
    assert view.urgence and view.alerts == ("suicide",)  # the help stays on show
    assert engine.profile(state)["departement"] == "23"


def test_help_lines_follow_the_kind(catalog: Catalog) -> None:
    urgence = catalog.about.urgence
    assert urgence.lines_for(["suicide"])[0].number == "3114"
    assert urgence.lines_for(["violences-conjugales"])[0].number == "3919"
    assert urgence.lines_for(["enfance-en-danger"])[0].number == "119"
    numbers = [line.number for line in urgence.lines]
    assert {"3114", "3919", "119", "17", "112", "114"} <= set(numbers)
    assert all(line.source and line.checked_on for line in urgence.lines)


def test_check_finds_an_unknown_kind_and_a_kind_without_line(
    content_copy: tuple[Path, Path],
) -> None:
    from conseiller.checks import check

    content, flows = content_copy
    about = content / "about.yaml"
    text = about.read_text(encoding="utf-8")
    text = text.replace("      kinds: [enfance-en-danger]", "      kinds: [enfance]")
    text = text.replace(
        "[violences-conjugales, enfance-en-danger, danger]", "[violences-conjugales, danger]"
    )
    about.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(content, flows).problems]
    assert any("about.yaml:" in p and "« enfance » inconnu" in p for p in problems)
    assert any("enfance-en-danger" in p and "aucun numéro" in p for p in problems)


def test_a_pattern_that_cannot_be_read_stops_the_loading_with_its_file_and_line(
    content_copy: tuple[Path, Path],
) -> None:
    # the safety net is built from the patterns at start: every command, not only `check`,
    # must say which line is broken instead of failing with a traceback
    from conseiller.catalog import load_catalog
    from conseiller.loader import ContentError

    content, flows = content_copy
    about = content / "about.yaml"
    lines = about.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line == '        - "au secours"\n')
    lines[number - 1] = '        - "au secours ["\n'
    about.write_text("".join(lines), encoding="utf-8")
    told = content / "safety.yaml"
    told.write_text(
        told.read_text(encoding="utf-8").replace("\ntold:\n", "\ntold:\n  - (nous a dit\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as raised:
        load_catalog(content, flows)
    problems = [str(p) for p in raised.value.problems]
    assert any(p.startswith(f"{about}:{number}:") and "au secours [" in p for p in problems)
    assert any("safety.yaml:" in p and "(nous a dit" in p for p in problems)


@pytest.mark.parametrize("text", ["sous 5m tab", "je cherche des sous [5m ici tab", "tab tab tab"])
def test_junk_with_a_known_word_or_two_raises_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


SAFETY_DEV = yaml.safe_load(
    (Path(__file__).parents[2] / "benchmarks" / "data" / "safety_dev.yaml").read_text("utf-8")
)["items"]


def test_the_tuning_set_is_read_with_high_recall_and_few_false_alarms(net: SafetyNet) -> None:
    distress = [i for i in SAFETY_DEV if i["bucket"] == "urgence"]
    calm = [i["text"] for i in SAFETY_DEV if i["bucket"] == "calm"]
    found = sum(1 for i in distress if net.check(i["text"]))
    alarms = sum(1 for text in calm if net.check(text))
    assert found / len(distress) >= 0.95
    assert alarms / len(calm) <= 0.05


def test_a_word_heard_like_a_lexicon_word_is_read_as_it() -> None:
    from conseiller.safety import sounds

    assert sounds("suisside") == sounds("suicide")
    assert sounds("frape") == sounds("frappee") == sounds("frappe")
    assert sounds("tabace") == sounds("tabasse")
    assert sounds("danje") == sounds("danger")  # g before e sounds j
    assert fuzz.ratio("tabace", "tabasse") < TYPO_CUTOFF  # too far for the spelling check
    net = SafetyNet([("suicide", ["me suicider"]), ("violences-conjugales", ["me tabasse"])])
    assert net.check("je vais me suisside") == ("suicide",)
    assert net.check("il me tabace") == ("violences-conjugales",)


def test_a_word_that_sounds_alike_but_is_written_too_differently_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conseiller import safety

    assert fuzz.ratio("kouto", "couteau") >= safety.SOUND_CUTOFF
    assert SafetyNet([("danger", ["un couteau"])]).check("il a un kouto") == ("danger",)
    monkeypatch.setattr(safety, "SOUND_CUTOFF", 80.0)
    assert fuzz.ratio("tabace", "tabasse") < 80.0
    assert SafetyNet([("danger", ["me tabasse"])]).check("il me tabace") == ()


def test_short_words_are_never_matched_by_their_sound() -> None:
    from conseiller.safety import SOUND_MIN_LENGTH

    net = SafetyNet([("danger", ["tuee"])])
    assert len("tue") < SOUND_MIN_LENGTH
    assert net.check("tue") == ()


def test_a_match_ending_inside_a_held_back_span_is_ignored() -> None:
    net = SafetyNet(
        [("suicide", ["je vais ... me pendre"])],
        hold_back=["me pendre avec ... (dossiers|factures)"],
    )
    assert net.check("je vais finir par me pendre avec ces dossiers") == ()
    assert net.check("je vais finir par me pendre dans la grange") == ("suicide",)


def test_patterns_idioms_and_hold_back_of_safety_yaml_are_added(catalog: Catalog) -> None:
    net = safety_net_for(catalog)
    extra = catalog.safety
    assert extra.patterns and extra.hold_back and extra.idioms
    assert net.check("j'en ai marre de vivre") == ("suicide",)  # a pattern of safety.yaml
    assert net.check("je me coupe en quatre pour l'asso") == ()  # an idiom of safety.yaml
    assert net.check("on est en danger de perdre la subvention") == ()  # its hold_back


def test_the_learned_reading_threshold_separates_junk_from_distress(net: SafetyNet) -> None:
    from conseiller import safety

    assert net.learned is not None
    _, junk = net.learned.read("sous 5m tab")
    _, story = net.learned.read("demain je ne serai plus la pour personne, j ai tout range")
    assert junk <= safety.LEARNED_THRESHOLD < story


def test_check_reports_a_bad_pattern_or_an_unknown_kind_in_safety_yaml(
    content_copy: tuple[Path, Path],
) -> None:
    from conseiller.checks import check

    content, flows = content_copy
    path = content / "safety.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\npatterns:\n  suicide:\n", "\npatterns:\n  inconnue: [ok]\n  suicide:\n")
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(content, flows).problems]
    assert any("safety.yaml:" in p and "« inconnue » inconnu" in p for p in problems)
    text = text.replace("\nhold_back:\n", '\nhold_back:\n  - "(mal ferme"\n', 1)
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(content, flows).problems]
    assert any("safety.yaml:" in p and "(mal ferme" in p for p in problems)


def test_a_long_clause_is_read_by_windows(net: SafetyNet, monkeypatch: pytest.MonkeyPatch) -> None:
    from conseiller import safety

    story = (
        "avec l'association on a monté le dossier de subvention pour le local et la saison a "
        "été catastrophique j'ai plus un sou et le soir dans la grange je regarde la poutre en "
        "pensant que ce serait plus simple"
    )
    assert net.check(story) != ()
    monkeypatch.setattr(safety, "LEARNED_WINDOW", 1000)  # the whole clause at once: diluted
    assert net.check(story) == ()


def test_words_of_time_say_nothing_to_the_learned_reading(net: SafetyNet) -> None:
    from conseiller.safety import LEARNED_NEUTRAL

    assert {"soir", "nuit", "demain"} <= LEARNED_NEUTRAL
    assert net.learned is not None
    assert net.learned.read("le soir la nuit demain") == (0, 0.0)
    assert net.check("le soir je tourne en rond") == ()


def test_end_of_clause_also_stands_before_a_joining_word() -> None:
    from conseiller.safety import CLAUSE_JOINERS

    assert {"et", "puis"} <= set(CLAUSE_JOINERS)
    pattern = compile_pattern("ne respire plus $")
    assert pattern.search("il est tombe il ne respire plus et je suis seule")
    assert pattern.search("il ne respire plus puis plus rien")
    assert not pattern.search("il ne respire plus tres bien depuis son rhume")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hier soir je me suis encore brûlé le bras avec mon briquet", "automutilation"),
        ("il faut que je cache les marques que je me suis faites", "automutilation"),
        (
            "mon père est tombé dans la cour il ne respire plus et personne ne répond",
            "danger",
        ),
        ("le hangar est en feu, deux ouvriers sont restés coincés dedans", "danger"),
    ],
)
def test_long_sentences_told_plainly_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "je me suis brûlé en sortant le gratin du four",
        "on a trouvé une boîte de vieux dossiers au grenier",
        "je voudrais un associé pour monter ma boîte",
        "je cherche des gens avec qui échanger sur mon projet",
        # saying hello or thanks is not saying goodbye
        "je voulais juste dire bonjour",
        "je voulais juste vous dire merci pour votre aide",
    ],
)
def test_project_talk_and_small_accidents_raise_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_the_needs_own_words_are_calm_talk_for_the_learned_reading(catalog: Catalog) -> None:
    from conseiller.matching import _need_words
    from conseiller.safety import LearnedReading

    words = _need_words(catalog.needs.values())
    assert {"echanger", "boite"} <= set(words)
    examples = {"suicide": ["je veux echanger ma vie", "la corde"]}
    alone = LearnedReading(examples, ["bonjour"])
    with_needs = LearnedReading(examples, ["bonjour", *words])
    echanger, corde = "w:" + stem("echanger"), "w:" + stem("corde")
    # once each in distress: alike alone; the word of project talk leans less with the needs
    assert alone.weights[echanger] == pytest.approx(alone.weights[corde])
    assert with_needs.weights[echanger] < with_needs.weights[corde] - 1.0
    net = safety_net_for(catalog)
    assert net.check("je ne cherche pas de sous, juste des gens avec qui échanger") == ()
    assert net.check("je voudrais un associé pour monter ma boîte") == ()


def test_an_idiom_about_dying_is_not_distress(net: SafetyNet) -> None:
    assert net.check("on ne veut pas mourir idiots, on cherche une formation") == ()
    assert net.check("je veux mourir") != ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("quand je ne serai plus de ce monde ils vendront la ferme", "suicide"),
        ("il m'a poussée par terre devant les enfants", "violences-conjugales"),
        ("ça sent le gaz dans toute la salle et les petits dorment", "danger"),
        ("la nourrice laisse les petits seuls toute la journée", "enfance-en-danger"),
    ],
)
def test_more_plain_phrasings_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


def test_disappearing_from_a_mailing_list_is_not_distress(net: SafetyNet) -> None:
    assert net.check("je voudrais disparaître de ces listes de diffusion") == ()
    assert net.check("je voudrais disparaître") != ()


@pytest.mark.parametrize(
    "text",
    [
        "le tracteur du voisin fait un bruit d'enfer",
        "la camionnette du boulanger fait un boucan d'enfer",
        "mon oncle a pris le tracteur",
        "la fille de la voisine a pris le car",
    ],
)
def test_a_farm_word_or_a_neighbour_in_everyday_talk_raises_no_alarm(
    net: SafetyNet, text: str
) -> None:
    # « enfer » is a word of its own (not « enfermé » cut short), and a tractor or the
    # neighbour's family in a sentence that says nothing hard stays calm.
    assert net.check(text) == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("je vais rejoindre mon père, la ferme est finie", "suicide"),
        ("ils seraient mieux sans un père comme moi", "suicide"),
        ("au moins ma femme toucherait l'assurance", "suicide"),
        ("il me traite de moins que rien et il me bouscule", "violences-conjugales"),
        ("elle m'a dit que son oncle lui fait des choses", "enfance-en-danger"),
        ("le petit arrive avec des coquards tous les lundis", "enfance-en-danger"),
    ],
)
def test_distress_told_about_a_relative_is_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


# Fourth pass (safety4): long gaps, sounds of prefixes, phrasing kinds, calibrated threshold.


def test_a_tilde_stands_for_up_to_eight_words() -> None:
    from conseiller.safety import LONG_GAP_WORDS

    pattern = compile_pattern("fusil ~ j y pense")
    gap = " ".join(["mot"] * LONG_GAP_WORDS)
    assert pattern.search(f"le fusil {gap} j y pense")
    assert not pattern.search(f"le fusil {gap} mot j y pense")
    assert not compile_pattern("fusil ... j y pense").search(
        "le fusil de chasse est la et j y pense"
    )


def test_a_word_heard_like_a_prefix_and_a_whole_word_becomes_the_whole_word() -> None:
    # « reveill* » must not turn « réveillé » into « reveill » when « reveiller » is a word
    # of another pattern, nor « battu* » take « batue » from « battu ».
    net = SafetyNet(
        [
            ("suicide", ["pourquoi je me reveill* encore", "plus jamais me reveiller"]),
            ("violences-conjugales", ["battu* par", "je suis (battue|battu) par (mon|ma)"]),
        ]
    )
    assert net.check("je veux dormir et plus jamais me réveillé") == ("suicide",)
    assert net.check("jsui batue par mon mari") == ("violences-conjugales",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("le fusil de chasse est dans la grange et j'y pense tous les soirs", "suicide"),
        ("dans quelques jours je serai plus là, c'est décidé", "suicide"),
        ("ils seraient soulagés si je n'étais plus là", "suicide"),
        ("je voudrais arrêter de respirer", "suicide"),
        ("je porte des pulls pour que personne voie les marques sur mes bras", "automutilation"),
        ("j'ai avalé des trucs juste pour avoir mal", "automutilation"),
        ("je me suis encore entaillée hier", "automutilation"),
        ("il dit que sans lui je suis rien", "violences-conjugales"),
        ("jai encore pris des coups ce week end", "violences-conjugales"),
        ("je marche sur des oeufs, sinon il casse tout", "violences-conjugales"),
        ("il me tord le bras quand je réponds pas", "violences-conjugales"),
        ("son papa lui fait des choses qu'elle a pas le droit de dire", "enfance-en-danger"),
        ("le petit reste seul des jours entiers sans manger", "enfance-en-danger"),
        ("mon père me met des coups quand il a bu", "enfance-en-danger"),
        ("mon collègue s'est effondré dans l'atelier", "danger"),
        ("il respire pas bien, venez", "danger"),
        ("un type rôde avec un fusil devant la mairie", "danger"),
        ("un homme menace les bénévoles avec un couteau", "danger"),
        ("ma grand-mère est par terre et elle n'arrive pas à se relever", "danger"),
        ("une femme est emportée par le courant", "danger"),
    ],
)
def test_kinds_of_phrasing_are_found_not_only_sentences(
    net: SafetyNet, text: str, kind: str
) -> None:
    # a burden, no way out, goodbyes, means; being hit, controlled; a child left alone or
    # abused; someone collapsed, a weapon, water: each told in words no pattern had before
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "la grange du voisin s'est effondrée avec la neige",
        "mon fils s'est battu à l'école, on a vu la directrice",
        "on a tiré le feu d'artifice derrière la mairie",
        "la compta c'est un cauchemar, j'ai envie de tout brûler",
        "je vais disparaître des réseaux sociaux quelques semaines",
        "mon fils ado ne sort plus de sa chambre à cause des jeux vidéo",
        "mon beau-père m'aide à retaper la grange",
        "les enfants ont peur du noir au camp",
        "ma mère vient dormir à la maison quand mon mari est en déplacement",
        "les vaches sont rentrées à l'étable",
        "la voiture a calé en pleine côte hier",
    ],
)
def test_family_farm_life_and_idioms_stay_calm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_the_learned_threshold_is_calibrated_to_catch_quiet_stories(
    net: SafetyNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conseiller import safety

    # the learned reading alone, no pattern: suicide told quietly scores over
    # LEARNED_THRESHOLD, set as high as it can be without missing more distress on the sets
    # not learned from (eighth pass)
    alone = SafetyNet([(k.id, []) for k in net.kinds], learned=net.learned)
    story = "je compte les cachets que j'ai mis de côté dans le tiroir"
    assert safety.LEARNED_THRESHOLD <= 0.6
    assert alone.check(story) == ("suicide",)
    monkeypatch.setattr(safety, "LEARNED_THRESHOLD", 0.8)
    assert alone.check(story) == ()
    # the same said in few words is for the patterns
    assert net.check("je compte les cachets que j'ai mis de côté") == ("suicide",)


def test_place_names_are_not_corrected_into_distress_words(
    catalog: Catalog, net: SafetyNet
) -> None:
    # « Cantal » is not « canal », « Nice » not « nièce », « la Manche » not a sleeve that
    # hides marks: every name the département field knows stays calm, alone or in a sentence.
    territories = catalog.territories
    names = [
        *(r.name for r in territories.regions.values()),
        *(d.name for d in territories.departements.values()),
        *territories.names,
        *territories.places,
    ]
    assert len(names) > 100
    alarms = [
        name
        for name in names
        for text in (
            name,
            f"on est dans le {name} depuis deux ans",
            f"quel temps demain sur {name}",
        )
        if net.check(text)
    ]
    assert alarms == []


def test_words_that_order_time_say_nothing_either(net: SafetyNet) -> None:
    from conseiller.safety import LEARNED_NEUTRAL

    # « la semaine dernière » is not « mon dernier message »: the patterns read that one
    assert {"dernier", "derniere", "prochain", "passe"} <= LEARNED_NEUTRAL
    assert net.learned is not None
    assert net.learned.read("derniere prochaine passee") == (0, 0.0)
    assert net.check("on a enterré mon grand-père la semaine dernière") == ()


# Fifth pass (safety5): a back-off for words the learned reading never saw, the hopelessness
# words kept in pairs, and kinds of phrasing (hopelessness told without the word, leaving for
# good, things given away, « personne ne remarquerait », a minor telling their age…).

_FAMILY = {
    "suicide": ["je suis desespere", "le desespoir me ronge", "je desespere de tout"],
}
_CALM = ["le marche du samedi", "on cherche un local", "la fete du village", "un cafe associatif"]


def test_a_word_never_seen_backs_off_to_its_family_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    from conseiller import safety
    from conseiller.safety import LearnedReading

    learned = LearnedReading(_FAMILY, _CALM)
    # « deseperee » (one letter missing) is no stem the examples have, but « desesper » and
    # « desespoir » share its first letters: it reads as distress, less surely than the word
    _, typo = learned.read("deseperee")
    _, word = learned.read("desespere")
    assert 0 < typo < word
    assert learned.read("deseperee", frozenset({stem("deseperee")}))[1] == 0.0  # known elsewhere
    monkeypatch.setattr(safety, "BACKOFF_WEIGHT", 0.0)
    assert learned.read("deseperee")[1] == 0.0


def test_a_prefix_of_one_word_alone_is_no_family(monkeypatch: pytest.MonkeyPatch) -> None:
    from conseiller import safety
    from conseiller.safety import LearnedReading

    # « neveu » alone gives « neve »: « Nevers » must not read as it
    learned = LearnedReading({"suicide": ["j ai tout donne a mon neveu"]}, _CALM)
    assert safety.BACKOFF_FAMILY >= 2
    assert learned.read("nevers")[1] == 0.0
    monkeypatch.setattr(safety, "BACKOFF_FAMILY", 1)
    assert LearnedReading({"suicide": ["j ai tout donne a mon neveu"]}, _CALM).read("nevers")[1] > 0


def test_the_prefix_length_is_a_few_letters() -> None:
    from conseiller.safety import BACKOFF_PREFIX, LearnedReading

    assert 3 <= BACKOFF_PREFIX <= 6
    learned = LearnedReading(_FAMILY, _CALM)
    assert learned.read("des")[1] == 0.0  # too short to back off


def test_hopelessness_words_count_in_pairs_only(net: SafetyNet) -> None:
    from conseiller.safety import LEARNED_KEPT

    assert {"plus", "rien", "personne"} <= LEARNED_KEPT
    assert net.learned is not None
    counts = net.learned.features("plus envie")
    assert "p:plus envi" in counts
    assert "w:plus" not in counts
    assert net.learned.read("plus plus plus")[0] == 0  # alone, it is no known word


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("j'ai plus aucun espoir", "suicide"),
        ("je me demande pourquoi je suis encore en vie", "suicide"),
        ("tous les matins je regrette de m'être réveillée", "suicide"),
        ("je suis lasse d'exister, voilà tout", "suicide"),
        ("ma vie me pèse trop, je n'y arrive plus", "suicide"),
        (
            "j'ai donné ma moto à mon cousin parce que là où je vais je n'en aurai plus besoin",
            "suicide",
        ),
        ("qui s'apercevrait de quoi que ce soit si je partais", "suicide"),
        ("je cherche la dose mortelle de mes cachets", "suicide"),
        ("je pars pour toujours", "suicide"),
        ("j'ai plus envie de rien", "suicide"),
        ("le feu fonce vers le hameau et on ne peut plus sortir", "danger"),
        ("il a juré qu'il me ferait la peau", "violences-conjugales"),
        ("j'ai reçu une claque de mon conjoint devant ses parents", "violences-conjugales"),
        ("j'ai 13 ans et mon beau-père me tape tout le temps", "enfance-en-danger"),
        ("il m'a fait jurer de garder le secret sur ce qu'il me fait le soir", "enfance-en-danger"),
    ],
)
def test_kinds_of_hopelessness_and_threat_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "il y a eu une fuite de gaz à l'école il y a trois ans, tout a été refait",
        "à la formation on apprend comment réagir si quelqu'un ne respire plus",
        "on a écrit un mot à nos adhérents pour leur dire au revoir et merci",
        "c'est à se taper la tête contre les murs, ces formulaires",
        "je ne vois pas d'avenir pour ce commerce sans repreneur",
        "je suis fatigué de tout faire seul pour la fête du village",
        "à quoi bon remplir ce formulaire si personne ne le lit",
        "on a dû faire piquer notre vieux chien, les enfants ont pleuré",
        "j'ai failli m'endormir pendant l'assemblée générale",
    ],
)
def test_past_accidents_trainings_farewells_and_idioms_stay_calm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


SAFETY_DEV4 = yaml.safe_load(
    (Path(__file__).parents[2] / "benchmarks" / "data" / "safety_dev4.yaml").read_text("utf-8")
)["items"]


def test_the_fifth_tuning_set_is_read_with_high_recall_and_few_false_alarms(
    net: SafetyNet,
) -> None:
    distress = [i for i in SAFETY_DEV4 if i["bucket"] == "urgence"]
    calm = [i["text"] for i in SAFETY_DEV4 if i["bucket"] == "calm"]
    assert len(distress) >= 60 and len(calm) >= 40
    found = [i["kind"] in net.check(i["text"]) for i in distress]
    alarms = sum(1 for text in calm if net.check(text))
    assert sum(bool(net.check(i["text"])) for i in distress) / len(distress) >= 0.95
    assert sum(found) / len(distress) >= 0.9  # with the right help line
    assert alarms / len(calm) <= 0.10


def test_how_long_says_nothing_to_the_learned_reading(net: SafetyNet) -> None:
    from conseiller.safety import LEARNED_NEUTRAL

    # « depuis longtemps » says when, not what (« je ne chasse plus depuis longtemps »: the
    # word alone made that sentence read as distress)
    assert "longtemps" in LEARNED_NEUTRAL
    assert net.learned is not None
    assert net.learned.read("longtemps") == (0, 0.0)


def test_patterns_are_compiled_one_by_one_only_when_a_clause_needs_them() -> None:
    net = SafetyNet([("suicide", ["me pendre", "en finir $"])])
    kind = net.kinds[0]
    assert "patterns" not in vars(kind)  # only the union was compiled at start
    assert net.check("le marché de samedi") == ()
    assert "patterns" not in vars(kind)
    assert net.check("je veux en finir") == ("suicide",)
    assert len(vars(kind)["patterns"]) == 2
    with pytest.raises(PatternError):
        SafetyNet([("suicide", ["me (pendre"])])


def test_kinds_a_pattern_found_come_before_the_learned_readings_guesses() -> None:
    """The help lines follow the kinds' order: what a pattern read precisely comes first."""
    from conseiller.safety import LearnedReading

    learned = LearnedReading(
        {"suicide": ["je veux en finir avec la vie", "plus envie de vivre du tout"]}, _CALM
    )
    net = SafetyNet(
        [("suicide", ["me pendre"]), ("violences-conjugales", ["me tabasse"])], learned=learned
    )
    assert net.check("je veux en finir avec la vie") == ("suicide",)  # the learned reading
    both = net.check("il me tabasse. je veux en finir avec la vie")
    assert both == ("violences-conjugales", "suicide")


@pytest.mark.parametrize(
    "text",
    [
        "il me frappe quand il boit",
        "je cherche un local, et franchement mon mari me frappe quand je parle du projet",
    ],
)
def test_someone_else_hitting_is_violence_not_self_harm(net: SafetyNet, text: str) -> None:
    kinds = net.check(text)
    assert kinds and kinds[0] == "violences-conjugales" and "automutilation" not in kinds


# Sixth pass (safety6): about 200 more examples, written by another hand before reading
# safety.yaml's, and the threshold re-calibrated on text the model was not trained on.

DATA = Path(__file__).parents[2] / "benchmarks" / "data"


def _items(name: str) -> list[dict[str, str]]:
    items: list[dict[str, str]] = yaml.safe_load((DATA / name).read_text("utf-8"))["items"]
    return items


def test_the_fresh_dev_lot_is_never_learned_from(catalog: Catalog) -> None:
    # safety_dev5.yaml measures the examples written with it: none of its sentences may become
    # an example or an everyday sentence of safety.yaml
    learned = {fold(t) for texts in catalog.safety.examples.values() for t in texts}
    learned |= {fold(t) for t in catalog.safety.everyday}
    lot = _items("safety_dev5.yaml")
    assert len(lot) >= 50
    assert [i["text"] for i in lot if fold(i["text"]) in learned] == []


def test_the_learned_reading_alone_is_calibrated_on_text_it_never_saw(net: SafetyNet) -> None:
    # LEARNED_THRESHOLD's rule: the learned reading alone alarms on at most 1 % of the dev sets'
    # calm sentences and need requests, and finds at least 0.7 of their distress (0.63 with the
    # fifth pass's examples)
    alone = SafetyNet([(k.id, []) for k in net.kinds], learned=net.learned)
    distress: list[str] = []
    calm: list[str] = []
    for name in ("safety_dev.yaml", "safety_dev2.yaml", "safety_dev3.yaml", "safety_dev4.yaml"):
        for item in _items(name):
            (distress if item["bucket"] == "urgence" else calm).append(item["text"])
    for name in ("matcher_eval.yaml", *(f"matcher_dev{i}.yaml" for i in range(2, 6))):
        calm += [i["text"] for i in _items(name) if i.get("bucket") not in ("urgence", "calm")]
    assert len(distress) > 300 and len(calm) > 1000
    assert sum(1 for t in distress if alone.check(t)) / len(distress) >= 0.7
    assert sum(1 for t in calm if alone.check(t)) / len(calm) <= 0.01


@pytest.mark.parametrize(
    "text",
    [
        "ils seront soulagés quand je serai parti",
        "je compte les médicaments que je garde dans le tiroir",
        "je voudrais m'endormir pour toujours à côté de mon père",
    ],
)
def test_leaving_sleeping_for_good_and_means_are_read_without_a_pattern(
    net: SafetyNet, text: str
) -> None:
    alone = SafetyNet([(k.id, []) for k in net.kinds], learned=net.learned)
    assert alone.check(text) == ("suicide",)


@pytest.mark.parametrize(
    "text",
    [
        "je dors mal depuis les agnelages",
        "on dit au revoir à nos clients, l'épicerie ferme en mars",
        "je vais rejoindre l'équipe du café associatif",
        "mon grand-père est décédé, je reprends son verger",
        "je pars en retraite et je cherche un repreneur",
    ],
)
def test_sleep_goodbyes_joining_and_deaths_in_project_talk_stay_calm(
    net: SafetyNet, text: str
) -> None:
    assert net.check(text) == ()


def test_a_place_named_in_a_distress_example_is_no_reason_to_alarm(net: SafetyNet) -> None:
    # seventh pass: an example says « je suis à Cayenne »; the learned reading reads no place
    assert net.learned is not None
    assert net.learned.read("cayenne guyane") == (0, 0.0)
    assert net.check("on ouvre une épicerie solidaire à Cayenne") == ()
    assert net.check("mon bonhomme me cogne, je suis à Cayenne, je sais pas où aller") != ()


# --- issue 18, eighth pass -----------------------------------------------------------------


def test_a_held_back_span_stops_where_someone_tells_what_they_live_through() -> None:
    kinds = [("enfance-en-danger", ["pere la cogne"])]
    hold = ["(asso|association) ... soutien* >"]
    text = "dans l asso de soutien scolaire une eleve nous a dit que son pere la cogne"
    assert SafetyNet(kinds, hold_back=hold).check(text) == ()  # held back to the end
    net = SafetyNet(kinds, hold_back=hold, told=["(nous|m) a dit que"])
    assert net.check(text) == ("enfance-en-danger",)
    # the project itself is still held back
    assert net.check("notre asso de soutien scolaire aide un pere la cogne") == ()


def test_the_shipped_told_patterns_cut_a_project_sentence_at_a_disclosure(net: SafetyNet) -> None:
    told = (
        "dans l'asso de soutien scolaire une élève nous a dit que son père la cogne tous les soirs"
    )
    assert "enfance-en-danger" in net.check(told)
    assert net.check("notre asso accompagne des enfants victimes de violences") == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("je veux juste mourir, je dors plus", "suicide"),
        ("je compte me tuer après la réunion", "suicide"),
        ("je sais pas pourquoi je suis encore en vie", "suicide"),
        ("je me suis taillé les veines hier", "suicide"),
        ("i don't want to live anymore", "suicide"),
        ("je me suis recoupé hier soir", "automutilation"),
        ("je me suis fait mal volontairement", "automutilation"),
        ("my husband beats me", "violences-conjugales"),
        ("un incendie dans la forêt tout près des maisons", "danger"),
        ("le président s'est écroulé pendant la réunion", "danger"),
        ("quelqu'un est tombé dans le canal et sait pas nager", "danger"),
        ("un type est entré dans la boutique avec une arme", "danger"),
        ("the house is on fire", "danger"),
    ],
)
def test_more_phrasings_of_distress_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "nous animons des groupes de parole pour les personnes endeuillées par un suicide",
        "on forme des bénévoles à repérer le risque suicidaire",
        "on veut sensibiliser les collégiens au harcèlement et à l'automutilation",
        "je me tire une balle dans le pied avec ce prévisionnel",
        "je me tue à répéter aux élus que le projet est utile",
        "je vais me pendre au cou du facteur s'il apporte l'agrément",
        "je meurs de faim, vivement midi",
        "mon projet est mort-né, je vais en monter un autre",
        "j'ai envie de disparaître sous la couette tout le week-end",
        "la grange du voisin s'est effondrée avec la neige",
    ],
)
def test_more_everyday_talk_and_projects_raise_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_money_is_not_under_the_tractor(net: SafetyNet) -> None:
    # « des sous » is money (an idiom of safety.yaml): the learned reading had heard « sous
    # le tracteur », an accident
    assert net.check("maintenant il faut des sous pour le tracteur") == ()
    assert net.check("mon voisin est coincé sous son tracteur renversé") == ("danger",)


def test_a_short_clause_needs_the_learned_reading_surer(
    net: SafetyNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conseiller import safety

    # a learned reading between the two thresholds on every clause (the shipped one's score on
    # any one sentence moves with its examples)
    assert net.learned is not None
    between = (safety.LEARNED_THRESHOLD + safety.LEARNED_SHORT_THRESHOLD) / 2
    monkeypatch.setattr(net.learned, "read", lambda window, plain: (3, between))
    monkeypatch.setattr(net.learned, "kind", lambda window: "suicide")
    # three content words or fewer: a weak clue, which had alarmed on everyday talk
    assert net.check("les vaches sont rentrées") == ()
    assert net.check("les vaches sont rentrées avec le voisin du hameau") == ("suicide",)
    monkeypatch.setattr(safety, "LEARNED_SHORT_THRESHOLD", safety.LEARNED_THRESHOLD)
    assert net.check("les vaches sont rentrées") == ("suicide",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jai mis de coté des medocs, ce soir je les prends tous", "suicide"),
        ("j'ai acheté ce qu'il faut pour partir tranquillement", "suicide"),
        ("si la banque refuse demain je me fous en l'air", "suicide"),
        ("les petits d'à côté sont tout seuls depuis 3 jours", "enfance-en-danger"),
        ("on est coincés par l'eau au moulin, ça monte", "danger"),
        ("un incendie dans la forêt juste au-dessus des maisons", "danger"),
    ],
)
def test_a_few_more_phrasings_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


def test_a_project_accompanying_people_after_a_suicide_attempt_is_calm(net: SafetyNet) -> None:
    text = "Nous accompagnons des personnes qui ont fait une tentative de suicide, avec l'hôpital"
    assert net.check(text) == ()
    assert (
        net.check("je voudrais en finir une bonne fois pour toutes avec les tableaux excel") == ()
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("j'ai mis la corde dans le hangar, j'y pense tous les soirs", "suicide"),
        ("je suis en haut de la falaise, je vais sauter", "suicide"),
        ("jsui a bout, je v me tuer", "suicide"),
        ("he hit me again, my husband", "violences-conjugales"),
        ("le mari de l'agricultrice que j'accompagne la frappe", "violences-conjugales"),
        ("les deux petits restent seuls toute la nuit", "enfance-en-danger"),
        ("quelqu'un a sorti une machette sur le parking du marché", "danger"),
        ("mon mari fait un malaise, il a la bouche de travers", "danger"),
        ("j'ai peur chez moi", "danger"),
    ],
)
def test_the_eighth_pass_phrasings_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "bref la saison a été une catastrophe, on va devoir se serrer la ceinture",
        "je pars en retraite, adieu la classe de CM2 !",
        "j'ai peur chez moi que le toit fuie encore cet hiver",
    ],
)
def test_the_eighth_pass_everyday_talk_is_calm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_all_patterns_at_once_find_what_each_finds(net: SafetyNet) -> None:
    # the word-start check is said once in front of every kind's patterns (twice as fast):
    # it must find exactly what the patterns find one by one
    clauses = [
        net._words(text)
        for item in DEV["distress"]
        for text in [item["text"], f"bonjour {item['text']} merci"]
    ] + ["on cherche un local", "ma femme me frappe", "xmafemme me frappe", "suicidaire"]
    for kind in net.kinds:
        for words in clauses:
            one_by_one = any(p.search(words) for p in kind.patterns)
            assert bool(kind.any_pattern.search(words)) == one_by_one, (kind.id, words)


def test_talk_about_projects_makes_its_words_weigh_less_toward_distress() -> None:
    from conseiller.safety import LearnedReading

    examples = {"suicide": ["je veux mourir", "la banque me pousse à en finir"]}
    everyday = ["il pleut sur le marché", "le tracteur est en panne"]
    projects = ["la banque ne répond plus", "la banque a refusé le prêt", "un prêt de la banque"]
    alone = LearnedReading(examples, everyday)
    told = LearnedReading(examples, everyday, projects=projects)
    assert told.read("la banque")[1] < alone.read("la banque")[1]
    assert told.read("mourir")[1] >= alone.read("mourir")[1]  # words of distress only stay


def test_what_was_counted_of_project_talk_is_kept_between_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conseiller import safety
    from conseiller.safety import LearnedReading

    examples = {"suicide": ["je veux mourir", "la banque me pousse à en finir"]}
    everyday = ["il pleut sur le marché"]
    projects = ["la banque ne répond plus", "un prêt de la banque"]
    first = LearnedReading(examples, everyday, projects=projects, cache=tmp_path)
    saved = list(tmp_path.glob("talk-*.json"))
    assert len(saved) == 1 and (saved[0].stat().st_mode & 0o777) == 0o600
    counted: list[str] = []
    features = LearnedReading.features

    def counting(self: LearnedReading, text: str) -> Counter[str]:
        counted.append(text)
        return features(self, text)

    monkeypatch.setattr(LearnedReading, "features", counting)
    again = LearnedReading(examples, everyday, projects=projects, cache=tmp_path)
    assert again.weights == first.weights
    assert not set(projects) & set(counted)  # read from the file, not counted again
    saved[0].write_text("{not json", encoding="utf-8")  # damaged: counted again, rewritten
    assert LearnedReading(examples, everyday, projects=projects, cache=tmp_path).weights == (
        first.weights
    )
    assert set(projects) <= set(counted)
    monkeypatch.setattr(safety, "CACHED_TALK", 1)
    LearnedReading(examples, everyday, projects=["autre chose"], cache=tmp_path)
    assert len(list(tmp_path.glob("talk-*.json"))) == 1  # only the newest is kept


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # distress written in another language is found
        ("mi marido me pega, je parle pas bien français, aide moi", "violences-conjugales"),
        ("meu marido me bate", "violences-conjugales"),
        ("mein Mann schlägt mich", "violences-conjugales"),
        ("ich will nicht mehr leben, désolé mon français", "suicide"),
        ("quiero morir", "suicide"),
        ("voglio uccidermi", "suicide"),
        ("bghit nmout", "suicide"),
        ("el padre pega a los niños", "enfance-en-danger"),
        ("hay fuego en la casa del vecino", "danger"),
        ("es brennt in der Scheune", "danger"),
        # joining the dead control and a child shut in are found
        ("ma femme est morte cet hiver et je veux la rejoindre", "suicide"),
        ("je voudrais arrêter de respirer", "suicide"),
        ("je me brûle pour oublier", "automutilation"),
        ("il lit mes messages et confisque ma carte", "violences-conjugales"),
        ("je suis terrorisée", "violences-conjugales"),
        ("la gamine des voisins est seule depuis trois jours", "enfance-en-danger"),
        ("un petit tout seul enfermé dans la voiture au soleil", "enfance-en-danger"),
        # means made ready harm told plainly and a person down are found
        ("j'ai acheté les cachets, je vais tous les prendre", "suicide"),
        ("jai prevu la corde", "suicide"),
        ("la carabine est sur la table et je réfléchis", "suicide"),
        ("bientôt vous n'entendrez plus parler de moi", "suicide"),
        ("jveu en finir", "suicide"),
        ("je me suis fait du mal encore cette nuit", "automutilation"),
        ("ma fille ado se coupe", "automutilation"),
        ("mon copain garde mes papiers et me tape", "violences-conjugales"),
        ("un gamin attaché dans la grange", "enfance-en-danger"),
        ("un animateur tripote les gamines", "enfance-en-danger"),
        ("ma voisine est par terre inconsciente", "danger"),
        ("un randonneur est tombé à l'eau", "danger"),
        # pills taken threats on children fire and a car into a crowd are found
        ("jai pri tout les cachets", "suicide"),
        ("j'ai les cachets dans la main", "suicide"),
        ("le fusil sur les genoux toute la nuit", "suicide"),
        ("j'étais à deux doigts de passer à l'acte", "suicide"),
        ("si je porte plainte il prendra les enfants", "violences-conjugales"),
        ("un petit pleure dehors sur le palier depuis des heures", "enfance-en-danger"),
        ("une gamine toute seule au bord de la nationale", "enfance-en-danger"),
        ("le fils du voisin m'a dit qu'on le bat tous les soirs", "enfance-en-danger"),
        ("au feu !", "danger"),
        ("la grange prend feu", "danger"),
        ("l'incendie se propage, des gens coincés à l'étage", "danger"),
        ("une voiture fonce sur la foule au marché", "danger"),
        ("il me tient par le cou", "danger"),
        ("mon voisin est tombé dans l'étang et il ne sait pas nager", "danger"),
    ],
)
def test_the_tenth_pass_phrasings_are_found(net: SafetyNet, text: str, kind: str) -> None:
    assert kind in net.check(text)


@pytest.mark.parametrize(
    "text",
    [
        # saying one speaks little french is no alarm
        "je parle pas bien français, je cherche des bénévoles",
        "how can I rent a room? je parle pas bien francais",
        "pardon pour mon français, je veux ouvrir un café",
        "quiero abrir una tienda en el pueblo",
        # working hard jokes and tired faces stay calm
        "on se tue à la tâche pour la saison",
        "réunion de bureau jeudi soir, au secours lol",
        "je me flingue pas pour ce formulaire, il attendra",
        "le président avait l'air fatigué à l'AG",
        "ma fille a eu une mauvaise note, elle boude",
        "je suis terrifiée par la compta",
        # letting a shop die a plan fallen through and family news stay calm
        "le bar va fermer, on veut le racheter plutôt que le laisser mourir",
        "le projet de gîte est tombé à l'eau",
        "notre association touche les enfants de tout le canton",
        "j'ai prévu la corde pour le tipi des enfants",
        "je me suis fait du mal au dos en portant les caisses",
        "mon fils se coupe les cheveux tout seul maintenant",
        "ma fille revient de Paris pour l'été",
        "ma copine m'énerve quand elle range mes affaires",
        # taking the plunge and caring for a parent stay calm
        "je vais me jeter à l'eau et ouvrir la boutique",
        "le déménagement m'a achevé",
        "ma mère a Alzheimer, je passe la voir tous les jours",
        "le prix du pain a augmenté",
        "le gâteau brûle, zut",
    ],
)
def test_the_tenth_pass_everyday_talk_is_calm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


@pytest.mark.parametrize(
    ("text", "calm"),
    [
        ("j'ai réglé mes papiers et confié mon chat à la voisine", False),
        ("j'ai donné mes outils et mon chien", False),
        ("j'ai trié les papiers de l'asso et donné les vieux classeurs", True),
        ("on a peur de faire une bêtise avec le bail", True),
        ("j'ai peur de faire une bêtise", False),
        ("le coq réveille tout le monde", True),
    ],
)
def test_affairs_put_in_order_and_a_foolish_mistake_feared_together(
    net: SafetyNet, text: str, calm: bool
) -> None:
    assert (net.check(text) == ()) is calm
