/* sub_lex.re - the Fn::Sub scanner: "${...}" tokens in one infra.yml value (re2c). */
#include "config.h"

#include "subst.h"

/* re2c leaves labels of states no rule jumps back to. */
#pragma GCC diagnostic ignored "-Wunused-label"

enum sub_token sub_scan(const char *s, size_t len, size_t *pos, size_t *begin)
{
	const unsigned char *base = (const unsigned char *)s;
	const unsigned char *cur = base + *pos, *lim = base + len, *mar;

	(void)mar;
	*begin = *pos;
#define DONE(kind) do { *pos = (size_t)(cur - base); return (kind); } while (0)
	/*!re2c
		re2c:define:YYCTYPE = "unsigned char";
		re2c:define:YYCURSOR = cur;
		re2c:define:YYLIMIT = lim;
		re2c:define:YYMARKER = mar;
		re2c:yyfill:enable = 0;
		re2c:eof = 0;
		re2c:indent:string = "\t";

		name = [A-Za-z0-9_:.]+;

		"${!"                  { DONE(SUB_ESCAPE); }
		"${" name "}"          { DONE(SUB_NAME); }
		"${}"                  { DONE(SUB_EMPTY); }
		"${" [^!}\x00] [^}\x00]* "}" { DONE(SUB_BAD_NAME); }
		"${"                   { cur = lim; DONE(SUB_UNTERMINATED); }
		[^$\x00]+ | "$"        { DONE(SUB_TEXT); }
		$                      { DONE(SUB_END); }
		*                      { DONE(SUB_TEXT); }
	*/
#undef DONE
}
