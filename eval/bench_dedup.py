"""Benchmark of deduplication alone: generated mentions with realistic variation → entities.

    python eval/bench_dedup.py                      # 10k, 100k, 1M mentions, each in a fresh process
    python eval/bench_dedup.py --sizes 10000 30000  # other sizes
    python eval/bench_dedup.py --one 1000000        # one size in this process (what the driver runs)

The generator writes what the tagger and normaliser hand the linker, for plans of many
towns: staff names (case forms, a letter mistyped, initials shortened) that belong to one
document's issuer; bodies of each town (case forms, abbreviations defined in the document or
used as a suffix — ``… ЧМР`` — quotes varied, a letter mistyped) and national bodies; laws
and Cabinet resolutions cited in full, by bare title, or with a mistyped date. Generation
and normalisation of the distinct forms are not timed; the timed part is
``Deduplicator().run`` on the mention records — keys (lemmas), blocking, fuzzy rules and
entity assembly. The peak RSS is that of the whole process. The generator knows which
entity each mention really is, so the B-cubed figures say whether the merges were right.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.link import Deduplicator, MentionRecord  # noqa: E402
from pipeline.normalise.legal_acts import normalise_act  # noqa: E402
from pipeline.normalise.names import normalise_person  # noqa: E402

SYLLABLES = ["бер", "ез", "ан", "пок", "ров", "сва", "то", "чер", "ні", "гів", "бу", "ча", "ли", "ман",
             "ко", "ро", "сте", "ва", "ми", "ро", "на", "дуб", "лин", "тал", "жит", "кам", "ян", "хор"]
SURNAMES = ["Коваленко", "Бондаренко", "Ткаченко", "Шевченко", "Кравченко", "Мельник", "Олійник",
            "Петрук", "Остролуцька", "Пітателева", "Мальцева", "Войтова", "Скоренко", "Гончаренко",
            "Савченко", "Руденко", "Марченко", "Лисенко", "Левченко", "Поліщук", "Білоус", "Литвиненко",
            "Павленко", "Костенко", "Захарченко", "Тимошенко", "Демченко", "Мороз", "Кузьменко", "Сидоренко"]
LETTERS = "АБВГДЄЗІКЛМНОПРСТФХЧШЮЯ"
# Body heads in the cases plans write them: nominative, genitive, dative, instrumental.
HEADS = [
    ("Центр соціальних служб", "Центру соціальних служб", "Центрові соціальних служб", "Центром соціальних служб"),
    ("Служба у справах дітей", "Служби у справах дітей", "Службі у справах дітей", "Службою у справах дітей"),
    ("Управління соціального захисту населення", "Управління соціального захисту населення",
     "Управлінню соціального захисту населення", "Управлінням соціального захисту населення"),
    ("Відділ освіти", "Відділу освіти", "Відділу освіти", "Відділом освіти"),
    ("Департамент соціальної політики", "Департаменту соціальної політики", "Департаменту соціальної політики",
     "Департаментом соціальної політики"),
]
NATIONAL = ["Міністерство соціальної політики України", "Кабінет Міністрів України", "Дитячий фонд ООН",
            "Національна соціальна сервісна служба України", "Міністерство освіти і науки України"]
TITLES = ["Про соціальні послуги", "Про соціальну роботу з дітьми та молоддю", "Про охорону дитинства",
          "Про запобігання та протидію домашньому насильству", "Про місцеве самоврядування в Україні",
          "Про забезпечення організаційно-правових умов соціального захисту дітей-сиріт",
          "Про реабілітацію осіб з інвалідністю в Україні", "Про зайнятість населення"]


def typo(word: str, rng: random.Random) -> str:
    """One letter replaced inside the word (not the first or the last)."""
    if len(word) < 6:
        return word
    i = rng.randrange(2, len(word) - 2)
    return word[:i] + rng.choice("аеиоу") + word[i + 1:]


class Generator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        towns = set()
        while len(towns) < 3000:
            towns.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 3)))).capitalize())
        self.towns = sorted(towns)
        self.laws = [(f"{1000 + 37 * i}-{self.rng.choice(['VIII', 'IX', 'III', 'IV'])}", t) for i, t in enumerate(TITLES)]
        self.resolutions = [(f"{self.rng.randrange(1, 1500)}", f"20{self.rng.randrange(10, 24)}-0{self.rng.randrange(1, 9)}-1{self.rng.randrange(0, 9)}",
                             f"Про затвердження Порядку надання послуги {self.rng.choice(SYLLABLES)}{i}")
                            for i in range(400)]

    def document(self, doc_id: str, n_mentions: int) -> tuple[list[MentionRecord], list[tuple]]:
        """The records of one plan, and for each the entity it really is."""
        rng = self.rng
        town = rng.choice(self.towns)
        council_nom, council_gen = f"{town}ська міська рада", f"{town}ської міської ради"
        abbreviation = f"{town[0]}МР"
        scope = f"issuer:центр соціальний служба {town.lower()}ський"
        staff = [(rng.choice(SURNAMES), rng.choice(LETTERS), rng.choice(LETTERS)) for _ in range(rng.randrange(5, 25))]
        bodies = rng.sample(HEADS, 3)
        out: list[MentionRecord] = []
        truth: list[tuple] = []
        for _ in range(n_mentions):
            kind = rng.random()
            if kind < 0.35:  # a person
                surname, a, b = rng.choice(staff)
                truth.append(("person", scope, surname, a, b))
                roll = rng.random()
                if roll < 0.05:
                    surname = typo(surname, rng)
                text = f"{surname} {a}." if roll > 0.95 else f"{surname} {a}.{b}."
                out.append(MentionRecord(doc_id, "PERSON", text, person_norm(text), scope))
            elif kind < 0.70:  # a body of the town, or a national one
                roll = rng.random()
                if roll < 0.15:
                    name = rng.choice(NATIONAL)
                    truth.append(("org", name))
                    out.append(MentionRecord(doc_id, "ORG", name, {"name": name}))
                    continue
                forms = rng.choice(bodies)
                head = forms[rng.randrange(4)]
                truth.append(("org", town, forms[0]) if roll >= 0.50 or roll < 0.40 else ("org", town, forms[0]))
                if roll < 0.35:
                    name = f"{head} {abbreviation}"
                elif roll < 0.40:
                    name = f"{head} {typo(council_gen.split()[0], rng)} міської ради"
                elif roll < 0.50:
                    name = council_nom
                    truth[-1] = ("org", town, "council")
                else:
                    name = f"{head} {council_gen}"
                norm = {"name": name, "abbreviation": abbreviation if name == council_nom else None}
                out.append(MentionRecord(doc_id, "ORG", name, norm))
            else:  # a legal act
                roll = rng.random()
                if roll < 0.5:
                    number, title = rng.choice(self.laws)
                    truth.append(("act", number))
                    text = (f"Закону України від 01.02.2003 № {number} «{title}»" if roll < 0.2
                            else f"Закону України «{title}»" if roll < 0.4 else f"ЗУ «{title}»")
                else:
                    number, date, title = rng.choice(self.resolutions)
                    truth.append(("act", number, title))
                    year, month, day = date.split("-")
                    if roll > 0.97:
                        year = str(int(year) + 1)
                    text = (f"постанови Кабінету Міністрів України від {day}.{month}.{year} № {number} «{title}»"
                            if roll < 0.9 else f"«{title}»")
                out.append(MentionRecord(doc_id, "LEGAL_ACT", text, act_norm(text)))
        return out, truth

    def mentions(self, total: int, per_document: int = 200) -> tuple[list[MentionRecord], list[tuple]]:
        records: list[MentionRecord] = []
        truth: list[tuple] = []
        i = 0
        while len(records) < total:
            more, real = self.document(f"doc{i:06d}", min(per_document, total - len(records)))
            records += more
            truth += real
            i += 1
        return records, truth


def bcubed(truth: list, predicted: list) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``predicted`` clusters against ``truth``."""
    from collections import Counter

    pair = Counter(zip(truth, predicted))
    by_truth, by_pred = Counter(truth), Counter(predicted)
    precision = sum(n * n / by_pred[p] for (_, p), n in pair.items()) / len(truth)
    recall = sum(n * n / by_truth[t] for (t, _), n in pair.items()) / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


@lru_cache(maxsize=None)
def person_norm(text: str) -> dict:
    return normalise_person(text)


@lru_cache(maxsize=None)
def act_norm(text: str) -> dict:
    return normalise_act(text, {"heading_type": "law"} if text.startswith("«Про соціальні") else {})


def run_one(size: int) -> dict:
    # Start-up (imports, pymorphy3's dictionary) is paid once per process, not per mention:
    # a small warm-up run on other documents takes it out of the timing.
    Deduplicator().run(Generator(seed=1).mentions(200)[0])
    records, truth = Generator().mentions(size)
    started = time.perf_counter()
    clustering = Deduplicator().run(records)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_label: dict[str, int] = {}
    for e in clustering.entities:
        by_label[e.label] = by_label.get(e.label, 0) + 1
    precision, recall, f1 = bcubed(truth, clustering.assignment)
    return {
        "bcubed_p": round(precision, 4), "bcubed_r": round(recall, 4), "bcubed_f1": round(f1, 4),
        "mentions": size, "documents": len({r.doc_id for r in records}), "seconds": round(elapsed, 2),
        "mentions_per_s": round(size / elapsed), "peak_rss_mb": round(peak), "entities": len(clustering.entities),
        "merges": sum(len(e.merges) for e in clustering.entities), "entities_by_label": by_label,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help="Run one size in this process and print JSON.")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one), ensure_ascii=False))
        return
    print(f"{'mentions':>10} {'docs':>6} {'seconds':>8} {'mentions/s':>11} {'µs/mention':>11} {'peak RSS MB':>12} {'entities':>9} {'merges':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    for size in args.sizes:
        # A fresh process per size, so each peak RSS is its own.
        line = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True).stdout
        r = json.loads(line)
        print(f"{r['mentions']:>10} {r['documents']:>6} {r['seconds']:>8} {r['mentions_per_s']:>11} "
              f"{1e6 * r['seconds'] / r['mentions']:>11.1f} {r['peak_rss_mb']:>12} {r['entities']:>9} {r['merges']:>7} {r['bcubed_p']:>6.3f} {r['bcubed_r']:>6.3f} {r['bcubed_f1']:>6.3f}")


if __name__ == "__main__":
    main()
