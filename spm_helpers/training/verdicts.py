"""The verdicts a check gives, as words: the vocabulary shared by feedback, progress, grading and the class
page (one module so none of them has to import another to name a verdict)."""

BENAR = "benar"
SALAH = "salah"
BELUM = "belum dijawab"
GALAT = "galat"
TIDAK_DIJALANKAN = "tidak dijalankan"
