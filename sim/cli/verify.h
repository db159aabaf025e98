/*
** verify: the built-in exact-answer cases behind `tcsim verify`. Each case
** is a small scenario (embedded text) whose answer is known exactly (from
** tc_exact_*); it is simulated with enough replications for a 95 %
** confidence interval narrower than a few percent, and passes when the
** exact value lies inside the interval widened by a stated factor. Takes
** a few seconds; lets a user trust the build on their own machine.
*/
#ifndef TCSIM_VERIFY_H
#define TCSIM_VERIFY_H

#include <stdio.h>

/*
** Runs every case; when f is not NULL prints one line per check (case,
** metric, exact value, simulated value +- ci95, verdict) and a total.
** Returns the number of failed checks.
*/
int tc_verify_run(FILE *f);

#endif
