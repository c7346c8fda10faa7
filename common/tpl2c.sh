#!/bin/sh
# Turns the shipped templates (templates/NAME) into a C table, byte for
# byte, so the binary carries them and needs no file beside it; any file
# added to templates/ is compiled in by the next build. Every byte is
# written as an octal escape, so no content (quotes, trigraphs, a missing
# last newline) is changed on the way.
set -e
echo '/* Generated from the files in templates/ by common/tpl2c.sh; do not edit. */'
echo '#include <stddef.h>'
echo '#include "common/shipped.h"'
i=0
for f in "$@"; do
	name=$(basename "$f")
	case $name in
	*[!A-Za-z0-9._-]* | .*)
		echo "tpl2c.sh: $f: a template's name is letters, digits, '.', '_' and '-'" >&2
		exit 1 ;;
	esac
	echo "static const char t$i[] ="
	od -An -v -to1 "$f" | sed -e 's/ \([0-7][0-7][0-7]\)/\\\1/g' \
	    -e 's/^\(.*\)$/\t"\1"/'
	echo '	"";'
	i=$((i + 1))
done
echo 'const struct shipped_template shipped_templates[] = {'
i=0
for f in "$@"; do
	printf '\t{ "%s", t%d, sizeof(t%d) - 1 },\n' "$(basename "$f")" $i $i
	i=$((i + 1))
done
[ $i -gt 0 ] || echo '	{ NULL, NULL, 0 },'
echo '};'
echo "const size_t nshipped_templates = $i;"
