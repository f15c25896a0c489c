"""Tokenizer files for the engine's test fixtures, written in the standard tokenizer.json form.

Two kinds: a character-level WordLevel tokenizer (like the demo suite's) and a small byte-level BPE
whose pre-tokenizer and merges behave like Qwen2's around newlines: punctuation absorbs the
newlines that follow it (".\n\n" is one token) and runs of newlines merge ("\n\n", "\n\n\n"), so a
step delimiter can sit inside a token or be split across two.
"""
import json

SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]

CHARS = list("\n 0123456789+-*/=().,:;!?'\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\\{}$%<>_^[]|#@&") + ["к", "и"]


def _added(tokens_with_ids):
    return [
        {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
        for t, i in tokens_with_ids
    ]


def char_tokenizer(extra_specials=()):
    vocab = {}
    for t in SPECIALS + list(extra_specials):
        vocab[t] = len(vocab)
    for c in CHARS:
        vocab[c] = len(vocab)
    specials = SPECIALS + list(extra_specials)
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": _added([(t, vocab[t]) for t in specials]),
        "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"}, "behavior": "Isolated", "invert": False},
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"},
    }
    return tok, vocab


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


# Qwen2's split pattern: letters, single digits, punctuation runs that swallow trailing newlines,
# newline runs, other whitespace.
QWEN2_PATTERN = (
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
)

# Merges, in priority order, written as plain text pairs.
BPE_MERGES = [
    ("\n", "\n"),
    ("\n\n", "\n"),
    (".", "\n\n"),
    (":", "\n"),
    ("(", ")"),
    ("()", ":\n"),
    ("t", "h"),
    ("th", "e"),
    (" ", "t"),
    (" t", "he"),
    ("T", "he"),
    ("a", "n"),
    ("an", "s"),
    (" ", "a"),
    ("i", "s"),
    (" ", "is"),
    ("e", "r"),
    ("er", "."),
    ("ans", "w"),
    ("answ", "er."),
]


def bpe_tokenizer():
    b2u = bytes_to_unicode()

    def enc(s):
        return "".join(b2u[b] for b in s.encode("utf-8"))

    vocab = {}
    for t in SPECIALS:
        vocab[t] = len(vocab)
    for b in range(256):
        vocab[b2u[b]] = len(vocab)
    merges = []
    for a, b in BPE_MERGES:
        ea, eb = enc(a), enc(b)
        merges.append(f"{ea} {eb}")
        vocab.setdefault(ea + eb, len(vocab))
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": _added([(t, vocab[t]) for t in SPECIALS]),
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": vocab,
            "merges": merges,
        },
    }
    return tok, vocab, enc


def tokenizer_config(chat_template=None, bos="<bos>", extra=None):
    cfg = {
        "bos_token": bos,
        "eos_token": "<eos>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "model_max_length": 512,
        "clean_up_tokenization_spaces": False,
    }
    if chat_template is not None:
        cfg["chat_template"] = chat_template
    if extra:
        cfg.update(extra)
    return cfg


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
