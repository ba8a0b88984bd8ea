# Cleanup: only drained inactive compute stacks of this cluster go, through the compute service role.
from unittest import mock

import boto3

from world import CLUSTER, ROLE, WorldTest


class CleanupTest(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        emptied = w.fleet(1)
        w.ec2.modify_spot_fleet_request(SpotFleetRequestId=emptied, TargetCapacity=0)  # moto: terminates now
        self.assertEqual(w.fleet_instances(emptied), [])
        busy_fleet = w.fleet(1)
        self.drained = [w.stack("old", status="inactive", fleets=[emptied]),
                        w.stack("bare", status="inactive")]
        self.kept = [
            w.stack("busy", status="inactive", fleets=[busy_fleet]),     # an instance left
            w.stack("tasks", status="inactive"),                         # a registered node left
            w.stack("live", status="active"),
            w.stack("old", status="inactive", cluster=f"{CLUSTER}2"),    # demo2-compute-old
            w.stack("x", status="inactive", name=f"prod-{CLUSTER}-compute-x"),
            w.stack("v9", status="inactive", name=f"{CLUSTER}-compute-v9-extra"),  # Version output disagrees
        ]
        w.register(w.ec2.run_instances(ImageId=w.image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"], "tasks")

    def test_deletes_only_drained_inactive_stacks_of_this_cluster(self):
        w = self.w
        result = self.run_function("cleanup")
        self.assertEqual(sorted(result["deleted"]), sorted(self.drained))
        self.assertEqual(w.stack_names(), sorted(self.kept))
        self.assertEqual([p["RoleARN"] for p in self.called("DeleteStack")], [ROLE, ROLE])

    def test_never_a_young_stack(self):
        with mock.patch.dict("os.environ", MIN_STACK_AGE_SECONDS="600"):
            self.assertEqual(self.run_function("cleanup")["deleted"], [])
        self.assertEqual(len(self.w.stack_names()), 8)

    def test_never_a_stack_being_created_or_updated(self):
        def in_progress(parsed, **kwargs):
            for s in parsed.get("Stacks", []):
                if s["StackName"].endswith("-old"):
                    s["StackStatus"] = "UPDATE_IN_PROGRESS"
                if s["StackName"].endswith("-bare"):
                    s["StackStatus"] = "CREATE_IN_PROGRESS"
        # moto's stacks are never in progress: rewrite what the functions' clients are told.
        boto3.DEFAULT_SESSION.events.register("after-call.cloudformation.DescribeStacks", in_progress)
        try:
            self.assertEqual(self.run_function("cleanup")["deleted"], [])
        finally:
            boto3.DEFAULT_SESSION.events.unregister("after-call.cloudformation.DescribeStacks", in_progress)

    def test_the_stack_goes_once_the_scaler_has_drained_it(self):
        w = self.w
        self.run_function("cleanup")
        w.ecs.deregister_container_instance(cluster=CLUSTER, containerInstance=w.nodes()[0], force=True)
        self.assertEqual(self.run_function("cleanup")["deleted"], [f"{CLUSTER}-compute-tasks"])
