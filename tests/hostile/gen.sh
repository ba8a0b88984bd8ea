#!/bin/sh
# tests/hostile/gen.sh KIND N - writes a hostile infra.yml of size N on stdout,
# for tests/hostile.test and tests/bench/hostile.sh (issue 16, items 1-2):
#
#	subnets   a valid one-line flow list of N subnets
#	flowkeys  N unknown keys in one flow mapping on one line (N errors)
#	keys      N distinct unknown keys, one a line (the duplicate-key scan)
#	dupkeys   N keys, one a line, repeating 100 names (N - 100 duplicates)
#	sub       one string of N '${AWS::X}' (N errors from the ${} checker)
#	aliases   N fleets, each '<<: *main' with its own name (N merges; an
#	          unknown key at any N, so no size runs the emitters)
#	bomb      N levels of ten aliases each of the level above (a billion
#	          laughs: 10^N nodes if nothing stopped it)
#	filters   a template: one {{ }} with a chain of N filters
#	blocks    a template: N nested {{#if}} blocks
set -eu
kind=$1 n=$2
tail='
ec2_instances:
  ebs_mounts:
    - name: root
      device_name: /dev/xvda
      size: 30
  spot_fleets:
    - name: main
      min_weight: 0
      max_weight: 4
      bids:
        - instance_type: t3.small
          price: 0.01'
case $kind in
subnets) awk -v n="$n" 'BEGIN { printf "cluster:\n  name: tiny\n  vpc: vpc-0a1b2c3d\n  subnets: ["; for (i = 0; i < n; i++) printf "%ssubnet-%08x", i ? ", " : "", i; print "]" }' ;;
flowkeys) awk -v n="$n" 'BEGIN { printf "cluster: {name: tiny"; for (i = 0; i < n; i++) printf ", k%d: 1", i; print "}" }' ;;
keys) awk -v n="$n" 'BEGIN { printf "cluster:\n  name: tiny\n"; for (i = 0; i < n; i++) printf "  k%d: 1\n", i }' ;;
dupkeys) awk -v n="$n" 'BEGIN { printf "cluster:\n  name: tiny\n"; for (i = 0; i < n; i++) printf "  k%d: 1\n", i % 100 }' ;;
sub) awk -v n="$n" 'BEGIN { printf "cluster:\n  name: tiny\n"; print "" ; print "ec2_instances:"; printf "  instance_profile_arn: \""; for (i = 0; i < n; i++) printf "${AWS::X}"; print "\"" }' ;;
aliases) awk -v n="$n" 'BEGIN { print "cluster:\n  name: tiny\n  flavour: 1\n\nec2_instances:\n  ebs_mounts:\n    - name: root\n      device_name: /dev/xvda\n      size: 30\n  spot_fleets:\n    - &main\n      name: main\n      min_weight: 0\n      max_weight: 4\n      bids:\n        - instance_type: t3.small\n          price: 0.01"; for (i = 0; i < n; i++) printf "    - <<: *main\n      name: f%d\n", i }'; exit 0 ;;
bomb) awk -v n="$n" 'BEGIN { print "cluster:\n  name: tiny\n  tags:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]"; for (i = 1; i <= n; i++) { printf "    l%d: &l%d [", i, i; for (j = 0; j < 10; j++) printf "%s*l%d", j ? ", " : "", i - 1; print "]" } }' ;;
filters) awk -v n="$n" 'BEGIN { printf "{{ cluster.name"; for (i = 0; i < n; i++) printf " | upper"; print " }}" }'; exit 0 ;;
blocks) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) print "{{#if cluster.name}}"; for (i = 0; i < n; i++) print "{{/if}}" }'; exit 0 ;;
*) echo "gen.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac
[ "$kind" = sub ] && tail=$(printf '%s\n' "$tail" | sed 1,2d)
printf '%s\n' "$tail"
