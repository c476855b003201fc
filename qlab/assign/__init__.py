"""Assignments for instructors: ``qlab release``, ``qlab validate`` and ``qlab grade``.

One small module per job. The assignment itself:

* :mod:`~qlab.assign.cells` - the cell metadata model (nbgrader-compatible) and the markers;
* :mod:`~qlab.assign.release` - the student copy (solutions out, hidden tests out, cells locked);
* :mod:`~qlab.assign.validate` - the source passes every test, the student copy fails every one.

Grading, stage by stage (:mod:`~qlab.assign.pipeline`; the data in :mod:`~qlab.assign.model`):

1. :mod:`~qlab.assign.read` - a submission file as a notebook, or why not;
2. :mod:`~qlab.assign.identify` - every submission's own id, row and feedback file;
3. :mod:`~qlab.assign.split` - the student's cells (sandboxed) and the graded notebook (trusted),
   with :mod:`~qlab.assign.names` saying which answers each test reads;
4-6. :mod:`~qlab.assign.execute` - both sides run at once, answers crossing as data
   (:mod:`qlab.sandbox`, :mod:`qlab.bridge`; :mod:`~qlab.assign.plugin` records nbval's items);
7. :mod:`~qlab.assign.score` - points from the trusted items, notes from the student's side;
8. :mod:`~qlab.assign.report` with :mod:`~qlab.assign.feedback`, :mod:`~qlab.assign.summary` and
   :mod:`~qlab.assign.outputs` - what students and instructors read, written as one set.

:mod:`~qlab.assign.grade` schedules a class; :mod:`~qlab.assign.cli` is the command line.
Nothing here is imported by ``import qlab``.
"""
