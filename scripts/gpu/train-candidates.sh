#!/usr/bin/env bash
# Trains three candidate default models at once on one GPU within a time budget (seconds, default 545): probes
# each size's s/step with all three running, plans --max-steps to fit, trains with a --stop-after-minutes guard,
# exports each run and packs the exports (split under 15 MB) into $OUT. This is how models/albert-squad-small was
# trained (see its MODEL_CARD.md). Run from the repository root after scripts/gpu/make-bundle.sh, on a machine
# with PyTorch (CUDA) installed: OUT=/some/folder BUDGET=540 bash scripts/gpu/train-candidates.sh
set -u
T0=$(date +%s); DEADLINE=$((T0 + ${BUDGET:-545}))
OUT=${OUT:-$PWD/gpu-out}; W=${WORK:-/tmp/squad-albert-gpu}
source "$(dirname "$0")/setup.sh"
DEV=${DEV:-cuda}; BATCH=${BATCH:-128}; PROBE_STEPS=${PROBE_STEPS:-10}; EXTRA=${EXTRA:-}
say "torch $(python3 -c 'import torch;print(torch.__version__)' 2>&1 | tail -1) lib $LD_LIBRARY_PATH; $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>&1); $(nproc) cores"
WIN="--seq-length 192 --doc-stride 64 --max-query-length 48"
declare -A SIZE LR
SIZE[a256]="--hidden-size 256 --heads 4 --intermediate-size 1024 --groups 1"; LR[a256]=1e-3
SIZE[b512]="--hidden-size 512 --heads 8 --intermediate-size 2048 --groups 1"; LR[b512]=5e-4
SIZE[c384]="--hidden-size 384 --heads 6 --intermediate-size 1536 --groups 2"; LR[c384]=5e-4
NAMES="a256 b512 c384"
for n in $NAMES; do
  timeout 90 $APP benchmark --device $DEV --vocab-size 16000 --seq-length 192 --batch-size $BATCH --steps $PROBE_STEPS --threads 2 --dropout 0.1 ${SIZE[$n]} > $W/probe-$n.txt 2>&1 &
done
wait
for n in $NAMES; do say "probe $n: $(tail -c 600 $W/probe-$n.txt)"; done
if grep -q "s/step wall" $W/probe-a256.txt; then
  for n in $NAMES; do
    sps=$(grep -o '[0-9.]* s/step wall' $W/probe-$n.txt | cut -d' ' -f1); sps=${sps:-0.2}
    left=$(( DEADLINE - $(date +%s) - 45 ))
    steps=$(python3 -c "print(max(200,int($left*0.88/$sps)))")
    say "$n: $sps s/step (full windows, 3 at once) → $steps steps in ${left}s"
    $APP train --device $DEV $EXTRA --threads 2 --run-dir $W/runs/$n --data $W/data --tokenizer $TOK $WIN ${SIZE[$n]} --dropout 0.1 \
      --batch-size $BATCH --lr ${LR[$n]} --beta2 0.98 --max-steps $steps --eval-every 1000 --eval-questions 1000 \
      --checkpoint-minutes 3 --stop-after-minutes $(python3 -c "print(round($left/60,2))") > $W/train-$n.txt 2>&1 &
  done
  while [ -n "$(jobs -r)" ]; do sleep 30; say "gpu $(nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>&1)"; for n in $NAMES; do say "$n: $(grep -E '^step' $W/train-$n.txt | tail -1)"; done; done
  for n in $NAMES; do
    say "$n done: $(grep -E 'EM|stopped|rror|xception' $W/train-$n.txt | tail -12 | tr '\n' '|')"
    $APP export --run-dir $W/runs/$n --output $W/export/$n --tokenizer $TOK >> $LOG 2>&1
    cp $W/runs/$n/loss-log.jsonl $W/export/$n/ 2>/dev/null; cp $W/runs/$n/run.json $W/export/$n/ 2>/dev/null
  done
else
  say "TorchSharp could not train on $DEV: see the probes above"; exit 1
fi
cd $W/export
for n in $NAMES; do
  [ -f $n/model.safetensors ] || continue
  tar cf $W/$n.tar $n
  if [ $(stat -c %s $W/$n.tar) -gt 15000000 ]; then split -b 15000000 -d $W/$n.tar $OUT/$n.tar.part; else cp $W/$n.tar $OUT/; fi
done
for n in $NAMES; do cat $W/train-$n.txt >> $OUT/train-logs.txt 2>/dev/null; done
ls -la $OUT | tee -a $LOG
say "done"
