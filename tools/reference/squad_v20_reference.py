#!/usr/bin/env python3
"""Independent reference for the C# SQuAD v2.0 metrics (OfficialSquadV2Metric), written from the published semantics
of the official evaluate-v2.0.py: normalisation as in v1.1; gold answers that normalise to nothing are dropped and a
question left without any is scored against ""; F1 is 1 when both token lists are empty and 0 when only one is;
with a no-answer probability file, questions above --na-prob-thresh count as abstained, and the best thresholds walk
the questions in ascending probability (ties in file order) from the number of unanswerable questions.
No code was copied from the official script.

Usage:
  squad_v20_reference.py DATASET PREDICTIONS [NA_PROBS] [NA_PROB_THRESH]   prints the JSON evaluate-v2.0.py prints
  squad_v20_reference.py perturbed DATASET OUTDIR [NA_PROB_THRESH]         writes the deterministic perturbed predictions
                                                                           and probabilities (the C# test builds the same
                                                                           set) to OUTDIR and prints their scores
"""
import collections
import json
import re
import string
import sys

PUNCTUATION = frozenset(string.punctuation)
ARTICLE = re.compile(r"\b(?:a|an|the)\b", re.UNICODE)


def normalize(text):
    lowered = text.lower()
    without_punctuation = "".join(c for c in lowered if c not in PUNCTUATION)
    return " ".join(ARTICLE.sub(" ", without_punctuation).split())


def tokens(text):
    return normalize(text).split() if text else []


def exact(gold, prediction):
    return int(normalize(gold) == normalize(prediction))


def f1(gold, prediction):
    expected, predicted = tokens(gold), tokens(prediction)
    if not expected or not predicted:
        return int(expected == predicted)
    overlap = sum((collections.Counter(expected) & collections.Counter(predicted)).values())
    if overlap == 0:
        return 0
    precision = 1.0 * overlap / len(predicted)
    recall = 1.0 * overlap / len(expected)
    return (2 * precision * recall) / (precision + recall)


def perturbed(dataset, outdir):
    """Question k in file order: answerable k%3==0 first gold, k%3==1 "The " + last gold + " indeed", k%3==2 "";
    unanswerable k%2==0 "", else "banana"; no-answer probability ((7k) % 10 + 1) / 10 (many ties)."""
    with open(dataset, encoding="utf-8") as f:
        questions = [q for article in json.load(f)["data"] for paragraph in article["paragraphs"] for q in paragraph["qas"]]
    predictions, probabilities = {}, {}
    for k, q in enumerate(questions):
        if q["answers"]:
            predictions[q["id"]] = [q["answers"][0]["text"], "The " + q["answers"][-1]["text"] + " indeed", ""][k % 3]
        else:
            predictions[q["id"]] = "" if k % 2 == 0 else "banana"
        probabilities[q["id"]] = ((7 * k) % 10 + 1) / 10.0
    paths = (outdir + "/perturbed-predictions.json", outdir + "/perturbed-na-probs.json")
    for path, values in zip(paths, (predictions, probabilities)):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(values, f)
    return paths


def main(argv):
    if argv[1] == "perturbed":
        predictions, probabilities = perturbed(argv[2], argv[3])
        argv = [argv[0], argv[2], predictions, probabilities] + argv[4:]
    with open(argv[1], encoding="utf-8") as f:
        questions = [q for article in json.load(f)["data"] for paragraph in article["paragraphs"] for q in paragraph["qas"]]
    with open(argv[2], encoding="utf-8") as f:
        predictions = json.load(f)
    probabilities = None
    if len(argv) > 3:
        with open(argv[3], encoding="utf-8") as f:
            probabilities = json.load(f)
    threshold = float(argv[4]) if len(argv) > 4 else 1.0
    has_answer = {q["id"]: bool(q["answers"]) for q in questions}
    raw_exact, raw_f1 = {}, {}
    for q in questions:
        golds = [a["text"] for a in q["answers"] if normalize(a["text"])] or [""]
        prediction = predictions[q["id"]]
        raw_exact[q["id"]] = max(exact(g, prediction) for g in golds)
        raw_f1[q["id"]] = max(f1(g, prediction) for g in golds)

    def thresholded(raw):
        if probabilities is None:
            return dict(raw)
        return {k: (float(not has_answer[k]) if probabilities[k] > threshold else v) for k, v in raw.items()}

    def scores(values, ids):
        return 100.0 * sum(values[k] for k in ids) / len(ids)

    result = collections.OrderedDict()
    exact_t, f1_t = thresholded(raw_exact), thresholded(raw_f1)
    for prefix, ids in (("", list(has_answer)), ("HasAns_", [k for k in has_answer if has_answer[k]]),
                        ("NoAns_", [k for k in has_answer if not has_answer[k]])):
        if ids:
            result[prefix + "exact"] = scores(exact_t, ids)
            result[prefix + "f1"] = scores(f1_t, ids)
            result[prefix + "total"] = len(ids)
    if probabilities is not None:
        for name, raw in (("exact", raw_exact), ("f1", raw_f1)):
            current = best = sum(1 for k in has_answer if not has_answer[k])
            best_threshold = 0.0
            for k in sorted(probabilities, key=lambda key: probabilities[key]):
                if k not in raw:
                    continue
                current += raw[k] if has_answer[k] else (-1 if predictions[k] else 0)
                if current > best:
                    best, best_threshold = current, probabilities[k]
            result["best_" + name] = 100.0 * best / len(raw)
            result["best_" + name + "_thresh"] = best_threshold
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv)
