# The scaler: one decision per cooldown, drain before scale-in, retirement of inactive stacks.
import time
from unittest import mock

from world import CLUSTER, WorldTest

BIG = {"m5.xlarge": 2, "m5.large": 1}  # moto launches the first type only


class ScaleOutTest(WorldTest):
    def test_scale_out_on_unplaced_demand(self):
        w = self.w
        fleet = w.fleet(2)
        w.stack("v1", fleets=[fleet])
        for arn in w.register_all(w.fleet_instances(fleet), "v1"):
            w.task(arn)
        w.service("web", desired=5, running=2, pending=0)  # headroom 6, but 3 tasks found no room
        self.scale()
        self.assertEqual(w.target(fleet), 4)
        self.assertGreater(w.state()["active"], 0)

    def test_scale_out_from_zero_in_two_instances_of_the_biggest_weight(self):
        w = self.w
        fleet = w.fleet(0, BIG)  # moto still starts one instance, which never registers here
        w.stack("v1", fleets=[{"id": fleet, "weights": BIG}])
        w.service("web", desired=2, running=0, pending=0)
        self.scale()
        self.assertEqual(w.target(fleet), 4)

    def test_scale_out_on_low_headroom_grows_the_fleet_with_most_room(self):
        w = self.w
        small, large = w.fleet(1), w.fleet(1)
        w.stack("v1", fleets=[{"id": small, "max_weight": 3}])
        w.stack("v2", fleets=[{"id": large, "max_weight": 10}])
        for arn in w.register_all(w.fleet_instances(small), "v1") + w.register_all(w.fleet_instances(large), "v2"):
            w.task(arn)
            w.task(arn)
            w.task(arn)
        w.service("web", desired=6, running=6, pending=0)  # one more fits on each node: headroom 2 < 3
        self.scale()
        self.assertEqual((w.target(small), w.target(large)), (1, 3))

    def test_never_beyond_max_weight(self):
        w = self.w
        fleet = w.fleet(9)
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=50, running=0, pending=0)
        self.scale()
        self.assertEqual(w.target(fleet), 10)

    def test_autoscaling_off_leaves_active_fleets_alone(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", autoscaling=False, fleets=[fleet])
        w.service("web", desired=5, running=0, pending=0)
        self.scale()
        self.assertEqual(w.target(fleet), 1)

    def test_no_metric_no_decision(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", fleets=[fleet])
        w.service("web", desired=5, running=0, pending=0)
        result = self.run_function("scaler")  # the metric never ran
        self.assertEqual(w.target(fleet), 1)
        self.assertIn("no recent capacity metric, no decision", result["actions"])


class CooldownTest(WorldTest):
    def test_one_decision_per_cluster_per_cooldown(self):
        w = self.w
        a, b = w.fleet(1), w.fleet(1)
        w.stack("v1", fleets=[a])
        w.stack("v2", fleets=[b])
        w.service("web", desired=20, running=0, pending=0)
        self.scale()
        self.assertEqual(w.target(a) + w.target(b), 4)  # one fleet grew, not both
        self.scale()
        self.assertEqual(w.target(a) + w.target(b), 4)
        w.set_state(dict(w.state(), active=time.time() - 301))
        self.scale()
        self.assertEqual(w.target(a) + w.target(b), 6)

    def test_inactive_steps_do_not_wait_for_the_active_cooldown(self):
        w = self.w
        new, old = w.fleet(1), w.fleet(2)
        w.stack("v2", fleets=[new])
        w.stack("v1", status="inactive", fleets=[old])
        for n in w.register_all(w.fleet_instances(old), "v1"):
            w.task(n)  # keeps a draining node draining
        w.service("web", desired=20, running=0, pending=0)
        with mock.patch.dict("os.environ", INACTIVE_STEP_SECONDS="60"):
            self.scale()
            self.assertEqual(w.target(new), 3)
            self.assertEqual([w.status(n) for n in w.nodes()].count("DRAINING"), 1)
            self.scale()  # both clocks running: nothing new
            self.assertEqual(w.target(new), 3)
            self.assertEqual([w.status(n) for n in w.nodes()].count("DRAINING"), 1)


class ScaleInTest(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        self.fleet = w.fleet(4, BIG)  # two m5.xlarge of weight 2
        w.stack("v1", fleets=[{"id": self.fleet, "weights": BIG, "task_threshold_in": 4}])
        self.busy, self.idle = w.register_all(w.fleet_instances(self.fleet), "v1")
        self.busy_instance, self.idle_instance = w.node(self.busy)["ec2InstanceId"], w.node(self.idle)["ec2InstanceId"]
        w.task(self.busy)
        w.service("web", desired=1, running=1, pending=0)  # headroom 3 + 4 = 7 > 5

    def test_scale_in_drains_the_least_loaded_node_first_then_lowers_by_its_weight(self):
        w = self.w
        self.scale()
        self.assertEqual((w.status(self.idle), w.status(self.busy)), ("DRAINING", "ACTIVE"))
        self.assertEqual(w.target(self.fleet), 4)  # nothing removed before the drain
        self.assertTrue(w.running(self.idle_instance))
        self.scale()  # in cooldown, but finishing a drain is not a new decision
        self.assertEqual(w.target(self.fleet), 2)
        self.assertFalse(w.running(self.idle_instance))
        self.assertEqual(w.status(self.idle), "DEREGISTERED")
        self.assertTrue(w.running(self.busy_instance))
        self.assertEqual(self.called("TerminateInstances"), [{"InstanceIds": [self.idle_instance]}])

    def test_drain_waits_for_tasks_until_the_timeout(self):
        w = self.w
        task = w.task(self.idle)
        w.task(self.busy)
        self.scale()
        self.assertEqual(w.status(self.idle), "DRAINING")
        self.scale()
        self.assertEqual((w.status(self.idle), w.target(self.fleet)), ("DRAINING", 4))
        w.stop(task)
        self.scale()
        self.assertEqual((w.status(self.idle), w.target(self.fleet)), ("DEREGISTERED", 2))

    def test_drain_timeout_ends_the_wait(self):
        w = self.w
        w.task(self.idle)
        w.task(self.busy)
        self.scale()
        w.set_mark(self.idle, f"scale-in:{int(time.time()) - 301}")
        self.scale()
        self.assertEqual((w.status(self.idle), w.target(self.fleet)), ("DEREGISTERED", 2))

    def test_no_scale_in_while_tasks_are_pending(self):
        w = self.w
        w.set_pending(self.busy, 1)
        self.scale()
        self.assertEqual((w.status(self.idle), w.status(self.busy)), ("ACTIVE", "ACTIVE"))
        self.assertEqual(w.state().get("active"), None)

    def test_never_below_min_weight(self):
        w = self.w
        w.cfn.delete_stack(StackName=f"{CLUSTER}-compute-v1")
        w.stack("v1", fleets=[{"id": self.fleet, "weights": BIG, "task_threshold_in": 5, "min_weight": 3}])
        self.scale()
        self.assertEqual((w.status(self.idle), w.status(self.busy)), ("ACTIVE", "ACTIVE"))

    def test_young_nodes_are_kept_for_the_smoke_test(self):
        w = self.w
        with mock.patch.dict("os.environ", SMOKE_TEST_GRACE_SECONDS="900"):
            self.scale()
        self.assertEqual((w.status(self.idle), w.status(self.busy)), ("ACTIVE", "ACTIVE"))

    def test_oldest_version_goes_first(self):
        w = self.w
        newer = w.fleet(2)
        w.stack("v2", fleets=[{"id": newer, "task_threshold_in": 4}])
        fresh = w.register_all(w.fleet_instances(newer), "v2")
        self.scale()
        self.assertEqual(w.status(self.idle), "DRAINING")
        self.assertEqual([w.status(n) for n in fresh], ["ACTIVE", "ACTIVE"])

    def test_demand_takes_back_a_draining_node(self):
        w = self.w
        self.scale()
        w.task(self.idle)  # keeps it draining
        w.service("rush", desired=3, running=0, pending=0)
        w.set_state({"active": time.time() - 301})
        self.scale()
        self.assertEqual((w.status(self.idle), w.mark(self.idle)), ("ACTIVE", None))
        self.assertEqual(w.target(self.fleet), 4)


class ScaleToZeroTest(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        self.fleet = w.fleet(1)
        w.stack("v1", fleets=[self.fleet])
        (self.node,) = w.register_all(w.fleet_instances(self.fleet), "v1")

    def test_scale_to_zero_when_nothing_runs(self):
        w = self.w
        w.service("web", desired=0, running=0, pending=0)
        self.scale()
        self.assertEqual(w.status(self.node), "DRAINING")
        self.scale()
        self.assertEqual((w.status(self.node), w.target(self.fleet)), ("DEREGISTERED", 0))
        self.assertEqual(w.fleet_instances(self.fleet), [])

    def test_not_while_a_task_runs(self):
        w = self.w
        w.task(self.node)  # a one-off task: no service wants anything, headroom is unbounded
        self.scale()
        self.assertEqual((w.status(self.node), w.target(self.fleet)), ("ACTIVE", 1))


class InactiveTest(WorldTest):
    def test_inactive_fleet_drains_to_zero_even_with_autoscaling_off(self):
        w = self.w
        new, old = w.fleet(1), w.fleet(2)
        w.stack("v2", fleets=[new])
        w.stack("v1", status="inactive", autoscaling=False, fleets=[old])
        w.register_all(w.fleet_instances(new), "v2")
        first, second = w.register_all(w.fleet_instances(old), "v1")
        task = w.task(first)
        self.run_function("scaler")
        self.assertEqual((w.status(first), w.status(second)), ("ACTIVE", "DRAINING"))
        self.assertEqual(w.mark(second).split(":")[0], "retire")
        self.run_function("scaler")  # second removed, first starts draining
        self.assertEqual((w.status(first), w.status(second), w.target(old)), ("DRAINING", "DEREGISTERED", 1))
        self.run_function("scaler")
        self.assertEqual((w.status(first), w.target(old)), ("DRAINING", 1))  # its task has not moved yet
        w.stop(task)
        self.run_function("scaler")
        self.assertEqual((w.status(first), w.target(old), w.fleet_instances(old)), ("DEREGISTERED", 0, []))
        self.assertEqual(w.target(new), 1)

    def test_inactive_step_clock(self):
        w = self.w
        old = w.fleet(2)
        w.stack("v1", status="inactive", fleets=[old])
        first, second = w.register_all(w.fleet_instances(old), "v1")
        with mock.patch.dict("os.environ", INACTIVE_STEP_SECONDS="60"):
            self.run_function("scaler")
            self.run_function("scaler")  # the drained node goes, but no new drain within the step
            self.assertEqual(sorted([w.status(first), w.status(second)]), ["ACTIVE", "DEREGISTERED"])
            w.set_state({"retire": {f"{CLUSTER}-compute-v1": time.time() - 61}})
            self.run_function("scaler")
            self.assertIn("DRAINING", [w.status(first), w.status(second)])

    def test_never_registered_instances_are_terminated_without_draining(self):
        w = self.w
        old = w.fleet(2)
        w.stack("v1", status="inactive", fleets=[old])
        registered, stray = w.fleet_instances(old)
        node = w.register(registered, "v1")
        self.run_function("scaler")
        self.assertFalse(w.running(stray))
        self.assertEqual((w.target(old), w.status(node)), (1, "ACTIVE"))  # that step was the stray

    def test_inactive_autoscaling_group_drains_then_terminates_with_decrement(self):
        w = self.w
        group = w.group("demo-compute-v1-Group-ABC", 2)
        w.stack("v1", status="inactive", groups=[group])
        first, second = w.register_all(w.group_instances(group), "v1")
        w.task(first)
        self.run_function("scaler")
        self.assertEqual((w.status(first), w.status(second), w.group_desired(group)), ("ACTIVE", "DRAINING", 2))
        second_instance = w.node(second)["ec2InstanceId"]
        self.run_function("scaler")
        self.assertEqual(self.called("TerminateInstanceInAutoScalingGroup"),
                         [{"InstanceId": second_instance, "ShouldDecrementDesiredCapacity": True}])
        self.assertEqual(w.group_desired(group), 1)
        self.assertEqual(self.called("ModifySpotFleetRequest"), [])  # ASGs are never resized any other way


class ReactivationTest(WorldTest):
    def test_manual_reactivation_stops_the_scale_in(self):
        w = self.w
        old = w.fleet(2)
        w.stack("v1", status="inactive", autoscaling=False, fleets=[old])
        nodes = w.register_all(w.fleet_instances(old), "v1")
        for n in nodes:
            w.task(n)
        self.run_function("scaler")
        self.assertEqual(sorted(w.status(n) for n in nodes), ["ACTIVE", "DRAINING"])
        w.set_status("v1", "active")
        self.run_function("scaler")
        self.assertEqual([w.status(n) for n in nodes], ["ACTIVE", "ACTIVE"])
        self.assertEqual([w.mark(n) for n in nodes], [None, None])
        self.assertEqual(w.target(old), 2)

    def test_nodes_leaving_for_good_stay_draining(self):
        w = self.w
        fleet = w.fleet(1)
        w.stack("v1", autoscaling=False, fleets=[fleet])
        (node,) = w.register_all(w.fleet_instances(fleet), "v1")
        w.task(node)
        self.run_function("drainer", {"detail-type": "EC2 Spot Instance Interruption Warning",
                                      "detail": {"instance-id": w.node(node)["ec2InstanceId"]}})
        self.run_function("scaler")
        self.assertEqual(w.status(node), "DRAINING")


class LifecycleTest(WorldTest):
    def test_scaler_completes_the_drainers_lifecycle_action_once_tasks_are_gone(self):
        w = self.w
        group = w.group("demo-compute-v1-Group-ABC", 1)
        w.stack("v1", groups=[group])
        (node,) = w.register_all(w.group_instances(group), "v1")
        instance = w.node(node)["ec2InstanceId"]
        task = w.task(node)
        event = {"detail-type": "EC2 Instance-terminate Lifecycle Action", "detail": {
            "AutoScalingGroupName": group, "EC2InstanceId": instance, "LifecycleHookName": "ecsgen-drain",
            "LifecycleActionToken": "token", "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}}
        self.assertEqual(self.run_function("drainer", event), {"action": "draining"})
        self.run_function("scaler")
        self.assertEqual((w.status(node), self.lifecycle_completed), ("DRAINING", []))
        w.stop(task)
        self.run_function("scaler")
        self.assertEqual(self.lifecycle_completed, [(group, instance)])
        self.assertEqual(w.status(node), "DEREGISTERED")

    def test_scaler_completes_after_the_drain_timeout(self):
        w = self.w
        group = w.group("demo-compute-v1-Group-ABC", 1)
        w.stack("v1", groups=[group])
        (node,) = w.register_all(w.group_instances(group), "v1")
        instance = w.node(node)["ec2InstanceId"]
        w.task(node)
        w.set_mark(node, f"lifecycle:{int(time.time()) - 301}")
        w.ecs.update_container_instances_state(cluster=CLUSTER, containerInstances=[node], status="DRAINING")
        self.run_function("scaler")
        self.assertEqual(self.lifecycle_completed, [(group, instance)])
