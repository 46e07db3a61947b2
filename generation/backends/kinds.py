"""The kinds of system, in a module of their own so that each backend can name its kind
without importing the package that loads it."""

HF_SEQ2SEQ = "hf_seq2seq"
HF_CAUSAL = "hf_causal"
ADAPTER = "adapter"
# Responses produced elsewhere and imported by the platform: there is no backend for it.
IMPORTED = "imported"
GENERATION_KINDS = (HF_SEQ2SEQ, HF_CAUSAL, ADAPTER)
ALL_KINDS = (*GENERATION_KINDS, IMPORTED)
