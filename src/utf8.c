/* utf8.c - strict UTF-8 decoding (see utf8.h). */
#include "config.h"

#include "utf8.h"

size_t utf8_decode(const char *str, size_t len, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long c, min;
	size_t n, i;

	if (!len)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t n, size_t *bad)
{
	size_t i = 0, len;
	unsigned long cp;

	while (i < n) {
		if (!(len = utf8_decode(s + i, n - i, &cp))) {
			*bad = i;
			return false;
		}
		i += len;
	}
	return true;
}
