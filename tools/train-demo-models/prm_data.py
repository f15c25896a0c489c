"""Labelled step data for the PRM.

Sources (each a list of {question, steps, labels, source}):
  * draft:   greedy solutions of the draft on unseen train problems, every step labelled by
             verify.step_correct (the held-out version of this on the test split is the AUC set);
  * target:  greedy solutions of the target (mostly correct, some errors);
  * corrupt: reference solutions cut after a corrupted step (a near-miss result, a wrong
             operand, or a boxed answer that differs from the result) - extra negatives.
"""
import random
import re

from verify import step_correct, EQ
from common import DELIM, solve_greedy


def label_solution(problem, steps):
    return [int(step_correct(problem, steps[:k], steps[k])) for k in range(len(steps))]


def split_steps(text):
    return [s for s in text.split(DELIM)] if text else [""]


def model_solutions(model, rows, source, batch=64):
    sols = solve_greedy(model, [r["problem"] for r in rows], batch=batch)
    out = []
    for r, s in zip(rows, sols):
        steps = split_steps(s)
        out.append({"question": r["problem"], "steps": steps, "labels": label_solution(r["problem"], steps),
                    "source": source, "unique_id": r["unique_id"]})
    return out


def near_miss(rng, c):
    kinds = [c + rng.choice([-1, 1]), c + rng.choice([-10, 10]), c + rng.choice([-2, 2, -100, 100, -20, 20])]
    s = str(c)
    if len(s) >= 2:
        i = rng.randrange(len(s))
        d = str((int(s[i]) + rng.randint(1, 9)) % 10)
        t = s[:i] + d + s[i + 1:]
        if not (t[0] == "0" and len(t) > 1):
            kinds.append(int(t))
        if len(s) >= 2 and s[0] != s[1]:
            kinds.append(int(s[1] + s[0] + s[2:]) if s[1] != "0" else c + 1)
    v = rng.choice(kinds)
    return v if v > 0 and v != c else c + 1


def corrupt(rng, row):
    steps = row["solution"].split(DELIM)
    k = rng.randrange(len(steps))
    st = steps[k]
    eqs = list(EQ.finditer(st))
    m = eqs[-1]
    kind = rng.random()
    a, op, b, c = m.group(1), m.group(2), m.group(3), int(m.group(4))
    if kind < 0.6:      # wrong result; keep the boxed answer consistent with it
        c2 = near_miss(rng, c)
        new = st[:m.start()] + f"{a} {op} {b} = {c2}" + st[m.end():]
        new = new.replace(f"\\boxed{{{c}}}", f"\\boxed{{{c2}}}")
    elif kind < 0.85:   # wrong operand (a number that is not available), result computed from it
        which = rng.randrange(2)
        x = int(a if which == 0 else b)
        x2 = near_miss(rng, x)
        aa, bb = (x2, int(b)) if which == 0 else (int(a), x2)
        from verify import OPS
        v = OPS[op](aa, bb)
        if v is None or v <= 0:
            v = near_miss(rng, c)
        new = st[:m.start()] + f"{aa} {op} {bb} = {v}" + st[m.end():]
        new = new.replace(f"\\boxed{{{c}}}", f"\\boxed{{{v}}}")
    else:               # a boxed answer different from the computed result (or a wrong result)
        if "\\boxed" in st:
            new = st.replace(f"\\boxed{{{c}}}", f"\\boxed{{{near_miss(rng, c)}}}")
        else:
            new = st[:m.start()] + f"{a} {op} {b} = {near_miss(rng, c)}" + st[m.end():]
    steps2 = steps[:k] + [new]
    labels = label_solution(row["problem"], steps2)
    return {"question": row["problem"], "steps": steps2, "labels": labels, "source": "corrupt",
            "unique_id": row["unique_id"]}


def corrupted_set(rows, seed):
    rng = random.Random(seed)
    return [corrupt(rng, r) for r in rows]


def reference_set(rows):
    out = []
    for r in rows:
        steps = r["solution"].split(DELIM)
        out.append({"question": r["problem"], "steps": steps, "labels": [1] * len(steps), "source": "reference",
                    "unique_id": r["unique_id"]})
    return out
