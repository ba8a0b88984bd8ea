/*
 * usage.h - the --help text: options, then every infra.yml key from the
 * schema table (so the help never disagrees with what the checker accepts).
 */
#ifndef ECSGEN_USAGE_H
#define ECSGEN_USAGE_H

struct strbuf;

void usage_short(struct strbuf *out);
void usage_full(struct strbuf *out);
/* ecsgen init's (init.c). */
void usage_init_short(struct strbuf *out);
void usage_init(struct strbuf *out);

#endif
