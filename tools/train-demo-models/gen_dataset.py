"""Write the arith-steps splits (fixed seeds). train.jsonl goes to work/ (git-ignored) and a
copy to assets/datasets/arith-steps/train.jsonl is not made; validation and test are committed.

The LMs' training rows (work/train.jsonl rows 0-99 999) are generated exactly as before the hard tail
existed: the levels 1-5 test and validation problems (500 each, the same seeds) are drawn first and
excluded from train, so the rows the shipped draft and target were trained on are unchanged. The
shipped test and validation splits then keep the first 500 - HARD of those problems and add HARD
hard-tail problems (level 6, data.gen_hard), in a seeded random order. Hard-tail problems for the PRM
and the router go to work/train_hard.jsonl; none of them is a test or validation problem, and no
level-6 problem is among the LMs' training rows (check_hard_tail.py)."""
import argparse
import json
import os

from data import gen_split, gen_hard, mix_split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("DEMO_WORK", os.path.join(HERE, "work"))
DATA_DIR = os.path.join(ROOT, "assets", "datasets", "arith-steps")

SEED_TEST, SEED_VAL, SEED_TRAIN = 20250301, 20250302, 20250303
SEED_HARD, SEED_MIX_TEST, SEED_MIX_VAL = 20250304, 20250305, 20250306
LM_TRAIN_ROWS = 100000  # rows 0..99 999 of train.jsonl trained the draft and the target


def splits(train_n=120000, val_n=500, test_n=500, hard_test=125, hard_val=125, hard_train=3000):
    """(test, validation, train, train_hard): deterministic, see the module docstring."""
    test15 = gen_split(SEED_TEST, test_n, "arith-test")
    val15 = gen_split(SEED_VAL, val_n, "arith-val", exclude={r["problem"] for r in test15})
    held = {r["problem"] for r in test15} | {r["problem"] for r in val15}
    train = gen_split(SEED_TRAIN, train_n, "arith-train", exclude=held)
    hard = gen_hard(SEED_HARD, hard_test + hard_val + hard_train, exclude=held | {r["problem"] for r in train})
    test = mix_split(SEED_MIX_TEST, test15[:test_n - hard_test], hard[:hard_test], "arith-test")
    val = mix_split(SEED_MIX_VAL, val15[:val_n - hard_val], hard[hard_test:hard_test + hard_val], "arith-val")
    train_hard = hard[hard_test + hard_val:]
    for i, r in enumerate(train_hard):
        r["unique_id"] = f"arith-train-hard-{i:05d}"
    return test, val, train, train_hard


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-n", type=int, default=120000)
    a = ap.parse_args()
    os.makedirs(DATA_DIR, exist_ok=True)
    os.makedirs(WORK, exist_ok=True)
    test, val, train, train_hard = splits(train_n=a.train_n)
    write_jsonl(os.path.join(DATA_DIR, "test.jsonl"), test)
    write_jsonl(os.path.join(DATA_DIR, "validation.jsonl"), val)
    write_jsonl(os.path.join(WORK, "train.jsonl"), train)
    write_jsonl(os.path.join(WORK, "train_hard.jsonl"), train_hard)
    print(f"test {len(test)} validation {len(val)} train {len(train)} train_hard {len(train_hard)}")


if __name__ == "__main__":
    main()
