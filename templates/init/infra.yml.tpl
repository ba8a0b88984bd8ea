{{! ecsgen init: the starter infra.yml (src/init.c). It must compile clean: init compiles it before writing. }}
{{% param init.name: string }}
{{% param init.region: string }}
{{% param init.autoscaling: bool }}
# infra.yml: one ECS cluster on EC2, compiled by ecsgen into CloudFormation,
# Packer, buildspecs and a Makefile.  `man ecsgen` (INFRA.YML) and
# `ecsgen --help` list every key; `ecsgen --schema` prints a JSON Schema for
# your editor (README: Editing infra.yml).
#
#   ecsgen                     write out/ from this file; commit both
#   ecsgen --validate          check it, write nothing
#   make -C out help           the deploy lifecycle's targets, for instance
#   make -C out ami deploy REGION={{ init.region | yaml }}
#
# The region is not a key of this file: out/Makefile takes REGION (default
# $AWS_DEFAULT_REGION, then us-west-2), so one file serves any region.
kind: aws-ecs-cluster-deployer

cluster:
  # The ECS cluster's name, and the prefix of every stack ("<name>-cluster").
  name: {{ init.name | yaml }}
  # Without vpc and subnets, the nodes go to the region's default VPC, found
  # at deploy time.  To choose, give both:
  #   vpc: vpc-0a1b2c3d
  #   subnets: [subnet-0a1b2c3d, subnet-4e5f6a7b]

ec2_instances:
  # Let the scaler grow the fleets when tasks cannot be placed and shrink
  # them, draining first, down to min_weight.
  autoscaling: {{ init.autoscaling }}
  ebs_mounts:
    # The root volume (encrypted gp3).  The ECS-optimized image's snapshot is
    # 30 GiB, and EC2 refuses a smaller root.
    - name: basic
      device_name: /dev/xvda
      size: 30
  spot_fleets:
    - name: main
      desired_weight: 1
      min_weight: 1          # 0 lets an idle cluster scale to no node at all
      max_weight: 16
      bids:
        # The most you pay per instance-hour, in USD; a bid's weight (default
        # 1) is the capacity one instance counts for.
        - instance_type: t3.micro
          price: 0.01
        - instance_type: t3.small
          price: 0.01
