/*
** tests/unit.h: a minimal check harness for unit tests. A test file
** includes hlproxy.c (to reach its static functions), then this header.
*/
#include <stdio.h>

static int unit_checks, unit_failures;

#define CHECK(cond) do { \
	unit_checks++; \
	if (!(cond)) { \
		unit_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *ua_ = (a), *ub_ = (b); \
	unit_checks++; \
	if (!ua_ || strcmp(ua_, ub_) != 0) { \
		unit_failures++; \
		fprintf(stderr, "%s:%d: '%s' != '%s'\n", __FILE__, __LINE__, ua_ ? ua_ : "(null)", ub_); \
	} \
} while (0)

static int unit_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}
