#!/usr/bin/env python3
"""Independent reference for the C# SQuAD v1.1 metrics, written from the published description of the official
evaluate-v1.1.py (normalize: lowercase, drop string.punctuation, drop the words a/an/the, collapse whitespace;
exact match of normalized strings; bag-of-tokens F1; max over gold answers; mean x 100 over every question).
No code was copied from the official script.

Usage:
  squad_v11_reference.py score DATASET PREDICTIONS      official-style JSON line
  squad_v11_reference.py perturbed DATASET [OUT.json]   scores of the deterministic perturbed predictions
                                                        (the C# test PerturbedPredictions builds the same set)
  squad_v11_reference.py fuzz DATASET OUT.json LIMIT  seeded tricky predictions for the first LIMIT questions
  squad_v11_reference.py fixtures OUTDIR                Python 3 Unicode tables and float reprs for the C# tests
"""
import collections
import json
import random
import re
import string
import struct
import sys
import unicodedata

PUNCTUATION = frozenset(string.punctuation)
ARTICLE = re.compile(r"\b(?:a|an|the)\b")


def normalize(text):
    lowered = text.lower()
    without_punctuation = "".join(c for c in lowered if c not in PUNCTUATION)
    without_articles = ARTICLE.sub(" ", without_punctuation)
    return " ".join(without_articles.split())


def token_f1(prediction, gold):
    predicted = normalize(prediction).split()
    expected = normalize(gold).split()
    overlap = sum((collections.Counter(predicted) & collections.Counter(expected)).values())
    if overlap == 0:
        return 0
    precision = 1.0 * overlap / len(predicted)
    recall = 1.0 * overlap / len(expected)
    return (2 * precision * recall) / (precision + recall)


def questions(dataset):
    for article in dataset["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                yield paragraph["context"], qa


def score(dataset, predictions):
    matches = 0
    f1_sum = 0
    total = 0
    for _, qa in questions(dataset):
        total += 1
        if qa["id"] not in predictions:
            continue
        golds = [answer["text"] for answer in qa["answers"]]
        prediction = predictions[qa["id"]]
        matches += max(normalize(prediction) == normalize(gold) for gold in golds)
        f1_sum += max(token_f1(prediction, gold) for gold in golds)
    return {"exact_match": 100.0 * matches / total, "f1": 100.0 * f1_sum / total}


def perturbed_predictions(dataset):
    """Question k (0-based, file order): k%11==10 unanswered; k%5==4 a wrong word; k%3==2 'The ' + last gold + ' indeed';
    k%7==6 first gold minus its last character; k%13==12 first gold with 10 context characters either side;
    otherwise the first gold."""
    predictions = {}
    for k, (context, qa) in enumerate(questions(dataset)):
        first = qa["answers"][0]
        if k % 11 == 10:
            continue
        if k % 5 == 4:
            predictions[qa["id"]] = "banana"
        elif k % 3 == 2:
            predictions[qa["id"]] = "The " + qa["answers"][-1]["text"] + " indeed"
        elif k % 7 == 6:
            predictions[qa["id"]] = first["text"][:-1]
        elif k % 13 == 12:
            start = max(0, first["answer_start"] - 10)
            end = first["answer_start"] + len(first["text"]) + 10
            predictions[qa["id"]] = context[start:end]
        else:
            predictions[qa["id"]] = first["text"]
    return predictions


def fuzzed_predictions(dataset, limit):
    """Context cut-outs around a random gold answer for the first `limit` questions, some upper-cased, some with
    an article, punctuation, Unicode whitespace, a combining mark, Greek sigma or dotted I inserted (seeded)."""
    rng = random.Random(7)
    extras = [" the ", " A ", "\u00a0", "\u2009", "\u001f", " \u2014 ", "-", "'", "\u00ab", "\u0130", "\u03a3",
              " \u0391\u03a3 ", "\u0301", "_an_", " An. "]
    predictions = {}
    for k, (context, qa) in enumerate(questions(dataset)):
        if k == limit:
            break
        gold = qa["answers"][rng.randrange(len(qa["answers"]))]
        start = max(0, gold["answer_start"] - rng.randrange(0, 30))
        end = gold["answer_start"] + len(gold["text"]) + rng.randrange(-5, 30)
        text = context[start:max(start, end)]
        if rng.random() < 0.3:
            text = text.upper()
        if rng.random() < 0.5:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(extras) + text[at:]
        predictions[qa["id"]] = text
    return predictions


def ranges(predicate):
    out, start = [], None
    for cp in range(0x110000 + 1):
        inside = cp < 0x110000 and predicate(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def write_ranges(path, predicate):
    with open(path, "w", encoding="ascii") as f:
        for start, end in ranges(predicate):
            f.write("%X\t%X\n" % (start, end))


def is_word(cp):
    c = chr(cp)
    return c.isalnum() or c == "_"


def final_sigma_after(prefix):
    return (prefix + "\u03a3").lower()[-1] == "\u03c2"


def write_fixtures(outdir):
    assigned = lambda cp: unicodedata.category(chr(cp)) not in ("Cn", "Cs")
    write_ranges(outdir + "/python_assigned.tsv", assigned)
    write_ranges(outdir + "/python_word.tsv", is_word)
    write_ranges(outdir + "/python_space.tsv", lambda cp: chr(cp).isspace())
    # Final_Sigma as str.lower applies it: c + Sigma is final exactly when c is cased and not case-ignorable;
    # 'A' + c + Sigma is final when c is case-ignorable (skipped back to the cased 'A') or is such a cased letter.
    write_ranges(outdir + "/python_case_ignorable.tsv",
                 lambda cp: assigned(cp) and final_sigma_after("A" + chr(cp)) and not final_sigma_after(chr(cp)))
    write_ranges(outdir + "/python_cased_stop.tsv", lambda cp: assigned(cp) and final_sigma_after(chr(cp)))
    with open(outdir + "/python_lower.tsv", "w", encoding="ascii") as f:
        for cp in range(0x110000):
            if assigned(cp) and chr(cp).lower() != chr(cp) and cp != 0x3A3:
                f.write("%X\t%s\n" % (cp, " ".join("%X" % ord(c) for c in chr(cp).lower())))
    rng = random.Random(20261127)
    values = [0.0, 1.0, 100.0, 0.1, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 5e-324, 1.7976931348623157e308,
              81.3245033112583, 2.0 / 3.0, 100.0 * 7 / 10570, 100.0 * 8512.345 / 10570]
    values += [100.0 * rng.randrange(0, 10571) / 10570 for _ in range(300)]
    values += [100.0 * rng.random() for _ in range(300)]
    values += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0] for _ in range(400)]
    with open(outdir + "/python_float_repr.tsv", "w", encoding="ascii") as f:
        for v in values:
            if v == v and abs(v) != float("inf"):
                f.write("%s\t%s\n" % (struct.pack(">d", v).hex(), repr(v)))


def main(argv):
    if argv[1] == "score":
        with open(argv[2], encoding="utf-8") as f:
            dataset = json.load(f)
        with open(argv[3], encoding="utf-8") as f:
            predictions = json.load(f)
        print(json.dumps(score(dataset, predictions)))
    elif argv[1] == "perturbed":
        with open(argv[2], encoding="utf-8") as f:
            dataset = json.load(f)
        predictions = perturbed_predictions(dataset)
        if len(argv) > 3:
            with open(argv[3], "w", encoding="utf-8") as f:
                json.dump(predictions, f)
        print(json.dumps(score(dataset, predictions)))
    elif argv[1] == "fuzz":
        with open(argv[2], encoding="utf-8") as f:
            dataset = json.load(f)
        predictions = fuzzed_predictions(dataset, int(argv[4]))
        with open(argv[3], "w", encoding="utf-8") as f:
            json.dump(predictions, f, ensure_ascii=False, indent=0)
        print(json.dumps(score(dataset, predictions)))
    elif argv[1] == "fixtures":
        write_fixtures(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
