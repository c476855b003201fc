"""Assignments for instructors: ``qlab release``, ``qlab validate`` and ``qlab grade``.

One small module per job, in the order an assignment travels:

* :mod:`~qlab.assign.cells` - the cell metadata model (nbgrader-compatible) and the markers;
* :mod:`~qlab.assign.release` - the student copy (solutions out, hidden tests out, cells locked);
* :mod:`~qlab.assign.validate` - the source passes every test, the student copy fails every one;
* :mod:`~qlab.assign.merge` - a submission's answers put into the instructor's source;
* :mod:`~qlab.assign.plugin` - the pytest plugin that maps nbval cells to grade ids and points;
* :mod:`~qlab.assign.guard` - keeps a student from replacing ``qlab.check`` before the tests run;
* :mod:`~qlab.assign.grade` - the parallel driver with time and memory limits;
* :mod:`~qlab.assign.feedback` and :mod:`~qlab.assign.summary` - what students and instructors read.

Nothing here is imported by ``import qlab``.
"""
