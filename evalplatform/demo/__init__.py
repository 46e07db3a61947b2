"""The demo (`make demo` = `manage.py demo`): sets up the whole job on the embedded default
and serves it. It sits above every other app and may import any of them; the data it uses
(dialogues, adapters, example files) stays in the top-level ``demo/`` folder."""
