"""
Runs the Qwen2.5-Math evaluation toolkit's own extract + grade pipeline on JSONL cases
({"id", "pred_text", "gt", "data_name"}) and writes its verdicts, for bench/grader.bench.ts.

The toolkit is not part of this repository. Point the runner at a checkout of QwenLM/Qwen2.5-Math:
  QWEN_EVAL_DIR=/path/to/Qwen2.5-Math/evaluation  (holds parser.py, grader.py, latex2sympy/)
  SYMPY_DIR=/path/with/sympy-1.12/   (optional: the toolkit pins sympy 1.12; else the installed one)
Needs python3 with sympy, regex and antlr4-python3-runtime (4.11 generated parsers run on 4.13; the
version check of sympy's parse_latex is bypassed). word2number, if missing, is replaced by an
equivalent module defined below.
"""
# Runs the Qwen2.5-Math toolkit's extract + grade pipeline on JSONL cases (pred_text, gt, data_name).
import sys, os, json, types, importlib.metadata as md, io, contextlib, multiprocessing, time
_orig = md.version
md.version = lambda n: "4.11.1" if n == "antlr4-python3-runtime" else _orig(n)
EVAL_DIR = os.environ.get("QWEN_EVAL_DIR", "/tmp/qwen-eval/evaluation")
paths = [os.path.join(EVAL_DIR, "latex2sympy"), EVAL_DIR]
if os.environ.get("SYMPY_DIR"):
    paths.insert(0, os.environ["SYMPY_DIR"])
sys.path[:0] = paths

try:
    import word2number  # noqa: F401
except ImportError:
    _w2n_src = '# Local re-creation of the word2number 1.1 package (not installable here) for running the toolkit.\namerican_number_system = {\n    \'zero\': 0, \'one\': 1, \'two\': 2, \'three\': 3, \'four\': 4, \'five\': 5, \'six\': 6, \'seven\': 7,\n    \'eight\': 8, \'nine\': 9, \'ten\': 10, \'eleven\': 11, \'twelve\': 12, \'thirteen\': 13, \'fourteen\': 14,\n    \'fifteen\': 15, \'sixteen\': 16, \'seventeen\': 17, \'eighteen\': 18, \'nineteen\': 19, \'twenty\': 20,\n    \'thirty\': 30, \'forty\': 40, \'fifty\': 50, \'sixty\': 60, \'seventy\': 70, \'eighty\': 80, \'ninety\': 90,\n    \'hundred\': 100, \'thousand\': 1000, \'million\': 1000000, \'billion\': 1000000000, \'point\': \'.\'\n}\ndecimal_words = [\'zero\', \'one\', \'two\', \'three\', \'four\', \'five\', \'six\', \'seven\', \'eight\', \'nine\']\n\ndef number_formation(number_words):\n    numbers = [american_number_system[w] for w in number_words]\n    if len(numbers) == 4:\n        return (numbers[0] * numbers[1]) + numbers[2] + numbers[3]\n    elif len(numbers) == 3:\n        return numbers[0] * numbers[1] + numbers[2]\n    elif len(numbers) == 2:\n        if 100 in numbers:\n            return numbers[0] * numbers[1]\n        else:\n            return numbers[0] + numbers[1]\n    else:\n        return numbers[0]\n\ndef get_decimal_sum(decimal_digit_words):\n    s = []\n    for w in decimal_digit_words:\n        if w not in decimal_words:\n            return 0\n        s.append(american_number_system[w])\n    return float(\'0.\' + \'\'.join(map(str, s)))\n\ndef word_to_num(number_sentence):\n    if type(number_sentence) is not str:\n        raise ValueError("not a string")\n    number_sentence = number_sentence.replace(\'-\', \' \').lower()\n    if number_sentence.isdigit():\n        return int(number_sentence)\n    split_words = number_sentence.strip().split()\n    clean_numbers = [w for w in split_words if w in american_number_system]\n    clean_decimal_numbers = []\n    if len(clean_numbers) == 0:\n        raise ValueError("No valid number words found")\n    if clean_numbers.count(\'thousand\') > 1 or clean_numbers.count(\'million\') > 1 or clean_numbers.count(\'billion\') > 1 or clean_numbers.count(\'point\') > 1:\n        raise ValueError("Redundant number word")\n    if clean_numbers.count(\'point\') == 1:\n        clean_decimal_numbers = clean_numbers[clean_numbers.index(\'point\') + 1:]\n        clean_numbers = clean_numbers[:clean_numbers.index(\'point\')]\n    billion_index = clean_numbers.index(\'billion\') if \'billion\' in clean_numbers else -1\n    million_index = clean_numbers.index(\'million\') if \'million\' in clean_numbers else -1\n    thousand_index = clean_numbers.index(\'thousand\') if \'thousand\' in clean_numbers else -1\n    if (thousand_index > -1 and (thousand_index < million_index or thousand_index < billion_index)) or (million_index > -1 and million_index < billion_index):\n        raise ValueError("Malformed number")\n    total_sum = 0\n    if len(clean_numbers) > 0:\n        if len(clean_numbers) == 1:\n            total_sum += american_number_system[clean_numbers[0]]\n        else:\n            if billion_index > -1:\n                total_sum += number_formation(clean_numbers[0:billion_index]) * 1000000000\n            if million_index > -1:\n                if billion_index > -1:\n                    m = number_formation(clean_numbers[billion_index + 1:million_index])\n                else:\n                    m = number_formation(clean_numbers[0:million_index])\n                total_sum += m * 1000000\n            if thousand_index > -1:\n                if million_index > -1:\n                    t = number_formation(clean_numbers[million_index + 1:thousand_index])\n                elif billion_index > -1 and million_index == -1:\n                    t = number_formation(clean_numbers[billion_index + 1:thousand_index])\n                else:\n                    t = number_formation(clean_numbers[0:thousand_index])\n                total_sum += t * 1000\n            if thousand_index > -1 and thousand_index != len(clean_numbers) - 1:\n                hundreds = number_formation(clean_numbers[thousand_index + 1:])\n            elif million_index > -1 and million_index != len(clean_numbers) - 1:\n                hundreds = number_formation(clean_numbers[million_index + 1:])\n            elif billion_index > -1 and billion_index != len(clean_numbers) - 1:\n                hundreds = number_formation(clean_numbers[billion_index + 1:])\n            elif thousand_index == -1 and million_index == -1 and billion_index == -1:\n                hundreds = number_formation(clean_numbers)\n            else:\n                hundreds = 0\n            total_sum += hundreds\n    if len(clean_decimal_numbers) > 0:\n        total_sum += get_decimal_sum(clean_decimal_numbers)\n    return total_sum\n'
    pkg = types.ModuleType("word2number")
    mod = types.ModuleType("word2number.w2n")
    exec(_w2n_src, mod.__dict__)
    pkg.w2n = mod
    sys.modules["word2number"] = pkg
    sys.modules["word2number.w2n"] = mod
import sympy
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    from parser import extract_answer, strip_string, parse_ground_truth, choice_answer_clean, STRIP_EXCEPTIONS
    from grader import math_equal

def is_multi_choice(answer):
    return all(c in "ABCDE" for c in answer)

def pipeline(case):
    data = case.get("data_name", "math")
    gt_raw = case["gt"]
    if data in ("math", "minerva_math"):
        gt = extract_answer("\\boxed{" + str(gt_raw) + "}" if "boxed" not in str(gt_raw) else str(gt_raw), data)
    elif data in STRIP_EXCEPTIONS:
        gt = str(gt_raw).replace("\\neq", "\\ne").replace("\\leq", "\\le").replace("\\geq", "\\ge")
    else:
        gt = str(gt_raw)
        if data == "olympiadbench": gt = gt.strip("$")
        if data == "gsm8k" and "####" in gt: gt = gt.split("####")[1]
        gt = strip_string(gt)
    pred = strip_string(extract_answer(case["pred_text"], data), skip_unit=data in STRIP_EXCEPTIONS)
    if gt in ["A", "B", "C", "D", "E"] and pred not in ["A", "B", "C", "D", "E"]:
        pred = choice_answer_clean(case["pred_text"])
    elif is_multi_choice(gt) and not is_multi_choice(pred):
        pred = "".join(c for c in pred if c in "ABCDE")
    return pred, gt

def worker(q_in, q_out):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        while True:
            item = q_in.get()
            if item is None: return
            pred, gt = item
            try:
                r = bool(math_equal(pred, gt))
            except Exception:
                r = False
            q_out.put(r)

if __name__ == "__main__":
    TIMEOUT = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0  # evaluate.py: pebble map timeout=3
    print(f"sympy {sympy.__version__}", file=sys.stderr)
    cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    out = open(sys.argv[2], "w")
    q_in, q_out = multiprocessing.Queue(), multiprocessing.Queue()
    def start():
        q_in, q_out = multiprocessing.Queue(), multiprocessing.Queue()
        p = multiprocessing.Process(target=worker, args=(q_in, q_out)); p.start()
        q_in.put(("x^2", "x*x")); q_out.get()  # warm up (sympy's parsers load lazily) outside any timeout
        return q_in, q_out, p
    q_in, q_out, p = start()
    for c in cases:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            pred, gt = pipeline(c)
        t0 = time.time()
        q_in.put((pred, gt))
        try:
            r = q_out.get(timeout=TIMEOUT); timed_out = False
        except Exception:
            r = False; timed_out = True
            p.terminate(); p.join()
            q_in, q_out, p = start()
        out.write(json.dumps({**c, "extracted": pred, "gt_norm": gt, "correct": r, "timeout": timed_out, "ms": round((time.time()-t0)*1000)}, ensure_ascii=False) + "\n")
        out.flush()
    q_in.put(None); p.join()
