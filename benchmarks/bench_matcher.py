"""Matcher quality and latency.

Run: .venv/bin/python -m benchmarks.bench_matcher [--only NAME] [--no-latency]
Quality: the shared dev set, our own evaluation and safety sets (tuned on) and the held-out
sets (written apart, never tuned on; only their figures are printed, never a sentence),
scored like shared/tools/score_matcher.py: per bucket, top1 (core and typo), likely-precision
(share of pre-selected needs that were said), the safety net's recall on distress ("urgence",
also per kind) and its false alarms on everyday hyperbole and hard subjects (1 - "calm").
Latency: p50/p95 per utterance on the shipped content, and on a synthetic 20,000-phrase
vocabulary. Goals: p95 <= 2 ms (shipped), <= 20 ms (20,000 phrases).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from conseiller.catalog import load_catalog
from conseiller.matching import Matcher, matcher_for
from conseiller.schema import Need, Vocabulary

HERE = Path(__file__).resolve().parent
SETS = {
    "dev (shared)": HERE.parent.parent / "shared" / "reference" / "dev_utterances.yaml",
    # Since the seventh pass, the learned reading learns from these sets' single-need and
    # out-of-scope sentences (content/examples.yaml): their figures are fit, not generalisation.
    "eval (ours, trained on)": HERE / "data" / "matcher_eval.yaml",
    "eval 2 (ours, trained on)": HERE / "data" / "matcher_dev2.yaml",
    "eval 3 (ours, trained on)": HERE / "data" / "matcher_dev3.yaml",
    "eval 4 (ours, trained on)": HERE / "data" / "matcher_dev4.yaml",
    "eval 5 (ours, trained on)": HERE / "data" / "matcher_dev5.yaml",
    "eval 6 (ours, trained on)": HERE / "data" / "matcher_dev6.yaml",
    "held-out (trained on)": HERE / "data" / "heldout.yaml",
    "held-out 2 (trained on)": HERE / "data" / "heldout2.yaml",
    "held-out 3 (trained on)": HERE / "data" / "heldout3.yaml",
    # Written blind (only needs.md read) and measured by the coordinator during the seventh
    # pass (benchmarks/data/README.md); since the eighth, the learned readings learn from their
    # single-need and out-of-scope sentences (matcher) and from the distress and calm sentences
    # of 4, 5, 7, 8, 9 and 11 (safety net): their figures are fit, not generalisation.
    "held-out 4 (trained on)": HERE / "data" / "heldout4.yaml",
    "held-out 5 (trained on)": HERE / "data" / "heldout5.yaml",
    "held-out 6 (trained on)": HERE / "data" / "heldout6.yaml",
    "held-out 7 (trained on)": HERE / "data" / "heldout7.yaml",
    "held-out 10 (trained on)": HERE / "data" / "heldout10.yaml",
    "held-out 11 (trained on)": HERE / "data" / "heldout11.yaml",
    "held-out 12 (trained on)": HERE / "data" / "heldout12.yaml",
    "held-out 4 (safety, trained on)": HERE / "data" / "heldout4_safety.yaml",
    "held-out 5 (safety, trained on)": HERE / "data" / "heldout5_safety.yaml",
    "held-out 6 (safety, tuned on)": HERE / "data" / "heldout6_safety.yaml",
    "held-out 7 (safety, trained on)": HERE / "data" / "heldout7_safety.yaml",
    "held-out 8 (safety, trained on)": HERE / "data" / "heldout8_safety.yaml",
    "held-out 9 (safety, trained on)": HERE / "data" / "heldout9_safety.yaml",
    "held-out 10 (safety, tuned on)": HERE / "data" / "heldout10_safety.yaml",
    "held-out 11 (safety, trained on)": HERE / "data" / "heldout11_safety.yaml",
    "held-out 12 (safety, tuned on)": HERE / "data" / "heldout12_safety.yaml",
    # Written blind (blind13 to blind17) during the eighth pass: 13 measured once midway, 14 to
    # 17 once on the matcher of 193afaa, then used to choose; since the ninth pass the learned
    # readings learn from them (their figures are fit). 18 and 19, written blind after that,
    # measured once at the end of the eighth pass, then used to choose in the ninth.
    "held-out 13 (trained on)": HERE / "data" / "heldout13.yaml",
    "held-out 13 (safety, trained on)": HERE / "data" / "heldout13_safety.yaml",
    "held-out 14 (trained on)": HERE / "data" / "heldout14.yaml",
    "held-out 14 (safety, trained on)": HERE / "data" / "heldout14_safety.yaml",
    "held-out 15 (trained on)": HERE / "data" / "heldout15.yaml",
    "held-out 15 (safety, trained on)": HERE / "data" / "heldout15_safety.yaml",
    "held-out 16 (trained on)": HERE / "data" / "heldout16.yaml",
    "held-out 16 (safety, calm trained on)": HERE / "data" / "heldout16_safety.yaml",
    "held-out 17 (trained on)": HERE / "data" / "heldout17.yaml",
    "held-out 17 (safety, trained on)": HERE / "data" / "heldout17_safety.yaml",
    "held-out 18 (used to choose)": HERE / "data" / "heldout18.yaml",
    "held-out 18 (safety, used to choose)": HERE / "data" / "heldout18_safety.yaml",
    "held-out 19 (used to choose)": HERE / "data" / "heldout19.yaml",
    "held-out 19 (safety, used to choose)": HERE / "data" / "heldout19_safety.yaml",
    # Written blind (blind20 to blind27) during the ninth pass: 20 and 21 measured once at the
    # start, 22 and 23 midway, each then used to choose; 24 to 27 measured once at the end,
    # then used to choose in the tenth pass.
    "held-out 20 (used to choose)": HERE / "data" / "heldout20.yaml",
    "held-out 20 (safety, used to choose)": HERE / "data" / "heldout20_safety.yaml",
    "held-out 21 (used to choose)": HERE / "data" / "heldout21.yaml",
    "held-out 21 (safety, used to choose)": HERE / "data" / "heldout21_safety.yaml",
    "held-out 22 (used to choose)": HERE / "data" / "heldout22.yaml",
    "held-out 22 (safety, used to choose)": HERE / "data" / "heldout22_safety.yaml",
    "held-out 23 (used to choose)": HERE / "data" / "heldout23.yaml",
    "held-out 23 (safety, used to choose)": HERE / "data" / "heldout23_safety.yaml",
    "held-out 24 (used to choose)": HERE / "data" / "heldout24.yaml",
    "held-out 24 (safety, used to choose)": HERE / "data" / "heldout24_safety.yaml",
    "held-out 25 (used to choose)": HERE / "data" / "heldout25.yaml",
    "held-out 25 (safety, used to choose)": HERE / "data" / "heldout25_safety.yaml",
    "held-out 26 (used to choose)": HERE / "data" / "heldout26.yaml",
    "held-out 26 (safety, used to choose)": HERE / "data" / "heldout26_safety.yaml",
    "held-out 27 (used to choose)": HERE / "data" / "heldout27.yaml",
    "held-out 27 (safety, used to choose)": HERE / "data" / "heldout27_safety.yaml",
    # Written blind (blind28 to blind37) during the tenth pass and checked by a reviewer who
    # ran nothing (four wrong gold labels of heldout24 corrected, benchmarks/data/README.md):
    # 28 and 29 measured once after the first changes, then used to choose; 34 to 37 measured
    # once midway, then used to choose; 30 to 33 measured once at the end.
    "held-out 28 (used to choose)": HERE / "data" / "heldout28.yaml",
    "held-out 28 (safety, used to choose)": HERE / "data" / "heldout28_safety.yaml",
    "held-out 29 (used to choose)": HERE / "data" / "heldout29.yaml",
    "held-out 29 (safety, used to choose)": HERE / "data" / "heldout29_safety.yaml",
    "held-out 34 (used to choose)": HERE / "data" / "heldout34.yaml",
    "held-out 34 (safety, used to choose)": HERE / "data" / "heldout34_safety.yaml",
    "held-out 35 (used to choose)": HERE / "data" / "heldout35.yaml",
    "held-out 35 (safety, used to choose)": HERE / "data" / "heldout35_safety.yaml",
    "held-out 36 (used to choose)": HERE / "data" / "heldout36.yaml",
    "held-out 36 (safety, used to choose)": HERE / "data" / "heldout36_safety.yaml",
    "held-out 37 (used to choose)": HERE / "data" / "heldout37.yaml",
    "held-out 37 (safety, used to choose)": HERE / "data" / "heldout37_safety.yaml",
    "held-out 30 (measured once)": HERE / "data" / "heldout30.yaml",
    "held-out 30 (safety, measured once)": HERE / "data" / "heldout30_safety.yaml",
    "held-out 31 (measured once)": HERE / "data" / "heldout31.yaml",
    "held-out 31 (safety, measured once)": HERE / "data" / "heldout31_safety.yaml",
    "held-out 32 (measured once)": HERE / "data" / "heldout32.yaml",
    "held-out 32 (safety, measured once)": HERE / "data" / "heldout32_safety.yaml",
    "held-out 33 (measured once)": HERE / "data" / "heldout33.yaml",
    "held-out 33 (safety, measured once)": HERE / "data" / "heldout33_safety.yaml",
    "safety dev (ours)": HERE / "data" / "safety_dev.yaml",
    "safety dev 2 (ours)": HERE / "data" / "safety_dev2.yaml",
    "safety dev 3 (ours)": HERE / "data" / "safety_dev3.yaml",
    "safety dev 4 (ours)": HERE / "data" / "safety_dev4.yaml",
    "safety dev 5 (never tuned on)": HERE / "data" / "safety_dev5.yaml",
}


def score(matcher: Matcher, path: Path) -> dict[str, float]:
    """The same buckets and rules as shared/tools/score_matcher.py."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    buckets: dict[str, list[bool]] = {}
    kinds: dict[str, list[bool]] = {}
    likely_hit = likely_all = 0
    for item in items:
        result = matcher.match(item["text"])
        ids = result.need_ids
        gold = item["gold"]
        bucket = item.get("bucket") or ("oos" if not gold else "multi" if len(gold) > 1 else "core")
        if gold and bucket not in ("oos", "urgence", "calm"):
            likely_all += len(result.likely_ids)
            likely_hit += sum(1 for n in result.likely_ids if n in gold)
        if bucket not in ("urgence", "calm"):  # how much of a bucket the safety net took
            kinds.setdefault(f"alarm:{bucket}", []).append(result.urgence)
        if bucket == "oos":
            ok = ids == [] and not result.urgence
        elif bucket == "urgence":
            ok = ids == [] and result.urgence
            kinds.setdefault(str(item.get("kind", "?")), []).append(ok)
        elif bucket == "calm":
            ok = not result.urgence
        elif bucket == "multi":
            ok = all(g in ids[:3] for g in gold)
        else:
            ok = bool(ids) and ids[0] in gold
        buckets.setdefault(bucket, []).append(ok)
    rates = {b: sum(v) / len(v) for b, v in buckets.items()}
    inscope = [ok for b in ("core", "typo") for ok in buckets.get(b, [])]
    if inscope:
        rates["top1"] = sum(inscope) / len(inscope)
    if likely_all:
        rates["likely_precision"] = likely_hit / likely_all
    if "calm" in rates:
        rates["false_alarms"] = 1.0 - rates["calm"]
    for kind, oks in kinds.items():
        name = kind if kind.startswith("alarm:") else f"urgence:{kind}"
        rates[name] = sum(oks) / len(oks)
    return rates


def latency(matcher: Matcher, texts: list[str], rounds: int = 5) -> tuple[float, float]:
    """p50 and p95 in milliseconds per utterance, each seen for the first time (cold cache)."""
    for text in texts:
        matcher.match(text)
    samples = []
    for _ in range(rounds):
        for text in texts:
            matcher.clear_cache()
            start = time.perf_counter()
            matcher.match(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


SYLLABLES = [
    "ba",
    "co",
    "ri",
    "tu",
    "mon",
    "pel",
    "sar",
    "vin",
    "lo",
    "quet",
    "dra",
    "fi",
    "nal",
    "per",
    "gou",
    "ste",
    "mar",
    "lin",
    "bro",
    "cha",
]


def synthetic_needs(phrases: int, seed: int = 7) -> list[Need]:
    """20 needs whose vocabulary is invented words, `phrases` phrases in all."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(8000)]
    needs = []
    per_need = phrases // 20
    for i in range(20):
        own = [
            " ".join(rng.choice(words) for _ in range(rng.randint(3, 7))) for _ in range(per_need)
        ]
        needs.append(
            Need(
                id=f"besoin-{i}",
                label=f"Besoin {i}",
                description="Synthétique.",
                vocabulary=Vocabulary(words=own[:10], phrases=own[10:]),
            )
        )
    return needs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="a set's name (repeatable)")
    parser.add_argument("--no-latency", action="store_true", help="quality figures only")
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as cache:  # a first start, then the next ones
        os.environ["XDG_CACHE_HOME"] = cache
        start = time.perf_counter()
        matcher_for(catalog)
        first = time.perf_counter() - start
        start = time.perf_counter()
        matcher = matcher_for(catalog)
        built = time.perf_counter() - start
    print(f"both learned readings: first start {first:.2f} s, next starts {built:.2f} s")
    for name, path in SETS.items():
        if args.only and name not in args.only:
            continue
        if not path.is_file():
            print(f"{name}: {path} not found, skipped")
            continue
        rates = score(matcher, path)
        shown = " ".join(f"{k}={v:.3f}" for k, v in sorted(rates.items()))
        print(f"quality {name}: {shown}")
    print(f"index built in {built * 1000:.0f} ms")
    if args.no_latency:
        return
    texts = []
    for path in SETS.values():
        if path.is_file():
            texts += [i["text"] for i in yaml.safe_load(path.read_text("utf-8"))["items"]]
    p50, p95 = latency(matcher, texts)
    print(
        f"shipped content: index built in {built * 1000:.0f} ms, "
        f"{matcher.vocabulary_size} keys; p50={p50:.2f} ms p95={p95:.2f} ms (goal p95 <= 2)"
    )
    start = time.perf_counter()
    big = Matcher(synthetic_needs(20_000))
    built = time.perf_counter() - start
    p50, p95 = latency(big, texts, rounds=2)
    print(
        f"20,000 synthetic phrases: index built in {built:.1f} s, {big.vocabulary_size} keys; "
        f"p50={p50:.2f} ms p95={p95:.2f} ms (goal p95 <= 20)"
    )


if __name__ == "__main__":
    main()
