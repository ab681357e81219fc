#!/usr/bin/env bash
# The same GPU time (BUDGET seconds, default 240) for two arms run side by side: QA training from scratch, and
# masked-LM + sentence-order pre-training (PRE_SHARE of the time) followed by QA training from that backbone.
# Exports both into $OUT. Run from the repository root after scripts/gpu/make-bundle.sh:
# OUT=/some/folder BUDGET=600 bash scripts/gpu/compare-pretraining.sh
set -u
T0=$(date +%s); DEADLINE=$((T0 + ${BUDGET:-240}))
OUT=${OUT:-$PWD/gpu-out}; W=${WORK:-/tmp/squad-albert-gpu-compare}
source "$(dirname "$0")/setup.sh"
DEV=${DEV:-cuda}; BATCH=${BATCH:-128}; SPS=${SPS:-0.05}; EXTRA=${EXTRA:-}; PRE_SHARE=${PRE_SHARE:-0.45}
SIZE=${SIZE:-"--hidden-size 256 --heads 4 --intermediate-size 1024 --groups 1"}
QA="--data $W/data --tokenizer $TOK --seq-length 192 --doc-stride 64 --max-query-length 48 $SIZE --dropout 0.1 --batch-size $BATCH --lr 1e-3 --beta2 0.98 --eval-every 1000 --eval-questions 1000 --checkpoint-minutes 2 --device $DEV --threads 2"
left=$(( DEADLINE - $(date +%s) - 40 ))
pre=$(python3 -c "print(int($left*$PRE_SHARE))"); post=$(( left - pre - 10 ))
say "left ${left}s: arm scratch QA ${left}s; arm pretrained ${pre}s + QA ${post}s; assumed $SPS s/step"
steps() { python3 -c "print(max(20,int($1*0.9/$SPS)))"; }
mins() { python3 -c "print(round($1/60,2))"; }
$APP train --run-dir $W/runs/scratch $QA $EXTRA --max-steps $(steps $left) --stop-after-minutes $(mins $left) > $W/train-scratch.txt 2>&1 &
( $APP pretrain --run-dir $W/runs/pre --data $W/data --tokenizer $TOK --seq-length 192 $SIZE --dropout 0.1 --batch-size $BATCH --lr 1e-3 --beta2 0.98 \
    --max-steps $(steps $pre) --stop-after-minutes $(mins $pre) --checkpoint-minutes 2 --device $DEV --threads 2 > $W/pretrain.txt 2>&1
  $APP train --run-dir $W/runs/pretrained --init-from $W/runs/pre $QA $EXTRA --max-steps $(steps $post) --stop-after-minutes $(mins $post) > $W/train-pretrained.txt 2>&1 ) &
while [ -n "$(jobs -r)" ]; do sleep 20; say "gpu $(nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader 2>&1) | scratch $(grep -E '^step' $W/train-scratch.txt | tail -1) | pre $(tail -1 $W/runs/pre/loss-log.jsonl 2>/dev/null | cut -c1-150) | pretrained $(grep -E '^step' $W/train-pretrained.txt 2>/dev/null | tail -1)"; done
say "pretrain: $(grep -E 'contexts|stopped|rror|xception' $W/pretrain.txt | tr '\n' '|')"
for n in scratch pretrained; do
  say "$n: $(grep -E 'EM|stopped|initialised|rror|xception' $W/train-$n.txt | tail -8 | tr '\n' '|')"
  $APP export --run-dir $W/runs/$n --output $W/export/$n --tokenizer $TOK >> $LOG 2>&1
  cp $W/runs/$n/loss-log.jsonl $W/runs/$n/run.json $W/export/$n/ 2>/dev/null
done
cp $W/runs/pre/loss-log.jsonl $W/export/pretrain-loss-log.jsonl 2>/dev/null
cd $W/export && for n in scratch pretrained; do [ -f $n/model.safetensors ] && tar cf $OUT/$n.tar $n; done
cp $W/export/pretrain-loss-log.jsonl $OUT/ 2>/dev/null
cat $W/pretrain.txt $W/train-*.txt > $OUT/train-logs.txt 2>/dev/null
ls -la $OUT | tee -a $LOG; say "done"
