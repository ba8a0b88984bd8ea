{{! user-data.tpl - the nodes' user data, rendered once per launch template
    by emitters/cfn_compute.c and placed in Fn::Base64 of Fn::Sub: every
    value from infra.yml goes through cfnsub, and ${Version} is the compute
    stack's parameter.  The shell below must not use the brace form of
    variables, which Fn::Sub would take for its own. }}
{{%param node.timeout: int }}
{{%param node.spot: bool }}
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
for try in 1 2 3 4 5 6; do mount -a -t efs && break; echo "efs mount failed ($try)"; sleep 10; done
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
ECS_INSTANCE_ATTRIBUTES={"asg_version":"${Version}","ecsgen_cluster":"{{ cluster.name | cfnsub }}"}
ECS_CONTAINER_STOP_TIMEOUT={{ node.timeout }}s
ECS_DYNAMIC_HOST_PORT_RANGE={{ node.ports | cfnsub }}
{{#if node.spot}}
ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
{{/if}}
ECS_ENABLE_CONTAINER_METADATA=true
ECS_ENABLE_TASK_IAM_ROLE=true
ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance
ECS_IMAGE_PULL_BEHAVIOR=once
ECSGEN_ECS_CONFIG
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
