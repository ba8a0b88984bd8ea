CLUSTER := {{ cluster.name | sh | make }}

all:
	echo {{ cluster.name | sh | make }}
