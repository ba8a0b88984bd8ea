# The drainer: ASG termination hooks and spot interruption warnings drain the node first.
from world import CLUSTER, WorldTest

GROUP = f"{CLUSTER}-compute-v1-Group-ABC"


def lifecycle_event(instance_id, hook="ecsgen-drain"):
    return {"detail-type": "EC2 Instance-terminate Lifecycle Action", "source": "aws.autoscaling", "detail": {
        "AutoScalingGroupName": GROUP, "EC2InstanceId": instance_id, "LifecycleHookName": hook,
        "LifecycleActionToken": "token", "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}}


def spot_event(instance_id):
    return {"detail-type": "EC2 Spot Instance Interruption Warning", "source": "aws.ec2",
            "detail": {"instance-id": instance_id, "instance-action": "terminate"}}


class DrainerTest(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        w.group(GROUP, 2)
        w.stack("v1", groups=[GROUP])
        self.instances = w.group_instances(GROUP)
        self.nodes = w.register_all(self.instances, "v1")

    def test_idle_node_completes_the_lifecycle_action_at_once(self):
        w = self.w
        self.assertEqual(self.run_function("drainer", lifecycle_event(self.instances[0])), {"action": "completed"})
        self.assertEqual(self.lifecycle_completed, [(GROUP, self.instances[0])])
        # Never deregistered by force: the instance goes, and ECS deregisters it then.
        self.assertEqual((w.status(self.nodes[0]), w.status(self.nodes[1])), ("DRAINING", "ACTIVE"))

    def test_busy_node_drains_and_waits_for_the_scaler(self):
        w = self.w
        w.task(self.nodes[0])
        self.assertEqual(self.run_function("drainer", lifecycle_event(self.instances[0])), {"action": "draining"})
        self.assertEqual(self.lifecycle_completed, [])
        self.assertEqual(w.status(self.nodes[0]), "DRAINING")
        self.assertTrue(w.mark(self.nodes[0]).startswith("lifecycle:"))

    def test_a_drain_under_way_keeps_its_clock(self):
        w = self.w
        w.task(self.nodes[0])
        w.set_mark(self.nodes[0], "retire:1000")
        self.run_function("drainer", lifecycle_event(self.instances[0]))
        self.assertEqual(w.mark(self.nodes[0]), "lifecycle:1000")

    def test_never_registered_instance_completes_at_once(self):
        w = self.w
        w.ecs.deregister_container_instance(cluster=CLUSTER, containerInstance=self.nodes[1], force=True)
        self.assertEqual(self.run_function("drainer", lifecycle_event(self.instances[1])), {"action": "completed"})
        self.assertEqual(self.lifecycle_completed, [(GROUP, self.instances[1])])

    def test_another_clusters_instance_is_left_to_its_own_drainer(self):
        w = self.w
        (other,) = [i["InstanceId"] for i in w.ec2.run_instances(
            ImageId=w.image, MinCount=1, MaxCount=1, TagSpecifications=[{"ResourceType": "instance", "Tags": [
                {"Key": "ecsgen:cluster", "Value": f"{CLUSTER}-compute-x"}]}])["Instances"]]
        self.assertEqual(self.run_function("drainer", lifecycle_event(other)), {"action": "ignored"})
        self.assertEqual(self.lifecycle_completed, [])

    def test_other_hooks_are_ignored(self):
        self.assertEqual(self.run_function("drainer", lifecycle_event(self.instances[0], hook="backup")),
                         {"action": "ignored"})
        self.assertEqual(self.w.status(self.nodes[0]), "ACTIVE")

    def test_spot_interruption_drains_without_lifecycle_action(self):
        w = self.w
        fleet = w.fleet(1)
        (instance,) = w.fleet_instances(fleet)
        node = w.register(instance, "v1")
        self.assertEqual(self.run_function("drainer", spot_event(instance)), {"action": "draining"})
        self.assertEqual((w.status(node), self.lifecycle_completed), ("DRAINING", []))
        self.assertTrue(w.mark(node).startswith("spot:"))

    def test_spot_interruption_of_an_unknown_instance_is_ignored(self):
        self.assertEqual(self.run_function("drainer", spot_event("i-0123456789abcdef0")), {"action": "ignored"})
        self.assertEqual(self.called("UpdateContainerInstancesState"), [])

    def test_rebalance_recommendation_drains_like_an_interruption(self):
        # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/rebalance-recommendations.html
        w = self.w
        fleet = w.fleet(1)
        (instance,) = w.fleet_instances(fleet)
        node = w.register(instance, "v1")
        event = {"detail-type": "EC2 Instance Rebalance Recommendation", "source": "aws.ec2", "detail": {"instance-id": instance}}
        self.assertEqual(self.run_function("drainer", event), {"action": "draining"})
        self.assertEqual(w.status(node), "DRAINING")
        self.assertTrue(w.mark(node).startswith("spot:"))
