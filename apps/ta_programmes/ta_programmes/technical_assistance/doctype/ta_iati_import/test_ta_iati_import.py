# Tests: ta_programmes/tests/test_deconfliction.py (import, re-import, refusal, candidates, notes, access).
