{{! user-data.tpl - the nodes' user data, rendered once per launch template
    by emitters/cfn_compute.c and placed in Fn::Base64 of Fn::Sub: every
    value from infra.yml goes through cfnsub, and ${Version} is the compute
    stack's parameter.  The shell below must not use the brace form of
    variables, which Fn::Sub would take for its own. }}
{{%param node.timeout: int }}
{{%param node.spot: bool }}
{{%param node.gpu: bool }}
{{%param node.variant: string }}
{{%param node.ports: string }}
{{%param node.user_data: string }}
#!/bin/bash
# ecsgen user data: mounts, then join the ECS cluster, then infra.yml's user_data.
set -euo pipefail
{{#if ec2_instances.efs_mounts}}

# EFS over TLS with amazon-efs-utils (baked into ecsgen's AMI; installed if missing).
rpm -q amazon-efs-utils >/dev/null 2>&1 || dnf install -y amazon-efs-utils
{{#each ec2_instances.efs_mounts as m}}
mkdir -p {{ m.local_path | sh | cfnsub }}
printf '%s:/ %s efs _netdev,tls,noresvport 0 0\n' {{ m.efs_id | sh | cfnsub }} {{ m.local_path | sh | cfnsub }} >>/etc/fstab
{{/each}}
# Retried for about two minutes (a new mount target's DNS, the network still
# coming up).  A node whose EFS never mounts must not join: its tasks would
# write to the root disk under the mount path.  The agent, which would start
# after the user data (and join the "default" cluster without ECS_CLUSTER),
# is masked; the reason goes to the console (aws ec2 get-console-output),
# the journal and cloud-init's log; the user data fails.
ecsgen_efs_mounted() {
{{#each ec2_instances.efs_mounts as m}}
	mountpoint -q {{ m.local_path | sh | cfnsub }} || return 1
{{/each}}
}
try=1
until mount -a -t efs && ecsgen_efs_mounted; do
	if [ "$try" -ge 12 ]; then
		why="ecsgen: EFS not mounted after $try tries: this node does not join the ECS cluster"
		echo "$why" >&2
		echo "$why" 2>/dev/null >/dev/console || true
		logger -t ecsgen "$why" || true
		systemctl mask --now ecs.service || true
		exit 1
	fi
	echo "efs mount failed ($try)"
	sleep 10
	try=$((try + 1))
done
{{/if}}

# EBS volumes with a mount_path: formatted on first boot, mounted by fstab.
ecsgen_mount() {
	dev=$1 dir=$2 try=0
	while [ ! -e "$dev" ] && [ "$try" -lt 60 ]; do sleep 1; try=$((try + 1)); done
	blkid "$dev" >/dev/null 2>&1 || mkfs -t xfs "$dev"
	mkdir -p "$dir"
	printf '%s %s xfs defaults,nofail 0 2\n' "$dev" "$dir" >>/etc/fstab
	mount "$dir"
}
{{#each ec2_instances.ebs_mounts as v}}
{{#if v.mount_path}}
ecsgen_mount {{ v.device_name | sh | cfnsub }} {{ v.mount_path | sh | cfnsub }}
{{/if}}
{{/each}}

# Join the cluster; tasks and the smoke test find this version by attribute.
cat >>/etc/ecs/ecs.config <<'ECSGEN_ECS_CONFIG'
ECS_CLUSTER={{ cluster.name | cfnsub }}
ECS_INSTANCE_ATTRIBUTES={"asg_version":"${Version}","ecsgen_cluster":"{{ cluster.name | cfnsub }}","ecsgen_variant":"{{ node.variant | cfnsub }}"}
ECS_CONTAINER_STOP_TIMEOUT={{ node.timeout }}s
ECS_DYNAMIC_HOST_PORT_RANGE={{ node.ports | cfnsub }}
{{#if node.spot}}
ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
{{/if}}
{{#if node.gpu}}
ECS_ENABLE_GPU_SUPPORT=true
{{/if}}
ECS_ENABLE_CONTAINER_METADATA=true
ECS_ENABLE_TASK_IAM_ROLE=true
ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance
ECS_IMAGE_PULL_BEHAVIOR=once
{{#if ec2_instances.imds_for_tasks}}
{{else}}
ECS_AWSVPC_BLOCK_IMDS=true
{{/if}}
ECSGEN_ECS_CONFIG
{{#if ec2_instances.imds_for_tasks}}

# infra.yml's imds_for_tasks: task containers reach the metadata service.
{{else}}

# Bridge-mode containers must not reach the metadata service and act as the
# node: IMDSv2 with one hop already stops them; this drop is the second
# wall, loaded after every start of docker (AL2023 keeps no iptables rules
# across boots).  Host-network tasks share the node's network: nothing here
# can block them without blocking the ECS agent.
install -d -m 0755 /etc/systemd/system/docker.service.d
cat >/etc/systemd/system/docker.service.d/ecsgen-imds.conf <<'ECSGEN_DOCKER_DROPIN'
[Service]
ExecStartPost=/bin/sh -c 'iptables -C DOCKER-USER -i docker+ -d 169.254.169.254/32 -j DROP 2>/dev/null || iptables -I DOCKER-USER 1 -i docker+ -d 169.254.169.254/32 -j DROP'
ECSGEN_DOCKER_DROPIN
systemctl daemon-reload
if systemctl is-active --quiet docker; then
	iptables -C DOCKER-USER -i docker+ -d 169.254.169.254/32 -j DROP 2>/dev/null ||
		iptables -I DOCKER-USER 1 -i docker+ -d 169.254.169.254/32 -j DROP
fi
{{/if}}
{{#if node.user_data}}

# infra.yml's user_data, as written.
install -d -m 0700 /var/lib/ecsgen
cat >/var/lib/ecsgen/user-data <<'ECSGEN_USER_DATA'
{{ node.user_data | cfnsub }}ECSGEN_USER_DATA
chmod 0700 /var/lib/ecsgen/user-data
if [ "$(head -c 2 /var/lib/ecsgen/user-data)" = '#!' ]; then
	/var/lib/ecsgen/user-data
else
	bash /var/lib/ecsgen/user-data
fi
{{/if}}
