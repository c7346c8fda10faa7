#!/usr/bin/perl
# Reads the unified diff clang-format-diff prints (what .clang-format would
# change on the lines given to it) and prints the hunks that matter; exits
# 1 if there is any.
#
# What style(9) does and clang-format 14 cannot express is not compared,
# so that the check never asks for a style the house does not use:
#   - alignment whitespace inside a line: "int\t name;", "x;\t/* why */",
#     "#define A\t1" (clang-format has no tab stops to align to);
#   - where a statement is broken and how its continuation lines are
#     indented (style(9) breaks by sense and indents four spaces from the
#     statement at every nesting depth; clang-format breaks the remaining
#     arguments after a nested break and adds depth). A continuation line
#     is one after a line that ends inside an expression; it is compared
#     joined to the line before.
# Everything else is compared: the tokens and the spacing between them
# (runs of blanks count as one), braces, blank lines, and the indentation
# of every line that starts a statement or declaration. The width of
# changed lines is checked by tools/lint.sh.
use strict;
use warnings;

sub normalize {
	my $prev = "";
	my @out;
	for (@_) {
		my ($lead, $rest) = /^(\s*)(.*)$/;
		my $cont = $lead =~ / / ||
		    $prev =~ /(,|\(|\[|&&|\|\||\?|=|\+|-|\*|\||&|"|\\)$/ ||
		    ($prev =~ /:$/ && $prev !~ /^\s*(case\b|default\b|\w+:$)/);
		$rest =~ s/\s+/ /g;
		$rest =~ s/ $//;
		if ($cont && @out) {
			$out[-1] .= " $rest";
		} else {
			push @out, $lead . $rest;
		}
		if ($rest ne "") {
			($prev = $_) =~ s/\s*(\/\*.*\*\/)?\s*$//;
		}
	}
	return join("\n", @out);
}

my ($header, @hunk, $found);

sub flush {
	return unless @hunk;
	my (@old, @new);
	for (@hunk[1 .. $#hunk]) {
		my ($c, $l) = (substr($_, 0, 1), substr($_, 1));
		push @old, $l if $c eq " " || $c eq "-";
		push @new, $l if $c eq " " || $c eq "+";
	}
	if (normalize(@old) ne normalize(@new)) {
		print $header if defined $header;
		undef $header;
		print @hunk;
		$found = 1;
	}
	@hunk = ();
}

while (my $line = <STDIN>) {
	if ($line =~ /^--- /) {
		flush();
		$header = $line;
	} elsif ($line =~ /^\+\+\+ /) {
		$header .= $line;
	} elsif ($line =~ /^@@/) {
		flush();
		push @hunk, $line;
	} elsif (@hunk) {
		chomp(my $l = $line);
		push @hunk, "$l\n";
	}
}
flush();
exit($found ? 1 : 0);
