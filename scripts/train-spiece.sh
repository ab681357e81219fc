#!/usr/bin/env bash
# Trains our ALBERT-style SentencePiece model (models/tokenizer/spiece.model) on SQuAD v1.1 train
# contexts and questions, AFTER the Hugging Face ALBERT preprocessing (see preprocess below), so the
# model sees text exactly as AlbertTokenizer hands it to SentencePiece.
#
# Needs: python3 (standard library only; scripts/albert_preprocess.py) and spm_train (Debian package `sentencepiece`).
# Usage: scripts/train-spiece.sh [TRAIN_JSON] [OUT_DIR]
#   TRAIN_JSON defaults to ../shared/data/squad/train-v1.1.json beside the repo (SQUADALBERT_DATA overrides the folder),
#   OUT_DIR defaults to models/tokenizer.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${SQUADALBERT_DATA:-$repo_root/../shared/data/squad}"
train_json="${1:-$data_dir/train-v1.1.json}"
out_dir="${2:-$repo_root/models/tokenizer}"
vocab_size="${VOCAB_SIZE:-16000}"

command -v spm_train >/dev/null || { echo "spm_train not found: apt-get install sentencepiece" >&2; exit 1; }
[[ -f "$train_json" ]] || { echo "training file '$train_json' not found" >&2; exit 1; }
mkdir -p "$out_dir"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus.txt"

# One text per line: every distinct context once, then every question, after ALBERT preprocessing
# (scripts/albert_preprocess.py: Hugging Face AlbertTokenizer.preprocess_text). Whitespace collapsing also
# guarantees that no text spans two lines.
python3 - "$train_json" "$corpus" "$repo_root/scripts" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
from albert_preprocess import preprocess

with open(sys.argv[1], encoding="utf-8") as f:
    articles = json.load(f)["data"]
contexts, questions = [], []
for article in articles:
    for paragraph in article["paragraphs"]:
        contexts.append(preprocess(paragraph["context"]))
        questions.extend(preprocess(qa["question"]) for qa in paragraph["qas"])
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    for line in contexts + questions:
        if line:
            f.write(line + "\n")
print(f"corpus: {len(contexts)} contexts, {len(questions)} questions", file=sys.stderr)
PY

# ALBERT's id layout: <pad>=0, <unk>=1, [CLS]=2, [SEP]=3, [MASK]=4, no <s>/</s>.
# max_sentence_length is raised from 4192 bytes so long contexts are not silently skipped;
# one thread keeps the run deterministic and off the shared cores.
# Relative paths: spm_train records input and model_prefix in the model, and a temp path would make
# every run's bytes differ.
(cd "$work" && spm_train \
  --input=corpus.txt \
  --model_prefix=spiece \
  --model_type=unigram \
  --vocab_size="$vocab_size" \
  --character_coverage=0.9995 \
  --normalization_rule_name=nmt_nfkc \
  --pad_id=0 --unk_id=1 --bos_id=-1 --eos_id=-1 \
  --control_symbols='[CLS],[SEP],[MASK]' \
  --max_sentence_length=16384 \
  --num_threads=1 \
  --random_seed=42)

# The .vocab listing is not kept: `spm_export_vocab --model=spiece.model` regenerates it.
cp "$work/spiece.model" "$out_dir/"
sha256sum "$out_dir/spiece.model"
