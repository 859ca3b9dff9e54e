"""Generate a realistic French news corpus for the scale benchmark (never committed).

Articles of 20-40 sentences over a Zipfian vocabulary (a few very common words, a long tail of
rare ones, as in real text), with names from the gazetteer, invented people and companies,
figures (money, percentages, counts, years) and the boilerplate real scraped pages carry.

    python benchmarks/generate.py OUT_DIR --articles 10000 [--seed 1] [--start 0]
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

STEMS = (
    "puce processeur serveur réseau modèle donnée calcul usine contrat marché client fournisseur "
    "investissement capital gouvernement régulateur licence brevet stock commande livraison tarif "
    "prix coût budget revenu marge action bourse analyste rapport étude enquête projet plan stratégie "
    "énergie électricité refroidissement centre campus câble mémoire logiciel plateforme service "
    "abonnement utilisateur développeur chercheur ingénieur laboratoire université partenariat alliance "
    "acquisition fusion filiale concurrent rival leader pionnier start-up géant secteur industrie "
    "technologie innovation recherche production capacité pénurie demande offre croissance baisse hausse "
    "risque sécurité souveraineté export sanction douane taxe subvention aide fonds banque assureur"
).split()
SUFFIXES = [
    "",
    "s",
    "al",
    "aux",
    "ique",
    "iques",
    "ion",
    "ions",
    "eur",
    "eurs",
    "age",
    "ages",
    "ité",
    "ement",
]
VERBS = (
    "annonce prévoit confirme dément estime affirme révèle lance déploie retarde reporte acquiert rachète "
    "vend achète construit développe teste signe investit dépense réduit augmente limite produit livre "
    "commande négocie finance soutient dépasse domine concurrence attaque"
).split()
CONNECTORS = [
    "Selon",
    "Cependant,",
    "Par ailleurs,",
    "En effet,",
    "De plus,",
    "Toutefois,",
    "Ainsi,",
    "Pourtant,",
]
FIRST = (
    "Jean Marie Pierre Claire Lucas Emma Hugo Léa Paul Chloé Louis Camille Arthur Inès Jules Sarah".split()
)
LAST = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel".split()
GAZETTEER = (
    (
        "OpenAI Nvidia Microsoft Google Amazon Meta AMD Intel TSMC Samsung Broadcom Anthropic Apple "
        "Reuters Bloomberg ChatGPT H100 Blackwell Sam\u00a0Altman Elon\u00a0Musk"
    )
    .replace("\u00a0", "_")
    .split()
)
BOILERPLATE = [
    "Crédit photo : AFP",
    "image.png",
    "Comment (0)",
    "Laisser un commentaire",
    "Suivez-nous sur Facebook | Twitter | LinkedIn",
    "À lire aussi : notre dossier IA",
]


def zipf_vocabulary(rng: random.Random, size: int = 40_000) -> tuple[list[str], list[float]]:
    """`size` distinct French-looking words and their cumulative Zipfian weights (1/rank)."""
    words: list[str] = []
    seen: set[str] = set()
    syllables = [
        "ra",
        "lo",
        "mi",
        "ne",
        "ta",
        "vé",
        "ri",
        "cu",
        "po",
        "sé",
        "di",
        "fa",
        "ga",
        "bu",
        "lé",
        "mo",
    ]
    for stem in STEMS:
        for suffix in SUFFIXES:
            word = stem + suffix
            if word not in seen:
                seen.add(word)
                words.append(word)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + rng.choice(SUFFIXES)
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    return words, list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))


def figure(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"{rng.randint(1, 999)} milliards de dollars"
    if kind == 1:
        return f"{rng.randint(1, 99)},{rng.randint(0, 9)} %"
    if kind == 2:
        return f"{rng.randint(1, 99)}\u202f{rng.randint(0, 999):03d} GPU"
    if kind == 3:
        return f"en {rng.randint(2015, 2030)}"
    return f"{rng.randint(2, 900)} $ par mois"


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    n = rng.randint(8, 22)
    body = rng.choices(words, cum_weights=weights, k=n)
    subject = rng.choice(GAZETTEER + [f"{rng.choice(FIRST)} {rng.choice(LAST)}"] * 3).replace("_", " ")
    body.insert(rng.randrange(1, n), rng.choice(VERBS))
    if rng.random() < 0.4:
        body.insert(rng.randrange(1, len(body)), figure(rng))
    if rng.random() < 0.3:
        body.insert(rng.randrange(1, len(body)), rng.choice(GAZETTEER).replace("_", " "))
    lead = rng.choice(CONNECTORS) + " " if rng.random() < 0.3 else ""
    return f"{lead}{subject} " + " ".join(body) + rng.choice([".", ".", ".", " ?", " !"])


def article(rng: random.Random, words: list[str], weights: list[float]) -> str:
    sentences = [sentence(rng, words, weights) for _ in range(rng.randint(20, 40))]
    paragraphs, i = [], 0
    while i < len(sentences):
        k = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[i : i + k]))
        i += k
    title = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(4, 9))).capitalize()
    lines = [title, "", *(p + "\n" for p in paragraphs)]
    if rng.random() < 0.5:
        lines.insert(rng.randrange(2, len(lines)), rng.choice(BOILERPLATE) + "\n")
    lines.append(rng.choice(BOILERPLATE))
    return "\n".join(lines) + "\n"


def generate(out: Path, articles: int, seed: int = 1, start: int = 0) -> list[Path]:
    """Write `articles` files named article-NNNNN.txt (numbered from `start`) into `out`."""
    rng = random.Random(seed)
    words, weights = zipf_vocabulary(rng)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(start, start + articles):
        local = random.Random(f"{seed}-{i}")
        path = out / f"article-{i:05d}.txt"
        path.write_text(article(local, words, weights), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed, args.start)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
