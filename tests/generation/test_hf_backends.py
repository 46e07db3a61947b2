"""The batched engine against one-at-a-time decoding, on the tiny trained models."""

from __future__ import annotations

import random
import shutil

import pytest
import torch

from generation import DecodingSettings, GenerationResult
from generation.types import DialogueInput, Turn

GREEDY = DecodingSettings(max_new_tokens=12)
BEAMS = DecodingSettings(num_beams=3, no_repeat_ngram_size=2, max_new_tokens=10)
SAMPLING = DecodingSettings(do_sample=True, top_k=20, seed=11, max_new_tokens=12)


def texts(results: list[GenerationResult]) -> list[str]:
    return [result.response for result in results]


@pytest.fixture(params=["seq2seq", "causal"])
def backend(request):
    return request.getfixturevalue(request.param)


def test_batched_greedy_equals_one_at_a_time(backend, unseen_dialogues):
    naive = backend.generate(unseen_dialogues, GREEDY, batch_size=1)
    batched = backend.generate(unseen_dialogues, GREEDY, batch_size=7)
    assert texts(batched) == texts(naive)
    assert len(set(texts(naive))) > 1, "a constant output would make this test vacuous"


def test_batched_beam_search_equals_one_at_a_time(backend, unseen_dialogues):
    sample = unseen_dialogues[:12]
    assert texts(backend.generate(sample, BEAMS, batch_size=5)) == texts(
        backend.generate(sample, BEAMS, batch_size=1)
    )


def test_engine_matches_a_plain_generate_call(backend, unseen_dialogues):
    """Reference: transformers' generate on one unpadded row, outside the engine."""
    model, tokenizer = backend.model, backend.tokenizer
    for dialogue in unseen_dialogues[:5]:
        ids = torch.tensor([backend.context_ids(dialogue, backend.context_limit(GREEDY))])
        out = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=GREEDY.max_new_tokens,
            do_sample=False,
            pad_token_id=backend.pad_id,
        )
        new = out[0, ids.shape[1] :] if backend.kind == "hf_causal" else out[0, 1:]
        expected = tokenizer.decode(new, skip_special_tokens=True).strip()
        assert backend.generate([dialogue], GREEDY)[0].response == expected


def test_left_padding_without_the_mask_would_change_the_output(causal, unseen_dialogues):
    """Shows the equality test above is sensitive to padding mistakes."""
    short = next(d for d in unseen_dialogues if len(d.turns) == 1)
    long = max(unseen_dialogues, key=lambda d: sum(len(t.text) for t in d.turns))
    limit = causal.context_limit(GREEDY)
    rows = [causal.context_ids(long, limit), causal.context_ids(short, limit)]
    width = len(rows[0])
    padded = torch.tensor([rows[0], [causal.pad_id] * (width - len(rows[1])) + rows[1]])
    unmasked = causal.model.generate(
        input_ids=padded,
        attention_mask=torch.ones_like(padded),
        max_new_tokens=12,
        do_sample=False,
        pad_token_id=causal.pad_id,
    )
    wrong = causal.tokenizer.decode(unmasked[1, width:], skip_special_tokens=True).strip()
    assert wrong != causal.generate([short], GREEDY)[0].response


def test_results_come_back_in_input_order(backend, unseen_dialogues):
    shuffled = list(unseen_dialogues)
    random.Random(5).shuffle(shuffled)
    results = backend.generate(shuffled, GREEDY, batch_size=6)
    assert [r.key for r in results] == [d.key for d in shuffled]
    by_key = {r.key: r.response for r in backend.generate(unseen_dialogues, GREEDY, 1)}
    assert texts(results) == [by_key[d.key] for d in shuffled]


def test_seeded_sampling_does_not_depend_on_batching(backend, unseen_dialogues):
    sample = unseen_dialogues[:16]
    alone = texts(backend.generate(sample, SAMPLING, batch_size=1))
    batched = texts(backend.generate(sample, SAMPLING, batch_size=6))
    reordered = backend.generate(sample[::-1], SAMPLING, batch_size=16)
    assert batched == alone
    assert texts(reordered) == alone[::-1]


def test_sampling_depends_on_the_seed_and_differs_from_greedy(backend, unseen_dialogues):
    sample = unseen_dialogues[:16]
    first = texts(backend.generate(sample, SAMPLING))
    other_seed = DecodingSettings(**{**SAMPLING.to_dict(), "seed": 12})
    assert texts(backend.generate(sample, other_seed)) != first
    assert texts(backend.generate(sample, GREEDY)) != first


def test_top_k_one_sampling_is_greedy(backend, unseen_dialogues):
    top1 = DecodingSettings(do_sample=True, top_k=1, seed=3, max_new_tokens=12)
    sample = unseen_dialogues[:10]
    assert texts(backend.generate(sample, top1)) == texts(backend.generate(sample, GREEDY))


def test_max_new_tokens_bounds_the_response(backend, unseen_dialogues):
    short = DecodingSettings(max_new_tokens=3)
    for result in backend.generate(unseen_dialogues[:10], short):
        ids = backend.tokenizer(result.response, add_special_tokens=False)["input_ids"]
        assert len(ids) <= 3


def test_results_carry_key_and_time(backend, unseen_dialogues):
    results = backend.generate(unseen_dialogues[:4], GREEDY, batch_size=2)
    assert all(r.seconds > 0 for r in results)
    assert all(isinstance(r.response, str) for r in results)


def test_classifier_labels_the_contexts(seq2seq, train_dialogues):
    results = seq2seq.generate(train_dialogues, GREEDY, batch_size=32)
    labels = {d.emotion for d in train_dialogues}
    assert {r.label for r in results} <= labels
    accuracy = sum(
        r.label == d.emotion for r, d in zip(results, train_dialogues, strict=True)
    ) / len(results)
    assert accuracy >= 0.6  # six emotions: chance is about 0.17


def test_a_checkpoint_without_classifier_gives_empty_labels(causal, unseen_dialogues):
    assert {r.label for r in causal.generate(unseen_dialogues[:3], GREEDY)} == {""}


def test_gold_perplexity_is_finite_and_none_without_gold(backend, train_dialogues):
    no_gold = DialogueInput("no-gold", (Turn("a", "hello"),))
    values = backend.gold_perplexity([*train_dialogues[:5], no_gold])
    assert values[-1] is None
    assert all(v is not None and 1.0 < v < 1e6 for v in values[:-1])


def test_gold_perplexity_prefers_trained_replies_to_scrambled_ones(backend, train_dialogues):
    sample = train_dialogues[:30]
    scrambled = []
    for d in sample:
        words = d.gold.split()
        random.Random(d.key).shuffle(words)
        scrambled.append(DialogueInput(d.key, d.turns, gold=" ".join(words[::-1]) + " zq"))
    gold = backend.gold_perplexity(sample)
    worse = backend.gold_perplexity(scrambled)
    wins = sum(g < w for g, w in zip(gold, worse, strict=True))  # type: ignore[operator]
    assert wins >= 27


def test_gold_perplexity_batched_equals_single(backend, train_dialogues):
    sample = train_dialogues[:9]
    batched = backend.gold_perplexity(sample, batch_size=4)
    single = [backend.gold_perplexity([d], batch_size=1)[0] for d in sample]
    assert batched == pytest.approx(single, rel=1e-4)


def test_causal_perplexity_from_gold_positions_equals_full_logits(causal, train_dialogues):
    """The pass projects only the gold positions onto the vocabulary: the same
    perplexities as the model's full logits."""
    from generation.backends.hf import mean_nll
    from generation.batching import pad

    items = [causal._gold_item(d) for d in train_dialogues[:6]]
    ids, mask = pad([c + g for c, g in items], causal.pad_id, "right", causal.device)
    targets, _ = pad([[-100] * len(c) + g for c, g in items], -100, "right", causal.device)
    with torch.inference_mode():
        full = mean_nll(
            causal.model(input_ids=ids, attention_mask=mask).logits[:, :-1], targets[:, 1:]
        )
        scored = causal._nll_rows(items)
    assert scored == pytest.approx(full, rel=1e-5)


def test_chat_models_generate_through_their_template(tiny_models, tmp_path, unseen_dialogues):
    from transformers import AutoTokenizer

    from generation import HF_CAUSAL, load_backend

    path = tmp_path / "chat"
    shutil.copytree(tiny_models["gpt2"], path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    tokenizer.chat_template = (
        "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}</s>{% endfor %}"
        "{% if add_generation_prompt %}assistant: {% endif %}"
    )
    tokenizer.save_pretrained(path)
    backend = load_backend(HF_CAUSAL, str(path), device="cpu")
    assert backend.uses_chat_template
    dialogue = unseen_dialogues[0]
    prompt = backend.tokenizer.decode(backend.context_ids(dialogue, 100))
    assert prompt.endswith(f"user: {dialogue.turns[-1].text}</s>assistant: ")
    sample = unseen_dialogues[:10]
    assert texts(backend.generate(sample, GREEDY, batch_size=4)) == texts(
        backend.generate(sample, GREEDY, batch_size=1)
    )


@pytest.mark.parametrize("settings", [GREEDY, SAMPLING, BEAMS], ids=["greedy", "sampling", "beams"])
def test_scored_generation_equals_generation_and_the_perplexity_pass(
    backend, train_dialogues, settings
):
    """Production asks for the gold perplexities within generation: the same responses as
    generating alone, the same perplexities as the separate pass, None without a gold."""
    no_gold = DialogueInput("no-gold", train_dialogues[0].turns)
    long_gold = DialogueInput(
        "long-gold", train_dialogues[1].turns, gold=" ".join([train_dialogues[1].gold] * 40)
    )
    sample = [*train_dialogues[:9], no_gold, long_gold]
    plain = backend.generate(sample, settings, batch_size=4)
    scored = backend.generate(sample, settings, batch_size=4, score_gold=True)
    assert texts(scored) == texts(plain)
    assert [r.gold_perplexity for r in plain] == [None] * len(sample)
    separate = backend.gold_perplexity(sample, batch_size=4)
    assert scored[9].gold_perplexity is None and separate[9] is None
    del scored[9], separate[9]
    assert [r.gold_perplexity for r in scored] == pytest.approx(separate, rel=1e-4)


def test_scored_generation_runs_no_second_pass_over_the_contexts(
    backend, train_dialogues, monkeypatch
):
    """The gold is scored beside generation's own passes (the encoder's outputs, the
    causal model's cache), not by the perplexity pass run again over every context."""
    second_passes = []
    monkeypatch.setattr(backend, "_nll_rows", lambda items: second_passes.append(items))
    results = backend.generate(train_dialogues[:8], GREEDY, batch_size=4, score_gold=True)
    assert second_passes == []
    assert all(r.gold_perplexity is not None for r in results)


def test_scored_seq2seq_generation_projects_the_encoder_outputs_once(seq2seq, train_dialogues):
    """The gold's teacher-forced decoder pass fills the cross-attention cache generation
    starts from: per batch, one encoder pass and one key projection of its outputs per
    decoder layer, as when generating alone."""
    calls: list[str] = []
    modules = {"encoder": seq2seq.model.get_encoder()} | {
        name: module
        for name, module in seq2seq.model.named_modules()
        if name.endswith("encoder_attn.k_proj")
    }
    handles = [
        module.register_forward_hook(lambda *_, name=name: calls.append(name))
        for name, module in modules.items()
    ]
    try:
        seq2seq.generate(train_dialogues[:8], GREEDY, batch_size=4)
        alone = sorted(calls)
        calls.clear()
        seq2seq.generate(train_dialogues[:8], GREEDY, batch_size=4, score_gold=True)
    finally:
        for handle in handles:
            handle.remove()
    assert len(modules) > 1
    assert sorted(calls) == alone == sorted(list(modules) * 2)


def test_scored_causal_generation_pads_each_context_and_gold_as_one_row(causal, train_dialogues):
    """The fused pass runs each context followed by its own gold, padded to the longest
    pair: a long context with a short gold beside a short context with a long gold costs
    the longer pair, not the longest context plus the longest gold."""
    by_length = sorted(train_dialogues, key=lambda d: len(causal._gold_item(d)[0]))
    short, long = by_length[0], by_length[-1]
    pair = [
        DialogueInput("long-context", long.turns, gold="yes"),
        DialogueInput("long-gold", short.turns, gold=" ".join([short.gold] * 3)),
    ]
    items = [causal._gold_item(d) for d in pair]
    widths: list[int] = []  # the first call is the fused pass; generate's steps follow
    handle = causal.model.base_model.register_forward_pre_hook(
        lambda _, args, kwargs: widths.append(kwargs.get("input_ids", *args[:1]).shape[1]),
        with_kwargs=True,
    )
    try:
        scored = causal.generate(pair, GREEDY, batch_size=2, score_gold=True)
    finally:
        handle.remove()
    assert widths[0] == max(len(context) + len(gold) for context, gold in items)
    assert widths[0] < max(len(c) for c, _ in items) + max(len(g) for _, g in items)
    assert texts(scored) == texts(causal.generate(pair, GREEDY, batch_size=1))
    assert [r.gold_perplexity for r in scored] == pytest.approx(
        causal.gold_perplexity(pair, batch_size=1), rel=1e-4
    )


def test_scored_generation_tokenizes_each_context_once(backend, train_dialogues, monkeypatch):
    """The gold's context is the generation context when neither limit cut the dialogue:
    production tokenizes it once, as generating alone does."""
    calls: list[str] = []
    context_ids = backend.context_ids
    monkeypatch.setattr(
        backend, "context_ids", lambda d, limit: calls.append(d.key) or context_ids(d, limit)
    )
    sample = train_dialogues[:8]
    scored = backend.generate(sample, GREEDY, batch_size=4, score_gold=True)
    assert sorted(calls) == sorted(d.key for d in sample)
    monkeypatch.undo()
    assert [r.gold_perplexity for r in scored] == pytest.approx(
        backend.gold_perplexity(sample, batch_size=4), rel=1e-4
    )


def alone_then_scored(backend, sample, batch_size, calls, handle) -> int:
    """Generates ``sample`` alone, then with its golds scored, ``calls`` recording the model
    calls of ``handle``'s hook (removed afterwards) and left holding the scored run's. Checks
    that scoring changes no response and gives the separate pass's perplexities; returns how
    many calls generating alone made."""
    try:
        alone = backend.generate(sample, GREEDY, batch_size=batch_size)
        steps = len(calls)
        calls.clear()
        scored = backend.generate(sample, GREEDY, batch_size=batch_size, score_gold=True)
    finally:
        handle.remove()
    assert texts(scored) == texts(alone)
    assert [r.gold_perplexity for r in scored] == pytest.approx(
        backend.gold_perplexity(sample, batch_size=batch_size), rel=1e-4
    )
    return steps


def test_scored_seq2seq_generation_takes_its_first_step_from_the_gold_pass(
    seq2seq, train_dialogues
):
    """Generation's first step reads the decoder start token, as position 0 of the gold's
    teacher-forced pass does, and its token is the forced bos: the gold pass stands in for
    that step, so scoring adds no decoder call to generating alone."""
    assert seq2seq.generation_config(GREEDY).forced_bos_token_id is not None
    calls: list[int] = []
    handle = seq2seq.model.get_decoder().register_forward_pre_hook(
        lambda _, args, kwargs: calls.append(kwargs["input_ids"].shape[1]), with_kwargs=True
    )
    steps = alone_then_scored(seq2seq, train_dialogues[:8], 4, calls, handle)
    gold_passes = [width for width in calls if width > 1]
    assert len(gold_passes) == 2  # one per batch
    assert len(calls) == steps


def forward_widths(causal):
    """Records the width of every forward pass of the causal model's transformer (the
    packed pass calls it directly, generate through the language-model head)."""
    widths: list[int] = []
    handle = causal.model.base_model.register_forward_pre_hook(
        lambda _, args, kwargs: widths.append(kwargs.get("input_ids", *args[:1]).shape[1]),
        with_kwargs=True,
    )
    return widths, handle


def test_scored_causal_generation_takes_its_first_step_from_the_packed_pass(
    causal, train_dialogues
):
    """The packed pass runs each row's last context token, whose logits are generation's
    first step: scoring adds no forward pass to generating alone (one batch both ways, so
    both decode the same number of steps)."""
    widths, handle = forward_widths(causal)
    steps = alone_then_scored(causal, train_dialogues[:8], 8, widths, handle)
    assert steps > 2
    assert [width > 1 for width in widths] == [True] + [False] * (steps - 1)


def test_scored_causal_generation_of_one_token_runs_only_the_packed_pass(causal, train_dialogues):
    """With one new token the first step is the whole response: generate's stopping
    criteria end it without a forward pass of its own."""
    one_token = DecodingSettings(max_new_tokens=1)
    sample = train_dialogues[:6]
    widths, handle = forward_widths(causal)
    try:
        scored = causal.generate(sample, one_token, batch_size=6, score_gold=True)
    finally:
        handle.remove()
    assert len(widths) == 1
    assert texts(scored) == texts(causal.generate(sample, one_token, batch_size=6))


def first_token_ids(backend, results: list[GenerationResult]) -> list[list[int]]:
    return [
        backend.tokenizer(r.response, add_special_tokens=False)["input_ids"][:1] for r in results
    ]


@pytest.mark.parametrize(
    "processor", ["no-repeated-token", "repetition-penalty", "suppressed-first-tokens"]
)
def test_scored_causal_generation_applies_generates_processors_at_the_first_step(
    causal, train_dialogues, monkeypatch, processor
):
    """The first step taken from the packed pass still goes through the logits processors
    generate builds (ours, and any the model's generation config holds: set on the loaded
    model here, since a checkpoint's own are dropped at load): the responses are those of
    generating alone, and each processor does change some response's first token."""
    sample = [*train_dialogues[:9], DialogueInput("no-gold", train_dialogues[9].turns)]
    unconstrained = causal.generate(sample, GREEDY, batch_size=5)
    settings = GREEDY
    if processor == "no-repeated-token":
        settings = DecodingSettings(no_repeat_ngram_size=1, max_new_tokens=12)
    elif processor == "repetition-penalty":
        monkeypatch.setattr(causal.model.generation_config, "repetition_penalty", 3.0)
    else:
        firsts = sorted({ids[0] for ids in first_token_ids(causal, unconstrained) if ids})
        monkeypatch.setattr(causal.model.generation_config, "begin_suppress_tokens", firsts)
    alone = causal.generate(sample, settings, batch_size=5)
    scored = causal.generate(sample, settings, batch_size=5, score_gold=True)
    assert texts(scored) == texts(alone)
    assert first_token_ids(causal, alone) != first_token_ids(causal, unconstrained)


@pytest.mark.parametrize("family", ["bart", "gpt2"])
def test_a_checkpoints_generation_settings_do_not_change_decoding(
    tiny_models, tmp_path, unseen_dialogues, family
):
    """Decoding comes from the campaign's settings only: a checkpoint saved with task
    settings in its generation_config.json (a summariser's minimum length, a repetition
    penalty, tokens barred from the first step) decodes exactly as the plain checkpoint.
    generate fills every field it is not given from the model's generation config."""
    from transformers import GenerationConfig

    from generation import HF_CAUSAL, HF_SEQ2SEQ, load_backend

    kind = HF_SEQ2SEQ if family == "bart" else HF_CAUSAL
    plain = load_backend(kind, str(tiny_models[family]), device="cpu")
    sample = unseen_dialogues[:8]
    expected = plain.generate(sample, GREEDY, batch_size=4)
    firsts = sorted({ids[0] for ids in first_token_ids(plain, expected) if ids})
    path = tmp_path / family
    shutil.copytree(tiny_models[family], path)
    config = GenerationConfig.from_pretrained(path)
    config.update(min_new_tokens=6, repetition_penalty=3.0, begin_suppress_tokens=firsts)
    config.save_pretrained(path)
    tasked = load_backend(kind, str(path), device="cpu")
    assert tasked.model.generation_config.bos_token_id == plain.model.generation_config.bos_token_id
    for score_gold in (False, True):
        got = tasked.generate(sample, GREEDY, batch_size=4, score_gold=score_gold)
        assert texts(got) == texts(expected), score_gold
