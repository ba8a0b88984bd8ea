/* hostile.c - the corpus of strings every escaper is tested against (see hostile.h). */
#include "config.h"

#include <string.h>

#include "hostile.h"
#include "utf8.h"

static const char *const fixed[] = {
	"",
	"plain",
	"it's",
	"say \"hi\"",
	"`id`",
	"$(id)",
	"${HOME}",
	"$HOME $$ $",
	"$",
	"$$",
	"%s %d %% %",
	"# not a comment",
	"a#b",
	"#",
	"back\\slash",
	"trail\\",
	"\\",
	"\\#",
	"\\\\#",
	"\\\\\\#x\\",
	"'",
	"\"",
	"''",
	"'\"'\"'",
	"-n",
	"-e",
	"--help",
	"-",
	" leading space",
	"  ",
	"trailing space ",
	"\ttab\t",
	"line1\nline2",
	"\n",
	"trailing newline\n",
	"cr\rlf",
	"crlf\r\n",
	"semi;colon && amp | pipe > redirect < in",
	"*glob?[a]{b,c}",
	"~user",
	"a=b",
	"!history !! !$",
	"{{ x }} {{timestamp}}",
	"${!Literal}",
	"${AWS::Region}",
	"arn:aws:iam::${AWS::AccountId}:role/x",
	"%{if x}y%{endif}",
	"$${ $$${ %%{",
	"\\n is not a newline",
	"unicode: h\xc3\xa9llo \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80",
	"\x01\x02\x1b[31m\x7f control",
	"\xe2\x80\xa8 LS \xe2\x80\xa9 PS \xc2\x85 NEL",
	"\xef\xbb\xbf BOM",
	"\xc2\xa0 nbsp \xc2\x9f C1",
	"tab\there",
	"null\\0 and \\x00",
	"(paren) [bracket] {brace}",
	",comma,",
	":colon: - dash: ? question",
	"yes",
	"null",
	"0x1F",
	"1e3",
	"invalid \xff utf8",
	"truncated \xe2\x82",
};

enum { NFIXED = sizeof fixed / sizeof *fixed, LONG_LEN = 60000 };

static char long_string[LONG_LEN + 1];

size_t hostile_count(void)
{
	return NFIXED + 1;
}

const char *hostile_get(size_t i, size_t *len)
{
	if (i < NFIXED) {
		*len = strlen(fixed[i]);
		return fixed[i];
	}
	if (!long_string[0]) {
		static const char piece[] = "$(x) `y` '\"' ${z} # %% \\ \xc3\xa9 ";
		size_t n = 0;
		while (n + sizeof piece - 1 <= LONG_LEN) {
			memcpy(long_string + n, piece, sizeof piece - 1);
			n += sizeof piece - 1;
		}
		long_string[n] = '\0';
	}
	*len = strlen(long_string);
	return long_string;
}

bool hostile_is_utf8(size_t i)
{
	size_t len, pos = 0, n;
	const char *s = hostile_get(i, &len);
	unsigned long cp;

	while (pos < len) {
		if (!(n = utf8_decode(s + pos, len - pos, &cp)))
			return false;
		pos += n;
	}
	return true;
}
