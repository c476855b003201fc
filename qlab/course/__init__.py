"""The course around the lessons: one bilingual source per lesson, its glossary and its timings.

* :mod:`qlab.course.bilingual`: ``render(nb, lang)`` turns a lesson (English text, Korean text
  beside it in each cell's metadata) into a single-language notebook for a student.
* :mod:`qlab.course.glossary`: the one Korean term per concept (``glossary.json``) and a check for
  variants the glossary rules out.
* :mod:`qlab.course.sidebyside`: a plain-text, side-by-side view of a lesson for authors and
  translators, and back.
* :mod:`qlab.course.timing`: how many minutes a first-timer needs for a lesson.

Nothing here imports Qiskit, Cirq, Jupyter or nbformat: the standard library only.
"""
