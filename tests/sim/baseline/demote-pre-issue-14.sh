# compute.sh demote as it was before issue 14 (templates/scripts/compute.sh.tpl at 2afa8ec^):
# every OTHER active stack set inactive.  race_scenarios.py puts it in place of the
# generated demote branch for the baseline rows, whose failures must keep showing.
demote)
	[ $# -eq 1 ] || usage
	check_version "$1"
	keep=$prefix$1
	failed=0
	all=$(stacks) || exit 1
	for name in $all; do
		[ "$name" != "$keep" ] || continue
		status=$(describe "$name" | cut -f1)
		[ "$status" = active ] || continue
		echo "$me: demoting '$name' (its fleets now drain and go)"
		flip "$name" inactive || failed=1
	done
	[ "$failed" -eq 0 ] || die "some older versions could not be demoted; run 'make deploy' again or demote them by hand"
	;;
