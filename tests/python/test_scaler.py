# The scaler against moto: its requests as botocore and moto take them.  What it decides over time,
# and the invariants I1-I8, are the lifecycle simulator's (tests/sim/).
import json
import time

import boto3

from world import CLUSTER, WorldTest


class ScaleOutTest(WorldTest):
    def test_scale_out_is_proportional_to_the_unplaced_tasks(self):
        w = self.w
        fleet = w.fleet(0)  # moto starts one m5.large (2 vCPU) anyway; it never registers here
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=20, running=0, pending=0, cpu=256, memory=256)
        self.run_function("scaler")
        # 8 tasks fit the booting instance; 12 more need two more m5.large: one decision, target 3.
        self.assertEqual(w.target(fleet), 3)
        self.assertEqual([p.get("ExcessCapacityTerminationPolicy") for p in self.called("ModifySpotFleetRequest")],
                         ["noTermination"])

    def test_never_beyond_max_weight(self):
        w = self.w
        fleet = w.fleet(9)
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=500, running=0, pending=0, cpu=256, memory=256)
        result = self.run_function("scaler")
        self.assertEqual(w.target(fleet), 10)

    def test_autoscaling_off_leaves_active_fleets_alone(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", autoscaling=False, fleets=[fleet])
        w.service("web", desired=50, running=0, pending=0)
        result = self.run_function("scaler")
        self.assertEqual(w.target(fleet), 1)
        self.assertTrue(any("no active fleet autoscales" in r for r in result["blocked"]), result)

    def test_a_task_that_fits_no_bid_is_reported_not_grown_for(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.service("huge", desired=1, running=0, pending=0, cpu=65536, memory=1024)
        result = self.run_function("scaler")
        self.assertEqual(w.target(fleet), 1)
        self.assertTrue(any("fit no bid" in r for r in result["blocked"]), result)
        # The UnfitDemandAlarm's metric (emitters/cfn_alarms.c).
        self.assertEqual(self.published("UnfitTasks"), [1.0])
        self.assertEqual(self.published("RetirementBlocked"), [0.0])

    def test_demand_that_fits_publishes_no_unfit_tasks(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=2, running=0, pending=0, cpu=256, memory=256)
        self.run_function("scaler")
        self.assertEqual(self.published("UnfitTasks"), [0.0])
        self.assertEqual(self.published("OldestDrainSeconds"), [0.0])


class RetireTest(WorldTest):
    def test_never_registered_instances_of_an_inactive_stack_go_at_once(self):
        w = self.w
        new, old = w.fleet(1), w.fleet(2)
        w.stack("v2", fleets=[new])
        w.register_all(w.fleet_instances(new), "v2")
        w.stack("v1", status="inactive", fleets=[old])
        strays = w.fleet_instances(old)
        self.run_function("scaler")
        self.assertEqual(w.target(old), 0)
        self.assertEqual(sorted(i for p in self.called("TerminateInstances") for i in p["InstanceIds"]), sorted(strays))

    def test_retirement_waits_while_the_active_version_has_no_room(self):
        w = self.w
        new, old = w.fleet(1), w.fleet(1)
        w.stack("v2", fleets=[{"id": new, "max_weight": 1}])
        (busy,) = w.register_all(w.fleet_instances(new), "v2")
        w.stack("v1", status="inactive", fleets=[old])
        (leaving,) = w.register_all(w.fleet_instances(old), "v1")
        w.task(busy)
        w.task(busy)  # the active node is full (moto registers 4096 CPU units)
        w.service("web", desired=3, running=0, pending=0, cpu=2048, memory=1024)
        result = self.run_function("scaler")
        self.assertEqual(w.status(leaving), "ACTIVE")
        self.assertTrue(any("retirement waits" in r for r in result["blocked"]), result)
        # The RetirementBlockedAlarm's metric (emitters/cfn_alarms.c): one inactive version waits.
        self.assertEqual(self.published("RetirementBlocked"), [1.0])

    def test_no_active_version_retires_nothing(self):
        w = self.w
        old = w.fleet(1)
        w.stack("v1", status="inactive", fleets=[old])
        (node,) = w.register_all(w.fleet_instances(old), "v1")
        result = self.run_function("scaler")
        self.assertEqual(w.status(node), "ACTIVE")
        self.assertIn("no active version: nothing is retired", result["blocked"])
        self.assertEqual(self.published("RetirementBlocked"), [1.0])

    def test_the_oldest_drain_is_published_for_the_drain_overdue_alarm(self):
        w = self.w
        new, old = w.fleet(1), w.fleet(1)
        w.stack("v2", fleets=[new])
        w.register_all(w.fleet_instances(new), "v2")
        w.stack("v1", status="inactive", fleets=[old])
        (node,) = w.register_all(w.fleet_instances(old), "v1")
        w.task(node)  # a job that does not end: the node stays DRAINING
        w.ecs.update_container_instances_state(cluster=CLUSTER, containerInstances=[node], status="DRAINING")
        w.set_mark(node, f"retire:{int(time.time()) - 4000}")
        self.run_function("scaler")
        self.assertEqual(w.status(node), "DRAINING")
        (age,) = self.published("OldestDrainSeconds")
        self.assertGreaterEqual(age, 4000)
        self.assertLess(age, 4100)

    def test_inactive_autoscaling_group_instance_goes_with_decrement(self):
        w = self.w
        new = w.fleet(1)
        w.stack("v2", fleets=[new])
        w.register_all(w.fleet_instances(new), "v2")
        group = w.group(f"{CLUSTER}-compute-v1-Group-XYZ", 1)
        w.stack("v1", status="inactive", groups=[group])
        (instance,) = w.group_instances(group)
        self.run_function("scaler")  # never registered: terminated through the group
        self.assertEqual(self.called("TerminateInstanceInAutoScalingGroup"),
                         [{"InstanceId": instance, "ShouldDecrementDesiredCapacity": True}])


class LeaseTest(WorldTest):
    def test_a_run_takes_and_releases_the_lease(self):
        self.run_function("scaler")
        self.assertEqual([p["TableName"] for p in self.called("PutItem")], [self.w.lock])
        self.assertEqual(boto3.client("dynamodb").scan(TableName=self.w.lock)["Items"], [])

    def test_a_held_lease_keeps_the_run_from_acting(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=50, running=0, pending=0)
        boto3.client("dynamodb").put_item(TableName=w.lock, Item={
            "pk": {"S": "scaler"}, "holder": {"S": "other"}, "expires_at": {"N": str(2 ** 40)}})
        result = self.run_function("scaler")
        self.assertEqual((result["actions"], w.target(fleet)), ([], 1))
        self.assertEqual(json.loads(json.dumps(boto3.client("dynamodb").scan(TableName=w.lock)["Items"]))[0]["holder"],
                         {"S": "other"})
