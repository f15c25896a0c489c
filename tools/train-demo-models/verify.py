"""Step-level correctness for arith-steps solutions (the PRM's training and evaluation label).

A step is *correct* when
  * it contains at least one equation "a op b = c" (op one of + − × ÷), and every equation in
    it is arithmetically true (÷ must be exact);
  * every operand a, b is a number that appears in the problem or is the result of an
    earlier step of the context (no invented numbers), and
  * if it states "\\boxed{N}", N is the result of its last equation.
This judges each step given its context, like a process reward label: a step that computes
correctly from a wrong earlier result is itself correct.
"""
import re

OPS = {"+": lambda a, b: a + b, "\u2212": lambda a, b: a - b, "-": lambda a, b: a - b,
       "\u00d7": lambda a, b: a * b, "\u00f7": lambda a, b: a // b if b and a % b == 0 else None}
EQ = re.compile(r"(\d+) ([+\u2212\u00d7\u00f7-]) (\d+) = (\d+)")
NUM = re.compile(r"\d+")
BOX = re.compile(r"\\boxed\{([^{}]*)\}")


def step_results(step):
    return [int(m.group(4)) for m in EQ.finditer(step)]


def step_error(problem, context_steps, step):
    """Why a step is not correct: "no-equation", "arithmetic" (an equation is false or ÷ inexact),
    "operand" (a number neither in the problem nor an earlier result: a miscopied or invented one),
    "boxed" (the boxed answer is not the last result); "ok" when it is correct."""
    eqs = list(EQ.finditer(step))
    if not eqs:
        return "no-equation"
    avail = {int(x) for x in NUM.findall(problem)}
    for s in context_steps:
        avail.update(step_results(s))
    last = None
    for m in eqs:
        a, op, b, c = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        v = OPS[op](a, b)
        if v is None or v != c:
            return "arithmetic"
        if a not in avail or b not in avail:
            return "operand"
        avail.add(c)
        last = c
    boxes = BOX.findall(step)
    if boxes and boxes[-1].strip() != str(last):
        return "boxed"
    return "ok"


def step_correct(problem, context_steps, step):
    return step_error(problem, context_steps, step) == "ok"


if __name__ == "__main__":
    p = "Sam has 11 cards. He finds 28 more. He gives away 30."
    assert step_correct(p, [], "Finds 28 more: 11 + 28 = 39.")
    assert not step_correct(p, [], "Finds 28 more: 11 + 28 = 38.")
    assert not step_correct(p, [], "Finds 28 more: 11 + 29 = 40.")
    assert step_correct(p, ["Finds 28 more: 11 + 28 = 38."], "Gives away 30: 38 \u2212 30 = 8. The answer is \\boxed{8}.")
    assert not step_correct(p, ["Finds 28 more: 11 + 28 = 38."], "Gives away 30: 38 \u2212 30 = 8. The answer is \\boxed{9}.")
    assert not step_correct(p, [], "The answer is \\boxed{9}.")
    assert step_error(p, [], "Finds 28 more: 11 + 28 = 38.") == "arithmetic"
    assert step_error(p, [], "Finds 82 more: 11 + 82 = 93.") == "operand"
    assert step_error(p, [], "Finds 28 more: 11 + 28 = 39. The answer is \\boxed{40}.") == "boxed"
    assert step_error(p, [], "He finds more.") == "no-equation"
    print("ok")
