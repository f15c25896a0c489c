"""Write the arith-steps splits (fixed seeds). train.jsonl goes to work/ (git-ignored) and a
copy to assets/datasets/arith-steps/train.jsonl is not made; validation and test are committed."""
import argparse
import os

from common import DATA_DIR, WORK, write_jsonl
from data import gen_split

SEED_TEST, SEED_VAL, SEED_TRAIN = 20250301, 20250302, 20250303


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-n", type=int, default=120000)
    ap.add_argument("--val-n", type=int, default=500)
    ap.add_argument("--test-n", type=int, default=500)
    a = ap.parse_args()
    os.makedirs(DATA_DIR, exist_ok=True)
    os.makedirs(WORK, exist_ok=True)
    test = gen_split(SEED_TEST, a.test_n, "arith-test")
    val = gen_split(SEED_VAL, a.val_n, "arith-val", exclude={r["problem"] for r in test})
    held = {r["problem"] for r in test} | {r["problem"] for r in val}
    train = gen_split(SEED_TRAIN, a.train_n, "arith-train", exclude=held)
    write_jsonl(os.path.join(DATA_DIR, "test.jsonl"), test)
    write_jsonl(os.path.join(DATA_DIR, "validation.jsonl"), val)
    write_jsonl(os.path.join(WORK, "train.jsonl"), train)
    print(f"test {len(test)} validation {len(val)} train {len(train)}")


if __name__ == "__main__":
    main()
