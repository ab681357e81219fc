"""Hugging Face AlbertTokenizer.preprocess_text with ALBERT's settings (remove_space=True, keep_accents=False,
do_lower_case=True): the reference for SquadAlbert.Analysis.Text.AlbertTextPreprocessor.

As a program: reads JSON strings, one per line, on stdin and writes their preprocessed forms the same way
(JSON lines, because SQuAD texts may contain newlines). The C# tests compare against it.
"""
import json
import sys
import unicodedata


def preprocess(text: str) -> str:
    out = " ".join(text.strip().split())
    out = out.replace("``", '"').replace("''", '"')
    out = unicodedata.normalize("NFKD", out)
    out = "".join(c for c in out if not unicodedata.combining(c))
    return out.lower()


if __name__ == "__main__":
    for line in sys.stdin:
        print(json.dumps(preprocess(json.loads(line))))
