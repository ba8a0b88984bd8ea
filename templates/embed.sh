#!/bin/sh
# templates/embed.sh - write the C source that embeds every file under
# templates/ in the binary (src/tpl_int.h declares what it defines).
#
#	sh embed.sh SRCDIR/templates > embedded.c
#	sh embed.sh --list SRCDIR/templates     the embedded names, one a line
#
# Templates (*.tpl) and raw assets (*.py) are embedded; nothing else, so an
# in-tree build's own files (embedded.c, embedded.c.tmp while this script
# writes it, *.o, .deps/) can never be read back in.  Names are relative to
# templates/ and sorted in byte order, so the output depends only on the
# files' names and bytes.  POSIX sh, find, sort, od and awk: no xxd.
set -eu
list=no
if [ "${1-}" = --list ]; then
	list=yes
	shift
fi
dir=${1:?usage: embed.sh [--list] TEMPLATES_DIR}
LC_ALL=C
export LC_ALL

files=$(cd "$dir" && find . -type f \( -name '*.tpl' -o -name '*.py' \) \
	! -name '.*' ! -path '*/__pycache__/*' ! -path '*/.deps/*' | sed 's|^\./||' | sort)
if [ $list = yes ]; then
	[ -z "$files" ] || printf '%s\n' $files
	exit 0
fi

echo '/* embedded.c - written by templates/embed.sh at build time: do not edit. */'
echo '#include "config.h"'
echo
echo '#include "tpl_int.h"'
i=0
for f in $files; do
	case $f in
	*[!A-Za-z0-9_./-]*) echo "embed.sh: unsupported file name '$f'" >&2; exit 1 ;;
	esac
	echo
	echo "/* $f */"
	echo "static const unsigned char file$i[] = {"
	od -An -v -tu1 "$dir/$f" | awk '
		{ line = "\t"; for (k = 1; k <= NF; k++) line = line $k ","; print line }'
	echo '	0'
	echo '};'
	i=$((i + 1))
done
echo
echo 'const struct tpl_embedded tpl_embedded_files[] = {'
i=0
for f in $files; do
	echo "	{ \"$f\", file$i, sizeof file$i - 1 },"
	i=$((i + 1))
done
[ "$i" -gt 0 ] || echo '	{ "", (const unsigned char *)"", 0 },'
echo '};'
echo
echo "const size_t tpl_embedded_count = $i;"
