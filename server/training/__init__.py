"""Training mode (issue 13, training profile only): scenario files, the library, the runner
on the server clock, and scoring from ground truth. docs/training.md describes it."""
