#!/usr/bin/env bash
# Rebuilds the arith-steps benchmark and the demo model suite from scratch, with fixed seeds and
# fixed step counts:  tools/train-demo-models/build.sh
# Writes assets/datasets/arith-steps/{validation,test,prm-steps,router-heldout}.jsonl,
# assets/models/demo-*/ and assets/models/README.md; intermediate files go to
# tools/train-demo-models/work/ (git-ignored). See tools/train-demo-models/README.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
mkdir -p work
PY=${PYTHON:-/usr/bin/python3}
# glibc: keep freed memory instead of returning it (page faults were a 2-5x slowdown here)
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=536870912
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} OMP_WAIT_POLICY=PASSIVE TRAIN_THREADS=${TRAIN_THREADS:-2}

# fixed training budgets (steps x batch 32)
TARGET_STEPS=${TARGET_STEPS:-2000}
DRAFT_STEPS=${DRAFT_STEPS:-1000}
PRM_STEPS=${PRM_STEPS:-400}
ROUTER_STEPS=${ROUTER_STEPS:-300}
ORACLE_TRAIN_N=${ORACLE_TRAIN_N:-2000}

START=$(date +%s)
stage() { echo "[$(date +%H:%M:%S)] $*" | tee -a work/build.log; }
: > work/build.log

stage "1/8 benchmark"
$PY gen_dataset.py

stage "2/8 target LM ($TARGET_STEPS steps)"
$PY train_lm.py --name target --layers 6 --d 128 --heads 4 --steps "$TARGET_STEPS" --batch 32 --lr 2e-3 --seed 1234

stage "3/8 draft LM ($DRAFT_STEPS steps)"
OMP_NUM_THREADS=1 TRAIN_THREADS=1 $PY train_lm.py --name draft --layers 2 --d 64 --heads 2 --steps "$DRAFT_STEPS" --batch 32 --lr 3e-3 --seed 1234

stage "4/8 PRM ($PRM_STEPS steps)"
$PY train_prm.py --init work/target.pt --draft work/draft.pt --target work/target.pt --steps "$PRM_STEPS"

stage "5/8 oracle data (train: $ORACLE_TRAIN_N problems; held-out: test split)"
$PY oracle.py --split train --n "$ORACLE_TRAIN_N" --out work/oracle_train.jsonl
$PY oracle.py --split test --out work/oracle_test.jsonl

stage "6/8 routers ($ROUTER_STEPS steps each)"
$PY train_router.py --name router --steps "$ROUTER_STEPS"
$PY train_router.py --name router-no-downsample --steps "$ROUTER_STEPS" --no-downsample
$PY train_router.py --name router-no-annotations --steps "$ROUTER_STEPS" --no-annotate

stage "7/8 export + golden data"
$PY export_all.py

stage "8/8 evaluate + model card"
$PY evaluate.py
END=$(date +%s)
echo "$((END - START))" > work/build_seconds.txt
$PY write_card.py
stage "done in $(( (END - START) / 60 )) min"
