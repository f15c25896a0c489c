"""Checks that the shipped benchmark's hard tail is outside the LMs' training data, by problem text.

Regenerates the splits with gen_dataset.splits() (fixed seeds, no torch needed) and checks that
  * the shipped test and validation splits are exactly the regenerated ones;
  * none of the rows the draft and the target trained on (train rows 0..LM_TRAIN_ROWS-1) is a
    hard-tail (level 6) problem, and none has the text of a test or validation problem or of a
    hard-tail problem kept for the PRM and the router;
  * the hard tail is 20-30 % of the test split.
Prints a JSON summary; exits 1 with the failed checks listed.

usage: check_hard_tail.py
"""
import json
import os
import sys

from gen_dataset import DATA_DIR, LM_TRAIN_ROWS, splits
from data import HARD_LEVEL


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    test, val, train, train_hard = splits()
    lm_rows = train[:LM_TRAIN_ROWS]
    lm_text = {r["problem"] for r in lm_rows}
    shipped_test = read_jsonl(os.path.join(DATA_DIR, "test.jsonl"))
    shipped_val = read_jsonl(os.path.join(DATA_DIR, "validation.jsonl"))
    hard_test = [r for r in shipped_test if r["level"] == HARD_LEVEL]
    failed = []
    if shipped_test != test:
        failed.append("assets test.jsonl differs from the regenerated test split")
    if shipped_val != val:
        failed.append("assets validation.jsonl differs from the regenerated validation split")
    lm_hard = sum(1 for r in lm_rows if r["level"] == HARD_LEVEL)
    if lm_hard:
        failed.append(f"{lm_hard} level-{HARD_LEVEL} rows among the LMs' training rows")
    leaked = {name: sum(1 for r in rows if r["problem"] in lm_text)
              for name, rows in (("test", shipped_test), ("validation", shipped_val), ("train_hard", train_hard))}
    for name, n in leaked.items():
        if n:
            failed.append(f"{n} {name} problems are among the LMs' training rows")
    share = len(hard_test) / len(shipped_test)
    if not 0.2 <= share <= 0.3:
        failed.append(f"hard-tail share of the test split {share:.3f}, expected 0.20-0.30")
    print(json.dumps({"lm_training_rows": len(lm_rows), "lm_training_hard_rows": lm_hard,
                      "test_hard": len(hard_test), "test": len(shipped_test), "hard_share": share,
                      "in_lm_training": leaked, "failed": failed}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
