"""Procedural generator of the arith-steps benchmark: multi-step arithmetic word problems.

Every problem follows one quantity (a person's items) through a chain of operations. Each
operation is one reasoning step that restates its sentence and computes, "<sentence>, so a op b = c.",
reusing the previous result; a bracket group (m x n packs, n to each of m friends, b + c gifts) is
two steps: the inner result first, then its use ("In total ..." / "That leaves ..."). Solutions have one step per paragraph, steps joined by "\n\n", the last step ending
"The answer is \\boxed{N}.". Every number is a positive integer, every division is exact.

Levels (number of steps, operators, value range):
  1: 1 step,  + or -,                                   values <= 99
  2: 2 steps, + and -,                                  values <= 99
  3: 3 steps, one x (by 2-9) among + / -,               values <= 150
  4: 4 steps, one / (exact, by 2-9), and a bracket group or one x,  values <= 150
  5: 5 steps, x and / and a bracket group and one + / -,           values <= 199
  6: the hard tail - level 5's plan with a start up to 150 and values up to 250. The LMs train on
     levels 1-5 only (values <= 199), so level 6 is outside what they saw, as a benchmark's hardest
     problems are outside a model's training; its problems are written to the test and validation
     splits (HARD_SHARE of each) and to a separate pool for the PRM and the router (gen_dataset.py).
"""
import json
import random

MINUS, TIMES, DIV = "\u2212", "\u00d7", "\u00f7"

NAMES = [("Ava", "She"), ("Ben", "He"), ("Mia", "She"), ("Leo", "He"), ("Zoe", "She"), ("Sam", "He"),
         ("Ivy", "She"), ("Max", "He"), ("Amy", "She"), ("Tom", "He"), ("Kim", "She"), ("Eli", "He")]
ITEMS = ["apples", "cards", "coins", "books", "pens", "shells", "stamps", "beads", "marbles",
         "stickers", "eggs", "cups"]
CAP = {1: 99, 2: 99, 3: 150, 4: 150, 5: 199, 6: 250}
START_HI = {6: 150}  # other levels start at most at 99
HARD_LEVEL = 6


class Story:
    def __init__(self, rng, cap):
        self.rng = rng
        self.cap = cap
        self.name, self.pro = rng.choice(NAMES)
        self.item = rng.choice(ITEMS)
        self.sent = []      # problem sentences
        self.steps = []     # solution steps
        self.ops = set()
        self.x = None

    def say(self, sentence, equation):
        """A problem sentence, and the step that restates it and computes: "<sentence>, so <eq>."."""
        self.sent.append(sentence + ".")
        self.steps.append(f"{sentence}, so {equation}.")

    def start(self, lo, hi):
        self.x = self.rng.randint(lo, min(hi, self.cap))
        self.sent.append(f"{self.name} has {self.x} {self.item}.")
        return True

    def add(self, blo, bhi):
        hi = min(bhi, self.cap - self.x)
        if hi < blo:
            return False
        b = self.rng.randint(blo, hi)
        verb = self.rng.choice(["buys", "finds", "gets"])
        self.say(f"{self.pro} {verb} {b} more", f"{self.x} + {b} = {self.x + b}")
        self.x += b
        self.ops.add("+")
        return True

    def sub(self, blo, bhi):
        hi = min(bhi, self.x - 1)
        if hi < blo:
            return False
        b = self.rng.randint(blo, hi)
        verb = self.rng.choice(["gives away", "loses", "sells"])
        self.say(f"{self.pro} {verb} {b}", f"{self.x} {MINUS} {b} = {self.x - b}")
        self.x -= b
        self.ops.add("-")
        return True

    def pm(self, blo, bhi):
        if self.rng.random() < 0.5:
            return self.add(blo, bhi) or self.sub(blo, bhi)
        return self.sub(blo, bhi) or self.add(blo, bhi)

    def mul(self):
        ks = [k for k in range(2, 10) if self.x * k <= self.cap]
        if not ks:
            return False
        k = self.rng.choice(ks)
        self.say(f"{self.pro} trades for {k} times as many", f"{self.x} {TIMES} {k} = {self.x * k}")
        self.x *= k
        self.ops.add("*")
        return True

    def div(self):
        ks = [k for k in range(2, 10) if self.x % k == 0 and self.x // k >= 2]
        if not ks:
            return False
        k = self.rng.choice(ks)
        self.say(f"{self.pro} keeps one of {k} equal piles", f"{self.x} {DIV} {k} = {self.x // k}")
        self.x //= k
        self.ops.add("/")
        return True

    def bracket(self):
        r = self.rng.randrange(3)
        for _ in range(30):
            if r == 0:
                m, n = self.rng.randint(2, 9), self.rng.randint(2, 20)
                p = m * n
                if self.x + p > self.cap:
                    continue
                self.say(f"{self.pro} buys {m} packs of {n}", f"{m} {TIMES} {n} = {p}")
                self.steps.append(f"In total {self.x} + {p} = {self.x + p}.")
                self.x += p
                self.ops |= {"*", "+", "()"}
                return True
            if r == 1:
                m, n = self.rng.randint(2, 9), self.rng.randint(2, 15)
                p = m * n
                if p >= self.x:
                    continue
                self.say(f"{self.pro} gives {n} to each of {m} friends", f"{m} {TIMES} {n} = {p}")
                self.steps.append(f"That leaves {self.x} {MINUS} {p} = {self.x - p}.")
                self.x -= p
                self.ops |= {"*", "-", "()"}
                return True
            b, c = self.rng.randint(2, 60), self.rng.randint(2, 60)
            p = b + c
            if self.x + p > self.cap:
                continue
            self.say(f"{self.pro} gets {b} from Mom and {c} from Dad", f"{b} + {c} = {p}")
            self.steps.append(f"In total {self.x} + {p} = {self.x + p}.")
            self.x += p
            self.ops |= {"+", "()"}
            return True
        return False

    def finish(self):
        q = f"How many {self.item} does {self.pro.lower()} have?"
        steps = list(self.steps)
        steps[-1] = steps[-1] + f" The answer is \\boxed{{{self.x}}}."
        return " ".join(self.sent + [q]), steps, self.x


def _type(ops):
    if "()" in ops:
        return "Brackets"
    if "/" in ops:
        return "Division"
    if "*" in ops:
        return "Multiplication"
    return "Addition and Subtraction"


PLANS = {
    1: lambda rng: [["pm"]],
    2: lambda rng: [["add", "sub"], ["sub", "add"]][rng.randrange(2):][:1],
    3: lambda rng: [rng.sample(["mul", "pm", "pm"], 3)],
    4: lambda rng: [rng.sample(["br", "div", "pm"], 3) if rng.random() < 0.6 else rng.sample(["mul", "div", "pm", "pm"], 4)],
    5: lambda rng: [rng.sample(["br", "mul", "div", "pm"], 4)],
    6: lambda rng: [rng.sample(["br", "mul", "div", "pm"], 4)],
}


def gen_level(rng, level):
    cap = CAP[level]
    while True:
        s = Story(rng, cap)
        s.start(10 if level > 1 else 5, START_HI.get(level, 99))
        plan = PLANS[level](rng)[0]
        ok = True
        for o in plan:
            if o == "pm":
                ok = s.pm(2, 60 if level < 5 else 120)
            elif o == "add":
                ok = s.add(2, 60)
            elif o == "sub":
                ok = s.sub(2, 60)
            elif o == "mul":
                ok = s.mul()
            elif o == "div":
                ok = s.div()
            else:
                ok = s.bracket()
            if not ok:
                break
        if ok:
            problem, steps, ans = s.finish()
            return dict(problem=problem, solution="\n\n".join(steps), answer=str(ans), level=level,
                        type=_type(s.ops))


def gen_split(seed, n, prefix, level_weights=(1, 1, 1, 1, 1), exclude=None):
    rng = random.Random(seed)
    out, seen = [], set(exclude or ())
    while len(out) < n:
        lvl = rng.choices([1, 2, 3, 4, 5], weights=level_weights)[0]
        ex = gen_level(rng, lvl)
        if ex["problem"] in seen:
            continue
        seen.add(ex["problem"])
        ex["unique_id"] = f"{prefix}-{len(out):05d}"
        out.append(ex)
    return out


def gen_hard(seed, n, exclude=None):
    """n distinct hard-tail (level 6) problems, none of whose texts is in exclude."""
    rng = random.Random(seed)
    out, seen = [], set(exclude or ())
    while len(out) < n:
        ex = gen_level(rng, HARD_LEVEL)
        if ex["problem"] in seen:
            continue
        seen.add(ex["problem"])
        out.append(ex)
    return out


def mix_split(seed, rows, hard, prefix):
    """rows and hard problems in one seeded random order, numbered afresh (prefix-00000 ...)."""
    allr = [dict(r) for r in rows] + [dict(r) for r in hard]
    random.Random(seed).shuffle(allr)
    for i, r in enumerate(allr):
        r["unique_id"] = f"{prefix}-{i:05d}"
    return allr


if __name__ == "__main__":
    rng = random.Random(1)
    for lvl in [1, 2, 3, 4, 4, 5, 5]:
        ex = gen_level(rng, lvl)
        print(lvl, ex["type"], "|", ex["problem"])
        print(ex["solution"])
        print()


def arith_equation(rng, cap=199):
    """One equation of the kinds the solutions contain, with the same operand and value ranges:
    "a + b = c", "a − b = c", "a × k = c" (k 2-9, or m × n packs), "a ÷ k = c" (exact)."""
    while True:
        op = rng.randrange(5)
        if op == 0:
            a = rng.randint(1, cap - 2)
            b = rng.randint(2, min(120, cap - a))
            return f"{a} + {b} = {a + b}"
        if op == 1:
            a = rng.randint(3, cap)
            b = rng.randint(2, min(120, a - 1))
            return f"{a} {MINUS} {b} = {a - b}"
        if op == 2:
            k = rng.randint(2, 9)
            a = rng.randint(1, cap // k)
            return f"{a} {TIMES} {k} = {a * k}"
        if op == 3:
            m, n = rng.randint(2, 9), rng.randint(2, 20)
            return f"{m} {TIMES} {n} = {m * n}"
        k = rng.randint(2, 9)
        q = rng.randint(2, cap // k)
        return f"{q * k} {DIV} {k} = {q}"


def arith_sequence(rng, max_chars=250, cap=199):
    """A line-packed practice sequence: equations "a op b = c." separated by newlines."""
    out = []
    n = 0
    while True:
        e = arith_equation(rng, cap) + "."
        if n + len(e) + 1 > max_chars:
            break
        out.append(e)
        n += len(e) + 1
    return "\n".join(out)
