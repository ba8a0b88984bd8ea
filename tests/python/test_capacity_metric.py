# The capacity metric: headroom over usable nodes, unplaced demand, unbounded when nothing is wanted.
import boto3

from world import CLUSTER, WorldTest


class CapacityMetricTest(WorldTest):
    def published(self, name):
        stats = boto3.client("cloudwatch").get_metric_statistics(
            Namespace=f"ecsgen/{CLUSTER}", MetricName=name, Dimensions=[{"Name": "ClusterName", "Value": CLUSTER}],
            StartTime="2000-01-01T00:00:00Z", EndTime="2100-01-01T00:00:00Z", Period=60, Statistics=["Average"])
        return [p["Average"] for p in stats["Datapoints"]]

    def test_headroom_counts_the_largest_task_on_active_nodes_of_active_stacks(self):
        w = self.w
        new, old = w.fleet(3), w.fleet(1)
        w.stack("v2", fleets=[new])
        w.stack("v1", status="inactive", fleets=[old])
        usable, busy, draining = w.register_all(w.fleet_instances(new), "v2")
        w.register_all(w.fleet_instances(old), "v1")
        w.task(busy)  # leaves 3072 CPU, 6458 MB
        w.ecs.update_container_instances_state(cluster=CLUSTER, containerInstances=[draining], status="DRAINING")
        w.service("small", desired=1, running=1, pending=0, cpu=256, memory=256)
        w.service("big", desired=2, running=2, pending=0, cpu=1024, memory=2048)  # 3 fit on a free node
        result = self.run_function("capacity_metric")
        self.assertEqual(result, {"headroom": 3 + 3, "demand": 0})
        self.assertEqual(self.published("Headroom"), [6.0])
        self.assertEqual(self.published("UnplacedDemand"), [0.0])

    def test_task_level_size_wins_over_the_containers(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.register_all(w.fleet_instances(fleet), "v1")
        w.service("web", desired=1, running=1, pending=0, cpu=128, memory=128, task_cpu="2048", task_memory="1024")
        self.assertEqual(self.run_function("capacity_metric")["headroom"], 2)

    def test_a_task_counts_only_the_nodes_of_its_architecture(self):
        # The agent registers ecs.cpu-architecture; a task asking for arm64 (runtimePlatform) is
        # placed only there, as the scaler packs it (scaler.py: platform).
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html
        w = self.w
        fleet = w.fleet(2)
        w.stack("v1", fleets=[fleet])
        arm, x86 = w.register_all(w.fleet_instances(fleet), "v1")
        for arn, arch in ((arm, "arm64"), (x86, "x86_64")):
            w.ecs.put_attributes(cluster=CLUSTER, attributes=[
                {"name": "ecs.cpu-architecture", "value": arch, "targetId": arn}])
        w.service("web", desired=1, running=1, pending=0, cpu=1024, memory=2048)
        self.assertEqual(self.run_function("capacity_metric")["headroom"], 3 + 3)
        w.ecs.register_task_definition(family="web", containerDefinitions=[
            {"name": "web", "image": "busybox", "cpu": 1024, "memory": 2048}],
            runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"})
        w.ecs.update_service(cluster=CLUSTER, service="web", taskDefinition="web:2")
        self.assertEqual(self.run_function("capacity_metric")["headroom"], 3)

    def test_demand_is_desired_minus_running_minus_pending(self):
        w = self.w
        w.service("web", desired=5, running=2, pending=1)
        w.service("worker", desired=1, running=1, pending=0)
        result = self.run_function("capacity_metric")
        self.assertEqual(result, {"headroom": 0, "demand": 2})  # no node at all: nothing fits
        self.assertEqual(self.published("UnplacedDemand"), [2.0])

    def test_unbounded_when_no_service_wants_tasks(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.register_all(w.fleet_instances(fleet), "v1")
        w.service("idle", desired=0, running=0, pending=0)
        self.assertEqual(self.run_function("capacity_metric"), {"headroom": 1000000, "demand": 0})
        self.assertEqual(self.published("Headroom"), [1000000.0])

    def test_other_clusters_stacks_do_not_count(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet], cluster="demo2")  # demo2-compute-v1: not ours
        w.register_all(w.fleet_instances(fleet), "v1")
        w.service("web", desired=1, running=1, pending=0)
        self.assertEqual(self.run_function("capacity_metric")["headroom"], 0)
