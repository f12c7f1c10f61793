/* SPDX-License-Identifier: MIT */
/* Timing helpers of the C benchmarks: a monotonic clock in microseconds
 * and the "name median_us p99_us" line. */
#ifndef LB_BENCH_TIME_H
#define LB_BENCH_TIME_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @t (@n samples) and prints its median and 99th percentile. */
static void report(const char *name, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%s %.1f %.1f\n", name, t[n / 2], t[n * 99 / 100]);
}

#endif
