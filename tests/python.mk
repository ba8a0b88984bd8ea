## tests/python.mk: the lifecycle functions (templates/functions/, shipped by
## templates/local.mk) run from the generated cluster template against moto.
TESTS += tests/python/lifecycle.test
EXTRA_DIST += tests/python/lifecycle.test tests/python/run_tap.py \
	tests/python/function_source.py tests/python/fake_cluster_template.py \
	tests/python/world.py tests/python/test_capacity_metric.py \
	tests/python/test_scaler.py tests/python/test_drainer.py \
	tests/python/test_cleanup.py tests/python/test_template.py
