## emitters/cfn*: the CloudFormation back end, one emitter per stack.
libecsgen_a_SOURCES += \
	emitters/cfn.c emitters/cfn.h emitters/cfn_int.h \
	emitters/cfn_value.c \
	emitters/cfn_template.c \
	emitters/cfn_assets.c \
	emitters/cfn_cluster.c \
	emitters/cfn_functions.c \
	emitters/cfn_alarms.c \
	emitters/cfn_health.c \
	emitters/cfn_compute.c \
	emitters/cfn_pipeline.c \
	emitters/cfn_stacks.c emitters/cfn_stacks.h \
	emitters/cfn_create_only.c emitters/cfn_create_only.h \
	emitters/readme.c
