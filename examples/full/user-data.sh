#!/bin/sh
# Appended to the generated user data of every node.
echo "ECS_LOGLEVEL=info" >> /etc/ecs/ecs.config
