#!/bin/sh
# tests/unit/criterion-missing.sh - stands in for the unit tests when
# configure did not find Criterion, so that they fail loudly instead of
# silently vanishing from the results.
echo '1..1'
echo 'not ok 1 - Criterion is installed (the unit tests need it)'
echo '# configure did not find criterion >= 2.3 with pkg-config:'
echo '# apt-get install libcriterion-dev, then re-run configure'
exit 0 # the "not ok" above already fails the run; an exit status would count it twice
