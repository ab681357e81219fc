#!/usr/bin/env bash
# Exports the default model from its training run and measures it the way MODEL_CARD.md and the notes report:
# dev-v1.1 EM/F1 from `evaluate` on `predict` output (ONNX Runtime path), then analysis runs of dev and of the
# tensorleap preset with wall time and peak memory (GNU time), and the database size.
# Usage: scripts/measure-default-model.sh [RUN_DIR|--no-export] [OUT_DIR]   (needs SQUADALBERT_DATA or ../shared/data/squad)
# --no-export measures $MODEL as committed. MODEL defaults to the shipped default reader, models/minilm-squad;
# the export writes float16 weights (--f16), as shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${1:-$HOME/.squad-albert/runs/minilm-squad}
OUT=${2:-/tmp/squad-albert-measure}
DATA=${SQUADALBERT_DATA:-$(realpath ../shared/data/squad)}
MODEL=${MODEL:-models/minilm-squad}
mkdir -p "$OUT"
dotnet build SquadAlbert.Cli -c Release -v q -nologo
dotnet build SquadAlbert.Training -c Release -v q -nologo
CLI=SquadAlbert.Cli/bin/Release/net10.0/linux-x64/squad-albert
TRAIN=SquadAlbert.Training/bin/Release/net10.0/linux-x64/squad-albert-train
T='wall %e s, peak RSS %M KB'

if [ "$RUN_DIR" != "--no-export" ]; then $TRAIN export --run-dir "$RUN_DIR" --output "$MODEL" --f16; fi
du -sh "$MODEL"
/usr/bin/time -f "predict dev: $T" $CLI predict --model "$MODEL" --data "$DATA/dev-v1.1.json" --out "$OUT/dev-predictions.json"
$CLI evaluate --data "$DATA/dev-v1.1.json" --predictions "$OUT/dev-predictions.json" | tee "$OUT/dev-eval.json"

rm -f "$OUT/runs.db"*
/usr/bin/time -f "analyze dev (inference only): $T" $CLI analyze --model "$MODEL" --data "$DATA" --preset dev --db "$OUT/runs.db" --no-latent
/usr/bin/time -f "latent dev: $T" $CLI latent --db "$OUT/runs.db"
/usr/bin/time -f "analyze tensorleap (inference only): $T" $CLI analyze --model "$MODEL" --data "$DATA" --preset tensorleap --db "$OUT/runs.db" --no-latent
/usr/bin/time -f "latent tensorleap: $T" $CLI latent --db "$OUT/runs.db"
ls -la "$OUT/runs.db"
$CLI clusters --db "$OUT/runs.db" --run 1 | tee "$OUT/dev-clusters.txt"
$CLI label-errors --db "$OUT/runs.db" --run 1 --top 20 | tee "$OUT/dev-label-errors.txt"
