"""Character-level tokenizer shared by all demo models, written as a standard
Hugging Face tokenizer.json (WordLevel over single characters)."""
import json

SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]
PAD, BOS, EOS, UNK = 0, 1, 2, 3
CHARS = ["\n"] + [chr(c) for c in range(32, 127)] + ["\u2212", "\u00d7", "\u00f7"]
VOCAB = SPECIALS + CHARS
STOI = {s: i for i, s in enumerate(VOCAB)}
VOCAB_SIZE = len(VOCAB)
NL = STOI["\n"]


def encode(text):
    return [STOI.get(ch, UNK) for ch in text]


def decode(ids):
    return "".join(VOCAB[i] for i in ids if i >= len(SPECIALS))


def tokenizer_json():
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for i, s in enumerate(SPECIALS)
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"}, "behavior": "Isolated",
                          "invert": False},
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {"type": "WordLevel", "vocab": {s: i for i, s in enumerate(VOCAB)}, "unk_token": "<unk>"},
    }


# The LM prompt: bos + problem + "\n\n"; the answer follows as steps joined by "\n\n", then eos.
CHAT_TEMPLATE = ("{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
                 "{{ message['content'] }}{% endif %}{% endfor %}"
                 "{% if add_generation_prompt %}{{ '\\n\\n' }}{% endif %}")


def lm_prompt_ids(problem):
    return [BOS] + encode(problem + "\n\n")


def tokenizer_config(model_max_length):
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>",
        "add_bos_token": False, "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "chat_template": CHAT_TEMPLATE,
    }


# ---------------------------------------------------------------- scorer inputs
# The last token id of encode("\n\n") (the step delimiter) for this character tokenizer is "\n".
DELIM_LAST = encode("\n\n")[-1]


def prm_input(question, steps):
    """Skywork-PRM convention: bos + question + "\n", then each step encoded on its own followed
    by the last id of the encoded delimiter. Returns (ids, positions of the appended ids)."""
    ids = [BOS] + encode(question + "\n")
    pos = []
    for s in steps:
        ids += encode(s) + [DELIM_LAST]
        pos.append(len(ids) - 1)
    return ids, pos


def router_input(question, context_steps, context_sources, candidate, annotate=True):
    """Arbitrage-router convention: like the PRM without bos; with annotate every earlier step is
    prefixed "Model 0: " (draft) / "Model 1: " (target) and the candidate "Model 0: ".
    The score is read at the last position."""
    ids = encode(question + "\n")
    for s, src in zip(context_steps, context_sources):
        ids += encode((f"Model {src}: " if annotate else "") + s) + [DELIM_LAST]
    ids += encode(("Model 0: " if annotate else "") + candidate) + [DELIM_LAST]
    return ids
