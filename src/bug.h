/*
 * bug.h - a broken invariant: BUG("what") prints "ecsgen: BUG: file:line:
 * what" on standard error and aborts.  For ecsgen's own mistakes only; bad
 * input gets a diagnostic (diag.h) and I/O trouble exit 2.
 */
#ifndef ECSGEN_BUG_H
#define ECSGEN_BUG_H

#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)

_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
